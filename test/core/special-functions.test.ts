import { describe, expect, it } from 'vitest';
import { erfc, expTimesErfc } from '../../src/core/special-functions.js';

/** |actual − expected| / |expected|. */
function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

// Reference values: 40-digit mpmath evaluations rounded to double (they agree with A&S table 7.1).
const textbookErfc: Array<[x: number, erfcOfX: number]> = [
  [0, 1],
  [0.5, 0.4795001221869535],
  [1, 0.15729920705028513],
  [2, 0.004677734981047266],
  [2.5, 4.069520174449590e-4],
  [3, 2.209049699858544e-5],
  [5, 1.5374597944280349e-12],
  [10, 2.088487583762545e-45],
  [20, 5.395865611607901e-176],
  [-1, 1.8427007929497148],
  [-2.5, 1.999593047982555],
];

describe('erfc', () => {
  it.each(textbookErfc)('erfc(%s) matches the textbook value to 1e-12 relative', (x, expected) => {
    expect(relativeError(erfc(x), expected)).toBeLessThanOrEqual(1e-12);
  });

  // The series branch computes erfc = 1 − erf, which loses about log10(1/erfc) digits just below the
  // switch at 2 (measured worst case 1.4e-13 at x = 1.999); above it the continued fraction holds
  // full precision. Both sides stay within 1e-12.
  it.each([
    [1.75, 0.013328328780817557],
    [1.9, 0.0072095707647425325],
    [1.999, 0.004698443348629487],
    [2.25, 0.0014627165866811518],
    [2.45, 0.0005305801122510539],
    [2.499, 0.00040913575574460533],
  ])('erfc(%s) near the series/continued-fraction switch is within 1e-12 relative', (x, expected) => {
    expect(relativeError(erfc(x), expected)).toBeLessThanOrEqual(1e-12);
  });

  it('satisfies the reflection erfc(−x) = 2 − erfc(x) to 1e-15 absolute', () => {
    for (const x of [0.1, 0.7, 1.3, 2.2, 2.5, 3.7, 6]) {
      expect(Math.abs(erfc(-x) - (2 - erfc(x)))).toBeLessThanOrEqual(1e-15);
    }
  });

  it('is continuous across the series/continued-fraction switch at x = 2 (no jump beyond 1e-12 relative)', () => {
    // erfc(2 − ε) − erfc(2 + ε) = 2ε·(2/√π)e^{−4} + O(ε³); any jump between the two branches
    // shows up as the residual. ε = 1e-6 makes the O(ε³) term ~1e-18 relative.
    const epsilon = 1e-6;
    const below = erfc(2 - epsilon);
    const above = erfc(2 + epsilon);
    const slopeTerm = 2 * epsilon * (2 / Math.sqrt(Math.PI)) * Math.exp(-4);
    const jump = below - above - slopeTerm;
    expect(Math.abs(jump) / erfc(2)).toBeLessThanOrEqual(1e-12);
  });

  it('is strictly decreasing across the switch on a 1e-3 grid from 1.9 to 2.1', () => {
    let previous = erfc(1.9);
    for (let x = 1.901; x <= 2.1; x += 0.001) {
      const value = erfc(x);
      expect(value).toBeLessThan(previous);
      previous = value;
    }
  });

  it('stays positive and finite deep in the tail (x = 26: ~5.7e-296, 1e-12 relative)', () => {
    // 40-digit mpmath: erfc(26) = 5.663192408856143e-296.
    expect(relativeError(erfc(26), 5.663192408856143e-296)).toBeLessThanOrEqual(1e-12);
  });
});

describe('expTimesErfc', () => {
  it('equals Math.exp(a)·erfc(b) where both factors are representable (1e-13 relative)', () => {
    for (const a of [-20, -3, 0, 1.5, 40]) {
      for (const b of [-2, 0, 0.8, 2.4, 2.5, 3, 6, 12]) {
        const separate = Math.exp(a) * erfc(b);
        expect(relativeError(expTimesErfc(a, b), separate)).toBeLessThanOrEqual(1e-13);
      }
    }
  });

  it.each([
    [-5, 0.5, 0.0032308464093506978],
    [2, -1.5, 14.527661223702333],
    [10, 4, 0.00033958770379023147],
    [-3, 2.5, 2.026094791497233e-5],
    [700, 3, 2.2404890160992763e299],
    [300, 20, 1.048107178916179e-45],
    [800, 30, 6.992213460131408e-46],
  ])('expTimesErfc(%s, %s) matches the 40-digit value to 1e-12 relative', (a, b, expected) => {
    expect(relativeError(expTimesErfc(a, b), expected)).toBeLessThanOrEqual(1e-12);
  });

  it('stays finite where exp(a) alone overflows: a = 800, b = 30 matches the asymptotic series to 1e-6 relative', () => {
    const a = 800;
    const b = 30;
    expect(Math.exp(a)).toBe(Infinity); // the naive product would be Infinity · 0
    // erfc b ~ e^{−b²}/(b√π) · (1 − 1/(2b²) + 3/(4b⁴) − …); the next term, 15/(8b⁶) ≈ 2.6e-9, is far
    // below the 1e-6 tolerance.
    const asymptotic = (Math.exp(a - b * b) / (b * Math.sqrt(Math.PI)))
      * (1 - 1 / (2 * b * b) + 3 / (4 * b ** 4));
    const value = expTimesErfc(a, b);
    expect(Number.isFinite(value)).toBe(true);
    expect(relativeError(value, asymptotic)).toBeLessThanOrEqual(1e-6);
  });

  it('does not underflow to zero where erfc(b) alone does: a = 1000, b = 32 matches the 40-digit value to 1e-12 relative', () => {
    expect(erfc(32)).toBe(0); // erfc(32) ≈ 1e-446, below the smallest double
    // 40-digit mpmath: e^1000 · erfc(32) = 6.652665999868649e-13.
    expect(relativeError(expTimesErfc(1000, 32), 6.652665999868649e-13)).toBeLessThanOrEqual(1e-12);
  });

  it('stays finite where exp(a) overflows but the product fits: a = 712, b = 1.5 matches the 40-digit value to 1e-12 relative', () => {
    expect(Math.exp(712)).toBe(Infinity);
    // 40-digit mpmath: e^712 · erfc(1.5) = 5.595061654512327e+307. exp(a + ln erfc b) carries a
    // relative error of about a·ε ≈ 1.6e-13.
    expect(relativeError(expTimesErfc(712, 1.5), 5.595061654512327e307)).toBeLessThanOrEqual(1e-12);
  });
});
