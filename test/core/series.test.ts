import { describe, expect, it } from 'vitest';
import { TimeSeries } from '../../src/core/series.js';

describe('TimeSeries', () => {
  it('grows past its initial capacity and keeps every sample of every column in order', () => {
    const series = new TimeSeries(['potassium', 'volume fraction'], 3);
    const count = 1000; // several doublings past 3
    for (let s = 0; s < count; s++) series.push(0.1 * s, [3 + s, -s / 7]);
    expect(series.length).toBe(count);
    const times = series.time_ms();
    const potassium = series.column(0);
    const volumeFraction = series.column(1);
    expect(times.length).toBe(count);
    expect(potassium.length).toBe(count);
    expect(volumeFraction.length).toBe(count);
    for (let s = 0; s < count; s++) {
      expect(times[s]).toBe(0.1 * s);
      expect(potassium[s]).toBe(3 + s);
      expect(volumeFraction[s]).toBe(-s / 7);
    }
  });

  it('grows from an initial capacity of zero', () => {
    const series = new TimeSeries(['a'], 0);
    for (let s = 0; s < 40; s++) series.push(s, [2 * s]);
    expect(Array.from(series.time_ms())).toEqual(Array.from({ length: 40 }, (_, s) => s));
    expect(Array.from(series.column(0))).toEqual(Array.from({ length: 40 }, (_, s) => 2 * s));
  });

  it('exposes only the recorded part: no trailing zeros from spare capacity', () => {
    const series = new TimeSeries(['a'], 64);
    series.push(1.5, [7]);
    series.push(2.5, [8]);
    expect(Array.from(series.time_ms())).toEqual([1.5, 2.5]);
    expect(Array.from(series.column(0))).toEqual([7, 8]);
  });

  it('starts empty and keeps the column names', () => {
    const series = new TimeSeries(['x', 'y', 'z']);
    expect(series.length).toBe(0);
    expect(series.time_ms().length).toBe(0);
    expect(series.names).toEqual(['x', 'y', 'z']);
  });

  it('past maxSamples thins to every second sample, keeping the first, the last and every landmark with 4 neighbours each side', () => {
    // A landmark at the largest value of the column: the peak of a bump at t = 700.
    const largest = (_times: Float64Array, values: Float64Array) => [values.indexOf(Math.max(...values))];
    const series = new TimeSeries(['bump'], 16, 100, largest);
    const count = 10_000;
    for (let s = 0; s < count; s++) series.push(s, [Math.exp(-(((s - 700) / 50) ** 2))]);
    expect(series.thinnings).toBeGreaterThan(5);
    expect(series.length).toBeLessThanOrEqual(100);
    const times = Array.from(series.time_ms());
    expect(times[0]).toBe(0);
    expect(times.at(-1)).toBe(count - 1);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const peak = times.indexOf(700);
    expect(times.slice(peak - 4, peak + 5)).toEqual([696, 697, 698, 699, 700, 701, 702, 703, 704]);
    expect(Array.from(series.column(0))).toEqual(times.map((t) => Math.exp(-(((t - 700) / 50) ** 2))));
  });
});

