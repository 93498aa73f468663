// Clearance metrics read off sampled curves.
//
// Time steps may be large (tens of ms on curves peaking at hundreds of ms) and unevenly spaced, so the
// read-outs interpolate with the cubic through four consecutive samples (Newton divided differences on
// non-uniform times, double precision) instead of a parabola or a straight line. For a smooth curve and
// local spacing h, the cubic is within O(h⁴) of the curve and its slope within O(h³): the peak time is
// then O(h³), the peak value and a crossing time on a falling flank O(h⁴). On a point-source curve
// sampled irregularly at 20 samples per peak time the worst cases measured are 1.5e-4 relative in peak
// time, 3.5e-6 in peak value and 8e-7 in a crossing (parabola: 1.7e-3 in peak time; line: 7.6e-4 in a
// crossing); the peak time reaches 1e-4 at 25 samples per peak time (test/core/metrics.test.ts).

/** Metrics of one probe. Times in ms, concentrations in mM. */
export interface ProbeMetrics {
  name: string;
  position_um: [number, number, number];
  /** Concentration at t = 0 (mM). */
  baseline_mM: number;
  /** Largest concentration (mM), refined by local cubic interpolation around the largest sample (see peakOf). */
  peak_mM: number;
  /** Time of the peak (ms). */
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
  // Divided differences in place: d[k] becomes y[z0 … zk].
  for (let order = 1; order < 4; order++) {
    for (let i = 3; i >= order; i--) d[i] = (d[i] - d[i - 1]) / (z[i] - z[i - order]);
  }
  // Newton form d0 + d1(s − z0) + d2(s − z0)(s − z1) + d3(s − z0)(s − z1)(s − z2), expanded by Horner:
  // q ← q·(s − z_k) + d_k for k = 2, 1, 0, starting from q = d3.
  const c: [number, number, number, number] = [d[3], 0, 0, 0];
  for (let k = 2; k >= 0; k--) {
    for (let j = 3; j >= 1; j--) c[j] = c[j - 1] - z[k] * c[j];
    c[0] = d[k] - z[k] * c[0];
  }
  if (!c.every(Number.isFinite)) return null;
  return { tLeft, width, c };
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
 * The maximum of a sampled curve. Around the largest interior sample m, each of the two adjacent intervals
 * gets the cubic through the four samples centred on it (clamped at the series ends); the maximum of each
 * cubic on its interval (a root of its derivative, or the sample itself) is taken and the larger kept. On a
 * smooth peak the time is within O(h³) and the value within O(h⁴) for local spacing h, at any spacing
 * ratio, where the parabola through three samples gives O(h²) in time because it ignores the peak's
 * asymmetry. Samples that are NaN are skipped when choosing m; a maximum at the first or last sample is
 * returned as that sample (the curve may still be rising or may have peaked before the record); with three
 * samples the parabola is used. Where a window holds a non-finite value or repeated times, the parabola
 * through the three samples around m (if usable) stands in for that interval's cubic, else the sample.
 * An empty or all-NaN series gives value NaN.
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
