// Diffusion step for heterogeneous tissue (α and λ per voxel): the general fast path.
//
// Scheme: cell-centred finite volumes, forward Euler,
//   α_p (u'_p − u_p) = Σ_q g_pq (u_q − u_p),   g_pq = dt/h² · harmonic mean(κ_p, κ_q),  κ = α D/λ²,
// so the flux α D* ∂C/∂n is continuous across tissue interfaces and Σ α u is conserved exactly
// (up to round-off). Face coefficients are precomputed by buildFaces: gx[p] couples p and p+1,
// gy[p] couples p and p+nx, gz[p] couples p and p+nx·ny; inverseAlpha[p] = 1/α_p.
// Boundary faces (coefficient 2 dt κ_p/h² for Dirichlet, 0 for Neumann, stored per face in the
// boundary block) are taken implicitly in u_p alone, as in the uniform path, and in SIMD where the
// uniform path does it (boundaryFour).
// Values are stored compensated (u + low), updated in place shifted by one plane, and linear
// uptake with one rate everywhere (decay = 1 − exp(−k′ dt)) is optionally fused into the same
// sweep, all as in diffusion_uniform.ts. The removed amount is accumulated in f64 in α·excess
// units (per voxel decay·value / (1/α), that quotient formed in f32).
// Per-voxel arrays: u, low, 1/α, gx, gy, gz: 24 bytes/voxel.
// Stable and positivity-preserving for dt Σ_interior faces G / (α_p h²) ≤ 1 at every voxel.
// Error: O(h²) in space, O(dt) in time.
//
// Boundary block layout (f32): [x low: ny·nz][x high: ny·nz][y low: nx·nz][y high: nx·nz]
// [z low: nx·ny][z high: nx·ny], indexed j + ny·k, i + nx·k and i + nx·j respectively.

import { f32At } from "./access";

import {
  bathOutflowFour, compensatedStore, laneSum, compensatedStoreFour, setDecayRemoved, widenedSum, UPTAKE_DECAY, UPTAKE_NONE, UPTAKE_REACTION,
} from "./diffusion_uniform";
import { finishStep, flushRow, reactFour, reactOne } from "./uptake_fused";

/** What the fused uptake removed from boundary voxels so far in this step (α·excess·voxel). */
let boundaryRemoved: f64 = 0;

// @ts-ignore: decorator
@inline
function boundaryVoxel(
  u: usize, low: usize, outAt: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  p: i32, i: i32, j: i32, k: i32, nx: i32, ny: i32, nz: i32, uBath: f32, decay: f32, reaction: bool,
): f64 {
  const up = f32At(u, p);
  const nxy = nx * ny;
  const xFaces = ny * nz;
  const yFaces = nx * nz;
  const yBlock = boundary + (<usize>(2 * xFaces) << 2);
  const zBlock = yBlock + (<usize>(2 * yFaces) << 2);
  let interior: f32 = 0;
  let bath: f32 = 0;
  if (i > 0) interior += f32At(gx, p - 1) * (f32At(u, p - 1) - up); else bath += f32At(boundary, j + ny * k);
  if (i < nx - 1) interior += f32At(gx, p) * (f32At(u, p + 1) - up); else bath += f32At(boundary, xFaces + j + ny * k);
  if (j > 0) interior += f32At(gy, p - nx) * (f32At(u, p - nx) - up); else bath += f32At(yBlock, i + nx * k);
  if (j < ny - 1) interior += f32At(gy, p) * (f32At(u, p + nx) - up); else bath += f32At(yBlock, yFaces + i + nx * k);
  if (k > 0) interior += f32At(gz, p - nxy) * (f32At(u, p - nxy) - up); else bath += f32At(zBlock, i + nx * j);
  if (k < nz - 1) interior += f32At(gz, p) * (f32At(u, p + nxy) - up); else bath += f32At(zBlock, nxy + i + nx * j);
  const a = f32At(inverseAlpha, p);
  const increment = a * (interior + bath * (uBath - up)) / (<f32>1 + a * bath);
  const removed = reaction ? reactOne(up + increment, a) : decay * (up + increment);
  boundaryRemoved += <f64>removed / <f64>a;
  compensatedStore(outAt, low + (<usize>p << 2), up, increment - removed);
  return <f64>bath * (<f64>up + <f64>increment - <f64>uBath);
}

/**
 * Voxels first … end−1 of a row inside the box, four at a time; every pointer is at the row's
 * first voxel (outRow: where the new values go). mode (UPTAKE_*) is a constant at every call.
 * Returns the amount the fused uptake removed from the row, in α·excess·voxel units.
 */
// @ts-ignore: decorator
@inline
function interiorRow(
  ua: usize, lowRow: usize, outRow: usize, iaRow: usize, gxRow: usize, gyRow: usize, gzRow: usize,
  first: i32, end: i32, rowStride: usize, sliceStride: usize, decay: f32, mode: i32,
): f64 {
  const decayVector = f32x4.splat(decay);
  let accumulator = f64x2.splat(0);
  let i = first;
  for (; i + 4 <= end; i += 4) {
    const offset = <usize>i << 2;
    const a = ua + offset;
    const centre = v128.load(a);
    let sum = f32x4.mul(v128.load(gxRow + offset - 4), f32x4.sub(v128.load(a - 4), centre));
    sum = f32x4.add(sum, f32x4.mul(v128.load(gxRow + offset), f32x4.sub(v128.load(a + 4), centre)));
    sum = f32x4.add(sum, f32x4.mul(v128.load(gyRow + offset - rowStride), f32x4.sub(v128.load(a - rowStride), centre)));
    sum = f32x4.add(sum, f32x4.mul(v128.load(gyRow + offset), f32x4.sub(v128.load(a + rowStride), centre)));
    sum = f32x4.add(sum, f32x4.mul(v128.load(gzRow + offset - sliceStride), f32x4.sub(v128.load(a - sliceStride), centre)));
    sum = f32x4.add(sum, f32x4.mul(v128.load(gzRow + offset), f32x4.sub(v128.load(a + sliceStride), centre)));
    const inverseAlpha = v128.load(iaRow + offset);
    let increment = f32x4.mul(inverseAlpha, sum);
    if (mode != UPTAKE_NONE) {
      const removed = mode == UPTAKE_DECAY
        ? f32x4.mul(decayVector, f32x4.add(centre, increment))
        : reactFour(f32x4.add(centre, increment), inverseAlpha);
      increment = f32x4.sub(increment, removed);
      accumulator = widenedSum(accumulator, f32x4.div(removed, inverseAlpha));
    }
    compensatedStoreFour(outRow + offset, lowRow + offset, centre, increment);
  }
  let removedTotal = laneSum(accumulator);
  for (; i < end; i++) {
    const offset = <usize>i << 2;
    const a = ua + offset;
    const centre = load<f32>(a);
    const sum = load<f32>(gxRow + offset - 4) * (load<f32>(a - 4) - centre)
      + load<f32>(gxRow + offset) * (load<f32>(a + 4) - centre)
      + load<f32>(gyRow + offset - rowStride) * (load<f32>(a - rowStride) - centre)
      + load<f32>(gyRow + offset) * (load<f32>(a + rowStride) - centre)
      + load<f32>(gzRow + offset - sliceStride) * (load<f32>(a - sliceStride) - centre)
      + load<f32>(gzRow + offset) * (load<f32>(a + sliceStride) - centre);
    const inverseAlpha = load<f32>(iaRow + offset);
    let increment = inverseAlpha * sum;
    if (mode != UPTAKE_NONE) {
      const removed = mode == UPTAKE_DECAY ? decay * (centre + increment) : reactOne(centre + increment, inverseAlpha);
      increment -= removed;
      removedTotal += <f64>(removed / inverseAlpha);
    }
    compensatedStore(outRow + offset, lowRow + offset, centre, increment);
  }
  return removedTotal;
}

/** What the fused uptake removed from the SIMD boundary voxels so far in this step, in two f64 lanes. */
let boundaryRemovedLanes: v128 = f64x2.splat(0);

/** Lane masks for boundaryFour: every neighbour kept; all but the first lane's; all but the last lane's. */
const KEEP_ALL = i32x4(-1, -1, -1, -1);
const KEEP_ALL_BUT_FIRST = i32x4(0, -1, -1, -1);
const KEEP_ALL_BUT_LAST = i32x4(-1, -1, -1, 0);

/**
 * Four voxels on the boundary of the box from byte offset `offset` of the row (every pointer at the
 * row's first voxel): boundaryVoxel's update, lane by lane, in its order of sums. keepLow, keepHigh:
 * per lane, all ones where the x− (x+) neighbour exists, zeros where it is missing (the term is then
 * exactly 0); yLow … zHigh: the neighbours' byte offsets, 0 where missing (the centre itself: a term
 * g·0 of exactly 0, and no load outside the arrays); bath: per lane, the missing faces'
 * coefficients, summed in boundaryVoxel's order (0 for a voxel with all six neighbours, whose update
 * is then the interior one). Adds the fused uptake's removal (α·excess, divided in f64 as
 * boundaryVoxel does) to boundaryRemovedLanes; returns the bath outflow (f64x2, see bathOutflowFour).
 */
// @ts-ignore: decorator
@inline
function boundaryFour(
  ua: usize, lowRow: usize, outRow: usize, iaRow: usize, gxRow: usize, gyRow: usize, gzRow: usize, offset: usize,
  yLow: usize, yHigh: usize, zLow: usize, zHigh: usize, keepLow: v128, keepHigh: v128, bath: v128,
  uBathVector: v128, uBathWide: v128, decayVector: v128, mode: i32,
): v128 {
  const a = ua + offset;
  const centre = v128.load(a);
  let interior = v128.and(f32x4.mul(v128.load(gxRow + offset - 4), f32x4.sub(v128.load(a - 4), centre)), keepLow);
  interior = f32x4.add(interior,
    v128.and(f32x4.mul(v128.load(gxRow + offset), f32x4.sub(v128.load(a + 4), centre)), keepHigh));
  interior = f32x4.add(interior, f32x4.mul(v128.load(gyRow + offset - yLow), f32x4.sub(v128.load(a - yLow), centre)));
  interior = f32x4.add(interior, f32x4.mul(v128.load(gyRow + offset), f32x4.sub(v128.load(a + yHigh), centre)));
  interior = f32x4.add(interior, f32x4.mul(v128.load(gzRow + offset - zLow), f32x4.sub(v128.load(a - zLow), centre)));
  interior = f32x4.add(interior, f32x4.mul(v128.load(gzRow + offset), f32x4.sub(v128.load(a + zHigh), centre)));
  const inverseAlpha = v128.load(iaRow + offset);
  const increment = f32x4.div(
    f32x4.mul(inverseAlpha, f32x4.add(interior, f32x4.mul(bath, f32x4.sub(uBathVector, centre)))),
    f32x4.add(f32x4.splat(1), f32x4.mul(inverseAlpha, bath)));
  let removed = f32x4.splat(0);
  if (mode != UPTAKE_NONE) {
    removed = mode == UPTAKE_DECAY
      ? f32x4.mul(decayVector, f32x4.add(centre, increment))
      : reactFour(f32x4.add(centre, increment), inverseAlpha);
    const removedHigh = v128.shuffle<f32>(removed, removed, 2, 3, 0, 1);
    const inverseAlphaHigh = v128.shuffle<f32>(inverseAlpha, inverseAlpha, 2, 3, 0, 1);
    boundaryRemovedLanes = f64x2.add(boundaryRemovedLanes, f64x2.add(
      f64x2.div(f64x2.promote_low_f32x4(removed), f64x2.promote_low_f32x4(inverseAlpha)),
      f64x2.div(f64x2.promote_low_f32x4(removedHigh), f64x2.promote_low_f32x4(inverseAlphaHigh))));
  }
  compensatedStoreFour(outRow + offset, lowRow + offset, centre, f32x4.sub(increment, removed));
  return bathOutflowFour(bath, centre, increment, uBathWide);
}

/** boundaryFour for four voxels of a row inside the box (all y and z neighbours present); returns their outflow. */
// @ts-ignore: decorator
@inline
function rowEndFour(
  ua: usize, lowRow: usize, outRow: usize, iaRow: usize, gxRow: usize, gyRow: usize, gzRow: usize, offset: usize,
  rowStride: usize, sliceStride: usize, keepLow: v128, keepHigh: v128, bath: v128, uBath: f32, decay: f32, mode: i32,
): f64 {
  const outflowLanes = boundaryFour(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, offset, rowStride, rowStride,
    sliceStride, sliceStride, keepLow, keepHigh, bath, f32x4.splat(uBath), f64x2.splat(<f64>uBath), f32x4.splat(decay), mode);
  return laneSum(outflowLanes);
}

/**
 * One explicit diffusion step on heterogeneous tissue, u → out in the shared shifted array (out =
 * u ∓ nx·ny f32, see diffusion_uniform.ts), low updated in place, with precomputed face
 * coefficients (see buildFaces), optionally followed in the same sweep by linear uptake. uBath: bath excess over baseline. decay: 1 − exp(−k′ dt), the
 * same everywhere, 0 for none (the amount removed, α·excess·voxel, is read with decayRemoved());
 * reaction: 1 for the general reaction set by setReaction instead (decay is then ignored).
 * Returns the boundary outflow Σ_boundary g_b (u'_p − u_b) in units of α·excess·voxel (multiply
 * by h³ for an amount).
 */
export function stepHeterogeneous(
  u: usize, out: usize, low: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  nx: i32, ny: i32, nz: i32, uBath: f32, decay: f32, reaction: i32,
): f64 {
  let outflow: f64 = 0;
  const general = reaction != 0;
  let removed: f64 = 0;
  const rowStride = <usize>nx << 2;
  const sliceStride = <usize>(nx * ny) << 2;
  const upward = out < u;
  const nxy = nx * ny;
  const yFaces = nx * nz;
  const yBlock = boundary + (<usize>(2 * ny * nz) << 2);
  const zBlock = yBlock + (<usize>(2 * yFaces) << 2);
  const mode = general ? UPTAKE_REACTION : decay != 0 ? UPTAKE_DECAY : UPTAKE_NONE;
  for (let sweep = 0; sweep < nz; sweep++) {
    const k = upward ? sweep : nz - 1 - sweep;
    for (let j = 0; j < ny; j++) {
      const rowStart = (k * ny + j) * nx;
      const rowOffset = <usize>rowStart << 2;
      const outRow = out + rowOffset;
      const ua = u + rowOffset, lowRow = low + rowOffset, iaRow = inverseAlpha + rowOffset;
      const gxRow = gx + rowOffset, gyRow = gy + rowOffset, gzRow = gz + rowOffset;
      if (k == 0 || k == nz - 1 || j == 0 || j == ny - 1 || nx < 3) {
        // A row on a face of the box: its ends one by one, the rest four at a time.
        let i = 0;
        if (nx >= 3) {
          outflow += boundaryVoxel(u, low, outRow, inverseAlpha, gx, gy, gz, boundary,
            rowStart, 0, j, k, nx, ny, nz, uBath, decay, general);
          const yBlockRow = yBlock + (<usize>(nx * k) << 2), yHighBlockRow = yBlockRow + (<usize>yFaces << 2);
          const zBlockRow = zBlock + (<usize>(nx * j) << 2), zHighBlockRow = zBlockRow + (<usize>nxy << 2);
          const yLow = j > 0 ? rowStride : 0, yHigh = j < ny - 1 ? rowStride : 0;
          const zLow = k > 0 ? sliceStride : 0, zHigh = k < nz - 1 ? sliceStride : 0;
          const yLowMissing = i32x4.splat(j == 0 ? -1 : 0), yHighMissing = i32x4.splat(j == ny - 1 ? -1 : 0);
          const zLowMissing = i32x4.splat(k == 0 ? -1 : 0), zHighMissing = i32x4.splat(k == nz - 1 ? -1 : 0);
          const uBathVector = f32x4.splat(uBath), uBathWide = f64x2.splat(<f64>uBath), decayVector = f32x4.splat(decay);
          let outflowLanes = f64x2.splat(0);
          for (i = 1; i + 4 <= nx - 1; i += 4) {
            const offset = <usize>i << 2;
            // The missing faces' coefficients, masked, summed in boundaryVoxel's order.
            let bath = v128.and(v128.load(yBlockRow + offset), yLowMissing);
            bath = f32x4.add(bath, v128.and(v128.load(yHighBlockRow + offset), yHighMissing));
            bath = f32x4.add(bath, v128.and(v128.load(zBlockRow + offset), zLowMissing));
            bath = f32x4.add(bath, v128.and(v128.load(zHighBlockRow + offset), zHighMissing));
            outflowLanes = f64x2.add(outflowLanes, boundaryFour(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, offset,
              yLow, yHigh, zLow, zHigh, KEEP_ALL, KEEP_ALL, bath, uBathVector, uBathWide, decayVector, mode));
          }
          outflow += laneSum(outflowLanes);
        }
        for (; i < nx; i++) {
          outflow += boundaryVoxel(u, low, outRow + (<usize>i << 2), inverseAlpha, gx, gy, gz, boundary,
            rowStart + i, i, j, k, nx, ny, nz, uBath, decay, general);
        }
        if (general) flushRow();
        continue;
      }
      // A row inside the box: only its two ends touch the bath (x faces). With nx ≥ 8 the four voxels
      // at each end go in SIMD, the x face in the end lane. In order along the row: the hardware
      // prefetcher follows ascending addresses (visiting the last four voxels first cost 30% at 256³).
      const simdEnds = nx >= 8;
      if (simdEnds) {
        const xFaceLow = f32At(boundary, j + ny * k);
        outflow += rowEndFour(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, 0, rowStride, sliceStride,
          KEEP_ALL_BUT_FIRST, KEEP_ALL, f32x4.replace_lane(f32x4.splat(0), 0, xFaceLow), uBath, decay, mode);
      } else {
        outflow += boundaryVoxel(u, low, outRow, inverseAlpha, gx, gy, gz, boundary,
          rowStart, 0, j, k, nx, ny, nz, uBath, decay, general);
      }
      const first = simdEnds ? 4 : 1, end = simdEnds ? nx - 4 : nx - 1;
      if (general) {
        removed += interiorRow(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, first, end, rowStride, sliceStride, 0,
          UPTAKE_REACTION);
      } else if (decay != 0) {
        removed += interiorRow(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, first, end, rowStride, sliceStride, decay,
          UPTAKE_DECAY);
      } else {
        interiorRow(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, first, end, rowStride, sliceStride, 0, UPTAKE_NONE);
      }
      if (simdEnds) {
        const xFaceHigh = f32At(boundary, ny * nz + j + ny * k);
        outflow += rowEndFour(ua, lowRow, outRow, iaRow, gxRow, gyRow, gzRow, <usize>(nx - 4) << 2, rowStride,
          sliceStride, KEEP_ALL, KEEP_ALL_BUT_LAST, f32x4.replace_lane(f32x4.splat(0), 3, xFaceHigh), uBath, decay, mode);
      } else {
        outflow += boundaryVoxel(u, low, outRow + (<usize>(nx - 1) << 2), inverseAlpha, gx, gy, gz, boundary,
          rowStart + nx - 1, nx - 1, j, k, nx, ny, nz, uBath, decay, general);
      }
      if (general) flushRow();
    }
  }
  boundaryRemoved += laneSum(boundaryRemovedLanes);
  boundaryRemovedLanes = f64x2.splat(0);
  setDecayRemoved(removed + boundaryRemoved);
  if (general) finishStep(removed + boundaryRemoved);
  boundaryRemoved = 0;
  return outflow;
}
