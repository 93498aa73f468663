// Closed-form solutions in an infinite homogeneous porous medium, the yardsticks
// of the physics tests. Concentrations are ECS excess over baseline (mM); distances µm; times ms.

import { expTimesErfc, erfc } from './special-functions.js';
import { MOL_PER_UM3_PER_MM } from './units.js';

/** A homogeneous medium: volume fraction α, tortuosity λ, free D (µm²/ms), linear ECS uptake k′ (1/ms). */
export interface Medium {
  alpha: number;
  lambda: number;
  D_um2_per_ms: number;
  /** Nicholson's k′ (1/ms), default 0. */
  k_ecs_per_ms?: number;
}

/** D* = D/λ² (µm²/ms). */
export function effectiveDiffusion_um2_per_ms(medium: Medium): number {
  return medium.D_um2_per_ms / medium.lambda ** 2;
}

/**
 * Instantaneous release of amount_mol at r = 0, t = 0:
 * C = N / [α (4π D* t)^{3/2}] · exp(−r²/(4 D* t) − k′t).
 */
export function pointSourceExcess_mM(medium: Medium, amount_mol: number, r_um: number, t_ms: number): number {
  if (t_ms <= 0) return 0;
  const D = effectiveDiffusion_um2_per_ms(medium);
  const k = medium.k_ecs_per_ms ?? 0;
  const density = amount_mol / (medium.alpha * (4 * Math.PI * D * t_ms) ** 1.5)
    * Math.exp(-(r_um * r_um) / (4 * D * t_ms) - k * t_ms);
  return density / MOL_PER_UM3_PER_MM;
}

/**
 * Peak of the point-source curve at distance r: t_p solves k′t² + (3/2)t − r²/(4D*) = 0, written
 * in a form without cancellation; t_p = r²/(6 D*) for k′ = 0.
 */
export function pointSourcePeak(medium: Medium, amount_mol: number, r_um: number): { t_peak_ms: number; peak_mM: number } {
  const D = effectiveDiffusion_um2_per_ms(medium);
  const k = medium.k_ecs_per_ms ?? 0;
  const t_peak_ms = ((r_um * r_um) / (4 * D)) * 2 / (1.5 + Math.sqrt(2.25 + (k * r_um * r_um) / D));
  return { t_peak_ms, peak_mM: pointSourceExcess_mM(medium, amount_mol, r_um, t_peak_ms) };
}

/**
 * Constant release of rate_mol_per_ms at r = 0 from t = 0 (iontophoresis, Q = nI/(zF)):
 * k′ = 0: C = Q/(4π D* α r) · erfc(r/(2√(D* t)));
 * k′ > 0: C = Q/(8π D* α r) · [e^{r√(k′/D*)} erfc(r/(2√(D*t)) + √(k′t)) + e^{−r√(k′/D*)} erfc(r/(2√(D*t)) − √(k′t))].
 */
export function constantSourceExcess_mM(medium: Medium, rate_mol_per_ms: number, r_um: number, t_ms: number): number {
  if (t_ms <= 0) return 0;
  const D = effectiveDiffusion_um2_per_ms(medium);
  const k = medium.k_ecs_per_ms ?? 0;
  const front = r_um / (2 * Math.sqrt(D * t_ms));
  let density: number;
  if (k === 0) {
    density = (rate_mol_per_ms / (4 * Math.PI * D * medium.alpha * r_um)) * erfc(front);
  } else {
    const screening = r_um * Math.sqrt(k / D);
    const decay = Math.sqrt(k * t_ms);
    density = (rate_mol_per_ms / (8 * Math.PI * D * medium.alpha * r_um))
      * (expTimesErfc(screening, front + decay) + expTimesErfc(-screening, front - decay));
  }
  return density / MOL_PER_UM3_PER_MM;
}

/** Release at rate_mol_per_ms during [0, duration_ms): superposition G(t) − G(t − T). */
export function pulseSourceExcess_mM(
  medium: Medium, rate_mol_per_ms: number, r_um: number, t_ms: number, duration_ms: number,
): number {
  return constantSourceExcess_mM(medium, rate_mol_per_ms, r_um, t_ms)
    - constantSourceExcess_mM(medium, rate_mol_per_ms, r_um, t_ms - duration_ms);
}
