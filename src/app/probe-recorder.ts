// The page's record of its probes: the most recent samples of each, their E_K, the t_peak and t_half
// of the current release cycle, and, with the time error on, the estimated time error of each.
import { nernst_mV } from '../core/electrochemistry.js';
import { probeMetrics } from '../core/metrics.js';
import type { ProbeSamples } from '../worker/protocol.js';
import type { ProbeMarks } from './probe-plot.js';

/** Samples kept per probe (older ones are dropped). */
const MAX_SAMPLES = 4000;

/** Richardson's divisor for two runs of a second-order method, the second with half the steps: 2² − 1. */
const RICHARDSON_DIVISOR = 3;

export class ProbeRecorder {
  time_ms: number[] = [];
  values_mM: number[][] = [];
  /** With the time error on: the coarse run's values at the same times (ProbeSamples.coarse_mM). */
  private coarse_mM: number[][] | null = null;

  constructor(readonly names: string[]) {
    this.values_mM = names.map(() => []);
  }

  add(samples: ProbeSamples): void {
    // Coarse values start with the first samples that have them (NaN before: no estimate there).
    if (samples.coarse_mM && !this.coarse_mM) this.coarse_mM = this.values_mM.map((values) => values.map(() => NaN));
    if (!samples.coarse_mM) this.coarse_mM = null;
    this.time_ms.push(...samples.time_ms);
    samples.values_mM.forEach((values, index) => this.values_mM[index]?.push(...values));
    samples.coarse_mM?.forEach((values, index) => this.coarse_mM![index]?.push(...values));
    const excess = this.time_ms.length - MAX_SAMPLES;
    if (excess > 0) {
      this.time_ms.splice(0, excess);
      for (const values of [...this.values_mM, ...(this.coarse_mM ?? [])]) values.splice(0, excess);
    }
  }

  /** E_K (mV) of every sample of every probe. */
  nernst(inside_mM: number, valence: number, temperature_C: number): number[][] {
    return this.values_mM.map((values) => values.map((c) => nernst_mV(c, inside_mM, valence, temperature_C)));
  }

  /** Latest value of each probe (mM), NaN before the first sample. */
  latest(): number[] {
    return this.values_mM.map((values) => values[values.length - 1] ?? NaN);
  }

  /** Estimated time error of each latest value (mM), NaN without the time error. */
  latestTimeError(): number[] {
    return this.values_mM.map((values, index) => {
      const coarse = this.coarse_mM?.[index];
      return coarse ? Math.abs(values[values.length - 1] - coarse[coarse.length - 1]) / RICHARDSON_DIVISOR : NaN;
    });
  }

  /**
   * t_peak and t_half (ms) of each probe since cycleStart_ms, each null until reached: the
   * peak counts as reached once the curve has come down from it. With the time error on, each comes
   * with its estimated time error (the same read-out of the coarse run, through Richardson).
   */
  marks(cycleStart_ms: number): ProbeMarks[] {
    const first = this.time_ms.findIndex((t) => t >= cycleStart_ms);
    const none = { t_peak_ms: null, t_half_ms: null, t_peak_error_ms: null, t_half_error_ms: null };
    if (first < 0 || this.time_ms.length - first < 3) return this.names.map(() => none);
    const times = Float64Array.from(this.time_ms.slice(first));
    const readOut = (values: number[], name: string) => {
      const window = Float64Array.from(values.slice(first));
      const metrics = probeMetrics(name, [0, 0, 0], times, window);
      const passed = window[window.length - 1] < metrics.peak_mM && metrics.peak_mM > metrics.baseline_mM;
      return { t_peak_ms: passed ? metrics.t_peak_ms : null, t_half_ms: passed ? metrics.t_half_ms : null };
    };
    const error = (fine: number | null, coarse: number | null | undefined) =>
      fine === null || coarse === null || coarse === undefined ? null : Math.abs(fine - coarse) / RICHARDSON_DIVISOR;
    return this.values_mM.map((values, index) => {
      const fine = readOut(values, this.names[index]);
      const coarse = this.coarse_mM ? readOut(this.coarse_mM[index], this.names[index]) : null;
      return {
        ...fine, t_peak_error_ms: error(fine.t_peak_ms, coarse?.t_peak_ms),
        t_half_error_ms: error(fine.t_half_ms, coarse?.t_half_ms),
      };
    });
  }
}
