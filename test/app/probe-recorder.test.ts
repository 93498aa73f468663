// The page's probe record turns the worker's paired samples (the half-step shadow's values and the
// coarse run's) into time errors by Richardson's rule: |fine − coarse|/3, for the latest values and
// for t_peak and t_half. Checked on curves whose read-outs are known exactly. It keeps its memory
// bounded (a stalled page gets a million samples at once; a long run never stops), and its marks
// are still those of every sample of the cycle.
import { describe, expect, it } from 'vitest';
import { probeMetrics } from '../../src/core/metrics.js';
import { MAX_PLOT_SAMPLES, ProbeRecorder, type ReleaseCycles } from '../../src/app/probe-recorder.js';
import type { ProbeMarks } from '../../src/app/probe-plot.js';

/** A release curve baseline + t·e^{1 − t/T} (peak 1 at t = T), sampled every 2 ms to 400 ms. */
function curve(T_ms: number): { time_ms: number[]; values_mM: number[] } {
  const time_ms = Array.from({ length: 201 }, (_, k) => 2 * k);
  return { time_ms, values_mM: time_ms.map((t) => 3 + (t / T_ms) * Math.exp(1 - t / T_ms)) };
}

/**
 * The marks as the page computed them before the record was bounded: probeMetrics over every sample
 * since the cycle start (all samples kept).
 */
function referenceMarks(time_ms: number[], fine: number[], coarse: number[] | null, cycleStart_ms: number): ProbeMarks {
  const first = time_ms.findIndex((t) => t >= cycleStart_ms);
  const none = { t_peak_ms: null, t_half_ms: null, t_peak_error_ms: null, t_half_error_ms: null };
  if (first < 0 || time_ms.length - first < 3) return none;
  const times = Float64Array.from(time_ms.slice(first));
  const readOut = (values: number[]) => {
    const window = Float64Array.from(values.slice(first));
    const metrics = probeMetrics('p', [0, 0, 0], times, window);
    const passed = window[window.length - 1] < metrics.peak_mM && metrics.peak_mM > metrics.baseline_mM;
    return { t_peak_ms: passed ? metrics.t_peak_ms : null, t_half_ms: passed ? metrics.t_half_ms : null };
  };
  const error = (a: number | null, b: number | null | undefined) => (a === null || b === null || b === undefined ? null : Math.abs(a - b) / 3);
  const f = readOut(fine), c = coarse ? readOut(coarse) : null;
  return { ...f, t_peak_error_ms: error(f.t_peak_ms, c?.t_peak_ms), t_half_error_ms: error(f.t_half_ms, c?.t_half_ms) };
}

/** A small deterministic generator (mulberry32), so every run checks the same cases. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Feeds samples in chunks of random sizes (1 to maxChunk), as snapshots bring them. */
function feed(recorder: ProbeRecorder, time_ms: number[], values: number[][], coarse: number[][] | null, maxChunk: number, next: () => number): void {
  for (let start = 0; start < time_ms.length;) {
    const end = Math.min(time_ms.length, start + 1 + Math.floor(next() * maxChunk));
    recorder.add({
      time_ms: time_ms.slice(start, end), values_mM: values.map((v) => v.slice(start, end)),
      coarse_mM: coarse && coarse.map((v) => v.slice(start, end)),
    });
    start = end;
  }
}

describe('the probe record', () => {
  it('gives |fine − coarse|/3 as the time error of the latest value, t_peak and t_half', () => {
    const fine = curve(100), coarse = curve(100.6);
    const recorder = new ProbeRecorder(['r30']);
    recorder.add({ time_ms: fine.time_ms, values_mM: [fine.values_mM], coarse_mM: [coarse.values_mM] });
    const last = fine.values_mM.length - 1;
    expect(recorder.latestTimeError()[0]).toBeCloseTo(Math.abs(fine.values_mM[last] - coarse.values_mM[last]) / 3, 15);
    const [marks] = recorder.marks();
    // t_peak = T; t_half solves x e^{1−x} = 1/2 past the peak: x = 2.678346990…, t_half = (x − 1) T.
    expect(marks.t_peak_ms).toBeCloseTo(100, 1);
    expect(marks.t_peak_error_ms).toBeCloseTo(0.6 / 3, 2);
    expect(marks.t_half_ms).toBeCloseTo(1.678346990 * 100, 1);
    expect(marks.t_half_error_ms).toBeCloseTo((1.678346990 * 0.6) / 3, 2);
  });

  it('has no time errors when the samples carry no coarse values', () => {
    const fine = curve(100);
    const recorder = new ProbeRecorder(['r30']);
    recorder.add({ time_ms: fine.time_ms, values_mM: [fine.values_mM], coarse_mM: null });
    expect(recorder.latestTimeError()[0]).toBeNaN();
    const [marks] = recorder.marks();
    expect(marks.t_peak_ms).toBeCloseTo(100, 1);
    expect(marks.t_peak_error_ms).toBeNull();
    expect(marks.t_half_error_ms).toBeNull();
  });

  it('takes 10⁶ samples in one call (a stalled page) within its bound, with the marks of all of them', () => {
    const count = 1_000_000, dt = 0.001;
    const time_ms = new Array<number>(count), fine = new Array<number>(count), coarse = new Array<number>(count);
    for (let k = 0; k < count; k++) {
      const t = k * dt;
      time_ms[k] = t;
      fine[k] = 3 + (t / 100) * Math.exp(1 - t / 100);
      coarse[k] = 3 + (t / 100.6) * Math.exp(1 - t / 100.6);
    }
    const recorder = new ProbeRecorder(['r30']);
    recorder.add({ time_ms, values_mM: [fine], coarse_mM: [coarse] });
    expect(recorder.time_ms.length).toBeLessThanOrEqual(MAX_PLOT_SAMPLES);
    expect(recorder.values_mM[0].length).toBe(recorder.time_ms.length);
    // The newest sample and the peak sample are kept for the plot.
    expect(recorder.time_ms.at(-1)).toBe(time_ms[count - 1]);
    expect(Math.max(...recorder.values_mM[0])).toBe(Math.max(...fine.slice(90_000, 110_000)));
    const [marks] = recorder.marks();
    expect(marks).toEqual(referenceMarks(time_ms, fine, coarse, 0));
    expect(marks.t_peak_ms).toBeCloseTo(100, 6);
    expect(marks.t_half_ms).toBeCloseTo(167.8346990, 6);
  });

  it('gives the marks of every sample of the cycle however the samples come: smooth, noisy, sparse, flat, NaN, rising, falling', () => {
    const next = random(12345);
    const cases: { name: string; time_ms: number[]; values: number[]; coarse: number[] }[] = [];
    const add = (name: string, count: number, dt: number, value: (t: number, k: number) => number, shift = 0.4) => {
      const time_ms = Array.from({ length: count }, (_, k) => k * dt * (1 + 0.3 * Math.sin(k)));
      for (let k = 1; k < count; k++) if (!(time_ms[k] > time_ms[k - 1])) time_ms[k] = time_ms[k - 1] + dt * 0.1;
      cases.push({ name, time_ms, values: time_ms.map((t, k) => value(t, k)), coarse: time_ms.map((t, k) => value(t * (1 - shift / 100), k)) });
    };
    const bump = (T: number) => (t: number) => 3 + (t / T) * Math.exp(1 - t / T);
    add('smooth', 5000, 0.1, bump(100));
    add('noisy', 5000, 0.1, (t) => bump(100)(t) + 1e-3 * (next() - 0.5));
    add('sparse', 12, 40, bump(100));
    add('two samples past the peak', 8, 40, bump(100));
    add('falls at once', 30, 5, (t) => 3 + Math.exp(-t / 10));
    add('still rising', 300, 1, (t) => 3 + t / 100);
    add('flat steps (ties)', 3000, 0.2, (t) => Math.round(bump(100)(t) * 50) / 50);
    add('NaN here and there', 2000, 0.3, (t, k) => (k % 97 === 13 ? NaN : bump(100)(t)));
    add('never falls to half', 2000, 0.3, (t) => 3 + Math.min(1, t / 50) - (t > 60 ? 0.1 : 0));
    add('second, higher peak', 4000, 0.2, (t) => bump(100)(t) + 1.5 * Math.exp(-(((t - 500) / 30) ** 2)));
    for (const { name, time_ms, values, coarse } of cases) {
      for (const maxChunk of [1, 7, 300, time_ms.length]) {
        const recorder = new ProbeRecorder([name]);
        const expected: ProbeMarks[] = [];
        const seen: ProbeMarks[] = [];
        // Checked after every chunk, so marks appearing and changing as samples come are compared too.
        for (let start = 0; start < time_ms.length;) {
          const end = Math.min(time_ms.length, start + 1 + Math.floor(next() * maxChunk));
          recorder.add({ time_ms: time_ms.slice(start, end), values_mM: [values.slice(start, end)], coarse_mM: [coarse.slice(start, end)] });
          seen.push(recorder.marks()[0]);
          expected.push(referenceMarks(time_ms.slice(0, end), values.slice(0, end), coarse.slice(0, end), 0));
          start = end;
        }
        expect(seen, `${name}, chunks up to ${maxChunk}`).toEqual(expected);
      }
    }
  });

  it('stays bounded over a long run of repeated releases, keeps each kept cycle’s peak, and marks the current cycle exactly', () => {
    const next = random(7);
    const cycles: ReleaseCycles = { start_ms: 0, period_ms: 200 };
    const recorder = new ProbeRecorder(['r30', 'r50'], cycles);
    const time_ms: number[] = [];
    const near: number[] = [], far: number[] = [];
    // 50 cycles of 200 ms, sampled every ~0.01 ms: a million samples in snapshots of up to 2000.
    let t = 0, longest = 0;
    for (let snapshot = 0; t < 50 * 200; snapshot++) {
      const count = 1 + Math.floor(next() * 2000);
      const chunk = { time_ms: [] as number[], values_mM: [[], []] as number[][], coarse_mM: null };
      for (let k = 0; k < count && t < 50 * 200; k++) {
        const s = t % 200;
        chunk.time_ms.push(t);
        chunk.values_mM[0].push(3 + (s / 20) * Math.exp(1 - s / 20));
        chunk.values_mM[1].push(3 + 0.4 * (s / 45) * Math.exp(1 - s / 45));
        time_ms.push(t);
        near.push(chunk.values_mM[0][k]);
        far.push(chunk.values_mM[1][k]);
        t += 0.01 * (0.5 + next());
      }
      recorder.add(chunk);
      longest = Math.max(longest, recorder.time_ms.length);
    }
    expect(time_ms.length).toBeGreaterThan(900_000);
    expect(longest).toBeLessThanOrEqual(MAX_PLOT_SAMPLES);
    for (const values of recorder.values_mM) expect(values.length).toBe(recorder.time_ms.length);
    // The plot holds the current cycle and the two before it, each with each probe's highest sample.
    const cycleStart = Math.floor(time_ms.at(-1)! / 200) * 200;
    expect(recorder.time_ms[0]).toBeGreaterThanOrEqual(cycleStart - 400);
    expect(recorder.time_ms[0]).toBeLessThan(cycleStart - 399);
    for (const start of [cycleStart - 400, cycleStart - 200]) {
      const inCycle = (times: number[], values: number[]) =>
        Math.max(...values.filter((_, k) => times[k] >= start && times[k] < start + 200));
      expect(inCycle(recorder.time_ms, recorder.values_mM[0])).toBe(inCycle(time_ms, near));
      expect(inCycle(recorder.time_ms, recorder.values_mM[1])).toBe(inCycle(time_ms, far));
    }
    const first = time_ms.findIndex((x) => x >= cycleStart);
    const reference = [near, far].map((values) => referenceMarks(time_ms.slice(first), values.slice(first), null, cycleStart));
    expect(recorder.marks()).toEqual(reference);
    expect(recorder.marks()[0].t_peak_ms! - cycleStart).toBeCloseTo(20, 4);
  });

  it('gives no coarse marks for a cycle begun before the coarse values came, and marks the next cycles with them', () => {
    const cycles: ReleaseCycles = { start_ms: 0, period_ms: 400 };
    const fine = curve(100), coarse = curve(100.6);
    const recorder = new ProbeRecorder(['r30'], cycles);
    // 0 … 398 ms: one cycle; the coarse values come from the eleventh sample on.
    feed(recorder, fine.time_ms.slice(0, 10), [fine.values_mM.slice(0, 10)], null, 3, random(1));
    feed(recorder, fine.time_ms.slice(10, 200), [fine.values_mM.slice(10, 200)], [coarse.values_mM.slice(10, 200)], 3, random(2));
    const [late] = recorder.marks();
    expect(late.t_peak_ms).toBeCloseTo(100, 1);
    expect(late.t_peak_error_ms).toBeNull();
    // The next cycle has the coarse values from its start.
    feed(recorder, fine.time_ms.slice(0, 200).map((t) => t + 400), [fine.values_mM.slice(0, 200)], [coarse.values_mM.slice(0, 200)], 5, random(3));
    const [next] = recorder.marks();
    expect(next.t_peak_ms).toBeCloseTo(500, 1);
    expect(next.t_peak_error_ms).toBeCloseTo(0.6 / 3, 2);
  });
});
