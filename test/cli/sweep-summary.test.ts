// The exported helpers of src/cli/sweep-command.ts: plotData (the α × λ grid of one metric from
// the table rows) and scalingSummary (power-law exponents of every _ms column), on synthetic rows.
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/cli/csv.js';
import { plotData, scalingSummary } from '../../src/cli/sweep-command.js';

const COLUMNS = ['alpha', 'lambda', 'r50_peak_mM', 'r50_t_half_ms'];
const ALPHAS = [0.1, 0.2, 0.4];
const LAMBDAS = [1.4, 1.8, 2.2];

/** One row per (α, λ) with the given metric values, in a scrambled (not α, λ) order. */
function rows(peak: (alpha: number, lambda: number) => Cell, time: (alpha: number, lambda: number) => Cell): Cell[][] {
  const all = ALPHAS.flatMap((alpha) => LAMBDAS.map((lambda) => [alpha, lambda, peak(alpha, lambda), time(alpha, lambda)]));
  // A fixed permutation, so the helpers cannot rely on the table order.
  return [4, 8, 0, 6, 2, 7, 1, 5, 3].map((index) => all[index]);
}

/** The summary line of one column. */
function lineOf(summary: string, column: string): string {
  const line = summary.split('\n').find((text) => text.trimStart().startsWith(`${column}:`));
  if (!line) throw new Error(`no line for ${column} in:\n${summary}`);
  return line;
}

describe('plotData', () => {
  it('builds the grid over sorted distinct α (outer) and λ (inner) from unordered rows', () => {
    const data = plotData(COLUMNS, rows((a, l) => a + l, (a, l) => 1000 * a + l), 'r50_t_half_ms');
    expect(data.alphas).toEqual(ALPHAS);
    expect(data.lambdas).toEqual(LAMBDAS);
    expect(data.metric).toBe('r50_t_half_ms');
    ALPHAS.forEach((alpha, a) => LAMBDAS.forEach((lambda, l) => {
      expect(data.values[a][l]).toBe(1000 * alpha + lambda);
    }));
  });

  it('reads the requested column, not another one', () => {
    const data = plotData(COLUMNS, rows((a, l) => a * l, () => -1), 'r50_peak_mM');
    expect(data.values[2][0]).toBe(0.4 * 1.4);
  });

  it('has null where a combination is missing from the rows', () => {
    const table = rows(() => 1, (a, l) => a * 100 + l).filter(([alpha, lambda]) => !(alpha === 0.2 && lambda === 1.8));
    expect(table).toHaveLength(8);
    const data = plotData(COLUMNS, table, 'r50_t_half_ms');
    expect(data.alphas).toEqual(ALPHAS);
    expect(data.lambdas).toEqual(LAMBDAS);
    expect(data.values[1][1]).toBeNull();
    expect(data.values.flat().filter((v) => v === null)).toHaveLength(1);
    expect(data.values[1][0]).toBe(0.2 * 100 + 1.4);
  });

  it('has null where a row holds null for the metric (not reached)', () => {
    const data = plotData(COLUMNS, rows(() => 1, (a, l) => (a === 0.4 && l === 2.2 ? null : 5)), 'r50_t_half_ms');
    expect(data.values[2][2]).toBeNull();
    expect(data.values[0][0]).toBe(5);
  });

  it('keeps a metric value of 0 as 0, not null', () => {
    const data = plotData(COLUMNS, rows(() => 0, () => 1), 'r50_peak_mM');
    expect(data.values.flat()).toEqual(Array(9).fill(0));
  });

  it('a grid with rows for only some λ at some α: α and λ axes are the union of all rows', () => {
    const table: Cell[][] = [[0.4, 2.2, 1, 10], [0.1, 1.4, 1, 20]];
    const data = plotData(COLUMNS, table, 'r50_t_half_ms');
    expect(data.alphas).toEqual([0.1, 0.4]);
    expect(data.lambdas).toEqual([1.4, 2.2]);
    expect(data.values).toEqual([[20, null], [null, 10]]);
  });
});

describe('scalingSummary', () => {
  it('t = 100·λ², independent of α: ∝ λ^2.000, each per-α exponent 2.000, and varies by ≤ 0.00% across α', () => {
    const summary = scalingSummary(COLUMNS, rows(() => 1, (_a, l) => 100 * l * l));
    const line = lineOf(summary, 'r50_t_half_ms');
    expect(line).toContain('∝ λ^2.000 [2.000, 2.000, 2.000]');
    expect(line).toContain('varies by ≤ 0.00% across α');
  });

  it('t = 5·λ²/α: ∝ α^-1.000 (every per-λ exponent -1.000), still ∝ λ^2.000', () => {
    const summary = scalingSummary(COLUMNS, rows(() => 1, (a, l) => (5 * l * l) / a));
    const line = lineOf(summary, 'r50_t_half_ms');
    expect(line).toContain('∝ α^-1.000 [-1.000, -1.000, -1.000]');
    expect(line).toContain('∝ λ^2.000');
    // Across α = 0.1…0.4 at fixed λ the time changes fourfold: max/min − 1 = 300 %.
    expect(line).toContain('varies by ≤ 300.00% across α');
  });

  it('summarises only the _ms columns (time metrics), not the _mM peak', () => {
    const summary = scalingSummary(COLUMNS, rows(() => 1, () => 1));
    expect(summary).toContain('r50_t_half_ms:');
    expect(summary).not.toContain('r50_peak_mM');
    expect(summary.split('\n')).toHaveLength(2); // heading + one metric line
  });

  it('one line per _ms column, each with its own exponent', () => {
    const columns = ['alpha', 'lambda', 'a_ms', 'b_ms'];
    const table = ALPHAS.flatMap((alpha) => LAMBDAS.map((lambda) => [alpha, lambda, lambda ** 2, lambda ** 3]));
    const summary = scalingSummary(columns, table);
    expect(lineOf(summary, 'a_ms')).toContain('∝ λ^2.000');
    expect(lineOf(summary, 'b_ms')).toContain('∝ λ^3.000');
  });

  it('shows "—" for an α whose metric was never reached, and averages over the others', () => {
    const summary = scalingSummary(COLUMNS, rows(() => 1, (a, l) => (a === 0.4 ? null : 100 * l * l)));
    expect(lineOf(summary, 'r50_t_half_ms')).toContain('∝ λ^2.000 [2.000, 2.000, —]');
  });
});
