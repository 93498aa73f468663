// Diffusion step for uniform tissue (one α, one λ everywhere): the fast path.
//
// Scheme: cell-centred finite volumes, forward Euler in the interior,
//   u'_p = u_p + r Σ_q (u_q − u_p),   r = D* dt / h²   (D* = D/λ²; α cancels in uniform tissue).
// Boundary faces couple to a bath u_b with coefficient b = 2r (Dirichlet: the bath sits h/2 from
// the voxel centre) or b = 0 (Neumann). That coupling is taken implicitly in u_p alone,
//   u'_p = u_p + (r Σ_interior (u_q − u_p) + Σ_b b (u_b − u_p)) / (1 + Σ_b b),
// so boundary faces never tighten the stability limit: stable and positivity-preserving for
// r · (number of interior neighbours) ≤ 1, i.e. dt ≤ h²/(6 D*) in 3D.
// Error: O(h²) in space, O(dt) in time (O(h²) overall with dt ∝ h²).
// Interior voxels are updated with f32x4 SIMD along x, eight then four at a time, with no per-voxel
// branch. Rows on a face of the box take the implicit boundary update four voxels at a time too
// (boundaryFour); the two ends of every row (x faces) go through the scalar boundaryVoxel. Both
// forms add the same terms in the same order (a missing neighbour adds exactly 0), so a voxel's
// new value does not depend on which one updated it.
//
// Fused linear uptake (optional, decay > 0): after diffusion each voxel is multiplied by
// 1 − decay, decay = 1 − exp(−k dt) for a rate k that is the same everywhere. That is the exact
// solution of du/dt = −k u over the step (Lie splitting: diffusion, then uptake), done in the same
// sweep so that it costs no extra pass over memory. The amount removed, decay·(u + Δu_diffusion)
// per voxel, is formed in f32, subtracted through the compensated sum below, and accumulated in
// f64 (read it with decayRemoved()), so the mass ledger records what was subtracted; what is lost
// is the f32 rounding of increment − removed and of the carried sum, as for the diffusion
// increment alone.
//
// In place, shifted by one plane: the field array has room for nz + 1 planes, and the new field is
// written one plane below the old one (out = u − nx·ny) in a sweep from k = 0 up, or one plane above
// it (out = u + nx·ny) in a sweep from k = nz−1 down; the host alternates the two. Going up, row j
// of new plane k lands on row j of old plane k−1, which nothing needs any more: planes k−2 and
// k−1 are done, and the only voxels of plane k that read it are this row's, each before its own
// store. (Going down, the same with k+1.) No copy, no double buffer: the field and the
// compensation are the only per-voxel arrays, 8 bytes/voxel plus one spare plane. The
// compensation array does not shift: low[p] is only ever read and written by voxel p itself.
//
// Fused general uptake (optional, reaction = 1): per-voxel rates k′ + k_t/α + pump(C), the
// reaction set by setReaction (uptake_fused.ts), in the same sweep; the removed amount is then in
// α·excess units and also split by mechanism.
//
// Compensated storage: each voxel's value is u + low, where low (one f32 per voxel, updated in
// place) holds what the last f32 rounding of u lost (Kahan/Fast2Sum). Without it, increments of a
// few ulps that round the same way step after step make Σ α u drift by ~1e-6 in 10⁴ steps; with it
// the stored amount is conserved to ~1e-9. Fluxes read u alone (their error is antisymmetric).

import { finishStep, flushRow, reactFour, reactOne, reactionAlpha, reactionInverseAlpha } from "./uptake_fused";

let removedByDecay: f64 = 0;
/** What the fused uptake removed from boundary voxels so far in this step (scalar path only). */
let boundaryRemoved: f64 = 0;

/**
 * Amount the fused uptake of the last step removed: excess·voxel units on the uniform path with a
 * single decay factor, α·excess·voxel on the heterogeneous path and with the general reaction.
 */
export function decayRemoved(): f64 {
  return removedByDecay;
}

/** Records the fused uptake's removal of the step that just ended (shared by both fast paths). */
export function setDecayRemoved(amount: f64): void {
  removedByDecay = amount;
}

// @ts-ignore: decorator
@inline
function boundaryVoxel(
  ua: usize, lowAt: usize, outAt: usize, i: i32, j: i32, k: i32, nx: i32, ny: i32, nz: i32, r: f32,
  bxLow: f32, bxHigh: f32, byLow: f32, byHigh: f32, bzLow: f32, bzHigh: f32, uBath: f32, decay: f32,
  reaction: bool, inverseAlpha: f32,
): f64 {
  const up = load<f32>(ua);
  const sliceStride = <usize>(nx * ny) << 2;
  const rowStride = <usize>nx << 2;
  let interior: f32 = 0;
  let bath: f32 = 0;
  if (i > 0) interior += load<f32>(ua - 4) - up; else bath += bxLow;
  if (i < nx - 1) interior += load<f32>(ua + 4) - up; else bath += bxHigh;
  if (j > 0) interior += load<f32>(ua - rowStride) - up; else bath += byLow;
  if (j < ny - 1) interior += load<f32>(ua + rowStride) - up; else bath += byHigh;
  if (k > 0) interior += load<f32>(ua - sliceStride) - up; else bath += bzLow;
  if (k < nz - 1) interior += load<f32>(ua + sliceStride) - up; else bath += bzHigh;
  const increment = (r * interior + bath * (uBath - up)) / (<f32>1 + bath);
  let removed: f32;
  if (reaction) {
    removed = reactOne(up + increment, inverseAlpha);
    boundaryRemoved += <f64>removed;
  } else {
    removed = decay * (up + increment);
    boundaryRemoved += <f64>removed;
  }
  compensatedStore(outAt, lowAt, up, increment - removed);
  // The implicit bath flux uses the updated value of this step's scheme, u_p + increment.
  return <f64>bath * (<f64>up + <f64>increment - <f64>uBath);
}

/**
 * Stores up + increment + *lowAt as the pair (*outAt, *lowAt) without losing the rounding error
 * (Fast2Sum: exact when |up| ≥ |increment + low|, which holds for a stable step).
 */
// @ts-ignore: decorator
@inline
export function compensatedStore(outAt: usize, lowAt: usize, up: f32, increment: f32): void {
  const carried = increment + load<f32>(lowAt);
  const updated = up + carried;
  store<f32>(outAt, updated);
  store<f32>(lowAt, carried - (updated - up));
}

/** compensatedStore for four voxels (the same Fast2Sum, lane by lane). */
// @ts-ignore: decorator
@inline
export function compensatedStoreFour(outAt: usize, lowAt: usize, centre: v128, increment: v128): void {
  const carried = f32x4.add(increment, v128.load(lowAt));
  const updated = f32x4.add(centre, carried);
  v128.store(outAt, updated);
  v128.store(lowAt, f32x4.sub(carried, f32x4.sub(updated, centre)));
}

/** Σ of the four lanes of removed, widened to f64 (the fused uptake's ledger). */
// @ts-ignore: decorator
@inline
export function widenedSum(accumulator: v128, removed: v128): v128 {
  const lowLanes = f64x2.promote_low_f32x4(removed);
  const highLanes = f64x2.promote_low_f32x4(v128.shuffle<f32>(removed, removed, 2, 3, 0, 1));
  return f64x2.add(accumulator, f64x2.add(lowLanes, highLanes));
}

/** The sum of the two f64 lanes of an accumulator. */
// @ts-ignore: decorator
@inline
export function laneSum(lanes: v128): f64 {
  return f64x2.extract_lane(lanes, 0) + f64x2.extract_lane(lanes, 1);
}

/**
 * Σ over four voxels of bath·(u_p + increment − u_b), each term in f64 as boundaryVoxel forms it:
 * their outflow to the bath (the sum of the pair is reassociated).
 */
// @ts-ignore: decorator
@inline
export function bathOutflowFour(bath: v128, centre: v128, increment: v128, uBathWide: v128): v128 {
  const low = f64x2.mul(f64x2.promote_low_f32x4(bath),
    f64x2.sub(f64x2.add(f64x2.promote_low_f32x4(centre), f64x2.promote_low_f32x4(increment)), uBathWide));
  const bathHigh = v128.shuffle<f32>(bath, bath, 2, 3, 0, 1);
  const centreHigh = v128.shuffle<f32>(centre, centre, 2, 3, 0, 1);
  const incrementHigh = v128.shuffle<f32>(increment, increment, 2, 3, 0, 1);
  const high = f64x2.mul(f64x2.promote_low_f32x4(bathHigh),
    f64x2.sub(f64x2.add(f64x2.promote_low_f32x4(centreHigh), f64x2.promote_low_f32x4(incrementHigh)), uBathWide));
  return f64x2.add(low, high);
}

/** Fused uptake modes; always a constant at the call, so each instance of a loop carries only its own work. */
export const UPTAKE_NONE = 0;
/** One decay factor everywhere. */
export const UPTAKE_DECAY = 1;
/** The general reaction of uptake_fused.ts. */
export const UPTAKE_REACTION = 2;

/**
 * Four interior voxels from byte offset `offset` of the row: diffusion, the fused uptake of the
 * given mode, and the compensated store. Returns the uptake accumulator with their removal added.
 */
// @ts-ignore: decorator
@inline
function updateFour(
  ua: usize, lowRow: usize, outRow: usize, offset: usize, rowStride: usize, sliceStride: usize,
  rVector: v128, decayVector: v128, iaVector: v128, mode: i32, accumulator: v128,
): v128 {
  const a = ua + offset;
  const centre = v128.load(a);
  let sum = f32x4.sub(v128.load(a - 4), centre);
  sum = f32x4.add(sum, f32x4.sub(v128.load(a + 4), centre));
  sum = f32x4.add(sum, f32x4.sub(v128.load(a - rowStride), centre));
  sum = f32x4.add(sum, f32x4.sub(v128.load(a + rowStride), centre));
  sum = f32x4.add(sum, f32x4.sub(v128.load(a - sliceStride), centre));
  sum = f32x4.add(sum, f32x4.sub(v128.load(a + sliceStride), centre));
  let increment = f32x4.mul(rVector, sum);
  if (mode == UPTAKE_DECAY) {
    const removed = f32x4.mul(decayVector, f32x4.add(centre, increment));
    increment = f32x4.sub(increment, removed);
    accumulator = widenedSum(accumulator, removed);
  } else if (mode == UPTAKE_REACTION) {
    const removed = reactFour(f32x4.add(centre, increment), iaVector);
    increment = f32x4.sub(increment, removed);
    accumulator = widenedSum(accumulator, removed);
  }
  compensatedStoreFour(outRow + offset, lowRow + offset, centre, increment);
  return accumulator;
}

/**
 * The interior of one row (i = 1 … nx−2), eight then four voxels at a time, then one by one.
 * ua, lowRow, outRow: the row's first voxel in the field, the compensation and the output.
 * mode (UPTAKE_*) is a constant at every call. Returns the amount the fused uptake removed from
 * the row.
 */
// @ts-ignore: decorator
@inline
function interiorRow(
  ua: usize, lowRow: usize, outRow: usize, nx: i32, rowStride: usize, sliceStride: usize, r: f32, decay: f32,
  inverseAlpha: f32, mode: i32,
): f64 {
  const rVector = f32x4.splat(r);
  const decayVector = f32x4.splat(decay);
  const iaVector = f32x4.splat(inverseAlpha);
  let accumulator = f64x2.splat(0);
  let i = 1;
  for (; i + 8 <= nx - 1; i += 8) {
    const offset = <usize>i << 2;
    accumulator = updateFour(ua, lowRow, outRow, offset, rowStride, sliceStride, rVector, decayVector, iaVector, mode, accumulator);
    accumulator = updateFour(ua, lowRow, outRow, offset + 16, rowStride, sliceStride, rVector, decayVector, iaVector, mode,
      accumulator);
  }
  for (; i + 4 <= nx - 1; i += 4) {
    accumulator = updateFour(ua, lowRow, outRow, <usize>i << 2, rowStride, sliceStride, rVector, decayVector, iaVector, mode,
      accumulator);
  }
  let removedTotal = laneSum(accumulator);
  for (; i < nx - 1; i++) {
    const offset = <usize>i << 2;
    const a = ua + offset;
    const centre = load<f32>(a);
    const sum = (load<f32>(a - 4) - centre) + (load<f32>(a + 4) - centre)
      + (load<f32>(a - rowStride) - centre) + (load<f32>(a + rowStride) - centre)
      + (load<f32>(a - sliceStride) - centre) + (load<f32>(a + sliceStride) - centre);
    let increment = r * sum;
    if (mode == UPTAKE_DECAY) {
      const removed = decay * (centre + increment);
      increment -= removed;
      removedTotal += <f64>removed;
    } else if (mode == UPTAKE_REACTION) {
      const removed = reactOne(centre + increment, inverseAlpha);
      increment -= removed;
      removedTotal += <f64>removed;
    }
    compensatedStore(outRow + offset, lowRow + offset, centre, increment);
  }
  return removedTotal;
}

/** What the fused uptake removed from the SIMD boundary voxels so far in this step, in two f64 lanes. */
let boundaryRemovedLanes: v128 = f64x2.splat(0);

/**
 * Four voxels of a row on a face of the box (with both x neighbours) from byte offset `offset` of
 * the row: boundaryVoxel's update, lane by lane, in its order of sums. yLow … zHigh: the
 * neighbours' byte offsets, 0 where missing (the centre itself: a term of exactly 0, and no load
 * outside the field); bath: per lane, the missing faces' coefficients, summed in boundaryVoxel's
 * order. Adds the fused uptake's removal to boundaryRemovedLanes; returns the bath outflow (f64x2,
 * see bathOutflowFour).
 */
// @ts-ignore: decorator
@inline
function boundaryFour(
  ua: usize, lowRow: usize, outRow: usize, offset: usize, yLow: usize, yHigh: usize, zLow: usize, zHigh: usize,
  bath: v128, rVector: v128, uBathVector: v128, uBathWide: v128, decayVector: v128,
  iaVector: v128, mode: i32,
): v128 {
  const a = ua + offset;
  const centre = v128.load(a);
  let interior = f32x4.add(f32x4.sub(v128.load(a - 4), centre), f32x4.sub(v128.load(a + 4), centre));
  interior = f32x4.add(interior, f32x4.sub(v128.load(a - yLow), centre));
  interior = f32x4.add(interior, f32x4.sub(v128.load(a + yHigh), centre));
  interior = f32x4.add(interior, f32x4.sub(v128.load(a - zLow), centre));
  interior = f32x4.add(interior, f32x4.sub(v128.load(a + zHigh), centre));
  const increment = f32x4.div(
    f32x4.add(f32x4.mul(rVector, interior), f32x4.mul(bath, f32x4.sub(uBathVector, centre))),
    f32x4.add(f32x4.splat(1), bath));
  let removed = f32x4.splat(0);
  if (mode == UPTAKE_DECAY) {
    removed = f32x4.mul(decayVector, f32x4.add(centre, increment));
    boundaryRemovedLanes = widenedSum(boundaryRemovedLanes, removed);
  } else if (mode == UPTAKE_REACTION) {
    removed = reactFour(f32x4.add(centre, increment), iaVector);
    boundaryRemovedLanes = widenedSum(boundaryRemovedLanes, removed);
  }
  compensatedStoreFour(outRow + offset, lowRow + offset, centre, f32x4.sub(increment, removed));
  return bathOutflowFour(bath, centre, increment, uBathWide);
}

/**
 * One explicit diffusion step on uniform tissue, u → out in the shared shifted array (out = u ∓
 * nx·ny f32, see above), low updated in place, optionally followed in the same sweep by linear
 * uptake. r: D* dt / h²; b*: boundary coefficient per face (2r for
 * Dirichlet, 0 for Neumann); uBath: bath excess over baseline; decay: 1 − exp(−k dt) of the
 * uptake, 0 for none (the amount removed is then read with decayRemoved()); reaction: 1 for the
 * general reaction set by setReaction instead (decay is then ignored), 0 otherwise.
 * Returns Σ_boundary b (u'_p − u_b), the outflow through the boundary in units of excess·voxel
 * (multiply by α h³ for an amount).
 */
export function stepUniform(
  u: usize, out: usize, low: usize, nx: i32, ny: i32, nz: i32, r: f32,
  bxLow: f32, bxHigh: f32, byLow: f32, byHigh: f32, bzLow: f32, bzHigh: f32, uBath: f32, decay: f32,
  reaction: i32,
): f64 {
  let outflow: f64 = 0;
  const general = reaction != 0;
  const inverseAlpha = reactionInverseAlpha();
  let removed: f64 = 0;
  const rowStride = <usize>nx << 2;
  const sliceStride = <usize>(nx * ny) << 2;
  const upward = out < u;
  const mode = general ? UPTAKE_REACTION : decay != 0 ? UPTAKE_DECAY : UPTAKE_NONE;
  for (let sweep = 0; sweep < nz; sweep++) {
    const k = upward ? sweep : nz - 1 - sweep;
    for (let j = 0; j < ny; j++) {
      const rowOffset = <usize>((k * ny + j) * nx) << 2;
      const ua = u + rowOffset;
      const lowRow = low + rowOffset;
      const outRow = out + rowOffset;
      if (k == 0 || k == nz - 1 || j == 0 || j == ny - 1 || nx < 3) {
        // A row on a face of the box: its ends one by one, the rest four at a time.
        let i = 0;
        if (nx >= 3) {
          outflow += boundaryVoxel(ua, lowRow, outRow, 0, j, k, nx, ny, nz, r,
            bxLow, bxHigh, byLow, byHigh, bzLow, bzHigh, uBath, decay, general, inverseAlpha);
          // The missing faces' coefficients, summed in boundaryVoxel's order.
          let bath: f32 = 0;
          if (j == 0) bath += byLow;
          if (j == ny - 1) bath += byHigh;
          if (k == 0) bath += bzLow;
          if (k == nz - 1) bath += bzHigh;
          const bathVector = f32x4.splat(bath);
          const rVector = f32x4.splat(r), uBathVector = f32x4.splat(uBath), uBathWide = f64x2.splat(<f64>uBath);
          const decayVector = f32x4.splat(decay), iaVector = f32x4.splat(inverseAlpha);
          const yLow = j > 0 ? rowStride : 0, yHigh = j < ny - 1 ? rowStride : 0;
          const zLow = k > 0 ? sliceStride : 0, zHigh = k < nz - 1 ? sliceStride : 0;
          let outflowLanes = f64x2.splat(0);
          for (i = 1; i + 4 <= nx - 1; i += 4) {
            outflowLanes = f64x2.add(outflowLanes, boundaryFour(ua, lowRow, outRow, <usize>i << 2, yLow, yHigh, zLow, zHigh,
              bathVector, rVector, uBathVector, uBathWide, decayVector, iaVector, mode));
          }
          outflow += laneSum(outflowLanes);
        }
        for (; i < nx; i++) {
          const offset = <usize>i << 2;
          outflow += boundaryVoxel(ua + offset, lowRow + offset, outRow + offset, i, j, k, nx, ny, nz, r,
            bxLow, bxHigh, byLow, byHigh, bzLow, bzHigh, uBath, decay, general, inverseAlpha);
        }
        if (general) flushRow();
        continue;
      }
      // A row inside the box: its two ends (x faces) one by one, the rest in SIMD. (Four-lane SIMD
      // ends with a masked x neighbour, as the heterogeneous path has, made the whole step 4% faster
      // at 64³ but 12% slower at 128³.)
      outflow += boundaryVoxel(ua, lowRow, outRow, 0, j, k, nx, ny, nz, r,
        bxLow, bxHigh, byLow, byHigh, bzLow, bzHigh, uBath, decay, general, inverseAlpha);
      if (general) {
        removed += interiorRow(ua, lowRow, outRow, nx, rowStride, sliceStride, r, 0, inverseAlpha, UPTAKE_REACTION);
        flushRow();
      } else if (decay != 0) {
        removed += interiorRow(ua, lowRow, outRow, nx, rowStride, sliceStride, r, decay, 1, UPTAKE_DECAY);
      } else {
        interiorRow(ua, lowRow, outRow, nx, rowStride, sliceStride, r, 0, 1, UPTAKE_NONE);
      }
      const last = <usize>(nx - 1) << 2;
      outflow += boundaryVoxel(ua + last, lowRow + last, outRow + last, nx - 1, j, k, nx, ny, nz, r,
        bxLow, bxHigh, byLow, byHigh, bzLow, bzHigh, uBath, decay, general, inverseAlpha);
    }
  }
  boundaryRemoved += laneSum(boundaryRemovedLanes);
  boundaryRemovedLanes = f64x2.splat(0);
  // The removed excess; with the general reaction weighted by α (in f64) once for the whole step.
  removedByDecay = general ? (removed + boundaryRemoved) * reactionAlpha() : removed + boundaryRemoved;
  boundaryRemoved = 0;
  if (general) finishStep(removedByDecay);
  return outflow;
}
