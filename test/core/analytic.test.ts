import { describe, expect, it } from 'vitest';
import {
  constantSourceExcess_mM,
  effectiveDiffusion_um2_per_ms,
  pointSourceExcess_mM,
  pointSourcePeak,
  pulseSourceExcess_mM,
  type Medium,
} from '../../src/core/analytic.js';

// Physics of the closed forms, checked against properties they must have
// (conservation, stationarity of the peak, steady states, superposition, scaling), not against
// the same formulas re-typed.

/** 1 mM = 1e-18 mol/µm³. Written out here rather than imported so a wrong constant would show. */
const MOL_PER_UM3_PER_MILLIMOLAR = 1e-18;

/** Composite Simpson rule on [from, to] with an even number of intervals. */
function simpson(f: (x: number) => number, from: number, to: number, intervals: number): number {
  const n = intervals % 2 === 0 ? intervals : intervals + 1;
  const h = (to - from) / n;
  let sum = f(from) + f(to);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(from + i * h);
  return (sum * h) / 3;
}

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/** K⁺ in cortex: D = 2.62 µm²/ms, α = 0.2, λ = 1.6, so D* ≈ 1.023 µm²/ms. */
const cortex: Medium = { alpha: 0.2, lambda: 1.6, D_um2_per_ms: 2.62 };
/** The same tissue with Nicholson's linear uptake k′ = 0.01 /ms (τ = 100 ms). */
const cortexWithUptake: Medium = { ...cortex, k_ecs_per_ms: 0.01 };
const cortexDstar = 2.62 / 1.6 ** 2;

/** 1 fmol, a typical released amount. */
const amount_mol = 1e-15;
/** 0.1 fmol/ms, about the iontophoretic rate of 30 nA with transport number 0.3. */
const rate_mol_per_ms = 1e-16;

describe('effective diffusion coefficient', () => {
  it('is D/λ² (1e-15 relative), and D itself for free diffusion (α = λ = 1)', () => {
    expect(relativeError(effectiveDiffusion_um2_per_ms(cortex), cortexDstar)).toBeLessThanOrEqual(1e-15);
    expect(effectiveDiffusion_um2_per_ms({ alpha: 1, lambda: 1, D_um2_per_ms: 2.62 })).toBe(2.62);
  });
});

describe('instantaneous point source', () => {
  /** Amount in the ECS at time t: ∫ 4πr² · α · C(r, t) dr, converted from mM·µm³ to mol. */
  function amountInECS_mol(medium: Medium, t_ms: number): number {
    const spread_um = Math.sqrt(4 * effectiveDiffusion_um2_per_ms(medium) * t_ms);
    // exp(−r²/(4D*t)) < e^{−100} beyond 10 spreads, so truncating there loses nothing measurable.
    return simpson(
      (r) => 4 * Math.PI * r * r * medium.alpha * pointSourceExcess_mM(medium, amount_mol, r, t_ms)
        * MOL_PER_UM3_PER_MILLIMOLAR,
      0, 10 * spread_um, 4000,
    );
  }

  // Simpson with 4000 intervals over a Gaussian is accurate to far better than 1e-10; 1e-6 leaves
  // room while still catching any wrong prefactor (a factor 2, π, α or the mM conversion).
  it.each([1, 10, 100, 1000])('conserves the released amount without uptake at t = %s ms (1e-6 relative)', (t_ms) => {
    expect(relativeError(amountInECS_mol(cortex, t_ms), amount_mol)).toBeLessThanOrEqual(1e-6);
  });

  it.each([1, 10, 100, 500])('loses amount as N·exp(−k′t) with uptake at t = %s ms (1e-6 relative)', (t_ms) => {
    const expected = amount_mol * Math.exp(-0.01 * t_ms);
    expect(relativeError(amountInECS_mol(cortexWithUptake, t_ms), expected)).toBeLessThanOrEqual(1e-6);
  });

  it('is zero at and before the release time', () => {
    expect(pointSourceExcess_mM(cortex, amount_mol, 10, 0)).toBe(0);
    expect(pointSourceExcess_mM(cortex, amount_mol, 10, -5)).toBe(0);
  });
});

describe('point-source peak', () => {
  /** dC/dt by central difference with step 1e-4·t, scaled to a relative rate: (dC/dt)·t / C. */
  function relativeSlope(medium: Medium, r_um: number, t_ms: number): number {
    const step = 1e-4 * t_ms;
    const later = pointSourceExcess_mM(medium, amount_mol, r_um, t_ms + step);
    const earlier = pointSourceExcess_mM(medium, amount_mol, r_um, t_ms - step);
    const value = pointSourceExcess_mM(medium, amount_mol, r_um, t_ms);
    return ((later - earlier) / (2 * step)) * t_ms / value;
  }

  // The central difference has truncation error ~(1e-4)² ≈ 1e-8 and rounding ~1e-12 in the relative
  // slope; 1e-6 is far below the O(1) slope one would see even 10 % off the peak (checked below).
  for (const [label, medium] of [['without uptake', cortex], ['with uptake k′ = 0.01/ms', cortexWithUptake]] as const) {
    it.each([20, 50, 200])(`has zero time derivative at t_peak ${label}, r = %s µm (relative slope ≤ 1e-6)`, (r_um) => {
      const { t_peak_ms } = pointSourcePeak(medium, amount_mol, r_um);
      expect(Math.abs(relativeSlope(medium, r_um, t_peak_ms))).toBeLessThanOrEqual(1e-6);
      // The same measure is clearly non-zero 10 % either side, so the check above can fail.
      expect(relativeSlope(medium, r_um, 0.9 * t_peak_ms)).toBeGreaterThan(0.05);
      expect(relativeSlope(medium, r_um, 1.1 * t_peak_ms)).toBeLessThan(-0.05);
    });
  }

  it('occurs at t_peak = r²/(6D*) without uptake (1e-14 relative)', () => {
    for (const r_um of [5, 50, 300]) {
      const { t_peak_ms } = pointSourcePeak(cortex, amount_mol, r_um);
      expect(relativeError(t_peak_ms, (r_um * r_um) / (6 * cortexDstar))).toBeLessThanOrEqual(1e-14);
    }
  });

  it('comes earlier with uptake than without', () => {
    const r_um = 100;
    expect(pointSourcePeak(cortexWithUptake, amount_mol, r_um).t_peak_ms)
      .toBeLessThan(pointSourcePeak(cortex, amount_mol, r_um).t_peak_ms);
  });

  it('has peak value N·e^{−3/2} / [α (2πr²/3)^{3/2}] without uptake (1e-12 relative)', () => {
    for (const r_um of [5, 50, 300]) {
      const expected_mol_per_um3 = (amount_mol * Math.exp(-1.5))
        / (cortex.alpha * ((2 * Math.PI * r_um * r_um) / 3) ** 1.5);
      const expected_mM = expected_mol_per_um3 / MOL_PER_UM3_PER_MILLIMOLAR;
      expect(relativeError(pointSourcePeak(cortex, amount_mol, r_um).peak_mM, expected_mM)).toBeLessThanOrEqual(1e-12);
    }
  });

  it('gives the hand-computed magnitude: 1 fmol seen 50 µm away in cortex peaks at 2.945 µM (1e-3 relative)', () => {
    // 1e-15 mol · e^{−1.5} / (0.2 · (2π·2500/3 µm²)^{1.5}) = 2.945e-21 mol/µm³ = 2.945e-3 mM, worked
    // out by hand to four digits; this pins the mol → mM conversion with an independent number.
    expect(relativeError(pointSourcePeak(cortex, amount_mol, 50).peak_mM, 2.945e-3)).toBeLessThanOrEqual(1e-3);
  });
});

describe('constant source', () => {
  const r_um = 50;
  const steadyWithoutUptake_mM = rate_mol_per_ms / (4 * Math.PI * cortexDstar * cortex.alpha * r_um)
    / MOL_PER_UM3_PER_MILLIMOLAR;

  it('approaches Q/(4πD*αr) without uptake with the 1 − r/√(πD*t) tail (leading term within 1e-3)', () => {
    // erfc(x) = 1 − 2x/√π + O(x³), so 1 − C/C∞ = r/√(πD*t)·(1 + O(r²/(D*t))); at t = 1e10 ms the
    // correction is ~1e-7, and 1e-3 tolerance on the deficit checks both the limit and its approach.
    for (const t_ms of [1e8, 1e10]) {
      const deficit = 1 - constantSourceExcess_mM(cortex, rate_mol_per_ms, r_um, t_ms) / steadyWithoutUptake_mM;
      const expectedDeficit = r_um / Math.sqrt(Math.PI * cortexDstar * t_ms);
      expect(relativeError(deficit, expectedDeficit)).toBeLessThanOrEqual(1e-3);
    }
  });

  it('approaches Q/(4πD*αr)·exp(−r√(k′/D*)) with uptake (1e-12 relative at k′t = 1000)', () => {
    // At k′t = 1000 the two erfc terms are e^{−1000}-close to 0 and 2, so the limit is reached to
    // round-off; 1e-12 allows for the rounding in exp and the products.
    const expected = steadyWithoutUptake_mM * Math.exp(-r_um * Math.sqrt(0.01 / cortexDstar));
    const value = constantSourceExcess_mM(cortexWithUptake, rate_mol_per_ms, r_um, 1e5);
    expect(relativeError(value, expected)).toBeLessThanOrEqual(1e-12);
  });

  it('with vanishing uptake (k′ = 1e-12 /ms) matches the k′ = 0 formula (1e-8 relative)', () => {
    // The two-term form differs from the k′ = 0 form at second order in √(k′t) and r√(k′/D*),
    // ~1e-8 at most for t ≤ 1e4 ms; a sign error or factor 2 would give O(1) differences.
    const tiny: Medium = { ...cortex, k_ecs_per_ms: 1e-12 };
    for (const [r, t] of [[10, 10], [10, 1000], [50, 100], [50, 1e4], [200, 1000], [200, 1e4]]) {
      const withoutUptake = constantSourceExcess_mM(cortex, rate_mol_per_ms, r, t);
      expect(withoutUptake).toBeGreaterThan(0);
      expect(relativeError(constantSourceExcess_mM(tiny, rate_mol_per_ms, r, t), withoutUptake)).toBeLessThanOrEqual(1e-8);
    }
  });

  // Superposition: a constant release Q is a train of point releases Q·dτ, so
  // C_const(r, t) = ∫₀ᵗ C_point(r, t − τ; N = Q dτ) dτ. Simpson with 20 000 intervals on a smooth
  // integrand (all derivatives vanish at τ = 0) is accurate to ~1e-9, so 1e-6 relative is a safe
  // bound that still catches any error in the prefactors or the erfc arguments.
  for (const [label, medium] of [['without uptake', cortex], ['with uptake k′ = 0.01/ms', cortexWithUptake]] as const) {
    it.each([[20, 100], [50, 200], [50, 1000], [100, 5000]])(
      `equals the time integral of the point-source solution ${label} at r = %s µm, t = %s ms (1e-6 relative)`,
      (r, t) => {
        const integral = simpson((tau) => pointSourceExcess_mM(medium, rate_mol_per_ms, r, tau), 0, t, 20000);
        expect(relativeError(constantSourceExcess_mM(medium, rate_mol_per_ms, r, t), integral)).toBeLessThanOrEqual(1e-6);
      },
    );
  }

  it('is zero at and before switch-on', () => {
    expect(constantSourceExcess_mM(cortex, rate_mol_per_ms, 50, 0)).toBe(0);
    expect(constantSourceExcess_mM(cortexWithUptake, rate_mol_per_ms, 50, -1)).toBe(0);
  });

  it('rises strictly monotonically towards its steady state (up to 2 s, while still measurably below it)', () => {
    // Beyond k′t ≈ 30 the uptake curve equals its steady state to round-off, so stop at 2 s.
    for (const medium of [cortex, cortexWithUptake]) {
      let previous = 0;
      for (let t = 10; t <= 2000; t *= 1.5) {
        const value = constantSourceExcess_mM(medium, rate_mol_per_ms, 50, t);
        expect(value).toBeGreaterThan(previous);
        previous = value;
      }
    }
  });
});

describe('pulse source', () => {
  const duration_ms = 50;

  it('equals the constant source exactly during the pulse', () => {
    for (const medium of [cortex, cortexWithUptake]) {
      for (const t of [0.5, 5, 20, 49.9, 50]) {
        expect(pulseSourceExcess_mM(medium, rate_mol_per_ms, 30, t, duration_ms))
          .toBe(constantSourceExcess_mM(medium, rate_mol_per_ms, 30, t));
      }
    }
  });

  it('falls below the still-running constant source once the switch-off has reached the probe', () => {
    // Right after T the difference is erfc(r/(2√(D*(t−T)))) ~ e^{−200} at t − T = 1 ms, invisible in
    // double precision; from t − T = 50 ms on (r/(2√(D*·50)) ≈ 2.1) it is a few 1e-3 relative.
    for (const t of [100, 200, 400, 1000]) {
      expect(pulseSourceExcess_mM(cortex, rate_mol_per_ms, 30, t, duration_ms))
        .toBeLessThan(constantSourceExcess_mM(cortex, rate_mol_per_ms, 30, t));
    }
  });

  // After T, dC/dt = Q·[P(t) − P(t − T)] < 0 as soon as t − T passes the point-source peak time,
  // because P then decreases in its time argument. Without uptake the tail falls as t^{−3/2}
  // (to ~2 % of the starting value 5 s later); with k′ = 0.01/ms it also falls as e^{−k′t}.
  for (const [label, medium, span_ms, remainingFraction] of [
    ['without uptake', cortex, 5000, 0.05],
    ['with uptake k′ = 0.01/ms', cortexWithUptake, 1000, 1e-3],
  ] as const) {
    it(`decays strictly once the last release has peaked at the probe (t ≥ T + r²/(6D*)) ${label}`, () => {
      const r_um = 30;
      const start = duration_ms + pointSourcePeak(medium, amount_mol, r_um).t_peak_ms;
      const atStart = pulseSourceExcess_mM(medium, rate_mol_per_ms, r_um, start, duration_ms);
      let previous = atStart;
      for (let t = start + 1; t < start + span_ms; t += 7) {
        const value = pulseSourceExcess_mM(medium, rate_mol_per_ms, r_um, t, duration_ms);
        expect(value).toBeLessThan(previous);
        expect(value).toBeGreaterThan(0);
        previous = value;
      }
      expect(previous).toBeLessThan(remainingFraction * atStart);
    });

    // Superposition again: a pulse is point releases Q·dτ for τ in [0, T], so
    // C_pulse(t) = ∫₀ᵀ C_point(t − τ; N = Q dτ) dτ. Simpson with 2000 intervals on [0, T] is exact to
    // ~1e-12 here; 1e-6 relative leaves room for the cancellation in G(t) − G(t − T).
    it.each([60, 100, 300, 1000])(`equals the time integral of point releases during [0, T] ${label} at t = %s ms (1e-6 relative)`, (t) => {
      const r_um = 30;
      const integral = simpson(
        (tau) => pointSourceExcess_mM(medium, rate_mol_per_ms, r_um, t - tau), 0, duration_ms, 2000,
      );
      expect(relativeError(pulseSourceExcess_mM(medium, rate_mol_per_ms, r_um, t, duration_ms), integral))
        .toBeLessThanOrEqual(1e-6);
    });
  }

  it('without uptake, looks like a point release of Q·T at the pulse midpoint long afterwards (2e-4 relative)', () => {
    // Expanding about t − T/2 the first correction is (T²/24)·C''/C ≈ (5/32)·(T/t)² for C ∝ t^{−3/2}:
    // 1e-4 at t = 2 s and 1.6e-5 at 5 s with T = 50 ms.
    for (const t of [2000, 5000]) {
      const pulse = pulseSourceExcess_mM(cortex, rate_mol_per_ms, 30, t, duration_ms);
      const point = pointSourceExcess_mM(cortex, rate_mol_per_ms * duration_ms, 30, t - duration_ms / 2);
      expect(relativeError(pulse, point)).toBeLessThanOrEqual(2e-4);
    }
  });
});

describe('dependence on α and λ', () => {
  const looseTissue: Medium = { ...cortex, alpha: 0.4 };
  const looseTissueWithUptake: Medium = { ...cortexWithUptake, alpha: 0.4 };

  it('concentration scales as 1/α for the same released amount (1e-13 relative)', () => {
    for (const [r, t] of [[10, 5], [50, 400], [200, 3000]]) {
      for (const [dense, loose] of [[cortex, looseTissue], [cortexWithUptake, looseTissueWithUptake]]) {
        const ratioPoint = pointSourceExcess_mM(dense, amount_mol, r, t) / pointSourceExcess_mM(loose, amount_mol, r, t);
        const ratioConstant = constantSourceExcess_mM(dense, rate_mol_per_ms, r, t)
          / constantSourceExcess_mM(loose, rate_mol_per_ms, r, t);
        expect(relativeError(ratioPoint, 2)).toBeLessThanOrEqual(1e-13);
        expect(relativeError(ratioConstant, 2)).toBeLessThanOrEqual(1e-13);
      }
    }
  });

  it('peak time does not depend on α, with or without ECS uptake k′ (1e-14 relative)', () => {
    for (const r of [20, 100]) {
      expect(relativeError(pointSourcePeak(looseTissue, amount_mol, r).t_peak_ms,
        pointSourcePeak(cortex, amount_mol, r).t_peak_ms)).toBeLessThanOrEqual(1e-14);
      expect(relativeError(pointSourcePeak(looseTissueWithUptake, amount_mol, r).t_peak_ms,
        pointSourcePeak(cortexWithUptake, amount_mol, r).t_peak_ms)).toBeLessThanOrEqual(1e-14);
    }
  });

  it('peak time scales as λ² without uptake: doubling λ quadruples t_peak (1e-14 relative)', () => {
    const tortuous: Medium = { ...cortex, lambda: 3.2 };
    expect(relativeError(pointSourcePeak(tortuous, amount_mol, 50).t_peak_ms,
      4 * pointSourcePeak(cortex, amount_mol, 50).t_peak_ms)).toBeLessThanOrEqual(1e-14);
  });

  it('the whole curve depends on λ only through time: C_λ=3.2(r, 4t) = C_λ=1.6(r, t) (1e-13 relative)', () => {
    // With D* → D*/4 the product D*·t is unchanged at 4t, so without uptake the curve is the same
    // curve stretched fourfold in time, with the same amplitude.
    const tortuous: Medium = { ...cortex, lambda: 3.2 };
    for (const [r, t] of [[10, 3], [50, 400], [120, 2000]]) {
      expect(relativeError(pointSourceExcess_mM(tortuous, amount_mol, r, 4 * t),
        pointSourceExcess_mM(cortex, amount_mol, r, t))).toBeLessThanOrEqual(1e-13);
    }
  });

  it('peak value without uptake depends on neither λ nor D (1e-13 relative)', () => {
    const tortuous: Medium = { ...cortex, lambda: 3.2 };
    const slowIon: Medium = { ...cortex, D_um2_per_ms: 1.3 };
    const reference = pointSourcePeak(cortex, amount_mol, 50).peak_mM;
    expect(relativeError(pointSourcePeak(tortuous, amount_mol, 50).peak_mM, reference)).toBeLessThanOrEqual(1e-13);
    expect(relativeError(pointSourcePeak(slowIon, amount_mol, 50).peak_mM, reference)).toBeLessThanOrEqual(1e-13);
  });
});
