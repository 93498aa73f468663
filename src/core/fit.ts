// Fitting α, λ and k′ to a real-time iontophoresis (RTI) curve: the concentration an ion-selective
// electrode at distance r records while a current pulse releases Q = nI/(zF).
// Non-linear least squares by Levenberg–Marquardt with bounds (each step projected onto them), a
// central-difference Jacobian, and standard errors from the covariance σ² (JᵀJ)⁻¹ at the optimum.
import { parseDecimal } from './decimal.js';
import { pulseSourceExcess_mM, constantSourceExcess_mM, type Medium } from './analytic.js';
import { iontophoresisRate_mol_per_ms } from './units.js';

/** The experiment behind a curve. */
export interface RtiExperiment {
  /** Electrode distance (µm). */
  r_um: number;
  /** Iontophoretic current (nA) and transport number n (dimensionless). */
  current_nA: number;
  transport_number: number;
  /** Free diffusion coefficient of the probe ion (µm²/ms); TMA⁺ ≈ 1.3 at 37 °C. */
  D_um2_per_ms: number;
  valence?: number;
  /** Start of the current step (ms; default 0) and its length (ms; default: to the end of the record). */
  pulse_start_ms?: number;
  pulse_ms?: number;
  /** Baseline (mM); default: the mean of the samples before the pulse. */
  baseline_mM?: number;
}

/** A fitted parameter: value, standard error and 95% confidence interval (value ± 1.96 SE). */
export interface FittedValue {
  value: number;
  standard_error: number;
  ci95: [number, number];
}

/** What every fit reports besides its parameters. */
export interface FitQuality {
  baseline_mM: number;
  /** Root-mean-square residual (mM). */
  residual: number;
  /** RMS residual over the peak excess. */
  residual_relative: number;
  points: number;
  iterations: number;
  converged: boolean;
  /** Sentences for the user: parameters that the record does not determine, bounds that were hit. */
  warnings: string[];
}

export interface RtiFit extends FitQuality {
  alpha: number;
  lambda: number;
  k_ecs_per_ms: number;
  alpha_standard_error: number;
  lambda_standard_error: number;
  k_ecs_per_ms_standard_error: number;
  parameters: Record<string, FittedValue>;
}

export interface AgaroseFit extends FitQuality {
  transport_number: FittedValue;
  D_um2_per_ms: FittedValue;
}

/** A curve that cannot be fitted: the message says why. */
export class CurveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CurveError';
  }
}

/**
 * Reads a curve from CSV text with a header naming the columns t_ms and c_mM (others are ignored);
 * blank lines are skipped. Throws CurveError naming the line of any problem.
 */
export function parseCurveCsv(text: string): { time_ms: number[]; c_mM: number[] } {
  const lines = text.split(/\r?\n/).map((content, index) => ({ content: content.trim(), number: index + 1 }))
    .filter((line) => line.content !== '');
  if (lines.length === 0) throw new CurveError('the file is empty: expected a header line t_ms,c_mM');
  const header = lines[0].content.split(',').map((name) => name.trim());
  const timeColumn = header.indexOf('t_ms'), valueColumn = header.indexOf('c_mM');
  if (timeColumn < 0 || valueColumn < 0) throw new CurveError(`needs columns t_ms and c_mM; the header has ${header.join(', ')}`);
  const time_ms: number[] = [], c_mM: number[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.content.split(',');
    const [t, c] = [cells[timeColumn], cells[valueColumn]].map((cell) => (cell === undefined ? NaN : parseDecimal(cell) ?? NaN));
    if (!Number.isFinite(t) || !Number.isFinite(c)) {
      throw new CurveError(`line ${line.number}: "${line.content}" does not hold numbers in t_ms and c_mM`);
    }
    time_ms.push(t);
    c_mM.push(c);
  }
  return { time_ms, c_mM };
}

/** Fewest samples after the pulse starts that a fit accepts. */
const MIN_POINTS = 10;

/** The excess (mM) the model predicts at t (ms) for a medium, given the experiment. */
export function rtiModel_mM(medium: Medium, experiment: RtiExperiment, t_ms: number): number {
  const rate = iontophoresisRate_mol_per_ms(experiment.current_nA, experiment.transport_number, experiment.valence ?? 1);
  const t = t_ms - (experiment.pulse_start_ms ?? 0);
  return experiment.pulse_ms === undefined
    ? constantSourceExcess_mM(medium, rate, experiment.r_um, t)
    : pulseSourceExcess_mM(medium, rate, experiment.r_um, t, experiment.pulse_ms);
}

/** Checks the samples and finds the baseline; the excess curve after the pulse start. */
function prepare(time_ms: readonly number[], c_mM: readonly number[], experiment: RtiExperiment) {
  if (time_ms.length !== c_mM.length) throw new CurveError(`t_ms has ${time_ms.length} values but c_mM has ${c_mM.length}`);
  time_ms.forEach((t, index) => {
    if (!Number.isFinite(t) || !Number.isFinite(c_mM[index])) throw new CurveError(`sample ${index + 1} is not a pair of finite numbers`);
    if (index > 0 && !(t > time_ms[index - 1])) throw new CurveError(`t_ms must increase: sample ${index + 1} (${t} ms) follows ${time_ms[index - 1]} ms`);
  });
  const start = experiment.pulse_start_ms ?? 0;
  const before = c_mM.filter((_, index) => time_ms[index] < start);
  let baseline = experiment.baseline_mM;
  if (baseline === undefined) {
    if (before.length === 0) {
      throw new CurveError(`no samples before the pulse start (${start} ms) to take the baseline from: give the baseline or record before the pulse`);
    }
    baseline = before.reduce((a, b) => a + b, 0) / before.length;
  }
  const times: number[] = [], excess: number[] = [];
  time_ms.forEach((t, index) => {
    if (t > start) {
      times.push(t);
      excess.push(c_mM[index] - baseline!);
    }
  });
  if (times.length < MIN_POINTS) {
    throw new CurveError(`only ${times.length} samples after the pulse start; at least ${MIN_POINTS} are needed`);
  }
  const peak = Math.max(...excess);
  const noise = before.length > 2 ? Math.sqrt(before.reduce((s, c) => s + (c - baseline!) ** 2, 0) / (before.length - 1)) : 0;
  if (!(peak > 0) || (noise > 0 && peak < 5 * noise)) {
    throw new CurveError(`no pulse: the concentration never rises clearly above the baseline ${baseline.toPrecision(4)} mM ` +
      `(largest excess ${peak.toPrecision(3)} mM${noise > 0 ? `, baseline noise ${noise.toPrecision(3)} mM` : ''})`);
  }
  return { times, excess, baseline, peak };
}

interface Bounds {
  low: number[];
  high: number[];
}

/**
 * Levenberg–Marquardt on residuals(p) with box bounds. Returns the optimum, its Jacobian, the sum
 * of squared residuals, and the iteration count.
 */
function levenbergMarquardt(residuals: (p: number[]) => number[], start: number[], bounds: Bounds, steps: number[]) {
  const clamp = (p: number[]) => p.map((v, i) => Math.min(bounds.high[i], Math.max(bounds.low[i], v)));
  const sumSquares = (r: number[]) => r.reduce((s, v) => s + v * v, 0);
  const jacobian = (p: number[]) => p.map((_, j) => {
    const up = [...p], down = [...p];
    up[j] = Math.min(bounds.high[j], p[j] + steps[j]);
    down[j] = Math.max(bounds.low[j], p[j] - steps[j]);
    const rUp = residuals(up), rDown = residuals(down);
    return rUp.map((v, i) => (v - rDown[i]) / (up[j] - down[j]));
  });
  let p = clamp(start);
  let r = residuals(p);
  let cost = sumSquares(r);
  let damping = 1e-3;
  let iterations = 0, converged = false;
  for (; iterations < 200 && !converged; iterations++) {
    const J = jacobian(p);
    const n = p.length;
    const A = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => J[a].reduce((s, v, i) => s + v * J[b][i], 0)));
    const g = Array.from({ length: n }, (_, a) => J[a].reduce((s, v, i) => s + v * r[i], 0));
    let improved = false;
    for (let attempt = 0; attempt < 30 && !improved; attempt++) {
      const damped = A.map((row, a) => row.map((v, b) => (a === b ? v * (1 + damping) + 1e-300 : v)));
      const delta = solve(damped, g.map((v) => -v));
      if (!delta) {
        damping *= 10;
        continue;
      }
      const trial = clamp(p.map((v, i) => v + delta[i]));
      const trialResiduals = residuals(trial);
      const trialCost = sumSquares(trialResiduals);
      if (trialCost < cost) {
        const change = Math.max(...trial.map((v, i) => Math.abs(v - p[i]) / Math.max(Math.abs(v), steps[i])));
        converged = (cost - trialCost) / cost < 1e-12 || change < 1e-9;
        p = trial;
        r = trialResiduals;
        cost = trialCost;
        damping = Math.max(damping / 10, 1e-12);
        improved = true;
      } else {
        damping *= 10;
      }
    }
    if (!improved) converged = true;
  }
  return { p, r, cost, J: jacobian(p), iterations, converged };
}

/** Solves A x = b (small, dense) by Gaussian elimination with partial pivoting; null if singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const m = A.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) pivot = row;
    if (!(Math.abs(m[pivot][col]) > 1e-300)) return null;
    [m[col], m[pivot]] = [m[pivot], m[col]];
    for (let row = col + 1; row < n; row++) {
      const factor = m[row][col] / m[col][col];
      for (let k = col; k <= n; k++) m[row][k] -= factor * m[col][k];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    let sum = m[row][n];
    for (let k = row + 1; k < n; k++) sum -= m[row][k] * x[k];
    x[row] = sum / m[row][row];
  }
  return x;
}

/** Inverse of a small symmetric matrix, column by column; null if singular. */
function inverse(A: number[][]): number[][] | null {
  const n = A.length;
  const columns: number[][] = [];
  for (let j = 0; j < n; j++) {
    const column = solve(A, Array.from({ length: n }, (_, i) => (i === j ? 1 : 0)));
    if (!column) return null;
    columns.push(column);
  }
  return A.map((_, i) => columns.map((column) => column[i]));
}

/** Standard errors and correlations of the parameters from the Jacobian at the optimum. */
function uncertainties(J: number[][], cost: number, points: number) {
  const n = J.length;
  const variance = cost / Math.max(1, points - n);
  const A = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => J[a].reduce((s, v, i) => s + v * J[b][i], 0)));
  const covariance = inverse(A);
  if (!covariance) return { errors: new Array<number>(n).fill(Infinity), correlation: (_a: number, _b: number) => 1 };
  const errors = covariance.map((row, i) => Math.sqrt(Math.max(0, row[i] * variance)));
  return {
    errors,
    correlation: (a: number, b: number) => covariance[a][b] / Math.sqrt(covariance[a][a] * covariance[b][b]),
  };
}

function fitted(value: number, error: number): FittedValue {
  return { value, standard_error: error, ci95: [value - 1.96 * error, value + 1.96 * error] };
}

/** Bounds of the fit: α (0.01, 1], λ [1, 3], k′ [0, 0.01] /ms. */
export const RTI_BOUNDS = { alpha: [0.01, 1], lambda: [1, 3], k_ecs_per_ms: [0, 0.01] } as const;

/**
 * Fits α, λ and k′ to a measured RTI curve (t_ms, c_mM). The curve after the pulse start is fitted
 * in excess over the baseline; k′ is fitted in 1/s internally for conditioning.
 */
export function fitRti(time_ms: readonly number[], c_mM: readonly number[], experiment: RtiExperiment): RtiFit {
  const { times, excess, baseline, peak } = prepare(time_ms, c_mM, experiment);
  const medium = (p: number[]): Medium => ({ alpha: p[0], lambda: p[1], D_um2_per_ms: experiment.D_um2_per_ms, k_ecs_per_ms: p[2] / 1000 });
  const residuals = (p: number[]) => times.map((t, i) => rtiModel_mM(medium(p), experiment, t) - excess[i]);
  const bounds: Bounds = {
    low: [RTI_BOUNDS.alpha[0], RTI_BOUNDS.lambda[0], RTI_BOUNDS.k_ecs_per_ms[0] * 1000],
    high: [RTI_BOUNDS.alpha[1], RTI_BOUNDS.lambda[1], RTI_BOUNDS.k_ecs_per_ms[1] * 1000],
  };
  // Start from typical brain values; a coarse grid over λ picks the best start for the time scale.
  let start = [0.2, 1.6, 0.005];
  let best = Infinity;
  for (const lambda of [1.2, 1.4, 1.6, 1.8, 2.0, 2.3]) {
    const unitAmplitude = times.map((t) => rtiModel_mM(medium([1, lambda, 0.005]), experiment, t));
    const scale = unitAmplitude.reduce((s, v, i) => s + v * excess[i], 0) / unitAmplitude.reduce((s, v) => s + v * v, 0);
    const alpha = Math.min(1, Math.max(0.01, 1 / scale));
    const cost = residuals([alpha, lambda, 0.005]).reduce((s, v) => s + v * v, 0);
    if (cost < best) {
      best = cost;
      start = [alpha, lambda, 0.005];
    }
  }
  const result = levenbergMarquardt(residuals, start, bounds, [1e-5, 1e-5, 1e-5]);
  const { errors, correlation } = uncertainties(result.J, result.cost, times.length);
  const [alpha, lambda, kPerSecond] = result.p;
  const warnings: string[] = [];
  const k_ecs_per_ms = kPerSecond / 1000, kError = errors[2] / 1000;
  if (!(kError < 0.5 * Math.max(k_ecs_per_ms, 1e-12))) {
    warnings.push(`k′ is not identifiable from this record (k′ = ${k_ecs_per_ms.toExponential(2)} ± ${kError.toExponential(2)} /ms): ` +
      'record longer, or after the pulse, to see clearance');
  }
  if (Math.abs(correlation(0, 1)) > 0.98) warnings.push(`α and λ are strongly correlated (r = ${correlation(0, 1).toFixed(3)}): their errors are not independent`);
  result.p.forEach((value, index) => {
    const name = ['α', 'λ', 'k′'][index];
    if (index < 2 && (value <= bounds.low[index] * (1 + 1e-9) || value >= bounds.high[index] * (1 - 1e-9))) {
      warnings.push(`${name} ended at its bound (${value}); the model may not describe this curve`);
    }
  });
  if (!result.converged) warnings.push('the fit did not converge within 200 iterations');
  const rms = Math.sqrt(result.cost / times.length);
  return {
    alpha, lambda, k_ecs_per_ms,
    alpha_standard_error: errors[0], lambda_standard_error: errors[1], k_ecs_per_ms_standard_error: kError,
    parameters: { alpha: fitted(alpha, errors[0]), lambda: fitted(lambda, errors[1]), k_ecs_per_ms: fitted(k_ecs_per_ms, kError) },
    baseline_mM: baseline, residual: rms, residual_relative: rms / peak, points: times.length,
    iterations: result.iterations, converged: result.converged, warnings,
  };
}

/**
 * Agarose calibration (α = λ = 1, k′ = 0): fits the transport number n and the free D, as labs do
 * before measuring in tissue. experiment.transport_number and D_um2_per_ms are the starting values.
 */
export function fitAgarose(time_ms: readonly number[], c_mM: readonly number[], experiment: RtiExperiment): AgaroseFit {
  const { times, excess, baseline, peak } = prepare(time_ms, c_mM, experiment);
  const residuals = (p: number[]) => times.map((t, i) =>
    rtiModel_mM({ alpha: 1, lambda: 1, D_um2_per_ms: p[1] }, { ...experiment, transport_number: p[0] }, t) - excess[i]);
  const result = levenbergMarquardt(residuals, [experiment.transport_number, experiment.D_um2_per_ms],
    { low: [1e-3, 1e-3], high: [1, 100] }, [1e-6, 1e-6]);
  const { errors } = uncertainties(result.J, result.cost, times.length);
  const rms = Math.sqrt(result.cost / times.length);
  const warnings = result.converged ? [] : ['the fit did not converge within 200 iterations'];
  return {
    transport_number: fitted(result.p[0], errors[0]), D_um2_per_ms: fitted(result.p[1], errors[1]),
    baseline_mM: baseline, residual: rms, residual_relative: rms / peak, points: times.length,
    iterations: result.iterations, converged: result.converged, warnings,
  };
}
