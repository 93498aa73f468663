// The page's record of its probes: the most recent samples of each, their E_K, and the t_peak and
// t_half of the current release cycle.
import { nernst_mV } from '../core/electrochemistry.js';
import { probeMetrics } from '../core/metrics.js';
import type { ProbeMarks } from './probe-plot.js';

/** Samples kept per probe (older ones are dropped). */
const MAX_SAMPLES = 4000;

export class ProbeRecorder {
  time_ms: number[] = [];
  values_mM: number[][] = [];

  constructor(readonly names: string[]) {
    this.values_mM = names.map(() => []);
  }

  add(time_ms: number[], values_mM: number[][]): void {
    this.time_ms.push(...time_ms);
    values_mM.forEach((values, index) => this.values_mM[index]?.push(...values));
    const excess = this.time_ms.length - MAX_SAMPLES;
    if (excess > 0) {
      this.time_ms.splice(0, excess);
      this.values_mM.forEach((values) => values.splice(0, excess));
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

  /**
   * t_peak and t_peak + t_half (ms) of each probe since cycleStart_ms, each null until reached: the
   * peak counts as reached once the curve has come down from it.
   */
  marks(cycleStart_ms: number): ProbeMarks[] {
    const first = this.time_ms.findIndex((t) => t >= cycleStart_ms);
    if (first < 0 || this.time_ms.length - first < 3) return this.names.map(() => ({ t_peak_ms: null, t_half_end_ms: null }));
    const times = Float64Array.from(this.time_ms.slice(first));
    return this.values_mM.map((values, index) => {
      const window = Float64Array.from(values.slice(first));
      const metrics = probeMetrics(this.names[index], [0, 0, 0], times, window);
      const passed = window[window.length - 1] < metrics.peak_mM && metrics.peak_mM > metrics.baseline_mM;
      return {
        t_peak_ms: passed ? metrics.t_peak_ms : null,
        t_half_end_ms: metrics.t_half_ms === null ? null : metrics.t_peak_ms + metrics.t_half_ms,
      };
    });
  }
}
