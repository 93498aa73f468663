import { describe, expect, it } from 'vitest';
import { excessClearance, firstFallTo, peakOf, probeMetrics } from '../../src/core/metrics.js';

/** Samples f at the given times. */
function sample(times: number[], f: (t: number) => number): { times: Float64Array; values: Float64Array } {
  return { times: Float64Array.from(times), values: Float64Array.from(times.map(f)) };
}

/** n + 1 equally spaced times 0, dt, …, n·dt. */
function uniformTimes(dt: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => i * dt);
}

describe('peakOf', () => {
  // A parabola is reproduced exactly by the three-point fit, so only round-off (~1e-15) remains.
  it('recovers the exact vertex of a parabola sampled on a uniform grid, vertex between samples (1e-12)', () => {
    const vertexTime = 3.37;
    const vertexValue = 5.5;
    const { times, values } = sample(uniformTimes(0.5, 16), (t) => vertexValue - 0.8 * (t - vertexTime) ** 2);
    const peak = peakOf(times, values);
    expect(peak.index).toBe(7); // the sample at 3.5 is the largest
    expect(Math.abs(peak.time - vertexTime)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(peak.value - vertexValue)).toBeLessThanOrEqual(1e-12);
  });

  it('recovers the exact vertex of a parabola sampled with unequal spacing (1e-12)', () => {
    const vertexTime = 2.0;
    const vertexValue = -1.25;
    // Largest sample at 1.9, with neighbours 0.7 and 2.2 at very different distances.
    const { times, values } = sample([0, 0.7, 1.9, 2.2, 3.5, 4.1], (t) => vertexValue - 3 * (t - vertexTime) ** 2);
    const peak = peakOf(times, values);
    expect(peak.index).toBe(2);
    expect(Math.abs(peak.time - vertexTime)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(peak.value - vertexValue)).toBeLessThanOrEqual(1e-12);
  });

  it('refines a value above the largest sample and a time off the sample grid', () => {
    const { times, values } = sample(uniformTimes(1, 10), (t) => 10 - (t - 4.4) ** 2);
    const peak = peakOf(times, values);
    expect(peak.value).toBeGreaterThan(values[peak.index]);
    expect(peak.time).not.toBe(times[peak.index]);
  });

  it('returns the last sample, unrefined, for a rising curve', () => {
    const { times, values } = sample(uniformTimes(0.25, 12), (t) => Math.sqrt(t) + 1);
    expect(peakOf(times, values)).toEqual({ index: 12, time: 3, value: Math.sqrt(3) + 1 });
  });

  it('returns the first sample, unrefined, for a falling curve', () => {
    const { times, values } = sample(uniformTimes(0.25, 12), (t) => 7 * Math.exp(-t));
    expect(peakOf(times, values)).toEqual({ index: 0, time: 0, value: 7 });
  });
});

describe('firstFallTo', () => {
  const times = Float64Array.from([0, 1, 2, 3, 4, 5]);
  const values = Float64Array.from([10, 8, 4, 2, 6, 1]);

  it('interpolates linearly between the bracketing samples', () => {
    // 8 at t = 1, 4 at t = 2: the line reaches 6 at t = 1.5 and 5 at t = 1.75.
    expect(firstFallTo(times, values, 0, 6)).toBeCloseTo(1.5, 14);
    expect(firstFallTo(times, values, 0, 5)).toBeCloseTo(1.75, 14);
  });

  it('returns the sample time when a sample equals the threshold', () => {
    expect(firstFallTo(times, values, 0, 4)).toBe(2);
  });

  it('only looks after the starting sample', () => {
    // From sample 3 (value 2) the curve rises to 6, then falls to 1: 6 → 1 crosses 3 at t = 4.6.
    expect(firstFallTo(times, values, 3, 3)).toBeCloseTo(4.6, 14);
  });

  it('returns null when the curve never falls to the threshold', () => {
    expect(firstFallTo(times, values, 0, 0.5)).toBeNull();
    expect(firstFallTo(times, values, 5, 100)).toBeNull(); // nothing after the last sample
  });
});

describe('probeMetrics', () => {
  // C(t) = baseline + A·t·e^{−t/τ}: peak at t = τ with excess A·τ/e; after it, the excess falls to half
  // the peak excess where x·e^{−x} = e^{−1}/2 with x = t/τ (x ≈ 2.678), found here by bisection.
  const baseline = 3;
  const amplitude = 0.05;
  const tau = 20.17; // deliberately off the sample grid
  const curve = (t: number) => baseline + amplitude * t * Math.exp(-t / tau);
  const exactPeak = baseline + (amplitude * tau) / Math.E;

  function halfExcessTimeAfterPeak(): number {
    const target = (amplitude * tau) / Math.E / 2;
    let low = tau;
    let high = 20 * tau;
    for (let i = 0; i < 200; i++) {
      const middle = (low + high) / 2;
      if (amplitude * middle * Math.exp(-middle / tau) > target) low = middle;
      else high = middle;
    }
    return (low + high) / 2 - tau;
  }

  const dt = 0.5;
  const { times, values } = sample(uniformTimes(dt, 400), curve);
  const metrics = probeMetrics('near the source', [10, 20, 30], times, values);

  it('reports name, position, baseline (first sample) and final (last sample) unchanged', () => {
    expect(metrics.name).toBe('near the source');
    expect(metrics.position_um).toEqual([10, 20, 30]);
    expect(metrics.baseline_mM).toBe(baseline);
    expect(metrics.final_mM).toBe(values[400]);
  });

  it('finds t_peak = τ within dt²/(2τ) ≈ 6e-3 ms', () => {
    // The three-point vertex is biased by the curve's asymmetry: shift ≈ (dt²/6)·|C'''/C''| = dt²/(3τ)
    // ≈ 4e-3 ms here (second order in dt); dt²/(2τ) bounds it.
    expect(Math.abs(metrics.t_peak_ms - tau)).toBeLessThanOrEqual((dt * dt) / (2 * tau));
  });

  it('finds the peak value baseline + Aτ/e within 1e-6 relative', () => {
    // With the peak between samples the value error is third order in dt (measured ~1.7e-7 relative
    // here); 1e-6 bounds it with margin.
    expect(Math.abs(metrics.peak_mM - exactPeak) / exactPeak).toBeLessThanOrEqual(1e-6);
  });

  it('finds the time from peak to half excess within 0.01 ms (bisection reference ≈ 33.8 ms)', () => {
    // Error = peak-time bias (~4e-3 ms) + linear interpolation of a smooth curve (O(dt²), ~1e-3 ms).
    const expected = halfExcessTimeAfterPeak();
    expect(expected).toBeGreaterThan(33);
    expect(expected).toBeLessThan(35);
    expect(metrics.t_half_ms).not.toBeNull();
    expect(Math.abs((metrics.t_half_ms as number) - expected)).toBeLessThanOrEqual(0.01);
  });

  it('reports t_half = null when the recording stops before the excess halves', () => {
    // Up to t = 1.5τ the excess only falls to 1.5·e^{−0.5} ≈ 0.91 of its peak.
    const short = sample(uniformTimes(0.5, Math.floor((1.5 * tau) / 0.5)), curve);
    const shortMetrics = probeMetrics('short', [0, 0, 0], short.times, short.values);
    expect(shortMetrics.t_half_ms).toBeNull();
    expect(Math.abs(shortMetrics.t_peak_ms - tau)).toBeLessThanOrEqual((dt * dt) / (2 * tau));
  });

  it('reports t_half = null for a flat curve (no excess)', () => {
    const flat = sample(uniformTimes(1, 10), () => 3);
    const flatMetrics = probeMetrics('flat', [0, 0, 0], flat.times, flat.values);
    expect(flatMetrics.t_half_ms).toBeNull();
    expect(flatMetrics.peak_mM).toBe(3);
  });
});

describe('excessClearance', () => {
  // Total excess A·e^{−t/τ} peaks at t = 0; it halves after ln2·τ and drops to a tenth after ln10·τ.
  // Linear interpolation of a convex curve crosses late by ≤ dt²/(8τ) = 1.25e-5·τ at dt = τ/100,
  // i.e. < 2e-5 relative, so 1e-4 relative is a safe bound.
  const tau = 37;
  const dt = tau / 100;

  it('gives ln2·τ and ln10·τ for an exponential decay (1e-4 relative)', () => {
    const { times, values } = sample(uniformTimes(dt, 500), (t) => 4e-15 * Math.exp(-t / tau));
    const clearance = excessClearance(times, values);
    expect(clearance.excess_half_time_ms).not.toBeNull();
    expect(clearance.excess_tenth_time_ms).not.toBeNull();
    expect(Math.abs((clearance.excess_half_time_ms as number) / (Math.LN2 * tau) - 1)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs((clearance.excess_tenth_time_ms as number) / (Math.LN10 * tau) - 1)).toBeLessThanOrEqual(1e-4);
  });

  it('measures times from the peak, not from t = 0: a recording starting at 10 ms gives the same times (1e-4 relative)', () => {
    const { times, values } = sample(uniformTimes(dt, 500).map((t) => t + 10), (t) => Math.exp(-(t - 10) / tau));
    const clearance = excessClearance(times, values);
    expect(Math.abs((clearance.excess_half_time_ms as number) / (Math.LN2 * tau) - 1)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs((clearance.excess_tenth_time_ms as number) / (Math.LN10 * tau) - 1)).toBeLessThanOrEqual(1e-4);
  });

  it('gives a half time but a null tenth time when the recording stops at 2τ', () => {
    const { times, values } = sample(uniformTimes(dt, 200), (t) => Math.exp(-t / tau));
    const clearance = excessClearance(times, values);
    expect(clearance.excess_half_time_ms).not.toBeNull();
    expect(clearance.excess_tenth_time_ms).toBeNull();
  });

  it('gives null for both when there is no positive excess', () => {
    const { times, values } = sample(uniformTimes(1, 10), () => 0);
    expect(excessClearance(times, values)).toEqual({ excess_half_time_ms: null, excess_tenth_time_ms: null });
  });
});
