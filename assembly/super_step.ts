// The pointwise passes of an RKL2 super-step (stage_uniform.ts): ending the step and measuring its
// error, and the plain scalar stage that the fast ones are tested against.
//
// Between super-steps each voxel's value is u + low (compensated storage, diffusion_uniform.ts),
// and low lives in one of the two stage registers. The host starts the stages with that register as
// D_0 and chooses the first stage's coefficient so that the recurrence carries low into the last
// increment with weight exactly 1: D_s = (Y_s − u) + low. endSuperStep then stores u + D_s
// compensated and leaves the new low in the register of D_s.

import { f64At, harmonic } from "./access";
import { laneSum, widenedSum } from "./diffusion_uniform";

/**
 * u ← u + d as a compensated pair (Fast2Sum, exact when |u| ≥ |d|, otherwise what f32 can hold),
 * with the new rounding error written back over d (d becomes the next step's low). n voxels.
 * Returns the amount the new compensation holds: Σ low (inverseAlpha 0), or Σ low/ia.
 */
export function endSuperStep(u: usize, d: usize, n: i32, inverseAlpha: usize): f64 {
  let lanes = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const offset = <usize>i << 2;
    const start = v128.load(u + offset);
    const carried = v128.load(d + offset);
    const updated = f32x4.add(start, carried);
    const low = f32x4.sub(carried, f32x4.sub(updated, start));
    v128.store(u + offset, updated);
    v128.store(d + offset, low);
    lanes = widenedSum(lanes, inverseAlpha ? f32x4.div(low, v128.load(inverseAlpha + offset)) : low);
  }
  let total = laneSum(lanes);
  for (; i < n; i++) {
    const offset = <usize>i << 2;
    const start = load<f32>(u + offset);
    const carried = load<f32>(d + offset);
    const updated = start + carried;
    const low = carried - (updated - start);
    store<f32>(u + offset, updated);
    store<f32>(d + offset, low);
    total += inverseAlpha ? <f64>low / <f64>load<f32>(inverseAlpha + offset) : <f64>low;
  }
  return total;
}

let largestValue: f64 = 0;

/** max |u + d| over the voxels of the last errorNorm call (the new field's largest magnitude). */
export function lastLargestValue(): f64 {
  return largestValue;
}

/**
 * max_p |estimate_p| / (|u_p + d_p| + floor): the largest error estimate relative to the new value
 * u + d, with floor (same unit) keeping voxels near zero from dominating. Also records max |u + d|.
 */
export function errorNorm(estimate: usize, u: usize, d: usize, n: i32, floor: f64): f64 {
  let worst: f64 = 0;
  let largest: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    const value = Math.abs(<f64>load<f32>(u + offset) + <f64>load<f32>(d + offset));
    const ratio = Math.abs(<f64>load<f32>(estimate + offset)) / (value + floor);
    if (ratio > worst) worst = ratio;
    if (value > largest) largest = value;
  }
  largestValue = largest;
  return worst;
}

let referenceAlphaWeighted: f64 = 0;
let referenceUnweighted: f64 = 0;

/** Σ α_p w_p of the last reference stage (k′τ times it: removed by the ECS rate, α·excess·voxel). */
export function lastReferenceAlphaWeightedSum(): f64 {
  return referenceAlphaWeighted;
}

/** Σ w_p of the last reference stage (k_t τ times it: removed by the tissue rate). */
export function lastReferenceSum(): f64 {
  return referenceUnweighted;
}

/**
 * The RKL2 stage of stage_heterogeneous.ts, in f64, one voxel at a time, with every face
 * coefficient recomputed from per-voxel alpha and kappa (µm²/ms): slow and obviously the scheme.
 * scale = τ/h² (ms/µm²); dirichlet*: 1 where that face of the box touches the bath, 0 where
 * sealed. Returns the bath outflow (α·excess·voxel).
 */
export function stageReference(
  u: usize, prev: usize, out: usize, alpha: usize, kappa: usize, nx: i32, ny: i32, nz: i32, scale: f64,
  dirichletXLow: i32, dirichletXHigh: i32, dirichletYLow: i32, dirichletYHigh: i32,
  dirichletZLow: i32, dirichletZHigh: i32, uBath: f64, kEcsTau: f64, kTissueTau: f64,
  a: f64, g: f64, mu: f64, nu: f64,
): f64 {
  let outflow: f64 = 0;
  let alphaWeighted: f64 = 0;
  let unweighted: f64 = 0;
  const nxy = nx * ny;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        const wp = a * f64At(prev, p) + g * f64At(u, p);
        const kp = f64At(kappa, p);
        let interior: f64 = 0;
        let bath: f64 = 0;
        if (i > 0) interior += harmonic(kp, f64At(kappa, p - 1)) * (a * f64At(prev, p - 1) + g * f64At(u, p - 1) - wp);
        else if (dirichletXLow) bath += 2 * kp;
        if (i < nx - 1) interior += harmonic(kp, f64At(kappa, p + 1)) * (a * f64At(prev, p + 1) + g * f64At(u, p + 1) - wp);
        else if (dirichletXHigh) bath += 2 * kp;
        if (j > 0) interior += harmonic(kp, f64At(kappa, p - nx)) * (a * f64At(prev, p - nx) + g * f64At(u, p - nx) - wp);
        else if (dirichletYLow) bath += 2 * kp;
        if (j < ny - 1) interior += harmonic(kp, f64At(kappa, p + nx)) * (a * f64At(prev, p + nx) + g * f64At(u, p + nx) - wp);
        else if (dirichletYHigh) bath += 2 * kp;
        if (k > 0) interior += harmonic(kp, f64At(kappa, p - nxy)) * (a * f64At(prev, p - nxy) + g * f64At(u, p - nxy) - wp);
        else if (dirichletZLow) bath += 2 * kp;
        if (k < nz - 1) interior += harmonic(kp, f64At(kappa, p + nxy)) * (a * f64At(prev, p + nxy) + g * f64At(u, p + nxy) - wp);
        else if (dirichletZHigh) bath += 2 * kp;
        const alphaP = f64At(alpha, p);
        const removedAlpha = (kEcsTau * alphaP + kTissueTau) * wp;
        const change = scale * (interior + bath * (g * uBath - wp)) / alphaP - removedAlpha / alphaP;
        store<f32>(out + (<usize>p << 2), <f32>(mu * f64At(prev, p) + nu * f64At(out, p) + change));
        alphaWeighted += alphaP * wp;
        unweighted += wp;
        outflow += scale * bath * (wp - g * uBath);
      }
    }
  }
  referenceAlphaWeighted = alphaWeighted;
  referenceUnweighted = unweighted;
  return outflow;
}
