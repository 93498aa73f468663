// `ecs-sim fit`, run as a subprocess of the built CLI on CSV files.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rtiModel_mM } from '../../src/core/fit.js';
import { ecsSim, scratchDirectory } from '../helpers/cli.js';

const EXPERIMENT = { r_um: 120, current_nA: 80, transport_number: 0.4, D_um2_per_ms: 1.3, pulse_start_ms: 10_000, pulse_ms: 50_000 };
const FLAGS = ['--r-um', '120', '--current-nA', '80', '--transport-number', '0.4', '--D-um2-per-ms', '1.3',
  '--pulse-start-ms', '10000', '--pulse-ms', '50000'];

function curveFile(text: string): string {
  const path = join(scratchDirectory(), 'curve.csv');
  writeFileSync(path, text);
  return path;
}

/** A noise-free record of α 0.2, λ 1.6, k′ 5e-6 /ms on a 3 mM baseline, every 200 ms for 100 s. */
function cleanCurve(): string {
  const lines = ['t_ms,c_mM'];
  for (let t = 0; t <= 100_000; t += 200) {
    lines.push(`${t},${3 + rtiModel_mM({ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, EXPERIMENT, t)}`);
  }
  return lines.join('\n') + '\n';
}

describe('ecs-sim fit', () => {
  it('prints α, λ, k′ with uncertainties as JSON, exact for a noise-free curve', async () => {
    const { code, stdout } = await ecsSim('fit', curveFile(cleanCurve()), ...FLAGS, '--json');
    expect(code).toBe(0);
    const fit = JSON.parse(stdout);
    expect(fit.alpha).toBeCloseTo(0.2, 4);
    expect(fit.lambda).toBeCloseTo(1.6, 4);
    expect(fit.k_ecs_per_ms / 5e-6).toBeCloseTo(1, 3);
    for (const key of ['alpha_standard_error', 'lambda_standard_error', 'k_ecs_per_ms_standard_error', 'residual']) {
      expect(typeof fit[key]).toBe('number');
    }
    expect(fit.parameters.lambda.ci95).toHaveLength(2);
  });

  it('prints a readable summary with 95% intervals', async () => {
    const { code, stdout } = await ecsSim('fit', curveFile(cleanCurve()), ...FLAGS);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^α {2}= 0\.2000 ± /m);
    expect(stdout).toContain('95%');
  });

  it('refuses bad CSVs with exit code 2 and a one-line message', async () => {
    const cases: [string, RegExp][] = [
      ['time,value\n0,3\n', /needs columns t_ms and c_mM/],
      ['t_ms,c_mM\n0,3\n1,abc\n', /line 3: "1,abc" does not hold numbers/],
      [`t_ms,c_mM\n${Array.from({ length: 200 }, (_, i) => `${i * 1000},3`).join('\n')}\n`, /no pulse/],
      ['t_ms,c_mM\n0,3\n20000,4\n30000,4.2\n', /at least 10 are needed/],
    ];
    for (const [text, message] of cases) {
      const { code, stderr } = await ecsSim('fit', curveFile(text), ...FLAGS);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
    const missing = await ecsSim('fit', curveFile(cleanCurve()), '--r-um', '120');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('is required');
  });
});

/** Paths of every null in a parsed JSON value: JSON.stringify writes Infinity and NaN as null. */
function nulls(value: unknown, path = '$'): string[] {
  if (value === null) return [path];
  if (typeof value !== 'object') return [];
  return Object.entries(value as object).flatMap(([key, inner]) => nulls(inner, `${path}.${key}`));
}

describe('ecs-sim fit on input that cannot give a fit', () => {
  it('refuses 0x10, Infinity and 1e999 in c_mM with exit code 2 and one line naming the line and the text', async () => {
    for (const bad of ['0x10', 'Infinity', '1e999']) {
      const lines = cleanCurve().split('\n');
      lines[3] = `600,${bad}`;
      const { code, stdout, stderr } = await ecsSim('fit', curveFile(lines.join('\n')), ...FLAGS);
      expect(code, bad).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), bad).toHaveLength(1);
      expect(stderr).toContain(`line 4: "600,${bad}" does not hold numbers in t_ms and c_mM`);
    }
  });

  it('absurd flags: refused with the flag, value, range and unit (exit 2), or "fit failed" (exit 1), never ± Infinity', async () => {
    const cases: [string[], number, RegExp][] = [
      [['--D-um2-per-ms', '1e300'], 2, /^ecs-sim: --D-um2-per-ms = 1e\+300: must be from 0\.001 to 100 \(µm²\/ms\) \(ecs-sim fit --help\)$/],
      [['--r-um', '0'], 2, /^ecs-sim: --r-um = 0: must be > 0 \(µm\)/],
      [['--pulse-ms', '0'], 2, /^ecs-sim: --pulse-ms = 0: must be > 0 \(ms\)/],
      // The clean curve is sampled every 200 ms to 100 s: the 10th-last sample is at 98 200 ms.
      [['--pulse-start-ms', '1e9'], 2, /curve\.csv: --pulse-start-ms = 1000000000: only 0 samples follow the pulse start and at least 10 are needed: it must be < 98200 ms/],
      [['--r-um', '1e300'], 1, /^ecs-sim: .*curve\.csv: fit failed: the model predicts at most 0 mM at the electrode for any α, λ and k′ in the search range, less than a tenth of the [\d.]+ mM the curve rises: check the experiment \(r_um = 1e\+300 µm/],
      [['--current-nA', '1e-300'], 1, /fit failed: the model predicts at most .*current_nA = 1e-300 nA/],
      [['--pulse-ms', '1e-300'], 1, /fit failed: the model predicts at most 0 mM .*pulse_ms = 1e-300 ms/],
    ];
    for (const [flags, exitCode, message] of cases) {
      for (const json of [[], ['--json']]) {
        const { code, stdout, stderr } = await ecsSim('fit', curveFile(cleanCurve()), ...FLAGS, ...flags, ...json);
        expect(code, flags.join(' ')).toBe(exitCode);
        expect(stdout, flags.join(' ')).toBe('');
        expect(stderr.trim().split('\n')).toHaveLength(1);
        expect(stderr.trim()).toMatch(message);
        expect(stderr).not.toContain('Infinity');
      }
    }
  });

  it('a record that does not determine α ends with "fit failed" and exit code 1', async () => {
    // Only the late plateau of a current step: one height for α, λ and k′.
    const step = { r_um: 120, current_nA: 80, transport_number: 0.4, D_um2_per_ms: 1.3, pulse_start_ms: 0 };
    const lines = ['t_ms,c_mM'];
    for (let t = 1e7; t < 1.02e7; t += 1000) lines.push(`${t},${0.5 + rtiModel_mM({ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, step, t)}`);
    const { code, stdout, stderr } = await ecsSim('fit', curveFile(lines.join('\n')), '--r-um', '120', '--current-nA', '80',
      '--transport-number', '0.4', '--D-um2-per-ms', '1.3', '--pulse-start-ms', '0', '--baseline-mM', '0.5', '--json');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^ecs-sim: .*: fit failed: the record does not determine α \(α = /);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('--agarose warns when the transport number ends on its bound (a curve made with n = 1.5)', async () => {
    const lines = ['t_ms,c_mM'];
    for (let t = 0; t <= 100_000; t += 200) {
      lines.push(`${t},${0.5 + rtiModel_mM({ alpha: 1, lambda: 1, D_um2_per_ms: 1.31 }, { ...EXPERIMENT, transport_number: 1.5 }, t)}`);
    }
    const file = curveFile(lines.join('\n'));
    const text = await ecsSim('fit', file, ...FLAGS, '--agarose');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}warning: n = 1 ended on the upper bound of its search range \(0\.001 to 1\): /m);
    const json = await ecsSim('fit', file, ...FLAGS, '--agarose', '--json');
    const fit = JSON.parse(json.stdout);
    expect(fit.transport_number.value).toBe(1);
    expect(fit.warnings).toEqual([expect.stringMatching(/^n = 1 ended on the upper bound/)]);
    expect(nulls(fit)).toEqual([]);
  });
});

describe('ecs-sim fit on a long record', () => {
  it('fits 300 000 samples (past the ~1.3·10⁵ arguments a call can take) to α, λ within 1e-6 (relative)', async () => {
    const tissue = { alpha: 0.13, lambda: 1.73, D_um2_per_ms: 1.3, k_ecs_per_ms: 7e-6 };
    const lines = new Array<string>(300_001);
    lines[0] = 't_ms,c_mM';
    for (let i = 0; i < 300_000; i++) lines[i + 1] = `${i * 0.4},${3 + rtiModel_mM(tissue, EXPERIMENT, i * 0.4)}`;
    const started = performance.now();
    const { code, stdout, stderr } = await ecsSim('fit', curveFile(lines.join('\n')), ...FLAGS, '--json');
    console.log(`ecs-sim fit, 300 000 samples: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const fit = JSON.parse(stdout);
    expect(Math.abs(fit.alpha / 0.13 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fit.lambda / 1.73 - 1)).toBeLessThan(1e-6);
    expect(fit.points).toBeGreaterThan(270_000);
    expect(nulls(fit)).toEqual([]);
  });
});
