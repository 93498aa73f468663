// `ecs-sim rti`: the virtual RTI experiment, run as a subprocess of the built CLI.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, ecsSim, scratchDirectory } from '../helpers/cli.js';

// A 610 µm box of 10 µm voxels, a 10 s pulse recorded for 15 s: the front reaches ~150 µm, far
// from the walls.
const SMALL = ['--pulse-start-ms', '2000', '--pulse-ms', '10000', '--record-ms', '15000', '--r-um', '100'];
const GRID = { grid: { size: [61, 61, 61], spacing_um: 10 } };

describe('ecs-sim rti', () => {
  it('records the electrode curve next to the closed form (homogeneous: within 2% of its peak) and fits it back', async () => {
    const out = join(scratchDirectory(), 'curve.csv');
    const { code, stdout } = await ecsSim('rti', configFile(GRID), ...SMALL, '--out', out, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.deviation_from_homogeneous).toBeLessThan(0.02);
    expect(Math.abs(summary.fit.alpha / 0.2 - 1)).toBeLessThan(0.05);
    expect(Math.abs(summary.fit.lambda / 1.6 - 1)).toBeLessThan(0.03);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('t_ms,c_mM,analytic_mM');
    expect(lines).toHaveLength(summary.samples + 1);
  });

  it('shows heterogeneous tissue as a departure from the homogeneous curve', async () => {
    const heterogeneous = { ...GRID, tissue: { regions: [{ shape: 'sphere', center_um: [355, 305, 305], radius_um: 40, alpha: 0.05, lambda: 2.2 }] } };
    const { code, stdout } = await ecsSim('rti', configFile(heterogeneous), ...SMALL, '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).deviation_from_homogeneous).toBeGreaterThan(0.05);
  });

  it('refuses an unknown species with exit code 2', async () => {
    const { code, stderr } = await ecsSim('rti', '--species', 'Xe');
    expect(code).toBe(2);
    expect(stderr).toContain('--species = "Xe"');
  });
});
