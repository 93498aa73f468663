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

describe('ecs-sim rti on settings the fit back cannot use', () => {
  it('refuses them before the run, with the flag, value, range and unit (exit code 2)', async () => {
    const cases: [string[], string][] = [
      [['--current-nA', '0'], '--current-nA = 0: must be > 0 (nA)'],
      [['--r-um', '0'], '--r-um = 0: must be > 0 (µm)'],
      [['--pulse-ms', '0'], '--pulse-ms = 0: must be > 0 (ms)'],
      [['--transport-number', '2'], '--transport-number = 2: must be > 0 and ≤ 1 (dimensionless)'],
      [['--record-ms', '1000'], '--record-ms = 1000: must be > the pulse start (--pulse-start-ms 2000 ms) to record the pulse (ms)'],
    ];
    for (const [flags, message] of cases) {
      const { code, stdout, stderr } = await ecsSim('rti', configFile(GRID), ...SMALL, ...flags);
      expect(code, flags.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toContain(message);
    }
  });

  it('a pulse at t = 0 leaves no samples before it: the fit back takes the simulated baseline', async () => {
    const { code, stdout } = await ecsSim('rti', configFile(GRID), ...SMALL, '--pulse-start-ms', '0', '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(Math.abs(summary.fit.alpha / 0.2 - 1)).toBeLessThan(0.05);
    expect(Math.abs(summary.fit.lambda / 1.6 - 1)).toBeLessThan(0.03);
  });

  it('a fit back that fails ends with "fit failed" and exit code 1, after the summary', async () => {
    // 1 ms of record after the pulse start: too few samples to fit.
    const text = await ecsSim('rti', configFile(GRID), ...SMALL, '--record-ms', '2001');
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^ {2}fitted back: fit failed: the simulated curve cannot be fitted back: /m);
    const json = await ecsSim('rti', configFile(GRID), ...SMALL, '--record-ms', '2001', '--json');
    expect(json.code).toBe(1);
    const summary = JSON.parse(json.stdout);
    expect(summary.fit).toEqual({ failed: expect.stringMatching(/^fit failed: /) });
  });
});

describe('ecs-sim rti on a long record', () => {
  it('fits back 150 000 samples (past the ~1.3·10⁵ arguments a call can take) and reports the peak of the curve it wrote', async () => {
    // A small coarse box with a fixed 0.1 ms step: 150 000 steps, each recorded, in a few seconds.
    const config = { grid: { size: [11, 11, 11], spacing_um: 20 }, dt_ms: 0.1 };
    const out = join(scratchDirectory(), 'curve.csv');
    const { code, stdout, stderr } = await ecsSim('rti', configFile(config), ...SMALL, '--r-um', '60', '--out', out, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout);
    expect(summary.samples).toBeGreaterThan(140_000);
    expect(typeof summary.fit.alpha).toBe('number');
    let highest = -Infinity;
    for (const line of readFileSync(out, 'utf8').trim().split('\n').slice(1)) highest = Math.max(highest, Number(line.split(',')[1]));
    // TMA⁺ baseline 0.5 mM.
    expect(summary.peak_excess_mM).toBeCloseTo(highest - 0.5, 12);
  });
});
