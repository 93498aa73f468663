// The second-order Runge–Kutta–Legendre super-step (src/core/rkl2.ts; Meyer, Balsara & Aslam,
// J. Comput. Phys. 257, 2014). For the scalar test equation y′ = λy (z = λτ) a super-step multiplies
// y by its stability polynomial P(z). Here P is evaluated from the plan's stages with the same
// increment recurrence the kernel runs, and compared with independent results: the closed form
// P(z) = 1 − b_s + b_s L_s(1 + w₁z) (L_s the Legendre polynomial, b_s = (s² + s − 2)/(2s(s + 1)),
// w₁ = 4/(s² + s − 2)), whose Taylor coefficients are 1, 1, 1/2 and p₃ = (s² + s − 6)/(9(s² + s − 2)),
// and the exact solution e^z.
import { describe, expect, it } from 'vitest';
import {
  rkl2Plan, stagesFor, stableMultiple, stabilityTaylor, MAX_STAGES, type Rkl2Stage,
} from '../../src/core/rkl2.js';

const STAGE_COUNTS = [2, 3, 4, 5, 8, 16, 32, 64];

/**
 * The kernel's recurrence on a scalar (assembly/stage_uniform.ts): D_0 = d0 (the compensation; 0 for
 * the scheme itself), stage j: next = μ·current + ν·previous + z·(a·current + g·1); P = 1 + D_s.
 */
function evaluate(stages: Rkl2Stage[], z: number, d0 = 0): number {
  let previous = 0;
  let current = d0;
  for (const { a, g, mu, nu } of stages) {
    const next = mu * current + nu * previous + z * (a * current + g * 1);
    previous = current;
    current = next;
  }
  return 1 + current;
}

/**
 * All coefficients of P(z) (degree s; at least four entries), by the same recurrence on full
 * (untruncated) polynomials in z.
 */
function polynomialCoefficients(stages: Rkl2Stage[]): number[] {
  const size = Math.max(4, stages.length + 1);
  let previous = new Array<number>(size).fill(0);
  let current = new Array<number>(size).fill(0);
  for (const { a, g, mu, nu } of stages) {
    const next = new Array<number>(size).fill(0);
    for (let k = 0; k < size; k++) {
      next[k] = mu * current[k] + nu * previous[k] + (k > 0 ? a * current[k - 1] : 0);
    }
    next[1] += g;
    previous = current;
    current = next;
  }
  current[0] += 1;
  return current;
}

/** Legendre polynomial L_n(x) by Bonnet's recursion (k + 1) L_{k+1} = (2k + 1) x L_k − k L_{k−1}. */
function legendre(n: number, x: number): number {
  let previous = 1;
  let current = x;
  if (n === 0) return previous;
  for (let k = 1; k < n; k++) [previous, current] = [current, ((2 * k + 1) * x * current - k * previous) / (k + 1)];
  return current;
}

/** Meyer et al.'s RKL2 stability polynomial in closed form. */
function closedFormP(s: number, z: number): number {
  const b = (s * s + s - 2) / (2 * s * (s + 1));
  const w1 = 4 / (s * s + s - 2);
  return 1 - b + b * legendre(s, 1 + w1 * z);
}

/** The z³ coefficient of the closed form: b_s w₁³ L_s‴(1)/6, L_s‴(1) = (s − 2)(s − 1)s(s + 1)(s + 2)(s + 3)/48. */
function closedFormP3(s: number): number {
  return (s * s + s - 6) / (9 * (s * s + s - 2));
}

describe('stability polynomial of rkl2Plan(s), evaluated with the kernel\'s recurrence', () => {
  for (const s of STAGE_COUNTS) {
    const { stages } = rkl2Plan(s);
    const edge = -2 * stableMultiple(s);

    it(`s = ${s}: has ${s} stages and equals the closed form 1 − b_s + b_s L_s(1 + w₁z) on [−2·stableMultiple, 0] (1e-12 absolute)`, () => {
      expect(stages.length).toBe(s);
      let worst = 0;
      for (let i = 0; i <= 2000; i++) {
        const z = (edge * i) / 2000;
        worst = Math.max(worst, Math.abs(evaluate(stages, z) - closedFormP(s, z)));
      }
      expect(worst).toBeLessThan(1e-12);
    });

    it(`s = ${s}: P(z) = 1 + z + z²/2 + O(z³): the recurrence's own coefficients (1e-10) and stabilityTaylor (1e-12) agree with the closed form`, () => {
      const coefficients = polynomialCoefficients(stages);
      expect(coefficients.length).toBe(Math.max(4, s + 1));
      if (s + 1 < coefficients.length) expect(coefficients[s + 1]).toBe(0);
      expect(Math.abs(coefficients[0] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(coefficients[1] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(coefficients[2] - 0.5)).toBeLessThan(1e-10);
      expect(Math.abs(coefficients[3] - closedFormP3(s))).toBeLessThan(1e-10);
      // The coefficients reproduce the recurrence's values (the monomial form is well conditioned only
      // for small |z|, so the check stays at |z| ≤ 1; 1e-12).
      for (const z of [-0.1, -0.5, -1]) {
        const horner = coefficients.reduceRight((sum, c) => sum * z + c, 0);
        expect(Math.abs(horner - evaluate(stages, z))).toBeLessThan(1e-12);
      }
      const taylor = stabilityTaylor(stages);
      const expected = [1, 1, 0.5, closedFormP3(s)];
      for (let k = 0; k < 4; k++) expect(Math.abs(taylor[k] - expected[k])).toBeLessThan(1e-12);
      // Second order, not third: the z³ coefficient is not that of e^z (1/6), which makes the local error.
      expect(Math.abs(taylor[3] - 1 / 6)).toBeGreaterThan(0.05);
    });

    it(`s = ${s}: |P(z)| ≤ 1 + 1e-12 at 20001 points of [−2·stableMultiple(${s}), 0] = [${edge}, 0], P(0) = 1`, () => {
      let largest = 0;
      for (let i = 0; i <= 20000; i++) largest = Math.max(largest, Math.abs(evaluate(stages, (edge * i) / 20000)));
      expect(largest).toBeLessThanOrEqual(1 + 1e-12);
      expect(evaluate(stages, 0)).toBe(1);
      // At the edge the Legendre argument is −1: P = 1 − b_s + b_s (−1)^s, 1 for even s (1e-12).
      const b = (s * s + s - 2) / (2 * s * (s + 1));
      expect(Math.abs(evaluate(stages, edge) - (1 - b + b * (-1) ** s))).toBeLessThan(1e-12);
    });
  }

  // Just beyond the edge L_s(x < −1) grows fast. For even s, P = 1 − b_s + b_s L_s > 1 at once: the bound is
  // tight. For odd s, P(edge) = 1 − 2 b_s > −1 and |P| only exceeds 1 once L_s < 1 − 2/b_s: the stable range
  // ends at ≈ 1.161 × the bound for s = 3 (|P(1.1 × edge)| = 0.467) and ≈ 1.053 × for s = 5 (measured).
  const beyond: Array<[number, number]> = [
    [2, 1.001], [3, 1.2], [4, 1.001], [5, 1.1], [8, 1.001], [16, 1.001], [32, 1.001], [64, 1.001],
  ];
  for (const [s, factor] of beyond) {
    it(`s = ${s}: |P| > 1 just beyond the bound, at ${factor} × (−2·stableMultiple(${s}))`, () => {
      expect(Math.abs(evaluate(rkl2Plan(s).stages, -2 * stableMultiple(s) * factor))).toBeGreaterThan(1);
    });
  }
  it('s = 3: at 1.1 × the bound |P| is still below 1 (odd s are stable somewhat past it), but not at 1.2 ×', () => {
    const { stages } = rkl2Plan(3);
    expect(Math.abs(evaluate(stages, -2 * stableMultiple(3) * 1.1))).toBeLessThan(1);
    expect(Math.abs(closedFormP(3, -2 * stableMultiple(3) * 1.2))).toBeGreaterThan(1);
  });
});

describe('stableMultiple and the plan\'s fields', () => {
  it('stableMultiple(s) = (s² + s − 2)/4 and each plan carries it (s = 2…MAX_STAGES, exact)', () => {
    for (let s = 2; s <= MAX_STAGES; s++) {
      expect(stableMultiple(s)).toBe((s * s + s - 2) / 4);
      expect(rkl2Plan(s).stableMultiple).toBe(stableMultiple(s));
    }
    expect(stableMultiple(2)).toBe(1); // two stages: the forward-Euler limit itself
  });

  it('rkl2Plan refuses fewer than 2 or non-integer stage counts with a RangeError', () => {
    for (const s of [1, 0, -3, 2.5, NaN]) expect(() => rkl2Plan(s)).toThrow(RangeError);
  });
});

describe('compensation weight of the first stage', () => {
  for (const s of STAGE_COUNTS) {
    it(`s = ${s}: D_0 = 1 (the compensation) and z = 0 carry into D_s with weight 1 (1e-12); with μ₁ = 1 it would not`, () => {
      const { stages } = rkl2Plan(s);
      // P − 1 = D_s; at z = 0 the scheme adds nothing of its own, so D_s is the carried compensation.
      expect(Math.abs(evaluate(stages, 0, 1) - 1 - 1)).toBeLessThan(1e-12);
      // Non-vacuous for s ≥ 3: the unadjusted first stage would carry 1.25 (s = 3) … 1.5 (s → ∞).
      if (s >= 3) {
        const unadjusted = [{ ...stages[0], mu: 1 }, ...stages.slice(1)];
        expect(Math.abs(evaluate(unadjusted, 0, 1) - 1 - 1)).toBeGreaterThan(0.2);
      }
    });
  }
});

describe('errorRatio', () => {
  for (const s of STAGE_COUNTS) {
    it(`s = ${s}: equals (p₃ − 1/6)/(p₃ − 1/4), p₃ the z³ coefficient from the recurrence's own polynomial (1e-10 relative)`, () => {
      const p3 = polynomialCoefficients(rkl2Plan(s).stages)[3];
      const expected = (p3 - 1 / 6) / (p3 - 1 / 4);
      expect(Math.abs(rkl2Plan(s).errorRatio / expected - 1)).toBeLessThan(1e-10);
      const closed = (closedFormP3(s) - 1 / 6) / (closedFormP3(s) - 1 / 4);
      expect(Math.abs(rkl2Plan(s).errorRatio / closed - 1)).toBeLessThan(1e-10);
    });
  }

  it('s = 2: p₃ = 0 (the stages are Heun\'s 1 + z + z²/2) and errorRatio = 2/3 (1e-15)', () => {
    const plan = rkl2Plan(2);
    expect(Math.abs(stabilityTaylor(plan.stages)[3])).toBeLessThan(1e-15);
    expect(Math.abs(plan.errorRatio - 2 / 3)).toBeLessThan(1e-15);
    for (const z of [-0.5, -1, -2]) expect(Math.abs(evaluate(plan.stages, z) - (1 + z + (z * z) / 2))).toBeLessThan(1e-15);
  });
});

describe('convergence on y′ = −y (λ = −1, one super-step of τ, z = −τ)', () => {
  for (const s of [2, 10]) {
    it(`s = ${s}: the local error |P(−τ) − e^{−τ}| falls as τ³ (order ≥ 2.9 for τ = 0.1 → 0.05 → 0.025) with constant |p₃ − 1/6| (3%)`, () => {
      const { stages } = rkl2Plan(s);
      const error = (tau: number) => Math.abs(evaluate(stages, -tau) - Math.exp(-tau));
      const taus = [0.1, 0.05, 0.025];
      const errors = taus.map(error);
      for (let i = 0; i + 1 < taus.length; i++) {
        const order = Math.log(errors[i] / errors[i + 1]) / Math.log(taus[i] / taus[i + 1]);
        expect(order).toBeGreaterThanOrEqual(2.9);
        expect(order).toBeLessThan(3.1); // third-order local error: second-order scheme, not better
      }
      const constant = errors[2] / taus[2] ** 3;
      expect(Math.abs(constant / Math.abs(closedFormP3(s) - 1 / 6) - 1)).toBeLessThan(0.03);
    });
  }

  for (const s of [2, 3, 10, 64]) {
    it(`s = ${s}: the embedded estimate errorRatio·(P − (1 + z/2·(1 + P))) matches the true local error P − e^z within 10% at z = −0.05`, () => {
      const { stages, errorRatio } = rkl2Plan(s);
      const z = -0.05;
      const P = evaluate(stages, z);
      const trapezoidDifference = P - (1 + (z / 2) * (1 + P));
      const estimate = errorRatio * trapezoidDifference;
      const truth = P - Math.exp(z);
      expect(Math.abs(truth)).toBeGreaterThan(1e-6); // far above rounding (≈ 1e-16)
      expect(Math.abs(estimate / truth - 1)).toBeLessThan(0.1);
    });
  }
});

describe('stagesFor', () => {
  /** The fewest s ≥ 2 with stableMultiple(s) ≥ 1.05 m, by counting up. */
  function bruteForce(multiple: number): number {
    let s = 2;
    while ((s * s + s - 2) / 4 < 1.05 * multiple) s++;
    return s;
  }

  it('matches the brute-force count for m = 0.5, 1, 2.4, 100, 1000 (2, 3, 4, 21, 65)', () => {
    const cases = [0.5, 1, 2.4, 100, 1000];
    expect(cases.map(bruteForce)).toEqual([2, 3, 4, 21, 65]);
    for (const m of cases) expect(stagesFor(m)).toBe(bruteForce(m));
  });

  it('matches the brute-force count at 5000 log-spaced m from 1e-3 to the largest allowed', () => {
    const largest = stableMultiple(MAX_STAGES) / 1.05;
    let compared = 0;
    for (let i = 0; i < 5000; i++) {
      const m = 1e-3 * (largest / 1e-3) ** (i / 5000);
      expect(stagesFor(m)).toBe(bruteForce(m));
      compared++;
    }
    expect(compared).toBe(5000);
  });

  it('the stable range of the chosen s holds the step with the 5% margin, and s − 1 stages would not', () => {
    for (const m of [0.5, 1, 2.4, 7.7, 100, 1000, 9000]) {
      const s = stagesFor(m);
      expect(stableMultiple(s)).toBeGreaterThanOrEqual(1.05 * m);
      if (s > 2) expect(stableMultiple(s - 1)).toBeLessThan(1.05 * m);
    }
  });

  it(`returns MAX_STAGES (${MAX_STAGES}) up to stableMultiple(MAX_STAGES)/1.05 and throws a RangeError past it`, () => {
    const largest = stableMultiple(MAX_STAGES) / 1.05; // ≈ 9571 forward-Euler limits
    expect(stagesFor(largest * 0.999)).toBe(MAX_STAGES);
    expect(() => stagesFor(largest * 1.001)).toThrow(RangeError);
    expect(() => stagesFor(1e6)).toThrow(RangeError);
    expect(() => stagesFor(Infinity)).toThrow(RangeError);
  });
});
