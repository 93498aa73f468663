// Power-law fits y = c·x^p (src/core/scaling.ts) by least squares in log–log space: exact on exact
// power laws, r² < 1 on noisy data, and only positive finite pairs are used.
import { describe, expect, it } from 'vitest';
import { fitPowerLaw } from '../../src/core/scaling.js';

/** Relative tolerance for recovering the parameters of exact power laws. */
const EXACT = 1e-12;

const expectRelative = (actual: number, expected: number, tolerance: number) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.abs(expected));

describe('fitPowerLaw on exact power laws', () => {
  const cases: [string, number, number, number[]][] = [
    ['t = 100·λ² (diffusion time against tortuosity)', 100, 2, [1.4, 1.8, 2.2]],
    ['t = 50·α^-1', 50, -1, [0.1, 0.2, 0.4, 0.8]],
    ['y = 3.7·x^0.5', 3.7, 0.5, [1, 4, 9, 16, 25]],
    ['y = 1e-6·x^3 over six decades', 1e-6, 3, [1e-3, 1e-1, 1, 10, 1e3]],
    ['y = 2·x^-2.5 with two points', 2, -2.5, [0.5, 7]],
  ];
  for (const [name, prefactor, exponent, x] of cases) {
    it(`${name}: exponent and prefactor within ${EXACT} relative, r² = 1 within ${EXACT}`, () => {
      const y = x.map((xi) => prefactor * xi ** exponent);
      const fit = fitPowerLaw(x, y);
      expect(fit).not.toBeNull();
      expectRelative(fit!.exponent, exponent, EXACT);
      expectRelative(fit!.prefactor, prefactor, EXACT);
      expect(Math.abs(fit!.r2 - 1)).toBeLessThanOrEqual(EXACT);
      expect(fit!.points).toBe(x.length);
    });
  }

  it('a constant y gives exponent 0 (within 1e-12), prefactor = the constant, r² = 1', () => {
    const fit = fitPowerLaw([1, 2, 4], [7, 7, 7]);
    expect(fit).not.toBeNull();
    expect(Math.abs(fit!.exponent)).toBeLessThanOrEqual(EXACT);
    expectRelative(fit!.prefactor, 7, EXACT);
    expect(fit!.r2).toBe(1);
  });

  it('the order of the points does not matter', () => {
    const x = [0.4, 0.1, 0.8, 0.2];
    const fit = fitPowerLaw(x, x.map((xi) => 50 / xi));
    expectRelative(fit!.exponent, -1, EXACT);
    expectRelative(fit!.prefactor, 50, EXACT);
  });
});

describe('fitPowerLaw on noisy data', () => {
  // y = 10·x² times fixed ±10 % factors: deterministic "noise".
  const x = [1, 2, 3, 4, 5, 6];
  const noise = [1.1, 0.9, 1.05, 0.92, 1.08, 0.95];
  const y = x.map((xi, i) => 10 * xi ** 2 * noise[i]);
  const fit = fitPowerLaw(x, y)!;

  it('r² is below 1 (by more than 1e-6) but still high (> 0.95)', () => {
    expect(fit.r2).toBeLessThan(1 - 1e-6);
    expect(fit.r2).toBeGreaterThan(0.95);
  });

  it('the exponent is near 2 (within 0.2) but not exactly 2 (off by more than 1e-6)', () => {
    expect(Math.abs(fit.exponent - 2)).toBeLessThan(0.2);
    expect(Math.abs(fit.exponent - 2)).toBeGreaterThan(1e-6);
  });

  it('r² is in [0, 1] for uncorrelated data and near 0 for a zig-zag with no trend', () => {
    const zigzag = fitPowerLaw([1, 2, 4, 8], [1, 10, 1, 10])!;
    expect(zigzag.r2).toBeGreaterThanOrEqual(0);
    expect(zigzag.r2).toBeLessThan(0.5);
  });

  it('matches the ordinary least-squares slope in log space computed by hand (1e-12 relative)', () => {
    const lx = x.map(Math.log), ly = y.map(Math.log);
    const mx = lx.reduce((a, b) => a + b) / lx.length, my = ly.reduce((a, b) => a + b) / ly.length;
    let sxy = 0, sxx = 0;
    lx.forEach((v, i) => {
      sxy += (v - mx) * (ly[i] - my);
      sxx += (v - mx) ** 2;
    });
    expectRelative(fit.exponent, sxy / sxx, EXACT);
    expectRelative(fit.prefactor, Math.exp(my - (sxy / sxx) * mx), EXACT);
  });
});

describe('fitPowerLaw ignores unusable points', () => {
  // The usable points lie on y = 100·x²; every unusable one is far off that line.
  const goodX = [1.4, 1.8, 2.2];
  const good = goodX.map((xi) => 100 * xi * xi);

  it('ignores null y', () => {
    const fit = fitPowerLaw([...goodX, 3], [...good, null])!;
    expect(fit.points).toBe(3);
    expectRelative(fit.exponent, 2, EXACT);
  });

  it('ignores y ≤ 0', () => {
    const fit = fitPowerLaw([...goodX, 3, 4], [...good, 0, -5])!;
    expect(fit.points).toBe(3);
    expectRelative(fit.exponent, 2, EXACT);
  });

  it('ignores x ≤ 0', () => {
    const fit = fitPowerLaw([0, -1, ...goodX], [1, 1, ...good])!;
    expect(fit.points).toBe(3);
    expectRelative(fit.exponent, 2, EXACT);
  });

  it('ignores non-finite x and y (NaN, ±Infinity)', () => {
    const fit = fitPowerLaw([...goodX, NaN, Infinity, 5, 6], [...good, 3, 3, Infinity, NaN])!;
    expect(fit.points).toBe(3);
    expectRelative(fit.exponent, 2, EXACT);
    expectRelative(fit.prefactor, 100, EXACT);
  });

  it('ignores x beyond the end of y (y shorter than x)', () => {
    const fit = fitPowerLaw([...goodX, 10], good)!;
    expect(fit.points).toBe(3);
  });
});

describe('fitPowerLaw returns null when there is no line to fit', () => {
  it('no points', () => {
    expect(fitPowerLaw([], [])).toBeNull();
  });

  it('one point', () => {
    expect(fitPowerLaw([2], [4])).toBeNull();
  });

  it('fewer than 2 usable points among several', () => {
    expect(fitPowerLaw([1, 2, 3, 4], [null, 0, 5, -1])).toBeNull();
  });

  it('all usable x equal (no spread in log x)', () => {
    expect(fitPowerLaw([2, 2, 2], [1, 2, 3])).toBeNull();
  });

  it('x equal among the usable points once the unusable ones are dropped', () => {
    expect(fitPowerLaw([2, 3, 2], [1, null, 5])).toBeNull();
  });
});
