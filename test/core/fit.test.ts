// Fitting α, λ and k′ to RTI curves (issue 7): round trips through the analytic model with noise,
// a curve from the 3D simulator, the agarose calibration, and curves that cannot be fitted.
import { describe, expect, it } from 'vitest';
import { CurveError, FitError, fitAgarose, fitRti, rtiModel_mM, type RtiExperiment } from '../../src/core/fit.js';
import type { Medium } from '../../src/core/analytic.js';
import { failureLine, fitFromFields } from '../../src/app/rti-fit-panel.js';
import { Simulation } from '../../src/core/simulation.js';
import { seededRandom } from '../helpers/kernel-arrays.js';

const EXPERIMENT: RtiExperiment = { r_um: 120, current_nA: 80, transport_number: 0.4, D_um2_per_ms: 1.3, pulse_start_ms: 10_000, pulse_ms: 50_000 };
const TIMES = Array.from({ length: 1000 }, (_, i) => i * 120);

/** A synthetic record: baseline 3 mM plus the model, with Gaussian noise of 2% of the peak excess. */
function syntheticCurve(alpha: number, lambda: number, k_ecs_per_ms: number, seed: number, experiment = EXPERIMENT, D = 1.3) {
  const random = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
  const clean = TIMES.map((t) => rtiModel_mM({ alpha, lambda, D_um2_per_ms: D, k_ecs_per_ms }, experiment, t));
  const peak = Math.max(...clean);
  return clean.map((c) => 3 + c + 0.02 * peak * gauss());
}

describe('fitRti round trip with 2% noise', () => {
  const cases: [number, number, number][] = [[0.2, 1.6, 5e-6], [0.1, 2.0, 1e-5], [0.35, 1.45, 3e-6], [0.07, 1.9, 6e-6]];
  for (const [index, [alpha, lambda, k]] of cases.entries()) {
    it(`recovers α = ${alpha} (5%), λ = ${lambda} (3%), k′ = ${k} /ms (30%)`, () => {
      const fit = fitRti(TIMES, syntheticCurve(alpha, lambda, k, 11 + index), EXPERIMENT);
      const errors = [fit.alpha / alpha - 1, fit.lambda / lambda - 1, fit.k_ecs_per_ms / k - 1];
      console.log(`α ${alpha}, λ ${lambda}, k′ ${k}: errors ${errors.map((e) => `${(100 * e).toFixed(2)}%`).join(', ')}; ` +
        `standard errors ${[fit.alpha_standard_error, fit.lambda_standard_error, fit.k_ecs_per_ms_standard_error].map((e) => e.toExponential(1)).join(', ')}`);
      expect(Math.abs(errors[0])).toBeLessThan(0.05);
      expect(Math.abs(errors[1])).toBeLessThan(0.03);
      expect(Math.abs(errors[2])).toBeLessThan(0.3);
      expect(fit.converged).toBe(true);
      expect(fit.warnings).toEqual([]);
      // The noise level is what the residual reports: 2% of the peak.
      expect(fit.residual_relative).toBeGreaterThan(0.015);
      expect(fit.residual_relative).toBeLessThan(0.025);
      expect(fit.parameters.alpha.ci95[0]).toBeLessThan(fit.alpha);
    });
  }

  it('warns that k′ is not identifiable from a short record', () => {
    const short = TIMES.filter((t) => t < 20_000);
    const experiment = { ...EXPERIMENT, pulse_ms: undefined };
    const curve = syntheticCurve(0.2, 1.6, 5e-6, 3, experiment).slice(0, short.length);
    const fit = fitRti(short, curve, experiment);
    expect(fit.warnings.join(' ')).toMatch(/k′ is not identifiable/);
    expect(Math.abs(fit.alpha / 0.2 - 1)).toBeLessThan(0.1);
  });
});

describe('fitRti on a curve from the 3D simulator', () => {
  it('returns the α and λ (and k′) the simulation ran with, within 5%, 3% (and 30%)', async () => {
    // Mirror symmetry as in simulation-iontophoresis.test.ts: a sealed 800 µm box with the source in
    // its corner voxel is one octant of a source eight times as strong (640 nA in full space).
    const simulation = await Simulation.create({
      grid: { size: [80, 80, 80], spacing_um: 10 }, tissue: { alpha: 0.2, lambda: 1.6 },
      species: { name: 'TMA', D_um2_per_ms: 1.3, baseline_mM: 0.5 }, boundary: { type: 'neumann' }, uptake: { k_ecs_per_ms: 5e-6 },
      sources: [{ type: 'iontophoresis', position_um: [0, 0, 0], current_nA: 80, transport_number: 0.4, start_ms: 5000, duration_ms: 50_000 }],
      probes: [{ name: 'electrode', position_um: [100, 0, 0] }], duration_ms: 80_000,
    });
    simulation.run();
    const { time_ms, values_mM } = simulation.probeSeries();
    const every = 10;
    const times = Array.from(time_ms).filter((_, s) => s % every === 0);
    const values = Array.from(values_mM[0]).filter((_, s) => s % every === 0);
    const fit = fitRti(times, values, {
      r_um: Math.hypot(100, 5, 5), current_nA: 8 * 80, transport_number: 0.4, D_um2_per_ms: 1.3, pulse_start_ms: 5000, pulse_ms: 50_000,
    });
    console.log(`simulated curve: α ${fit.alpha.toFixed(4)}, λ ${fit.lambda.toFixed(4)}, k′ ${fit.k_ecs_per_ms.toExponential(2)} /ms`);
    expect(Math.abs(fit.alpha / 0.2 - 1)).toBeLessThan(0.05);
    expect(Math.abs(fit.lambda / 1.6 - 1)).toBeLessThan(0.03);
    expect(Math.abs(fit.k_ecs_per_ms / 5e-6 - 1)).toBeLessThan(0.3);
  });
});

describe('fitAgarose', () => {
  it('recovers the transport number and D with α = λ = 1 (2% noise: within 3%)', () => {
    const experiment = { ...EXPERIMENT, transport_number: 0.3, D_um2_per_ms: 1.0 };
    const random = seededRandom(5);
    const gauss = () => Math.sqrt(-2 * Math.log(random() || 1e-12)) * Math.cos(2 * Math.PI * random());
    const truth = { ...EXPERIMENT, transport_number: 0.42 };
    const clean = TIMES.map((t) => rtiModel_mM({ alpha: 1, lambda: 1, D_um2_per_ms: 1.31 }, truth, t));
    const peak = Math.max(...clean);
    const fit = fitAgarose(TIMES, clean.map((c) => 0.5 + c + 0.02 * peak * gauss()), experiment);
    expect(Math.abs(fit.transport_number.value / 0.42 - 1)).toBeLessThan(0.03);
    expect(Math.abs(fit.D_um2_per_ms.value / 1.31 - 1)).toBeLessThan(0.03);
  });
});

describe('curves that cannot be fitted', () => {
  it('refuses a flat record (no pulse), too few points, no baseline, and times that do not increase', () => {
    const flat = TIMES.map(() => 3);
    expect(() => fitRti(TIMES, flat, EXPERIMENT)).toThrow(CurveError);
    expect(() => fitRti(TIMES, flat, EXPERIMENT)).toThrow(/no pulse/);
    expect(() => fitRti(TIMES.slice(0, 88), syntheticCurve(0.2, 1.6, 5e-6, 1).slice(0, 88), EXPERIMENT)).toThrow(/at least 10 are needed/);
    expect(() => fitRti(TIMES, syntheticCurve(0.2, 1.6, 5e-6, 1), { ...EXPERIMENT, pulse_start_ms: 0 })).toThrow(/no samples before the pulse/);
    const shuffled = [...TIMES];
    [shuffled[5], shuffled[6]] = [shuffled[6], shuffled[5]];
    expect(() => fitRti(shuffled, syntheticCurve(0.2, 1.6, 5e-6, 1), EXPERIMENT)).toThrow(/t_ms must increase/);
  });
});

/** The model's curve on a 3 mM baseline at n samples 0.4 ms apart (120 s), made by loops: no spread of a long array. */
function longCurve(n: number, medium: Medium, experiment: RtiExperiment) {
  const time_ms = new Array<number>(n), c_mM = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    time_ms[i] = i * 0.4;
    c_mM[i] = 3 + rtiModel_mM(medium, experiment, time_ms[i]);
  }
  return { time_ms, c_mM };
}

describe('fits of long records (300 000 samples, past the ~1.3·10⁵ arguments a call can take)', () => {
  // Off the start grid (λ 1.2…2.3 by 0.2, k′ 5e-6 /ms), so the fit has to move to find them.
  const tissue: Medium = { alpha: 0.13, lambda: 1.73, D_um2_per_ms: 1.3, k_ecs_per_ms: 7e-6 };
  const curve = longCurve(300_000, tissue, EXPERIMENT);

  it('fitRti returns α and λ within 1e-6 (relative) of the noise-free curve, without a RangeError', () => {
    const started = performance.now();
    const fit = fitRti(curve.time_ms, curve.c_mM, EXPERIMENT);
    const errors = [fit.alpha / 0.13 - 1, fit.lambda / 1.73 - 1, fit.k_ecs_per_ms / 7e-6 - 1];
    console.log(`300 000 samples: α, λ, k′ errors ${errors.map((e) => e.toExponential(1)).join(', ')}; ` +
      `${fit.iterations} iterations, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(fit.points).toBeGreaterThan(270_000);
    expect(Math.abs(errors[0])).toBeLessThan(1e-6);
    expect(Math.abs(errors[1])).toBeLessThan(1e-6);
    expect(Math.abs(errors[2])).toBeLessThan(1e-4);
    expect(fit.warnings).toEqual([]);
  });

  it('fitAgarose returns n and D within 1e-6 (relative), without a RangeError', () => {
    const truth = { ...EXPERIMENT, transport_number: 0.42 };
    const agarose = longCurve(300_000, { alpha: 1, lambda: 1, D_um2_per_ms: 1.31 }, truth);
    const started = performance.now();
    const fit = fitAgarose(agarose.time_ms, agarose.c_mM, { ...EXPERIMENT, transport_number: 0.3, D_um2_per_ms: 1.0 });
    console.log(`300 000 samples, agarose: n error ${(fit.transport_number.value / 0.42 - 1).toExponential(1)}, ` +
      `D error ${(fit.D_um2_per_ms.value / 1.31 - 1).toExponential(1)}; ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(Math.abs(fit.transport_number.value / 0.42 - 1)).toBeLessThan(1e-6);
    expect(Math.abs(fit.D_um2_per_ms.value / 1.31 - 1)).toBeLessThan(1e-6);
    expect(fit.warnings).toEqual([]);
  });

  it('the page panel fits the same record, and says any failure in one line, as the command line does', () => {
    const fields: Record<string, string> = {
      r_um: '120', current_nA: '80', transport_number: '0.4', D_um2_per_ms: '1.3', pulse_start_ms: '10000', pulse_ms: '50000',
    };
    const outcome = fitFromFields(curve, (key) => fields[key]);
    expect('fit' in outcome && Math.abs(outcome.fit.alpha / 0.13 - 1)).toBeLessThan(1e-6);
    // The failures are the same on a short record, and cheaper.
    const short = { time_ms: TIMES, c_mM: syntheticCurve(0.2, 1.6, 5e-6, 21) };
    const failures: [string, string, RegExp][] = [
      ['r_um', '1e300', /^fit failed: the model predicts at most 0 mM at the electrode for any α, λ and k′ in the search range/],
      ['r_um', 'abc', /^electrode distance r \(µm\) = "abc": must be a number \(µm\)$/],
      ['r_um', '0x10', /^electrode distance r \(µm\) = "0x10": must be a number \(µm\)$/],
      ['D_um2_per_ms', '1e300', /^free D .* = 1e\+300: must be from 0\.001 to 100 \(µm²\/ms\)$/],
      ['transport_number', '1.5', /^transport number n = 1\.5: must be > 0 and ≤ 1 \(dimensionless\)$/],
      ['pulse_start_ms', '1e9', /^pulse_start_ms = 1000000000: only 0 samples follow the pulse start and at least 10 are needed: it must be < 118800 ms$/],
    ];
    for (const [key, text, message] of failures) {
      const failed = fitFromFields(short, (field) => (field === key ? text : fields[field]));
      expect('failure' in failed && failed.failure, `${key} = ${text}`).toMatch(message);
    }
  });

  it('turns an unexpected error into one line without its stack', () => {
    const error = new RangeError('Maximum call stack size exceeded');
    error.stack = 'RangeError: Maximum call stack size exceeded\n    at prepare (fit.js:140:20)';
    const line = failureLine(error);
    expect(line).toBe('fit failed: an internal error (RangeError: Maximum call stack size exceeded); the browser console has the details');
    expect(failureLine(new CurveError('line 3: "1,abc" does not hold numbers in t_ms and c_mM'))).toBe('line 3: "1,abc" does not hold numbers in t_ms and c_mM');
  });
});

describe('fits that fail say so (FitError, a CurveError) instead of returning ± Infinity', () => {
  const curve = syntheticCurve(0.2, 1.6, 5e-6, 21);

  it('an experiment whose model cannot come near the curve: at most / at least, with the experiment named', () => {
    const far: [Partial<RtiExperiment>, RegExp][] = [
      [{ r_um: 1e300 }, /^fit failed: the model predicts at most 0 mM .*less than a tenth of the [\d.]+ mM the curve rises: check the experiment \(r_um = 1e\+300 µm,/],
      [{ current_nA: 1e-300 }, /^fit failed: the model predicts at most [\d.e-]+ mM .*current_nA = 1e-300 nA/],
      [{ pulse_ms: 1e-300 }, /^fit failed: the model predicts at most 0 mM .*pulse_ms = 1e-300 ms/],
      [{ r_um: 1e-300 }, /^fit failed: the model predicts at least [\d.e+]+ mM .*more than ten times/],
    ];
    for (const [change, message] of far) {
      for (const fit of [fitRti, fitAgarose]) {
        let thrown: unknown;
        try {
          fit(TIMES, curve, { ...EXPERIMENT, ...change });
        } catch (error) {
          thrown = error;
        }
        expect(thrown, `${fit.name} ${JSON.stringify(change)}`).toBeInstanceOf(FitError);
        expect(thrown).toBeInstanceOf(CurveError);
        if (fit === fitRti) expect((thrown as Error).message).toMatch(message);
        else expect((thrown as Error).message).toMatch(/^fit failed: the model predicts at (most|least) .* for any n and D in the search range/);
      }
    }
  });

  it('numbers outside their range are refused by name, value, range and unit (CurveError, not a failed fit)', () => {
    const refused: [Partial<RtiExperiment>, string][] = [
      [{ D_um2_per_ms: 1e300 }, 'D_um2_per_ms = 1e+300: must be from 0.001 to 100 (µm²/ms)'],
      [{ r_um: 0 }, 'r_um = 0: must be > 0 (µm)'],
      [{ current_nA: -80 }, 'current_nA = -80: must be > 0 (nA)'],
      [{ transport_number: 1.5 }, 'transport_number = 1.5: must be > 0 and ≤ 1 (dimensionless)'],
      [{ pulse_ms: 0 }, 'pulse_ms = 0: must be > 0 (ms)'],
      [{ pulse_start_ms: Infinity }, 'pulse_start_ms = Infinity: must be a finite number (ms)'],
      [{ valence: 0 }, 'valence = 0: must be a non-zero integer (elementary charges)'],
    ];
    for (const [change, message] of refused) {
      expect(() => fitRti(TIMES, curve, { ...EXPERIMENT, ...change })).toThrow(message);
      try {
        fitRti(TIMES, curve, { ...EXPERIMENT, ...change });
      } catch (error) {
        expect(error).not.toBeInstanceOf(FitError);
      }
    }
  });

  it('a record that does not separate α from λ (only the late plateau of a current step): "does not determine α"', () => {
    // At the plateau the excess is Q λ²/(4π D α r) e^{−r√(k′λ²/D)}: one number for three parameters.
    const experiment: RtiExperiment = { r_um: 120, current_nA: 80, transport_number: 0.4, D_um2_per_ms: 1.3, pulse_start_ms: 0, baseline_mM: 0.5 };
    const times = Array.from({ length: 200 }, (_, i) => 1e7 + i * 1000);
    for (const k_ecs_per_ms of [0, 5e-6]) {
      const plateau = times.map((t) => 0.5 + rtiModel_mM({ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms }, experiment, t));
      expect(() => fitRti(times, plateau, experiment), `k′ ${k_ecs_per_ms}`).toThrow(/^fit failed: the record does not determine α \(α = [\d.]+ ± /);
    }
  });
});

describe('parameters that end on a bound of their search range are named in a warning', () => {
  it('fitAgarose: a curve made with transport number 1.5 pins n at 1', () => {
    const truth = { ...EXPERIMENT, transport_number: 1.5 };
    const curve = TIMES.map((t) => 0.5 + rtiModel_mM({ alpha: 1, lambda: 1, D_um2_per_ms: 1.31 }, truth, t));
    const fit = fitAgarose(TIMES, curve, { ...EXPERIMENT, transport_number: 0.3, D_um2_per_ms: 1.0 });
    expect(fit.transport_number.value).toBe(1);
    expect(fit.warnings).toEqual([expect.stringMatching(/^n = 1 ended on the upper bound of its search range \(0\.001 to 1\): /)]);
  });

  it('fitRti: α, λ and k′ each get the warning on either side, and an interior fit gets none', () => {
    const cases: [Medium, RegExp][] = [
      [{ alpha: 1.2, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, /^α = 1 ended on the upper bound of its search range \(0\.01 to 1\)/],
      [{ alpha: 0.005, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, /^α = 0\.01 ended on the lower bound of its search range \(0\.01 to 1\)/],
      [{ alpha: 0.2, lambda: 3.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, /^λ = 3 ended on the upper bound of its search range \(1 to 3\)/],
      [{ alpha: 0.2, lambda: 0.9, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, /^λ = 1 ended on the lower bound of its search range \(1 to 3\)/],
      // No uptake: k′ ends on 0, which the old check (α and λ only) did not report.
      [{ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 0 }, /^k′ = 0 \/ms ended on the lower bound of its search range \(0 to 0\.01 \/ms\)/],
    ];
    for (const [medium, warning] of cases) {
      const fit = fitRti(TIMES, TIMES.map((t) => 3 + rtiModel_mM(medium, EXPERIMENT, t)), EXPERIMENT);
      expect(fit.warnings, JSON.stringify(medium)).toContainEqual(expect.stringMatching(warning));
    }
    const interior = fitRti(TIMES, TIMES.map((t) => 3 + rtiModel_mM({ alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.3, k_ecs_per_ms: 5e-6 }, EXPERIMENT, t)), EXPERIMENT);
    expect(interior.warnings).toEqual([]);
  });
});
