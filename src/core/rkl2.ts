// Coefficients of the second-order Runge–Kutta–Legendre super-step (RKL2; Meyer, Balsara & Aslam,
// J. Comput. Phys. 257, 2014), in the increment form the kernel computes (assembly/stage_uniform.ts):
//   D_j = μ_j D_{j−1} + ν_j D_{j−2} + τ M_lin(a_j D_{j−1} + g_j u) + τ g_j (bath and source terms).
// s stages advance du/dt = M(u) by τ, stably for τ ≤ (s² + s − 2)/4 times the forward-Euler limit
// 2/ρ (ρ: spectral radius of M, real and negative spectrum), with a local error
// (p₃ − 1/6) τ³ M³ u + O(τ⁴), p₃ the z³ coefficient of the stability polynomial (0 for s = 2,
// → 1/9 for large s). The step error is estimated against the trapezoidal rule, whose z³
// coefficient is 1/4: their difference D_s − τ(M(u) + ½ M_lin D_s) is (p₃ − 1/4) τ³ M³ u, so the
// RKL2 error is (p₃ − 1/6)/(p₃ − 1/4) times it.

/** One stage: out ← mu·prev + nu·out + S(a·prev + g·u); g also weighs the sources of the stage. */
export interface Rkl2Stage {
  a: number;
  g: number;
  mu: number;
  nu: number;
}

/** A super-step of s stages. */
export interface Rkl2Plan {
  stages: Rkl2Stage[];
  /** Local error of the super-step divided by the trapezoidal-rule difference (see above). */
  errorRatio: number;
  /** Largest τ for this s, in units of the forward-Euler limit. */
  stableMultiple: number;
}

/** Most stages a super-step may take (τ up to ~10⁴ forward-Euler limits). */
export const MAX_STAGES = 200;

/** Largest stable τ of an s-stage super-step, in units of the forward-Euler limit. */
export function stableMultiple(stages: number): number {
  return (stages * stages + stages - 2) / 4;
}

/**
 * The fewest stages (≥ 2) whose stable range holds τ = multiple × the forward-Euler limit with a
 * 5% margin (at the very end of the range the stiffest modes are not damped). Throws past MAX_STAGES.
 */
export function stagesFor(multiple: number): number {
  const needed = 1.05 * multiple;
  const s = Math.max(2, Math.ceil((-1 + Math.sqrt(1 + 4 * (4 * needed + 2))) / 2 - 1e-12));
  if (s > MAX_STAGES) throw new RangeError(`a super-step of ${multiple} forward-Euler limits needs more than ${MAX_STAGES} stages`);
  return s;
}

const plans = new Map<number, Rkl2Plan>();

/**
 * The stages of an s-stage super-step (cached). The first stage reads the register that holds the
 * compensation `low` as D_0 and weighs it so that the recurrence carries it into D_s with weight
 * exactly 1 (assembly/super_step.ts).
 */
export function rkl2Plan(s: number): Rkl2Plan {
  const cached = plans.get(s);
  if (cached) return cached;
  if (!(Number.isInteger(s) && s >= 2)) throw new RangeError(`RKL2 needs at least 2 stages, not ${s}`);
  const b = (j: number) => (j < 2 ? 1 / 3 : (j * j + j - 2) / (2 * j * (j + 1)));
  const w1 = 4 / (s * s + s - 2);
  const raw: Array<{ mu: number; nu: number; muTilde: number; gammaTilde: number }> = [];
  for (let j = 2; j <= s; j++) {
    const mu = ((2 * j - 1) / j) * (b(j) / b(j - 1));
    const nu = (-(j - 1) / j) * (b(j) / b(j - 2));
    raw.push({ mu, nu, muTilde: mu * w1, gammaTilde: -(1 - b(j - 1)) * mu * w1 });
  }
  // Weight of low in D_j: c_j = μ_j c_{j−1} + ν_j c_{j−2}, c_0 = 1, c_1 free, affine in c_1: solve c_s = 1.
  const carry = (c1: number) => {
    let [previous, current] = [1, c1];
    for (const { mu, nu } of raw) [previous, current] = [current, mu * current + nu * previous];
    return current;
  };
  const at0 = carry(0), slope = carry(1) - at0;
  const c1 = (1 - at0) / slope;
  const stages: Rkl2Stage[] = [{ a: 0, g: b(1) * w1, mu: c1, nu: 0 }];
  for (const { mu, nu, muTilde, gammaTilde } of raw) stages.push({ a: muTilde, g: muTilde + gammaTilde, mu, nu });
  const p3 = stabilityTaylor(stages)[3];
  const plan = { stages, errorRatio: (p3 - 1 / 6) / (p3 - 1 / 4), stableMultiple: stableMultiple(s) };
  plans.set(s, plan);
  return plan;
}

/**
 * The first four Taylor coefficients of the stability polynomial Y_s(z)/Y_0 of a plan (for the
 * scalar test equation y′ = λy, z = λτ), from the increment recurrence on truncated power series.
 */
export function stabilityTaylor(stages: Rkl2Stage[]): number[] {
  const degree = 4;
  const times = (p: number[], factor: number) => p.map((c) => c * factor);
  const shiftZ = (p: number[]) => [0, ...p.slice(0, degree - 1)];
  const add = (...ps: number[][]) => ps.reduce((sum, p) => sum.map((c, i) => c + p[i]), new Array(degree).fill(0));
  const one = [1, 0, 0, 0];
  // D_0 = 0 here (the compensation is not part of the scheme), D_j as series in z.
  let previous = new Array(degree).fill(0);
  let current = new Array(degree).fill(0);
  for (const { a, g, mu, nu } of stages) {
    const next = add(times(current, mu), times(previous, nu), shiftZ(add(times(current, a), times(one, g))));
    [previous, current] = [current, next];
  }
  return add(one, current);
}
