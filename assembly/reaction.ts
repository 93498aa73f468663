// The Na⁺/K⁺ pump (and any per-voxel linear uptake) as a pointwise pass, split from diffusion
// (Strang: half a step before and half after each diffusion super-step; src/core/simulation.ts).
// Linear uptake that the diffusion stages can carry (k′, k_t) runs inside them instead.
//
// ECS excess u = C − C_rest obeys, per voxel,
//   du/dt = −(k′ + k_t/α + k_pump(C)) u,   k_pump(C) = Vmax·Km / (α (Km + C)(Km + C_rest)),
// which is the Michaelis–Menten pump Vmax·C/(Km+C) − Vmax·C_rest/(Km+C_rest) (per tissue volume)
// written as a rate times the excess. Each call advances it by dt as u ← u·exp(−k̄ dt), with k̄ the
// mean of the rate at the start and at the end of a frozen-rate predictor: the trapezoidal rule on
// ln u, second order in dt (linear terms exact). Since the factor lies in (0, 1], C always stays
// between C_rest and its previous value, so uptake never drives C negative, at any dt. Removed
// amounts (α·Δu) are accumulated in f64 per mechanism, shared in proportion to each mechanism's
// rate. Values are stored compensated (u + low, see diffusion_uniform.ts); the product is formed in
// f64 and split back into the pair.

// @ts-ignore: decorator
@inline
function scaleCompensated(u: usize, low: usize, offset: usize, factor: f64): f64 {
  const before = <f64>load<f32>(u + offset) + <f64>load<f32>(low + offset);
  const after = before * factor;
  const rounded = <f32>after;
  store<f32>(u + offset, rounded);
  store<f32>(low + offset, <f32>(after - <f64>rounded));
  return before - after;
}

let removedEcsRate: f64 = 0;
let removedTissueRate: f64 = 0;
let removedPump: f64 = 0;

/** Removed since the last reset by the ECS-rate (k′) term, in α·excess·voxel units. */
export function removedByEcsRate(): f64 { return removedEcsRate; }
/** Removed since the last reset by the tissue-rate (k_t) term, in α·excess·voxel units. */
export function removedByTissueRate(): f64 { return removedTissueRate; }
/** Removed since the last reset by the Na⁺/K⁺ pump, in α·excess·voxel units. */
export function removedByPump(): f64 { return removedPump; }

/** Sets the removal accumulators to zero. */
export function resetRemoved(): void {
  removedEcsRate = 0;
  removedTissueRate = 0;
  removedPump = 0;
}

/**
 * General uptake step. inverseAlpha: pointer to 1/α per voxel, or 0 for uniform tissue, in which
 * case uniformInverseAlpha is used. ecsRateDt = k′ dt, tissueRateDt = k_t dt, pumpVmaxDt =
 * Vmax dt (mM), pumpKm and restingConcentration in mM. Adds to the removal accumulators.
 */
export function reactGeneral(
  u: usize, low: usize, inverseAlpha: usize, uniformInverseAlpha: f64, n: i32,
  ecsRateDt: f64, tissueRateDt: f64, pumpVmaxDt: f64, pumpKm: f64, restingConcentration: f64,
): void {
  const pumpScale = pumpVmaxDt * pumpKm / (pumpKm + restingConcentration);
  let ecs: f64 = 0;
  let tissue: f64 = 0;
  let pump: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    const ia = inverseAlpha ? <f64>load<f32>(inverseAlpha + offset) : uniformInverseAlpha;
    const value = <f64>load<f32>(u + offset) + <f64>load<f32>(low + offset);
    const tissueRate = tissueRateDt * ia;
    let pumpRate: f64 = 0;
    if (pumpScale > 0) {
      // The rate at the start and at the end of a frozen-rate predictor, averaged: the trapezoidal
      // rule for d(ln u)/dt = −k(u), second order in dt.
      const startRate = pumpScale * ia / (pumpKm + max(value + restingConcentration, 0));
      const predicted = value * Math.exp(-(ecsRateDt + tissueRate + startRate));
      pumpRate = 0.5 * (startRate + pumpScale * ia / (pumpKm + max(predicted + restingConcentration, 0)));
    }
    const total = ecsRateDt + tissueRate + pumpRate;
    if (total <= 0) continue;
    const removed = scaleCompensated(u, low, offset, Math.exp(-total)) / ia / total;
    ecs += removed * ecsRateDt;
    tissue += removed * tissueRate;
    pump += removed * pumpRate;
  }
  removedEcsRate += ecs;
  removedTissueRate += tissue;
  removedPump += pump;
}
