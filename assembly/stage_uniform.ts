// One stage of the second-order Runge–Kutta–Legendre (RKL2) super-step on uniform tissue.
//
// The semi-discrete equation on the 7-point cell-centred grid is du/dt = M(u),
//   M(u)_p = (D*/h²) Σ_q (u_q − u_p) + Σ_bath faces (2D*/h²)(u_b − u_p) − k u_p  (+ sources, added by the host),
// with the bath coupling explicit (it keeps the spectral radius at most 12 D*/h² + k, the same
// bound as the interior). RKL2 (Meyer, Balsara & Aslam 2014) advances it by a super-step τ in s
// stages; stored as increments from the start value u (D_j = Y_j − u), stage j is
//   D_j = μ D_{j−1} + ν D_{j−2} + τ M_lin(a D_{j−1} + g u) + τ g (bath and source terms),
// which this kernel computes as out = μ·prev + ν·out + S(w), w = a·prev + g·u, with
//   S(w)_p = R Σ_interior (w_q − w_p) + Σ_bath B (g u_b − w_p) − K w_p,   R = D*τ/h², B = 2R, K = kτ.
// The coefficients (μ, ν, a, g per stage) come from the host (src/core/rkl2.ts); the same kernel
// also evaluates the step's error estimate (μ = 1, a = −½, g = −1). out may be the array of
// D_{j−2} (each voxel reads its own old value before writing it); prev must be another array.
// Stable for τ ≤ (s² + s − 2)/4 · h²/(6D*) (with k: the bound 12D*/h² + k on the spectral radius);
// second order in τ; O(h²) in space. f32 values, f64 sums.
// Interior rows run four voxels at a time in SIMD; rows on a face of the box and the two ends of
// every row take the scalar boundary update with the same terms. The interior reads w from a ring of
// three planes (planes k−1, k, k+1, each computed once per stage, SIMD) instead of forming it at
// all seven stencil points: the same f32 values, so the same result bit for bit, with a sixth of
// the multiply-adds for w.

import { laneSum, widenedSum } from "./diffusion_uniform";
import { prepareRing, ringPlane, w } from "./stage_planes";

let stageUptake: f64 = 0;

/** What the linear uptake term K·w removed in the last stage (excess·voxel; multiply by α h³). */
export function lastStageUptake(): f64 {
  return stageUptake;
}

/**
 * The scalar update of voxel (i, j, k) at byte offset `offset`, every face checked. Adds K·w_p to
 * the returned uptake through `uptakeOut`; returns the bath outflow Σ B (w_p − g u_b).
 */
// @ts-ignore: decorator
@inline
function boundaryVoxel(
  u: usize, prev: usize, out: usize, offset: usize, i: i32, j: i32, k: i32, nx: i32, ny: i32, nz: i32,
  r: f32, bxLow: f32, bxHigh: f32, byLow: f32, byHigh: f32, bzLow: f32, bzHigh: f32, gBath: f32, K: f32,
  a: f32, g: f32, mu: f32, nu: f32,
): f64 {
  const rowStride = <usize>nx << 2;
  const sliceStride = <usize>(nx * ny) << 2;
  const wp = w(u, prev, offset, a, g);
  let interior: f32 = 0;
  let bath: f32 = 0;
  if (i > 0) interior += w(u, prev, offset - 4, a, g) - wp; else bath += bxLow;
  if (i < nx - 1) interior += w(u, prev, offset + 4, a, g) - wp; else bath += bxHigh;
  if (j > 0) interior += w(u, prev, offset - rowStride, a, g) - wp; else bath += byLow;
  if (j < ny - 1) interior += w(u, prev, offset + rowStride, a, g) - wp; else bath += byHigh;
  if (k > 0) interior += w(u, prev, offset - sliceStride, a, g) - wp; else bath += bzLow;
  if (k < nz - 1) interior += w(u, prev, offset + sliceStride, a, g) - wp; else bath += bzHigh;
  const change = r * interior + bath * (gBath - wp) - K * wp;
  store<f32>(out + offset, mu * load<f32>(prev + offset) + nu * load<f32>(out + offset) + change);
  stageUptake += <f64>(K * wp);
  return <f64>bath * (<f64>wp - <f64>gBath);
}

/**
 * One RKL2 stage on uniform tissue: out ← μ·prev + ν·out + S(a·prev + g·u) (see above), for the
 * nx·ny·nz voxels. planes: scratch for 3·nx·ny f32 (the ring of w planes). r = D*τ/h²; b*: bath
 * coefficient of each face of the box (2r for Dirichlet, 0 for Neumann); uBath: bath excess over
 * baseline; K = kτ. Returns the bath outflow of the stage (excess·voxel; multiply by α h³); the
 * uptake is read with lastStageUptake().
 */
export function stageUniform(
  u: usize, prev: usize, out: usize, planes: usize, nx: i32, ny: i32, nz: i32, r: f32,
  bxLow: f32, bxHigh: f32, byLow: f32, byHigh: f32, bzLow: f32, bzHigh: f32, uBath: f32, K: f32,
  a: f32, g: f32, mu: f32, nu: f32,
): f64 {
  const rowStride = <usize>nx << 2;
  const gBath = g * uBath;
  const aV = f32x4.splat(a), gV = f32x4.splat(g), rV = f32x4.splat(r), KV = f32x4.splat(K);
  const muV = f32x4.splat(mu), nuV = f32x4.splat(nu);
  let outflow: f64 = 0;
  stageUptake = 0;
  let uptakeLanes = f64x2.splat(0);
  const nxy = nx * ny;
  const planeBytes = <usize>nxy << 2;
  for (let k = 0; k < nz; k++) {
    prepareRing(u, prev, planes, k, nz, nxy, aV, gV, a, g);
    const below = ringPlane(planes, k - 1, planeBytes), here = ringPlane(planes, k, planeBytes);
    const above = ringPlane(planes, k + 1, planeBytes);
    for (let j = 0; j < ny; j++) {
      const rowOffset = <usize>((k * ny + j) * nx) << 2;
      const faceRow = k == 0 || k == nz - 1 || j == 0 || j == ny - 1 || nx < 3;
      let i = 0;
      if (!faceRow) {
        outflow += boundaryVoxel(u, prev, out, rowOffset, 0, j, k, nx, ny, nz, r,
          bxLow, bxHigh, byLow, byHigh, bzLow, bzHigh, gBath, K, a, g, mu, nu);
        const inPlane = <usize>(j * nx) << 2;
        for (i = 1; i + 4 <= nx - 1; i += 4) {
          const offset = rowOffset + (<usize>i << 2);
          const at = here + inPlane + (<usize>i << 2);
          const centre = v128.load(at);
          let sum = f32x4.sub(v128.load(at - 4), centre);
          sum = f32x4.add(sum, f32x4.sub(v128.load(at + 4), centre));
          sum = f32x4.add(sum, f32x4.sub(v128.load(at - rowStride), centre));
          sum = f32x4.add(sum, f32x4.sub(v128.load(at + rowStride), centre));
          sum = f32x4.add(sum, f32x4.sub(v128.load(below + inPlane + (<usize>i << 2)), centre));
          sum = f32x4.add(sum, f32x4.sub(v128.load(above + inPlane + (<usize>i << 2)), centre));
          let change = f32x4.mul(rV, sum);
          if (K != 0) {
            const removed = f32x4.mul(KV, centre);
            change = f32x4.sub(change, removed);
            uptakeLanes = widenedSum(uptakeLanes, removed);
          }
          v128.store(out + offset, f32x4.add(f32x4.add(f32x4.mul(muV, v128.load(prev + offset)),
            f32x4.mul(nuV, v128.load(out + offset))), change));
        }
      }
      for (; i < nx; i++) {
        outflow += boundaryVoxel(u, prev, out, rowOffset + (<usize>i << 2), i, j, k, nx, ny, nz, r,
          bxLow, bxHigh, byLow, byHigh, bzLow, bzHigh, gBath, K, a, g, mu, nu);
      }
    }
  }
  stageUptake += laneSum(uptakeLanes);
  return outflow;
}
