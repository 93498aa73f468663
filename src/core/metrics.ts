// Clearance metrics read off sampled curves.
//
// Time steps may be large (tens of ms on curves peaking at hundreds of ms) and unevenly spaced, so the
// read-outs interpolate with low-order polynomials through a few consecutive samples (Newton divided
// differences on non-uniform times, double precision) instead of a parabola or a straight line. The peak
// uses the quartic through the five samples centred on the largest one: for a smooth curve and local
// spacing h its slope is within O(h⁴) of the curve's, so the peak time is O(h⁴) and the peak value O(h⁵).
// A crossing time on a falling flank uses the cubic through four samples, within O(h⁴) of the curve: the
// crossing is O(h⁴). On a point-source curve sampled irregularly at 20 samples per peak time the worst
// cases measured are 7.8e-6 relative in peak time, 2.7e-7 in peak value and 8e-7 in a crossing (cubic
// peak: 1.5e-4 in time, 3.5e-6 in value; parabola: 1.7e-3 in peak time; line: 7.6e-4 in a crossing); the
// peak time is 4.1e-6 at 25 samples per peak time and converges at order 4 (test/core/metrics.test.ts).
import type { Landmarks } from './series.js';

/** Metrics of one probe. Times in ms, concentrations in mM. */
export interface ProbeMetrics {
  name: string;
  position_um: [number, number, number];
  /** Concentration at t = 0 (mM). */
  baseline_mM: number;
  /** Largest concentration (mM), refined by local quartic interpolation around the largest sample (see peakOf). */
  peak_mM: number;
  /** Time of the peak (ms), from the same refinement (see peakOf). */
  t_peak_ms: number;
  /** Time from the peak until the excess over baseline first falls to half the peak excess (ms), or null. */
  t_half_ms: number | null;
  /** Concentration at the last sample (mM). */
  final_mM: number;
}

/** Clearance of the total excess amount in the tissue. */
export interface ExcessClearance {
  /** Time from the peak of the total excess until it first falls to half that peak (ms), or null. */
  excess_half_time_ms: number | null;
  /** The same to a tenth (ms), or null. */
  excess_tenth_time_ms: number | null;
}

/**
 * The cubic through samples start … start + 3, written in the power basis of s = (t − times[left]) / width
 * on the interval [times[left], times[left + 1]] (width = its length): p(s) = c0 + c1·s + c2·s² + c3·s³.
 * Scaling to s ∈ [0, 1] keeps the coefficients comparable in size, so the power basis loses little to
 * round-off. Null when a time or value is not finite or the times do not strictly increase (divided
 * differences would divide by zero).
 */
interface LocalCubic {
  tLeft: number;
  width: number;
  c: [number, number, number, number];
}

function localCubic(times: Float64Array, values: Float64Array, start: number, left: number): LocalCubic | null {
  const tLeft = times[left];
  const width = times[left + 1] - tLeft;
  if (!(width > 0) || !Number.isFinite(width)) return null;
  const z = [0, 0, 0, 0];
  const d = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) {
    const t = times[start + i];
    const y = values[start + i];
    if (!Number.isFinite(t) || !Number.isFinite(y)) return null;
    if (i > 0 && !(t > times[start + i - 1])) return null;
    z[i] = (t - tLeft) / width;
    d[i] = y;
  }
  const c = powerBasis(z, d) as [number, number, number, number];
  if (!c.every(Number.isFinite)) return null;
  return { tLeft, width, c };
}

/**
 * Power-basis coefficients c0 … c(n−1) of the polynomial of degree n − 1 through (z[i], d[i]), i < n (z strictly
 * increasing): divided differences in place (d[k] becomes y[z0 … zk]), then the Newton form
 * d0 + d1(s − z0) + … + d(n−1)(s − z0)…(s − z(n−2)) expanded by Horner: q ← q·(s − z_k) + d_k for
 * k = n − 2 … 0, starting from q = d(n−1). Overwrites d.
 */
function powerBasis(z: number[], d: number[]): number[] {
  const n = d.length;
  for (let order = 1; order < n; order++) {
    for (let i = n - 1; i >= order; i--) d[i] = (d[i] - d[i - 1]) / (z[i] - z[i - order]);
  }
  const c = new Array<number>(n).fill(0);
  c[0] = d[n - 1];
  for (let k = n - 2; k >= 0; k--) {
    for (let j = n - 1; j >= 1; j--) c[j] = c[j - 1] - z[k] * c[j];
    c[0] = d[k] - z[k] * c[0];
  }
  return c;
}

function evaluate(cubic: LocalCubic, s: number): number {
  const [c0, c1, c2, c3] = cubic.c;
  return ((c3 * s + c2) * s + c1) * s + c0;
}

/** Roots of p′(s) = 3c3·s² + 2c2·s + c1 strictly inside (0, 1), ascending (stable quadratic formula). */
function criticalPointsInside(cubic: LocalCubic): number[] {
  const [, c1, c2, c3] = cubic.c;
  const a = 3 * c3;
  const b = 2 * c2;
  const roots: number[] = [];
  if (a === 0) {
    if (b !== 0) roots.push(-c1 / b);
  } else {
    const discriminant = b * b - 4 * a * c1;
    if (discriminant >= 0) {
      const q = -0.5 * (b + (b >= 0 ? 1 : -1) * Math.sqrt(discriminant));
      if (q === 0) roots.push(0); // b = c1 = 0: p′ = a·s², double root at 0
      else roots.push(q / a, c1 / q);
    }
  }
  return roots.filter((s) => s > 0 && s < 1).sort((x, y) => x - y);
}

/** Window start for the interval [left, left + 1]: the four samples centred on it, clamped to the series. */
function windowStart(left: number, count: number): number {
  return Math.min(Math.max(left - 1, 0), count - 4);
}

/** Parabola through samples index − 1, index, index + 1 (divided differences), or null if not usable. */
function parabolaPeak(times: Float64Array, values: Float64Array, index: number): { time: number; value: number } | null {
  const [t0, t1, t2] = [times[index - 1], times[index], times[index + 1]];
  const [y0, y1, y2] = [values[index - 1], values[index], values[index + 1]];
  if (!(t0 < t1 && t1 < t2) || ![t0, t2, y0, y1, y2].every(Number.isFinite)) return null;
  const d01 = (y1 - y0) / (t1 - t0);
  const d12 = (y2 - y1) / (t2 - t1);
  const curvature = (d12 - d01) / (t2 - t0);
  if (!(curvature < 0)) return null;
  const slopeAtT1 = d01 + curvature * (t1 - t0);
  const shift = -slopeAtT1 / (2 * curvature);
  const time = t1 + shift;
  const value = y1 + slopeAtT1 * shift + curvature * shift * shift;
  return Number.isFinite(time) && Number.isFinite(value) ? { time, value } : null;
}

/**
 * The quartic through samples index − 2 … index + 2 in the variable s = (t − times[index]) / scale, with
 * scale half the window's length (so s runs over an interval of length 2 holding 0, and the power-basis
 * coefficients stay comparable in size): p(s) = c0 + c1·s + … + c4·s⁴, with the window's inner neighbours
 * at s = lo < 0 < hi. Null when a time or value in the window is not finite or the times do not strictly
 * increase.
 */
interface LocalQuartic {
  origin: number;
  scale: number;
  lo: number;
  hi: number;
  c: [number, number, number, number, number];
}

function localQuartic(times: Float64Array, values: Float64Array, index: number): LocalQuartic | null {
  const origin = times[index];
  const scale = 0.5 * (times[index + 2] - times[index - 2]);
  if (!(scale > 0) || !Number.isFinite(scale) || !Number.isFinite(origin)) return null;
  const z = [0, 0, 0, 0, 0];
  const d = [0, 0, 0, 0, 0];
  for (let i = 0; i < 5; i++) {
    const t = times[index - 2 + i];
    const y = values[index - 2 + i];
    if (!Number.isFinite(t) || !Number.isFinite(y)) return null;
    if (i > 0 && !(t > times[index - 3 + i])) return null;
    z[i] = (t - origin) / scale;
    d[i] = y;
  }
  const c = powerBasis(z, d) as [number, number, number, number, number];
  if (!c.every(Number.isFinite)) return null;
  return { origin, scale, lo: z[1], hi: z[3], c };
}

/**
 * The largest value of the quartic at its critical points in (lo, hi), with its s, or null if it has none
 * there. The roots of p″ (a quadratic, stable formula) split [lo, hi] into pieces on which p′ is monotone; a
 * maximum lies in a piece where p′ falls from > 0 to ≤ 0, and is found there by the safeguarded Illinois
 * iteration (fallingRoot), to 1e-13 in s. The split points themselves are candidates too (they hold any
 * critical point where p′ does not change sign within a piece); evaluating p at extra points in [lo, hi]
 * cannot miss the maximum, which is at one of these, at the sample (s = 0) or at an end (a sample no larger).
 */
function quarticMaximum(quartic: LocalQuartic): { s: number; value: number } | null {
  const [c0, c1, c2, c3, c4] = quartic.c;
  const { lo, hi } = quartic;
  const p = (s: number) => (((c4 * s + c3) * s + c2) * s + c1) * s + c0;
  const slope = (s: number) => ((4 * c4 * s + 3 * c3) * s + 2 * c2) * s + c1;
  // p″(s) = 12c4·s² + 6c3·s + 2c2.
  const a = 12 * c4;
  const b = 6 * c3;
  const cc = 2 * c2;
  const inflections: number[] = [];
  if (a === 0) {
    if (b !== 0) inflections.push(-cc / b);
  } else {
    const discriminant = b * b - 4 * a * cc;
    if (discriminant >= 0) {
      const q = -0.5 * (b + (b >= 0 ? 1 : -1) * Math.sqrt(discriminant));
      if (q === 0) inflections.push(0);
      else inflections.push(q / a, cc / q);
    }
  }
  const splits = inflections.filter((s) => s > lo && s < hi).sort((x, y) => x - y);
  const candidates = [...splits];
  const breakpoints = [lo, ...splits, hi];
  for (let piece = 0; piece + 1 < breakpoints.length; piece++) {
    const left = breakpoints[piece];
    const right = breakpoints[piece + 1];
    const gLeft = slope(left);
    const gRight = slope(right);
    if (gLeft > 0 && gRight <= 0) candidates.push(gRight === 0 ? right : fallingRoot(slope, left, gLeft, right, gRight));
  }
  let best: { s: number; value: number } | null = null;
  for (const s of candidates) {
    const value = p(s);
    if (Number.isFinite(value) && (best === null || value > best.value)) best = { s, value };
  }
  return best;
}

/**
 * The maximum of a sampled curve. Around the largest sample m, the quartic through the five samples
 * m − 2 … m + 2 (Newton divided differences on the non-uniform times, shifted to t_m and scaled to the
 * window) is maximised on [t_(m−1), t_(m+1)] (see quarticMaximum); the larger of that maximum and the sample
 * is returned. On a smooth peak with local spacing h the quartic's slope is within O(h⁴) of the curve's, so
 * the time is within O(h⁴) and the value within O(h⁵), at any spacing ratio (the cubic through four samples
 * gives O(h³) in time, the parabola through three O(h²)).
 *
 * Samples that are NaN are skipped when choosing m; a maximum at the first or last sample is returned as
 * that sample (the curve may still be rising or may have peaked before the record). With fewer than five
 * samples, with m next to an end (fewer than two samples on one side), or where the five-sample window
 * holds a non-finite value or repeated times, the cubic refinement stands in (cubicPeak: it falls back in
 * turn to the parabola, then the sample). An empty or all-NaN series gives value NaN.
 */
export function peakOf(times: Float64Array, values: Float64Array): { index: number; time: number; value: number } {
  const count = Math.min(times.length, values.length);
  let index = -1;
  for (let s = 0; s < count; s++) {
    const value = values[s];
    if (!Number.isNaN(value) && (index < 0 || value > values[index])) index = s;
  }
  if (index < 0) return { index: 0, time: count > 0 ? times[0] : NaN, value: NaN };
  const sample = { index, time: times[index], value: values[index] };
  if (index === 0 || index === count - 1) return sample;
  const quartic = index >= 2 && index + 2 < count ? localQuartic(times, values, index) : null;
  if (quartic === null) return cubicPeak(times, values, index, count);
  const maximum = quarticMaximum(quartic);
  if (maximum === null || !(maximum.value > sample.value)) return sample;
  const time = quartic.origin + maximum.s * quartic.scale;
  return Number.isFinite(time) ? { index, time, value: maximum.value } : sample;
}

/**
 * The fallback of peakOf at an interior largest sample `index` (0 < index < count − 1). With four samples or
 * more, each of the two intervals next to it gets the cubic through the four samples centred on it (clamped
 * at the series ends); the maximum of each cubic on its interval (a root of its derivative, or the sample
 * itself) is taken and the larger kept: time O(h³), value O(h⁴). Where a window holds a non-finite value or
 * repeated times, the parabola through the three samples around the sample (if usable) stands in for that
 * interval's cubic, else the sample. With three samples, the parabola, else the sample.
 */
function cubicPeak(
  times: Float64Array, values: Float64Array, index: number, count: number,
): { index: number; time: number; value: number } {
  const sample = { index, time: times[index], value: values[index] };
  if (count >= 4) {
    let best = sample;
    let cubics = 0;
    for (const left of [index - 1, index]) {
      const cubic = localCubic(times, values, windowStart(left, count), left);
      if (cubic === null) continue;
      cubics++;
      // The interval ends are samples no larger than values[index], so only interior critical points can
      // beat the sample.
      for (const s of criticalPointsInside(cubic)) {
        const value = evaluate(cubic, s);
        if (value > best.value) best = { index, time: cubic.tLeft + s * cubic.width, value };
      }
    }
    if (cubics === 2) return best;
    // One interval has no cubic (non-finite value or repeated time in its window): the parabola may
    // still find a peak on that side.
    const parabola = parabolaPeak(times, values, index);
    return parabola !== null && parabola.value > best.value ? { index, ...parabola } : best;
  }
  const parabola = parabolaPeak(times, values, index);
  return parabola === null ? sample : { index, ...parabola };
}

/**
 * A root of g on [a, b] where g(a) > 0 ≥ g(b) and g is monotone: Illinois (regula falsi with the stale end's
 * value halved), bisecting whenever two steps have not halved the bracket, to a width of 1e-13 (s units, so
 * 1e-13 of the sample interval).
 */
function fallingRoot(g: (s: number) => number, a: number, ga: number, b: number, gb: number): number {
  let stale = 0; // +1: the last step moved a; −1: it moved b
  let widthTwoStepsAgo = Infinity;
  let widthOneStepAgo = Infinity;
  for (let iteration = 0; iteration < 200 && b - a > 1e-13; iteration++) {
    const width = b - a;
    let s = (a * gb - b * ga) / (gb - ga);
    if (width > 0.5 * widthTwoStepsAgo || !(s > a && s < b)) s = 0.5 * (a + b);
    widthTwoStepsAgo = widthOneStepAgo;
    widthOneStepAgo = width;
    const gs = g(s);
    if (gs === 0) return s;
    if (gs > 0) {
      a = s;
      ga = gs;
      if (stale === 1) gb *= 0.5;
      stale = 1;
    } else {
      b = s;
      gb = gs;
      if (stale === -1) ga *= 0.5;
      stale = -1;
    }
  }
  return 0.5 * (a + b);
}

/**
 * First time after sample `from` at which values fall to threshold or below, or null. The first sample
 * s > from at or below the threshold, with the sample before it above, brackets the crossing; inside
 * [times[s − 1], times[s]] the crossing of the cubic through the four samples centred on that interval
 * (clamped at the series ends) is solved for, its first one if the cubic wiggles. On a smooth curve
 * falling at a non-zero rate the error is O(h⁴) for local spacing h (linear interpolation: O(h²)). With
 * fewer than four samples, or a window with non-finite values or repeated times, it interpolates linearly.
 * A sample equal to the threshold is returned exactly. If the sample before s is not above the threshold
 * (only possible for s = from + 1: the curve starts at or below it) or is NaN, there is no bracket and
 * times[s] is returned.
 */
export function firstFallTo(times: Float64Array, values: Float64Array, from: number, threshold: number): number | null {
  const count = Math.min(times.length, values.length);
  for (let s = Math.max(from + 1, 1); s < count; s++) {
    const after = values[s];
    if (!(after <= threshold)) continue;
    const before = values[s - 1];
    if (after === threshold || !(before > threshold)) return times[s];
    const left = s - 1;
    const cubic = count >= 4 ? localCubic(times, values, windowStart(left, count), left) : null;
    if (cubic === null) {
      const width = times[s] - times[left];
      if (!(width > 0)) return times[s];
      const fraction = (before - threshold) / (before - after);
      return times[left] + fraction * width;
    }
    // Breakpoints 0, critical points, 1 split the interval into pieces on which the cubic is monotone;
    // the first breakpoint at or below the threshold closes the piece holding the first crossing. The
    // ends use the samples themselves, so the bracket holds whatever round-off does to the cubic there.
    const g = (x: number) => evaluate(cubic, x) - threshold;
    let a = 0;
    let ga = before - threshold;
    for (const point of [...criticalPointsInside(cubic), 1]) {
      const gp = point === 1 ? after - threshold : g(point);
      if (gp > 0) {
        a = point;
        ga = gp;
        continue;
      }
      if (gp === 0) return point === 1 ? times[s] : cubic.tLeft + point * cubic.width;
      const root = fallingRoot(g, a, ga, point, gp);
      return cubic.tLeft + root * cubic.width;
    }
    return times[s]; // not reached: the last breakpoint is at or below the threshold
  }
  return null;
}

/** Metrics of a probe's curve (mM against ms). */
export function probeMetrics(
  name: string, position_um: [number, number, number], times: Float64Array, values: Float64Array,
): ProbeMetrics {
  const baseline = values.length > 0 ? values[0] : NaN;
  const peak = peakOf(times, values);
  const excess = peak.value - baseline;
  const halfTime = excess > 0 ? firstFallTo(times, values, peak.index, baseline + excess / 2) : null;
  return {
    name, position_um, baseline_mM: baseline, peak_mM: peak.value, t_peak_ms: peak.time,
    t_half_ms: halfTime === null ? null : halfTime - peak.time,
    final_mM: values.length > 0 ? values[values.length - 1] : NaN,
  };
}

/** Half and tenth clearance times of the total excess (any unit). */
export function excessClearance(times: Float64Array, totalExcess: Float64Array): ExcessClearance {
  const peak = peakOf(times, totalExcess);
  if (!(peak.value > 0)) return { excess_half_time_ms: null, excess_tenth_time_ms: null };
  const after = (fraction: number) => {
    const time = firstFallTo(times, totalExcess, peak.index, peak.value * fraction);
    return time === null ? null : time - peak.time;
  };
  return { excess_half_time_ms: after(0.5), excess_tenth_time_ms: after(0.1) };
}

/**
 * The samples the read-outs of a curve use (for TimeSeries thinning): the peak sample of peakOf and
 * the first sample after it at or below the threshold each read-out uses, baseline + fraction ×
 * (peak − baseline) with the refined peak, for each fraction. baseline: the first sample (probe
 * curves, as probeMetrics) or 0 (the total excess, as excessClearance).
 */
export function readoutLandmarks(fractions: readonly number[], baseline: 'first sample' | 'zero'): Landmarks {
  return (times, values) => {
    if (values.length === 0) return [];
    const peak = peakOf(times, values);
    const base = baseline === 'zero' ? 0 : values[0];
    const landmarks = [peak.index];
    for (const fraction of fractions) {
      const threshold = base + fraction * (peak.value - base);
      for (let s = peak.index + 1; s < values.length; s++) {
        if (values[s] <= threshold) {
          landmarks.push(s);
          break;
        }
      }
    }
    return landmarks;
  };
}
