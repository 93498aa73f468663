// One RKL2 stage on heterogeneous tissue (α and λ per voxel): the scheme of stage_uniform.ts with
// the finite-volume operator of diffusion_heterogeneous.ts,
//   M(u)_p = (1/α_p) [Σ_q G_pq (u_q − u_p) + Σ_bath G_b (u_b − u_p)] − (k′ + k_t/α_p) u_p,
// G_pq = harmonic mean of κ = α D/λ² over h² (precomputed by buildFaces with scale 1/h²: gx[p]
// couples p and p+1, gy[p] p and p+nx, gz[p] p and p+nx·ny; the boundary block holds 2κ_p/h² per
// Dirichlet face, 0 for Neumann). Flux form, so Σ α u changes only through the bath and uptake.
// The stage: out ← μ·prev + ν·out + S(w), w = a·prev + g·u,
//   S(w)_p = τ/α_p [Σ G (w_q − w_p) + Σ_bath G_b (g u_b − w_p)] − τ(k′ + k_t/α_p) w_p.
// Stable for τ ≤ (s² + s − 2)/4 times the forward-Euler limit 2/ρ, ρ ≤ max_p 2 Σ_faces G/α_p + k;
// second order in τ, O(h²) in space. Interior rows four voxels at a time in SIMD, reading w from a
// ring of three planes (stage_planes.ts).

import { f32At } from "./access";
import { laneSum, widenedSum } from "./diffusion_uniform";
import { prepareRing, ringPlane } from "./stage_planes";

let alphaWeighted: f64 = 0;
let unweighted: f64 = 0;

/**
 * Σ α_p w_p of the last heterogeneous stage with uptake: k′τ times it is what the ECS rate removed
 * (α·excess·voxel; multiply by h³).
 */
export function lastStageAlphaWeightedSum(): f64 {
  return alphaWeighted;
}

/** Σ w_p of the last heterogeneous stage with uptake: k_t τ times it is what the tissue rate removed. */
export function lastStageSum(): f64 {
  return unweighted;
}

// @ts-ignore: decorator
@inline
function w(u: usize, prev: usize, p: i32, a: f32, g: f32): f32 {
  return a * f32At(prev, p) + g * f32At(u, p);
}

/** Σ α w and Σ w over the scalar voxels so far in this stage. */
let scalarAlphaWeighted: f64 = 0;
let scalarUnweighted: f64 = 0;

/** The update of voxel i of the row starting at index rowStart, every face checked; returns its bath outflow. */
// @ts-ignore: decorator
@inline
function scalarVoxel(
  u: usize, prev: usize, out: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  rowStart: i32, i: i32, j: i32, k: i32, nx: i32, ny: i32, nz: i32, tau: f32, gBath: f32, kEcsTau: f32, kTissueTau: f32,
  a: f32, g: f32, mu: f32, nu: f32,
): f64 {
  const nxy = nx * ny;
  const xFaces = ny * nz;
  const yFaces = nx * nz;
  const yBlock = boundary + (<usize>(2 * xFaces) << 2);
  const zBlock = yBlock + (<usize>(2 * yFaces) << 2);
  const p = rowStart + i;
  const wp = w(u, prev, p, a, g);
  let interior: f32 = 0;
  let bath: f32 = 0;
  if (i > 0) interior += f32At(gx, p - 1) * (w(u, prev, p - 1, a, g) - wp); else bath += f32At(boundary, j + ny * k);
  if (i < nx - 1) interior += f32At(gx, p) * (w(u, prev, p + 1, a, g) - wp); else bath += f32At(boundary, xFaces + j + ny * k);
  if (j > 0) interior += f32At(gy, p - nx) * (w(u, prev, p - nx, a, g) - wp); else bath += f32At(yBlock, i + nx * k);
  if (j < ny - 1) interior += f32At(gy, p) * (w(u, prev, p + nx, a, g) - wp); else bath += f32At(yBlock, yFaces + i + nx * k);
  if (k > 0) interior += f32At(gz, p - nxy) * (w(u, prev, p - nxy, a, g) - wp); else bath += f32At(zBlock, i + nx * j);
  if (k < nz - 1) interior += f32At(gz, p) * (w(u, prev, p + nxy, a, g) - wp); else bath += f32At(zBlock, nxy + i + nx * j);
  const ia = f32At(inverseAlpha, p);
  const change = tau * ia * (interior + bath * (gBath - wp)) - (kEcsTau + kTissueTau * ia) * wp;
  const offset = <usize>p << 2;
  store<f32>(out + offset, mu * load<f32>(prev + offset) + nu * load<f32>(out + offset) + change);
  scalarAlphaWeighted += <f64>wp / <f64>ia;
  scalarUnweighted += <f64>wp;
  return <f64>tau * <f64>bath * (<f64>wp - <f64>gBath);
}

/**
 * One RKL2 stage on heterogeneous tissue (see above). planes: scratch for 3·nx·ny f32 (the ring of
 * w planes, stage_planes.ts). tau: the super-step τ (ms); uBath: bath
 * excess over baseline; kEcsTau = k′τ, kTissueTau = k_t τ. Returns the bath outflow of the stage
 * (α·excess·voxel); the uptake is read with lastStageAlphaWeightedSum() and lastStageSum().
 */
export function stageHeterogeneous(
  u: usize, prev: usize, out: usize, planes: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  nx: i32, ny: i32, nz: i32, tau: f32, uBath: f32, kEcsTau: f32, kTissueTau: f32,
  a: f32, g: f32, mu: f32, nu: f32,
): f64 {
  const nxy = nx * ny;
  const rowStride = <usize>nx << 2;
  const sliceStride = <usize>nxy << 2;
  const gBath = g * uBath;
  const aV = f32x4.splat(a), gV = f32x4.splat(g), tauV = f32x4.splat(tau);
  const kEcsV = f32x4.splat(kEcsTau), kTissueV = f32x4.splat(kTissueTau);
  const muV = f32x4.splat(mu), nuV = f32x4.splat(nu);
  const uptake = kEcsTau != 0 || kTissueTau != 0;
  let outflow: f64 = 0;
  scalarAlphaWeighted = 0;
  scalarUnweighted = 0;
  let alphaWeightedLanes = f64x2.splat(0);
  let unweightedLanes = f64x2.splat(0);
  const planeBytes = <usize>nxy << 2;
  for (let k = 0; k < nz; k++) {
    prepareRing(u, prev, planes, k, nz, nxy, aV, gV, a, g);
    const below = ringPlane(planes, k - 1, planeBytes), here = ringPlane(planes, k, planeBytes);
    const above = ringPlane(planes, k + 1, planeBytes);
    for (let j = 0; j < ny; j++) {
      const rowStart = (k * ny + j) * nx;
      const faceRow = k == 0 || k == nz - 1 || j == 0 || j == ny - 1 || nx < 3;
      let i = 0;
      if (!faceRow) {
        // Voxels 1 … nx−2 in SIMD while four fit; the ends and the rest below, scalar.
        for (i = 1; i + 4 <= nx - 1; i += 4) {
          const offset = <usize>(rowStart + i) << 2;
          const inPlane = <usize>(j * nx + i) << 2;
          const at = here + inPlane;
          const centre = v128.load(at);
          let sum = f32x4.mul(v128.load(gx + offset - 4), f32x4.sub(v128.load(at - 4), centre));
          sum = f32x4.add(sum, f32x4.mul(v128.load(gx + offset), f32x4.sub(v128.load(at + 4), centre)));
          sum = f32x4.add(sum, f32x4.mul(v128.load(gy + offset - rowStride), f32x4.sub(v128.load(at - rowStride), centre)));
          sum = f32x4.add(sum, f32x4.mul(v128.load(gy + offset), f32x4.sub(v128.load(at + rowStride), centre)));
          sum = f32x4.add(sum, f32x4.mul(v128.load(gz + offset - sliceStride), f32x4.sub(v128.load(below + inPlane), centre)));
          sum = f32x4.add(sum, f32x4.mul(v128.load(gz + offset), f32x4.sub(v128.load(above + inPlane), centre)));
          const ia = v128.load(inverseAlpha + offset);
          let change = f32x4.mul(f32x4.mul(tauV, ia), sum);
          if (uptake) {
            change = f32x4.sub(change, f32x4.mul(f32x4.add(kEcsV, f32x4.mul(kTissueV, ia)), centre));
            alphaWeightedLanes = widenedSum(alphaWeightedLanes, f32x4.div(centre, ia));
            unweightedLanes = widenedSum(unweightedLanes, centre);
          }
          v128.store(out + offset, f32x4.add(f32x4.add(f32x4.mul(muV, v128.load(prev + offset)),
            f32x4.mul(nuV, v128.load(out + offset))), change));
        }
      }
      // Scalar voxels: the row's first voxel, then those after the SIMD part (all of a face row).
      if (i > 0) outflow += scalarVoxel(u, prev, out, inverseAlpha, gx, gy, gz, boundary, rowStart, 0, j, k, nx, ny, nz,
        tau, gBath, kEcsTau, kTissueTau, a, g, mu, nu);
      for (; i < nx; i++) {
        outflow += scalarVoxel(u, prev, out, inverseAlpha, gx, gy, gz, boundary, rowStart, i, j, k, nx, ny, nz,
          tau, gBath, kEcsTau, kTissueTau, a, g, mu, nu);
      }
    }
  }
  alphaWeighted = scalarAlphaWeighted + laneSum(alphaWeightedLanes);
  unweighted = scalarUnweighted + laneSum(unweightedLanes);
  return outflow;
}
