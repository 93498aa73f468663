// The package as it would be published: the files npm would pack, the exports map, and the core API
// imported by package name from Node (`import { Simulation } from 'ecs-sim'`, resolved through the
// exports map by Node's package self-reference). Needs `npm run build` first (npm test does it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('the ecs-sim package', () => {
  it('is named, versioned and licensed, with an exports map for the core API and the element', () => {
    expect(manifest.name).toBe('ecs-sim');
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(manifest.license).toBe('MIT');
    expect(existsSync(join(ROOT, 'LICENSE'))).toBe(true);
    // The citation names the version being cited.
    expect(readFileSync(join(ROOT, 'CITATION.cff'), 'utf8')).toContain(`\nversion: ${manifest.version}\n`);
    expect(manifest.exports['.']).toEqual({ types: './dist/core/index.d.ts', default: './dist/core/index.js' });
    expect(manifest.exports['./element']).toEqual({ types: './dist/lib/types/element/index.d.ts', default: './dist/lib/ecs-sim.js' });
    // Nothing is installed with it: the core has no dependencies and the element bundles its own.
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.exports['./element/single'].default).toBe('./dist/lib/ecs-sim.single.js');
    for (const target of [manifest.exports['.'], manifest.exports['./element'], manifest.exports['./element/single']].flatMap((entry) => Object.values(entry) as string[])) {
      expect(existsSync(join(ROOT, target)), target).toBe(true);
    }
  });

  it('packs the core, the command line, the element with its worker and kernel, the types and the README examples; not the site or the sources', () => {
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    const files = new Set<string>(pack.files.map((file: { path: string }) => file.path));
    for (const path of ['dist/core/index.js', 'dist/core/index.d.ts', 'dist/cli/main.js', 'dist/lib/ecs-sim.js', 'dist/lib/core.js',
      'dist/lib/simulation-worker.js', 'dist/lib/kernel.wasm', 'dist/lib/ecs-sim.single.js', 'dist/lib/types/element/index.d.ts', 'build/kernel.wasm', 'LICENSE', 'README.md', 'CITATION.cff',
      // The README's example inputs and figures, so its examples work from an installed package too.
      'docs/sweep-64.json', 'docs/rti-example.csv', 'docs/sweep-64-t-peak.svg', 'docs/ecs-sim-page.png']) {
      expect(files.has(path), path).toBe(true);
    }
    expect([...files].filter((path) => path.startsWith('dist/web/') || path.startsWith('src/') || path.startsWith('test/'))).toEqual([]);
  });

  it('runs headless from Node by package name', () => {
    const script = `
      import { Simulation, pointSourcePeak } from 'ecs-sim';
      const simulation = await Simulation.create({ grid: { size: [24, 24, 24], spacing_um: 5 }, duration_ms: 50 });
      simulation.run();
      console.log(JSON.stringify({ steps: simulation.steps, time_ms: simulation.time_ms, stored: simulation.ledger().stored_excess_mol, peak: typeof pointSourcePeak }));`;
    const output = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }));
    expect(output.steps).toBeGreaterThan(0);
    expect(output.time_ms).toBeGreaterThanOrEqual(50);
    expect(output.stored).toBeGreaterThan(0);
    expect(output.peak).toBe('function');
  });
});
