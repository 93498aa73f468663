// The command line, run as a user runs it: the built dist/cli/main.js in a subprocess.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '../../dist/cli/main.js');

async function ecsSim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

function configFile(config: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ecs-sim-')), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}

describe('ecs-sim run', () => {
  it('prints a readable summary of the default simulation', async () => {
    const { code, stdout } = await ecsSim('run');
    expect(code).toBe(0);
    expect(stdout).toMatch(/r50\s+3\.5\d+\s+/);
    expect(stdout).toMatch(/mass: released 2\.000e-13 mol/);
  });

  it('prints one JSON object with --json', async () => {
    const path = configFile({ grid: { size: [31, 31, 31], spacing_um: 5 }, duration_ms: 300 });
    const { code, stdout } = await ecsSim('run', path, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['version', 'config', 'dt_ms', 'steps', 'probes', 'clearance', 'mass', 'timing']);
    expect(Object.keys(result.probes[0])).toEqual(
      ['name', 'position_um', 'baseline_mM', 'peak_mM', 't_peak_ms', 't_half_ms', 'final_mM']);
    expect(result.mass.balance_relative_error).toBeLessThan(1e-6);
  });

  it('refuses a bad config with exit code 2 and a one-line message naming field, value, range and unit', async () => {
    const { code, stdout, stderr } = await ecsSim('run', configFile({ tissue: { alpha: 1.5 } }));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('tissue.alpha = 1.5');
    expect(stderr).toContain('≤ 1 (volume fraction, dimensionless)');
    expect(stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('refuses a missing file, invalid JSON and an unknown command with exit code 2', async () => {
    expect((await ecsSim('run', '/nonexistent/config.json')).code).toBe(2);
    const broken = join(mkdtempSync(join(tmpdir(), 'ecs-sim-')), 'broken.json');
    writeFileSync(broken, '{ "grid": ');
    const invalid = await ecsSim('run', broken);
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('not valid JSON');
    expect((await ecsSim('fly')).code).toBe(2);
  });
});
