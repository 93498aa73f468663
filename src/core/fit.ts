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
  /** Always true in a returned fit: one that does not converge throws FitError. */
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
 * A fit that ran on valid numbers but does not determine its parameters: it did not converge, a
 * standard error or interval is not finite or spans the whole search range, or the model for the
 * experiment cannot come near the curve. The message starts "fit failed: ".
 */
export class FitError extends CurveError {
  constructor(message: string) {
    super(`fit failed: ${message}`);
    this.name = 'FitError';
  }
}

/** An allowed range for a number of the experiment: low < value (or ≤ when lowIncluded) and value ≤ high. */
export interface ExperimentRange {
  low: number;
  lowIncluded: boolean;
  high: number;
  unit: string;
}

/** Search ranges of the agarose calibration: transport number n [0.001, 1], free D [0.001, 100] µm²/ms. */
export const AGAROSE_BOUNDS = { transport_number: [1e-3, 1], D_um2_per_ms: [1e-3, 100] } as const;

/**
 * The ranges the experiment's numbers must lie in. D is limited to the range the agarose fit
 * searches, so a starting value is never outside it and a fixed D is one the fit could have found.
 */
export const EXPERIMENT_RANGES: Record<'r_um' | 'current_nA' | 'transport_number' | 'D_um2_per_ms' | 'pulse_ms', ExperimentRange> = {
  r_um: { low: 0, lowIncluded: false, high: Infinity, unit: 'µm' },
  current_nA: { low: 0, lowIncluded: false, high: Infinity, unit: 'nA' },
  transport_number: { low: 0, lowIncluded: false, high: 1, unit: 'dimensionless' },
  D_um2_per_ms: { low: AGAROSE_BOUNDS.D_um2_per_ms[0], lowIncluded: true, high: AGAROSE_BOUNDS.D_um2_per_ms[1], unit: 'µm²/ms' },
  pulse_ms: { low: 0, lowIncluded: false, high: Infinity, unit: 'ms' },
};

/** Why value is outside range ("must be > 0 and ≤ 1 (dimensionless)"), or null if it is inside. */
export function rangeProblem(range: ExperimentRange, value: number): string | null {
  const aboveLow = range.lowIncluded ? value >= range.low : value > range.low;
  if (Number.isFinite(value) && aboveLow && value <= range.high) return null;
  const low = `${range.lowIncluded ? '≥' : '>'} ${range.low}`;
  const allowed = range.lowIncluded && Number.isFinite(range.high) ? `from ${range.low} to ${range.high}`
    : Number.isFinite(range.high) ? `${low} and ≤ ${range.high}` : low;
  return `must be ${allowed} (${range.unit})`;
}

/** Throws CurveError naming the first number of the experiment that is outside its range. */
export function checkExperiment(experiment: RtiExperiment): void {
  for (const [key, range] of Object.entries(EXPERIMENT_RANGES) as [keyof typeof EXPERIMENT_RANGES, ExperimentRange][]) {
    const value = experiment[key];
    if (value === undefined && key === 'pulse_ms') continue;
    const problem = rangeProblem(range, value as number);
    if (problem) throw new CurveError(`${key} = ${value}: ${problem}`);
  }
  for (const key of ['pulse_start_ms', 'baseline_mM'] as const) {
    const value = experiment[key];
    if (value !== undefined && !Number.isFinite(value)) throw new CurveError(`${key} = ${value}: must be a finite number (${key === 'baseline_mM' ? 'mM' : 'ms'})`);
  }
  const valence = experiment.valence;
  if (valence !== undefined && !(Number.isInteger(valence) && valence !== 0)) {
    throw new CurveError(`valence = ${valence}: must be a non-zero integer (elementary charges)`);
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
    if (time_ms.length < MIN_POINTS) {
      throw new CurveError(`the curve has only ${time_ms.length} samples; at least ${MIN_POINTS} are needed after the pulse start`);
    }
    // Six digits, rounded down so that every start the message allows does work.
    const limit = time_ms[time_ms.length - MIN_POINTS], rounded = Number(limit.toPrecision(6));
    throw new CurveError(`pulse_start_ms = ${start}: only ${times.length} samples follow the pulse start and at least ${MIN_POINTS} ` +
      `are needed: it must be < ${rounded <= limit ? rounded : limit} ms`);
  }
  // A loop, not Math.max(...excess): spreading a long record into a call overflows the stack.
  const peak = largest(excess);
  const noise = before.length > 2 ? Math.sqrt(before.reduce((s, c) => s + (c - baseline!) ** 2, 0) / (before.length - 1)) : 0;
  if (!(peak > 0) || (noise > 0 && peak < 5 * noise)) {
    throw new CurveError(`no pulse: the concentration never rises clearly above the baseline ${baseline.toPrecision(4)} mM ` +
      `(largest excess ${peak.toPrecision(3)} mM${noise > 0 ? `, baseline noise ${noise.toPrecision(3)} mM` : ''})`);
  }
  return { times, excess, baseline, peak };
}

/** The largest of values (−Infinity if none), by a loop: Math.max(...values) overflows the stack on long records. */
function largest(values: readonly number[]): number {
  let most = -Infinity;
  for (const value of values) if (value > most || Number.isNaN(value)) most = value;
  return most;
}

interface Bounds {
  low: number[];
  high: number[];
}

const MAX_ITERATIONS = 200;

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
  for (; iterations < MAX_ITERATIONS && !converged; iterations++) {
    const J = jacobian(p);
    const n = p.length;
    const A = Array.from({ length: n }, (_, a) => Array.from({ length: n }, (_, b) => J[a].reduce((s, v, i) => s + v * J[b][i], 0)));
    const g = Array.from({ length: n }, (_, a) => J[a].reduce((s, v, i) => s + v * r[i], 0));
    // A parameter on a bound that the descent direction pushes outward is held there: left in the
    // system, its step would be cut off by the projection and spoil the others' steps, and the fit
    // would creep along the bound without converging.
    const held = p.map((v, i) => (v <= bounds.low[i] && g[i] > 0) || (v >= bounds.high[i] && g[i] < 0));
    let improved = false;
    for (let attempt = 0; attempt < 30 && !improved; attempt++) {
      const damped = A.map((row, a) => row.map((v, b) => (held[a] || held[b] ? (a === b ? 1 : 0)
        : a === b ? v * (1 + damping) + 1e-300 : v)));
      const delta = solve(damped, g.map((v, i) => (held[i] ? 0 : -v)));
      if (!delta) {
        damping *= 10;
        continue;
      }
      const trial = clamp(p.map((v, i) => v + delta[i]));
      const trialResiduals = residuals(trial);
      const trialCost = sumSquares(trialResiduals);
      if (trialCost < cost) {
        const change = largest(trial.map((v, i) => Math.abs(v - p[i]) / Math.max(Math.abs(v), steps[i])));
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
  // A negative variance on the diagonal means JᵀJ is singular to rounding: the parameter is
  // undetermined, not known exactly, so it must not become a standard error of 0.
  const errors = covariance.map((row, i) => (row[i] >= 0 ? Math.sqrt(row[i] * variance) : Infinity));
  return {
    errors,
    correlation: (a: number, b: number) => covariance[a][b] / Math.sqrt(covariance[a][a] * covariance[b][b]),
  };
}

function fitted(value: number, error: number): FittedValue {
  return { value, standard_error: error, ci95: [value - 1.96 * error, value + 1.96 * error] };
}

/** A fitted parameter as the messages name it; scale turns the fit's internal value into unit. */
interface Parameter {
  name: string;
  unit: string;
  scale: number;
  /** α, λ (n, D): the fit fails if the record does not determine them; k′ only gets a warning. */
  primary: boolean;
}

/** Four significant digits, without trailing zeros ("0.01", "1.332e+8"). */
function short(value: number): string {
  return String(Number(value.toPrecision(4)));
}

/**
 * Throws FitError unless the fit converged, its residual, values and standard errors are finite,
 * and the 95% interval of each primary parameter is narrower than its whole search range.
 */
function checkFit(result: { p: number[]; converged: boolean }, errors: number[], bounds: Bounds, parameters: Parameter[], rms: number) {
  const values = parameters.map((parameter, i) => `${parameter.name} ${short(result.p[i] * parameter.scale)}${parameter.unit}`).join(', ');
  if (!result.converged) throw new FitError(`did not converge within ${MAX_ITERATIONS} iterations (last values ${values})`);
  if (!Number.isFinite(rms)) throw new FitError(`the RMS residual is not finite (${rms} mM) at ${values}`);
  parameters.forEach((parameter, i) => {
    const { name, unit, scale } = parameter;
    const value = result.p[i] * scale, error = errors[i] * scale;
    const low = bounds.low[i] * scale, high = bounds.high[i] * scale;
    const stated = `${name} = ${short(value)} ± ${short(error)}${unit}`;
    if (!Number.isFinite(value) || !Number.isFinite(error)) {
      throw new FitError(`the record does not determine ${name} (${stated}): the curve does not tell ${name} apart from the other ` +
        'parameters; record the rise and the fall, and check the experiment (r_um, current_nA, transport_number, D_um2_per_ms, pulse_ms)');
    }
    if (parameter.primary && 2 * 1.96 * error > high - low) {
      throw new FitError(`the record does not determine ${name} (${stated}): its 95% interval is wider than the whole search range ` +
        `${short(low)} to ${short(high)}${unit}`);
    }
  });
}

/** One warning per parameter that ended on (or within a millionth of the range of) a bound of its search range. */
function boundWarnings(p: number[], bounds: Bounds, parameters: Parameter[]): string[] {
  const warnings: string[] = [];
  parameters.forEach(({ name, unit, scale }, i) => {
    // Steps are projected onto the box, so a pinned parameter sits exactly on the bound; the margin
    // also catches one that stopped a hair inside.
    const margin = 1e-6 * (bounds.high[i] - bounds.low[i]);
    const side = p[i] <= bounds.low[i] + margin ? 'lower' : p[i] >= bounds.high[i] - margin ? 'upper' : null;
    if (side) {
      warnings.push(`${name} = ${short(p[i] * scale)}${unit} ended on the ${side} bound of its search range ` +
        `(${short(bounds.low[i] * scale)} to ${short(bounds.high[i] * scale)}${unit}): the best fit may lie outside the range, ` +
        'or the model may not describe the curve; its interval is not reliable');
    }
  });
  return warnings;
}

/**
 * Model curves further than this factor beyond anything the search range can produce mean the
 * experiment's numbers do not belong to the curve: inside the factor the fit ends on a bound and
 * warns; beyond it, every parameter in range leaves most of the curve unexplained.
 */
const REACH = 10;

/** Throws FitError if the largest (smallest) peak the model can predict is far below (above) the curve's peak. */
function checkReach(most: number, least: number, peak: number, setting: string, over: string) {
  const check = `check the experiment (${setting})`;
  const amount = (value: number) => `${Number(value.toPrecision(3))} mM`;
  if (!Number.isFinite(most) || !Number.isFinite(least)) throw new FitError(`the model is not a finite number at the electrode: ${check}`);
  if (most < peak / REACH) {
    throw new FitError(`the model predicts at most ${amount(most)} at the electrode for any ${over} in the search range, ` +
      `less than a tenth of the ${amount(peak)} the curve rises: ${check}`);
  }
  if (least > peak * REACH) {
    throw new FitError(`the model predicts at least ${amount(least)} at the electrode for any ${over} in the search range, ` +
      `more than ten times the ${amount(peak)} the curve rises: ${check}`);
  }
}

/** The experiment's numbers that set the model's height; n and D only where they are given, not fitted. */
function describeExperiment(experiment: RtiExperiment, withTransportAndD: boolean): string {
  return [`r_um = ${experiment.r_um} µm`, `current_nA = ${experiment.current_nA} nA`,
    ...(withTransportAndD ? [`transport_number = ${experiment.transport_number}`, `D_um2_per_ms = ${experiment.D_um2_per_ms} µm²/ms`] : []),
    experiment.pulse_ms === undefined ? 'current on to the end' : `pulse_ms = ${experiment.pulse_ms} ms`].join(', ');
}

/** Bounds of the fit: α (0.01, 1], λ [1, 3], k′ [0, 0.01] /ms. */
export const RTI_BOUNDS = { alpha: [0.01, 1], lambda: [1, 3], k_ecs_per_ms: [0, 0.01] } as const;

const RTI_PARAMETERS: Parameter[] = [
  { name: 'α', unit: '', scale: 1, primary: true },
  { name: 'λ', unit: '', scale: 1, primary: true },
  // The fit works in k′ per second for conditioning; messages show it per ms.
  { name: 'k′', unit: ' /ms', scale: 1e-3, primary: false },
];

/**
 * Fits α, λ and k′ to a measured RTI curve (t_ms, c_mM). The curve after the pulse start is fitted
 * in excess over the baseline; k′ is fitted in 1/s internally for conditioning. Throws CurveError
 * for input that cannot be fitted, and FitError (a CurveError) when the fit does not determine α and λ.
 */
export function fitRti(time_ms: readonly number[], c_mM: readonly number[], experiment: RtiExperiment): RtiFit {
  checkExperiment(experiment);
  const { times, excess, baseline, peak } = prepare(time_ms, c_mM, experiment);
  const medium = (p: number[]): Medium => ({ alpha: p[0], lambda: p[1], D_um2_per_ms: experiment.D_um2_per_ms, k_ecs_per_ms: p[2] / 1000 });
  const residuals = (p: number[]) => times.map((t, i) => rtiModel_mM(medium(p), experiment, t) - excess[i]);
  const bounds: Bounds = {
    low: [RTI_BOUNDS.alpha[0], RTI_BOUNDS.lambda[0], RTI_BOUNDS.k_ecs_per_ms[0] * 1000],
    high: [RTI_BOUNDS.alpha[1], RTI_BOUNDS.lambda[1], RTI_BOUNDS.k_ecs_per_ms[1] * 1000],
  };
  // The model is proportional to 1/α, so curves at α = 1 scale to every α; the most concentrated
  // curve has the smallest α and no uptake, the least the largest α and the fastest uptake.
  const atAlphaOne = (lambda: number, kPerSecond: number) => times.map((t) => rtiModel_mM(medium([1, lambda, kPerSecond]), experiment, t));
  let most = -Infinity, least = Infinity;
  for (let step = 0; step <= 4; step++) {
    const lambda = bounds.low[1] + (step / 4) * (bounds.high[1] - bounds.low[1]);
    most = Math.max(most, largest(atAlphaOne(lambda, bounds.low[2])) / bounds.low[0]);
    least = Math.min(least, largest(atAlphaOne(lambda, bounds.high[2])) / bounds.high[0]);
  }
  checkReach(most, least, peak, describeExperiment(experiment, true), 'α, λ and k′');
  // Start from typical brain values; a coarse grid over λ picks the best start for the time scale.
  let start = [0.2, 1.6, 0.005];
  let best = Infinity;
  for (const lambda of [1.2, 1.4, 1.6, 1.8, 2.0, 2.3]) {
    const unitAmplitude = atAlphaOne(lambda, 0.005);
    const scale = unitAmplitude.reduce((s, v, i) => s + v * excess[i], 0) / unitAmplitude.reduce((s, v) => s + v * v, 0);
    const alpha = Math.min(1, Math.max(0.01, 1 / scale));
    const cost = unitAmplitude.reduce((s, v, i) => s + (v / alpha - excess[i]) ** 2, 0);
    if (cost < best) {
      best = cost;
      start = [alpha, lambda, 0.005];
    }
  }
  const result = levenbergMarquardt(residuals, start, bounds, [1e-5, 1e-5, 1e-5]);
  const { errors, correlation } = uncertainties(result.J, result.cost, times.length);
  const rms = Math.sqrt(result.cost / times.length);
  checkFit(result, errors, bounds, RTI_PARAMETERS, rms);
  const [alpha, lambda, kPerSecond] = result.p;
  const warnings: string[] = [];
  const k_ecs_per_ms = kPerSecond / 1000, kError = errors[2] / 1000;
  if (!(kError < 0.5 * Math.max(k_ecs_per_ms, 1e-12))) {
    warnings.push(`k′ is not identifiable from this record (k′ = ${k_ecs_per_ms.toExponential(2)} ± ${kError.toExponential(2)} /ms): ` +
      'record longer, or after the pulse, to see clearance');
  }
  if (Math.abs(correlation(0, 1)) > 0.98) warnings.push(`α and λ are strongly correlated (r = ${correlation(0, 1).toFixed(3)}): their errors are not independent`);
  for (const warning of boundWarnings(result.p, bounds, RTI_PARAMETERS)) warnings.push(warning);
  return {
    alpha, lambda, k_ecs_per_ms,
    alpha_standard_error: errors[0], lambda_standard_error: errors[1], k_ecs_per_ms_standard_error: kError,
    parameters: { alpha: fitted(alpha, errors[0]), lambda: fitted(lambda, errors[1]), k_ecs_per_ms: fitted(k_ecs_per_ms, kError) },
    baseline_mM: baseline, residual: rms, residual_relative: rms / peak, points: times.length,
    iterations: result.iterations, converged: result.converged, warnings,
  };
}

const AGAROSE_PARAMETERS: Parameter[] = [
  { name: 'n', unit: '', scale: 1, primary: true },
  { name: 'D', unit: ' µm²/ms', scale: 1, primary: true },
];

/**
 * Agarose calibration (α = λ = 1, k′ = 0): fits the transport number n and the free D, as labs do
 * before measuring in tissue. experiment.transport_number and D_um2_per_ms are the starting values.
 * Throws CurveError and FitError as fitRti does.
 */
export function fitAgarose(time_ms: readonly number[], c_mM: readonly number[], experiment: RtiExperiment): AgaroseFit {
  checkExperiment(experiment);
  const { times, excess, baseline, peak } = prepare(time_ms, c_mM, experiment);
  const predict = (p: number[]) => times.map((t) =>
    rtiModel_mM({ alpha: 1, lambda: 1, D_um2_per_ms: p[1] }, { ...experiment, transport_number: p[0] }, t));
  const residuals = (p: number[]) => predict(p).map((v, i) => v - excess[i]);
  const bounds: Bounds = {
    low: [AGAROSE_BOUNDS.transport_number[0], AGAROSE_BOUNDS.D_um2_per_ms[0]],
    high: [AGAROSE_BOUNDS.transport_number[1], AGAROSE_BOUNDS.D_um2_per_ms[1]],
  };
  // The model is proportional to n; D sets both the height and the time scale, so it is scanned
  // over its range by decades.
  let most = -Infinity, least = Infinity;
  for (let D = bounds.low[1]; D <= bounds.high[1] * (1 + 1e-9); D *= 10) {
    const height = largest(predict([1, D]));
    most = Math.max(most, height * bounds.high[0]);
    least = Math.min(least, height * bounds.low[0]);
  }
  checkReach(most, least, peak, describeExperiment(experiment, false), 'n and D');
  const result = levenbergMarquardt(residuals, [experiment.transport_number, experiment.D_um2_per_ms], bounds, [1e-6, 1e-6]);
  const { errors } = uncertainties(result.J, result.cost, times.length);
  const rms = Math.sqrt(result.cost / times.length);
  checkFit(result, errors, bounds, AGAROSE_PARAMETERS, rms);
  return {
    transport_number: fitted(result.p[0], errors[0]), D_um2_per_ms: fitted(result.p[1], errors[1]),
    baseline_mM: baseline, residual: rms, residual_relative: rms / peak, points: times.length,
    iterations: result.iterations, converged: result.converged, warnings: boundWarnings(result.p, bounds, AGAROSE_PARAMETERS),
  };
}
