// The contract of `npm run bench -- --json` (issue: one JSON object { machine, results: [ { kernel,
// uptake, impl, n, voxel_updates_per_s } ] }), run as a user would with --quick (64³ only). It
// checks the shape and that every number is a measurement, not the speeds (those vary with the
// machine: see the README's performance section). Needs `npm run build` first (npm test does it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

describe('npm run bench -- --json', () => {
  it('prints one JSON object with every kernel, uptake and implementation, time to solution and memory', () => {
    const output = execFileSync(process.execPath, ['bench/kernel-bench.mjs', '--quick', '--json'], { cwd: ROOT, encoding: 'utf8' });
    const report = JSON.parse(output);
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version });
    const implementations = report.note ? ['wasm', 'js'] : ['wasm', 'js', 'native'];
    for (const kernel of ['uniform', 'heterogeneous']) {
      for (const uptake of [false, true]) {
        for (const impl of implementations) {
          const row = report.results.find((r: { kernel: string; uptake: boolean; impl: string; n: number }) =>
            r.kernel === kernel && r.uptake === uptake && r.impl === impl && r.n === 64);
          expect(row, `${kernel} ${uptake} ${impl}`).toBeDefined();
          expect(row.voxel_updates_per_s).toBeGreaterThan(1e6);
          expect(Number.isFinite(row.voxel_updates_per_s)).toBe(true);
        }
      }
    }
    expect(report.time_to_solution).toHaveLength(3);
    for (const solution of report.time_to_solution) expect(solution.wall_s).toBeGreaterThan(0);
    // The 80³ bolus is timed at its stated accuracy: the peak at 50 µm within 1% of the closed form.
    expect(Math.abs(report.time_to_solution[2].peak_error_at_50_um)).toBeLessThan(0.01);
    const memory = Object.fromEntries(report.memory.map((m: { kernel: string; bytes_per_voxel: number }) => [m.kernel, m.bytes_per_voxel]));
    expect(memory.uniform).toBeLessThanOrEqual(12);
    expect(memory.heterogeneous).toBeGreaterThan(memory.uniform);
  }, 180_000);
});
