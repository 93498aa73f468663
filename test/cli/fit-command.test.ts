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
