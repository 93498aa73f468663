// The page's record of its probes: their recent samples for the plot and the CSV, their E_K, the
// t_peak and t_half of the current release cycle, and, with the time error on, the estimated time
// error of each. Memory stays bounded however long the page runs and however many samples a
// snapshot brings (a stalled page receives everything the worker took meanwhile at once).
import { nernst_mV } from '../core/electrochemistry.js';
import { firstFallTo, peakOf } from '../core/metrics.js';
import type { ProbeSamples } from '../worker/protocol.js';
import type { ProbeMarks } from './probe-plot.js';

/**
 * Samples kept for the plot and the CSV, at most. Beyond, they are kept in time bins of one width
 * (a power of two in ms, doubled as needed): in each bin, each probe's lowest and highest sample,
 * so the peaks stay in the plot and its resolution is the same everywhere.
 */
export const MAX_PLOT_SAMPLES = 4000;

/** With repeated releases, the plot keeps this many release cycles: the current one and those just before. */
const PLOT_CYCLES = 3;

/**
 * Samples kept on each side of a cycle's largest sample and of its first fall to half the excess:
 * the read-outs (peakOf, firstFallTo) look at two samples either side at most.
 */
const CONTEXT = 4;

/** Richardson's divisor for two runs of a second-order method, the second with half the steps: 2² − 1. */
const RICHARDSON_DIVISOR = 3;

/**
 * When releases happen: a cycle starts at start_ms and then every period_ms; period_ms 0 makes one
 * cycle from start_ms on. Samples before start_ms belong to no cycle.
 */
export interface ReleaseCycles {
  start_ms: number;
  period_ms: number;
}

const NO_MARKS: ProbeMarks = { t_peak_ms: null, t_half_ms: null, t_peak_error_ms: null, t_half_error_ms: null };

/** Samples held in the ring of the latest ones: enough to hold a fall's samples before it when it is found. */
const RING = 2 * CONTEXT + 2;

/**
 * t_peak and t_half of one probe in one release cycle, followed sample by sample in bounded memory.
 * It keeps the cycle's first value (the baseline), the samples around the largest sample (CONTEXT
 * either side) and those around the first fall to half the excess after it, which is all that
 * probeMetrics reads of the whole cycle, so the marks are those of every sample of the cycle.
 */
class CycleMarks {
  private first = NaN;
  private last = NaN;
  private count = 0;
  /** The latest RING samples (times and values), the newest at (ringEnd − 1) mod RING. */
  private readonly ringT = new Float64Array(RING);
  private readonly ringV = new Float64Array(RING);
  private ringEnd = 0;
  /** The largest sample (NaN skipped; the first of equals), up to CONTEXT samples before it and up to CONTEXT after. */
  private readonly peakT: number[] = [];
  private readonly peakV: number[] = [];
  private peakAt = -1;
  /** baseline + half the excess, once the samples after the peak are all in; NaN before, or with no excess. */
  private threshold = NaN;
  private complete = false;
  /** The first sample after the peak at or below the threshold, CONTEXT + 1 samples before it and up to CONTEXT after. */
  private readonly fallT: number[] = [];
  private readonly fallV: number[] = [];
  private fallAt = -1;

  /** Created after the cycle began (the coarse run's values came late): its baseline is unknown, so it gives no marks. */
  missedStart(): void {
    this.count = 1;
    this.first = NaN;
  }

  add(t: number, v: number): void {
    if (this.count++ === 0) this.first = v;
    this.last = v;
    this.ringT[this.ringEnd % RING] = t;
    this.ringV[this.ringEnd % RING] = v;
    this.ringEnd++;
    if (!Number.isNaN(v) && (this.peakAt < 0 || v > this.peakV[this.peakAt])) {
      this.fromRing(this.peakT, this.peakV, CONTEXT + 1);
      this.peakAt = this.peakT.length - 1;
      this.complete = false;
      this.threshold = NaN;
      this.fallAt = -1;
      return;
    }
    if (this.peakAt < 0) return;
    if (!this.complete) {
      this.peakT.push(t);
      this.peakV.push(v);
      if (this.peakT.length - 1 - this.peakAt === CONTEXT) this.completePeak();
      return;
    }
    if (this.fallAt < 0) {
      if (v <= this.threshold) {
        this.fromRing(this.fallT, this.fallV, CONTEXT + 2);
        this.fallAt = this.fallT.length - 1;
      }
    } else if (this.fallT.length - 1 - this.fallAt < CONTEXT) {
      this.fallT.push(t);
      this.fallV.push(v);
    }
  }

  /** Fills times and values with the latest count samples of the ring (fewer early in the cycle), oldest first. */
  private fromRing(times: number[], values: number[], count: number): void {
    const n = Math.min(count, this.ringEnd);
    times.length = values.length = 0;
    for (let k = this.ringEnd - n; k < this.ringEnd; k++) {
      times.push(this.ringT[k % RING]);
      values.push(this.ringV[k % RING]);
    }
  }

  /** The samples after the peak are all in: the peak and the threshold are final; the fall may be among them already. */
  private completePeak(): void {
    this.complete = true;
    const top = this.top();
    const excess = top.value - this.first;
    this.threshold = excess > 0 ? this.first + excess / 2 : NaN;
    for (let s = this.peakAt + 1; s < this.peakT.length; s++) {
      if (!(this.peakV[s] <= this.threshold)) continue;
      const start = Math.max(0, s - 1 - CONTEXT);
      this.fallT.length = this.fallV.length = 0;
      this.fallT.push(...this.peakT.slice(start));
      this.fallV.push(...this.peakV.slice(start));
      this.fallAt = s - start;
      return;
    }
  }

  private top(): { index: number; time: number; value: number } {
    return peakOf(Float64Array.from(this.peakT), Float64Array.from(this.peakV));
  }

  /** t_peak (ms) and t_half (ms after t_peak), each null until reached: the peak once the curve has come down from it. */
  readOut(): { t_peak_ms: number | null; t_half_ms: number | null } {
    if (this.peakAt < 0) return { t_peak_ms: null, t_half_ms: null };
    const top = this.top();
    if (!(this.last < top.value && top.value > this.first)) return { t_peak_ms: null, t_half_ms: null };
    const threshold = this.first + (top.value - this.first) / 2;
    let half: number | null = null;
    if (!this.complete) {
      // Every sample after the peak is still among the peak's.
      half = firstFallTo(Float64Array.from(this.peakT), Float64Array.from(this.peakV), top.index, threshold);
    } else if (this.fallAt >= 0) {
      half = firstFallTo(Float64Array.from(this.fallT), Float64Array.from(this.fallV), this.fallAt - 1, threshold);
    }
    return { t_peak_ms: top.time, t_half_ms: half === null ? null : half - top.time };
  }

  /** Samples in this cycle so far. */
  get samples(): number {
    return this.count;
  }
}

/**
 * The samples of the plot: all of them while they fit, else in bins of binWidth_ms, each holding,
 * of every probe, its lowest and its highest sample (and the newest bin its newest sample too).
 */
class PlotSeries {
  readonly time_ms: number[] = [];
  readonly values_mM: number[][];
  private binWidth_ms = 0;
  /** Index of the newest bin's first sample. */
  private openStart = 0;
  /** Per probe, the index of its lowest and highest sample in the newest bin (-1: none, all NaN). */
  private openMin: number[];
  private openMax: number[];

  constructor(probes: number) {
    this.values_mM = Array.from({ length: probes }, () => []);
    this.openMin = this.values_mM.map(() => -1);
    this.openMax = this.values_mM.map(() => -1);
  }

  /** The newest bin's samples beyond which it is compacted (a few times what it keeps, so compacting is rare). */
  private get openLimit(): number {
    return 16 * this.values_mM.length + 16;
  }

  push(t: number, values: ArrayLike<number>): void {
    const w = this.binWidth_ms;
    const sameBin = w > 0 && this.time_ms.length > 0 && Math.floor(this.time_ms[this.time_ms.length - 1] / w) === Math.floor(t / w);
    if (w > 0 && !sameBin) {
      this.compactOpen(false);
      this.openStart = this.time_ms.length;
      this.openMin.fill(-1);
      this.openMax.fill(-1);
    }
    const index = this.time_ms.length;
    this.time_ms.push(t);
    for (let p = 0; p < this.values_mM.length; p++) {
      this.values_mM[p].push(values[p]);
      this.note(p, index);
    }
    if (w > 0 && this.time_ms.length - this.openStart > this.openLimit) this.compactOpen(true);
    while (this.time_ms.length >= MAX_PLOT_SAMPLES) this.widen();
  }

  /** Drops the samples before index count (the plot's oldest release cycles). */
  dropFirst(count: number): void {
    if (count <= 0) return;
    for (const series of [this.time_ms, ...this.values_mM]) series.splice(0, count);
    this.openStart = Math.max(0, this.openStart - count);
    this.openMin.fill(-1);
    this.openMax.fill(-1);
    for (let k = this.openStart; k < this.time_ms.length; k++) for (let p = 0; p < this.values_mM.length; p++) this.note(p, k);
  }

  /** Counts sample k of probe p among the newest bin's extremes. */
  private note(p: number, k: number): void {
    const values = this.values_mM[p], value = values[k];
    if (Number.isNaN(value)) return;
    if (this.openMin[p] < 0 || value < values[this.openMin[p]]) this.openMin[p] = k;
    if (this.openMax[p] < 0 || value > values[this.openMax[p]]) this.openMax[p] = k;
  }

  /** Keeps of the newest bin only its extremes (and, while it is still the newest, its newest sample). */
  private compactOpen(keepNewest: boolean): void {
    const end = this.time_ms.length;
    if (end - this.openStart <= 2) return;
    const kept = new Set<number>();
    for (let p = 0; p < this.values_mM.length; p++) if (this.openMin[p] >= 0) kept.add(this.openMin[p]).add(this.openMax[p]);
    // All NaN: the last stays, so the gap shows.
    if (keepNewest || kept.size === 0) kept.add(end - 1);
    const order = [...kept].sort((a, b) => a - b);
    for (const series of [this.time_ms, ...this.values_mM]) {
      order.forEach((k, n) => { series[this.openStart + n] = series[k]; });
      series.length = this.openStart + order.length;
    }
    const moved = (k: number) => (k < 0 ? -1 : this.openStart + order.indexOf(k));
    this.openMin = this.openMin.map(moved);
    this.openMax = this.openMax.map(moved);
  }

  /** Bins twice as wide (the first width from the span), every bin down to its extremes. */
  private widen(): void {
    const span = this.time_ms[this.time_ms.length - 1] - this.time_ms[0];
    const bins = MAX_PLOT_SAMPLES / (4 * Math.max(1, this.values_mM.length));
    this.binWidth_ms = this.binWidth_ms > 0 ? 2 * this.binWidth_ms : 2 ** Math.ceil(Math.log2(Math.max(span / bins, 1e-9)));
    const w = this.binWidth_ms;
    const old = this.time_ms.length;
    let write = 0;
    for (let start = 0; start < old;) {
      const bin = Math.floor(this.time_ms[start] / w);
      let end = start + 1;
      while (end < old && Math.floor(this.time_ms[end] / w) === bin) end++;
      const kept = new Set<number>();
      for (const values of this.values_mM) {
        let min = -1, max = -1;
        for (let k = start; k < end; k++) {
          if (Number.isNaN(values[k])) continue;
          if (min < 0 || values[k] < values[min]) min = k;
          if (max < 0 || values[k] > values[max]) max = k;
        }
        if (min >= 0) kept.add(min).add(max);
      }
      if (end === old || kept.size === 0) kept.add(end - 1);
      const order = [...kept].sort((a, b) => a - b);
      if (end === old) this.openStart = write;
      for (const series of [this.time_ms, ...this.values_mM]) order.forEach((k, n) => { series[write + n] = series[k]; });
      write += order.length;
      start = end;
    }
    for (const series of [this.time_ms, ...this.values_mM]) series.length = write;
    this.openMin.fill(-1);
    this.openMax.fill(-1);
    for (let k = this.openStart; k < write; k++) for (let p = 0; p < this.values_mM.length; p++) this.note(p, k);
  }
}

export class ProbeRecorder {
  private readonly plot: PlotSeries;
  /** With the time error on: each probe's latest coarse-run value (ProbeSamples.coarse_mM); null otherwise. */
  private latestCoarse_mM: number[] | null = null;
  /** Start of the release cycle of the latest sample (ms), null before the first release. */
  private cycle: number | null = null;
  private fineMarks: CycleMarks[] = [];
  private coarseMarks: CycleMarks[] | null = null;

  /** names: the probes, in the order of the samples; cycles: when releases happen (default: one cycle from t = 0). */
  constructor(readonly names: string[], private readonly cycles: ReleaseCycles = { start_ms: 0, period_ms: 0 }) {
    this.plot = new PlotSeries(names.length);
    this.row = names.map(() => NaN);
  }

  /** Times (ms) of the samples kept for the plot, oldest first. */
  get time_ms(): number[] {
    return this.plot.time_ms;
  }

  /** Per probe, its values (mM) at those times. */
  get values_mM(): number[][] {
    return this.plot.values_mM;
  }

  /** One sample of every probe, reused. */
  private readonly row: number[];

  add(samples: ProbeSamples): void {
    if (!samples.coarse_mM) {
      this.coarseMarks = null;
      this.latestCoarse_mM = null;
    }
    const count = samples.time_ms.length;
    for (let k = 0; k < count; k++) {
      const t = samples.time_ms[k];
      const cycle = this.cycleOf(t);
      if (cycle !== this.cycle) this.startCycle(cycle);
      if (samples.coarse_mM && !this.coarseMarks && cycle !== null) {
        // Coarse values start with the first samples that have them: no estimate for a cycle begun without them.
        this.coarseMarks = this.names.map(() => new CycleMarks());
        if (this.fineMarks[0]?.samples) for (const marks of this.coarseMarks) marks.missedStart();
      }
      for (let p = 0; p < this.names.length; p++) {
        const value = samples.values_mM[p]?.[k] ?? NaN;
        this.row[p] = value;
        if (cycle !== null) this.fineMarks[p].add(t, value);
        if (samples.coarse_mM) {
          const coarse = samples.coarse_mM[p]?.[k] ?? NaN;
          if (cycle !== null) this.coarseMarks?.[p].add(t, coarse);
          (this.latestCoarse_mM ??= this.names.map(() => NaN))[p] = coarse;
        }
      }
      this.plot.push(t, this.row);
    }
  }

  /** E_K (mV) of every kept sample of every probe. */
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
      const coarse = this.latestCoarse_mM?.[index];
      return coarse === undefined ? NaN : Math.abs(values[values.length - 1] - coarse) / RICHARDSON_DIVISOR;
    });
  }

  /**
   * t_peak and t_half (ms) of each probe in the release cycle of the latest sample, each null until
   * reached: the peak counts as reached once the curve has come down from it. With the time error
   * on, each comes with its estimated time error (the same read-out of the coarse run, through
   * Richardson). The same as probeMetrics over every sample of the cycle, however many were thinned
   * out of the plot.
   */
  marks(): ProbeMarks[] {
    if (this.cycle === null || (this.fineMarks[0]?.samples ?? 0) < 3) return this.names.map(() => NO_MARKS);
    const error = (fine: number | null, coarse: number | null | undefined) =>
      fine === null || coarse === null || coarse === undefined ? null : Math.abs(fine - coarse) / RICHARDSON_DIVISOR;
    return this.fineMarks.map((marks, index) => {
      const fine = marks.readOut();
      const coarse = this.coarseMarks?.[index].readOut();
      return { ...fine, t_peak_error_ms: error(fine.t_peak_ms, coarse?.t_peak_ms), t_half_error_ms: error(fine.t_half_ms, coarse?.t_half_ms) };
    });
  }

  private cycleOf(t: number): number | null {
    const { start_ms, period_ms } = this.cycles;
    if (!(t >= start_ms)) return null;
    return period_ms > 0 ? start_ms + Math.floor((t - start_ms) / period_ms) * period_ms : start_ms;
  }

  private startCycle(cycle: number | null): void {
    this.cycle = cycle;
    this.fineMarks = this.names.map(() => new CycleMarks());
    this.coarseMarks = this.coarseMarks && this.names.map(() => new CycleMarks());
    if (cycle === null || !(this.cycles.period_ms > 0)) return;
    // The plot shows the last few cycles: older samples go.
    const cut = cycle - (PLOT_CYCLES - 1) * this.cycles.period_ms;
    let drop = 0;
    while (drop < this.time_ms.length && this.time_ms[drop] < cut) drop++;
    this.plot.dropFirst(drop);
  }
}
