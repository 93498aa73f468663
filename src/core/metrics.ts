// Clearance metrics read off sampled curves.

/** Metrics of one probe (DESIGN.md §4.2). Times in ms, concentrations in mM. */
export interface ProbeMetrics {
  name: string;
  position_um: [number, number, number];
  /** Concentration at t = 0 (mM). */
  baseline_mM: number;
  /** Largest concentration (mM), refined by a parabola through the three samples around the maximum. */
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
 * The maximum of a sampled curve. Around an interior maximum the parabola through three samples
 * gives the peak time to O(dt²) and the peak value to O(dt³) on a smooth peak, instead of O(dt).
 */
export function peakOf(times: Float64Array, values: Float64Array): { index: number; time: number; value: number } {
  let index = 0;
  for (let s = 1; s < values.length; s++) if (values[s] > values[index]) index = s;
  if (index === 0 || index === values.length - 1) return { index, time: times[index], value: values[index] };
  const [t0, t1, t2] = [times[index - 1], times[index], times[index + 1]];
  const [y0, y1, y2] = [values[index - 1], values[index], values[index + 1]];
  // Parabola through three points with possibly unequal spacing (divided differences).
  const d01 = (y1 - y0) / (t1 - t0);
  const d12 = (y2 - y1) / (t2 - t1);
  const curvature = (d12 - d01) / (t2 - t0);
  if (!(curvature < 0)) return { index, time: t1, value: y1 };
  const slopeAtT1 = d01 + curvature * (t1 - t0);
  const shift = -slopeAtT1 / (2 * curvature);
  return { index, time: t1 + shift, value: y1 + slopeAtT1 * shift + curvature * shift * shift };
}

/** First time after sample `from` at which values fall to threshold or below (linear between samples), or null. */
export function firstFallTo(times: Float64Array, values: Float64Array, from: number, threshold: number): number | null {
  for (let s = from + 1; s < values.length; s++) {
    if (values[s] <= threshold) {
      const previous = values[s - 1];
      const fraction = previous === values[s] ? 1 : (previous - threshold) / (previous - values[s]);
      return times[s - 1] + fraction * (times[s] - times[s - 1]);
    }
  }
  return null;
}

/** Metrics of a probe's curve (mM against ms). */
export function probeMetrics(
  name: string, position_um: [number, number, number], times: Float64Array, values: Float64Array,
): ProbeMetrics {
  const baseline = values[0];
  const peak = peakOf(times, values);
  const excess = peak.value - baseline;
  const halfTime = excess > 0 ? firstFallTo(times, values, peak.index, baseline + excess / 2) : null;
  return {
    name, position_um, baseline_mM: baseline, peak_mM: peak.value, t_peak_ms: peak.time,
    t_half_ms: halfTime === null ? null : halfTime - peak.time, final_mM: values[values.length - 1],
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
