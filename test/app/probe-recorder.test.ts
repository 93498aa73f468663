// The page's probe record turns the worker's paired samples (the half-step shadow's values and the
// coarse run's) into time errors by Richardson's rule: |fine − coarse|/3, for the latest values and
// for t_peak and t_half. Checked on curves whose read-outs are known exactly.
import { describe, expect, it } from 'vitest';
import { ProbeRecorder } from '../../src/app/probe-recorder.js';

/** A release curve baseline + t·e^{1 − t/T} (peak 1 at t = T), sampled every 2 ms to 400 ms. */
function curve(T_ms: number): { time_ms: number[]; values_mM: number[] } {
  const time_ms = Array.from({ length: 201 }, (_, k) => 2 * k);
  return { time_ms, values_mM: time_ms.map((t) => 3 + (t / T_ms) * Math.exp(1 - t / T_ms)) };
}

describe('the probe record', () => {
  it('gives |fine − coarse|/3 as the time error of the latest value, t_peak and t_half', () => {
    const fine = curve(100), coarse = curve(100.6);
    const recorder = new ProbeRecorder(['r30']);
    recorder.add({ time_ms: fine.time_ms, values_mM: [fine.values_mM], coarse_mM: [coarse.values_mM] });
    const last = fine.values_mM.length - 1;
    expect(recorder.latestTimeError()[0]).toBeCloseTo(Math.abs(fine.values_mM[last] - coarse.values_mM[last]) / 3, 15);
    const [marks] = recorder.marks(0);
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
    const [marks] = recorder.marks(0);
    expect(marks.t_peak_ms).toBeCloseTo(100, 1);
    expect(marks.t_peak_error_ms).toBeNull();
    expect(marks.t_half_error_ms).toBeNull();
  });
});
