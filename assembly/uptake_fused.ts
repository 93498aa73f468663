// The general uptake reaction (reaction.ts) fused into the fast diffusion sweeps, for time steps
// short enough that a short series gives the decay factor to f32 precision.
//
// Per voxel, with v the value after diffusion and C = v + C_rest, the rate over the step is
//   x = k′ dt + k_t dt/α + k_pump(C) dt,   k_pump(C) dt = Vmax dt·Km/((Km + C_rest)(Km + max(C, 0))·α),
// frozen at the start of the uptake (as in reactGeneral), and v ← v·exp(−x): exact for the linear
// terms, first order for the pump, never below zero. 1 − exp(−x) is the series
//   x − x²/2 + x³/6 − x⁴/24 + x⁵/120 − x⁶/720,
// whose truncation error x⁷/5040 is below 2e-11 (2e-10 relative) for x ≤ FUSED_RATE_LIMIT = 0.1; the host
// falls back to the separate pass (reactGeneral, f64 exp) for larger x. The removed amount is split
// between the mechanisms in proportion to their rates: the total (α·removed, summed in f64) is
// exact; the tissue and pump shares are summed in f32 along a row, then in f64 (relative error
// ~1e-6 of a share), and the k′ share is the rest (without k′, the rest goes to the larger share).

let ecsRateDt: f32 = 0;
let tissueRateDt: f32 = 0;
let pumpScale: f32 = 0;
let pumpKm: f32 = 1;
let restingConcentration: f32 = 0;
let uniformInverseAlpha: f32 = 1;
/** α of the uniform path in f64, for weighting its removed excess without an f32 division. */
let uniformAlpha: f64 = 1;

/** Per-lane running sums of removed/x and removed·g/x along the current row (see reactFour). */
let tissueLanes: v128 = f32x4.splat(0);
let pumpLanes: v128 = f32x4.splat(0);
/** The same sums for the step so far, in f64. */
let tissueSum: f64 = 0;
let pumpSum: f64 = 0;
/** What the last fused step removed, by mechanism (α·excess·voxel). */
let lastTotal: f64 = 0;
let lastTissue: f64 = 0;
let lastPump: f64 = 0;

/**
 * Sets the reaction that the fast steps fuse when called with reaction = 1. ecsRateDt = k′ dt,
 * tissueRateDt = k_t dt, pumpVmaxDt = Vmax dt (mM), pumpKm and restingConcentration in mM,
 * uniformInverseAlpha: 1/α for the uniform path (the heterogeneous path reads 1/α per voxel).
 */
export function setReaction(
  ecsRateDtValue: f64, tissueRateDtValue: f64, pumpVmaxDt: f64, pumpKmValue: f64, restingConcentrationValue: f64,
  uniformInverseAlphaValue: f64,
): void {
  ecsRateDt = <f32>ecsRateDtValue;
  tissueRateDt = <f32>tissueRateDtValue;
  pumpScale = <f32>(pumpVmaxDt * pumpKmValue / (pumpKmValue + restingConcentrationValue));
  pumpKm = <f32>pumpKmValue;
  restingConcentration = <f32>restingConcentrationValue;
  uniformInverseAlpha = <f32>uniformInverseAlphaValue;
  uniformAlpha = 1 / uniformInverseAlphaValue;
}

/** α of the uniform path (f64), as set by setReaction. */
export function reactionAlpha(): f64 {
  return uniformAlpha;
}

/** 1/α of the uniform path, as set by setReaction. */
export function reactionInverseAlpha(): f32 {
  return uniformInverseAlpha;
}

/** Removed by the k′ term in the last fused step (α·excess·voxel). */
export function fusedRemovedByEcsRate(): f64 { return lastTotal - lastTissue - lastPump; }
/** Removed by the k_t term in the last fused step (α·excess·voxel). */
export function fusedRemovedByTissueRate(): f64 { return lastTissue; }
/** Removed by the pump in the last fused step (α·excess·voxel). */
export function fusedRemovedByPump(): f64 { return lastPump; }

/**
 * (1 − exp(−x))/x for 0 ≤ x ≤ 0.1 to f32 precision (the series above divided by x), four lanes.
 * Precondition, kept by the host: x ≤ FUSED_RATE_LIMIT. Times x it is the fraction removed; alone
 * it is removed/x, the weight that splits the removal between the rates, with no division.
 */
// @ts-ignore: decorator
@inline
function removedPerRateFour(x: v128): v128 {
  let p = f32x4.add(f32x4.splat(<f32>(1.0 / 120)), f32x4.mul(x, f32x4.splat(<f32>(-1.0 / 720))));
  p = f32x4.add(f32x4.splat(<f32>(-1.0 / 24)), f32x4.mul(x, p));
  p = f32x4.add(f32x4.splat(<f32>(1.0 / 6)), f32x4.mul(x, p));
  p = f32x4.add(f32x4.splat(<f32>-0.5), f32x4.mul(x, p));
  return f32x4.add(f32x4.splat(<f32>1), f32x4.mul(x, p));
}

/** (1 − exp(−x))/x for 0 ≤ x ≤ 0.1, one value. */
// @ts-ignore: decorator
@inline
function removedPerRateOne(x: f32): f32 {
  let p: f32 = <f32>(1.0 / 120) + x * <f32>(-1.0 / 720);
  p = <f32>(-1.0 / 24) + x * p;
  p = <f32>(1.0 / 6) + x * p;
  p = <f32>-0.5 + x * p;
  return <f32>1 + x * p;
}

/**
 * The amount to remove from four voxels of value v (after diffusion) and inverse α ia; adds their
 * mechanism shares to the row's lanes.
 */
// @ts-ignore: decorator
@inline
export function reactFour(v: v128, ia: v128): v128 {
  const concentration = f32x4.max(f32x4.add(v, f32x4.splat(restingConcentration)), f32x4.splat(0));
  const g = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(pumpKm), concentration));
  const x = f32x4.add(
    f32x4.add(f32x4.splat(ecsRateDt), f32x4.mul(f32x4.splat(tissueRateDt), ia)),
    f32x4.mul(f32x4.mul(f32x4.splat(pumpScale), ia), g));
  const perRate = f32x4.mul(removedPerRateFour(x), v);
  const removed = f32x4.mul(x, perRate);
  tissueLanes = f32x4.add(tissueLanes, perRate);
  pumpLanes = f32x4.add(pumpLanes, f32x4.mul(perRate, g));
  return removed;
}

/** The amount to remove from one voxel of value v and inverse α ia; adds its shares to the step's sums. */
// @ts-ignore: decorator
@inline
export function reactOne(v: f32, ia: f32): f32 {
  const g = <f32>1 / (pumpKm + max(v + restingConcentration, <f32>0));
  const x = ecsRateDt + tissueRateDt * ia + pumpScale * ia * g;
  const perRate = removedPerRateOne(x) * v;
  const removed = x * perRate;
  tissueSum += <f64>perRate;
  pumpSum += <f64>(perRate * g);
  return removed;
}

/** Moves the row's lane sums into the step's f64 sums. */
// @ts-ignore: decorator
@inline
export function flushRow(): void {
  tissueSum += <f64>f32x4.extract_lane(tissueLanes, 0) + <f64>f32x4.extract_lane(tissueLanes, 1)
    + <f64>f32x4.extract_lane(tissueLanes, 2) + <f64>f32x4.extract_lane(tissueLanes, 3);
  pumpSum += <f64>f32x4.extract_lane(pumpLanes, 0) + <f64>f32x4.extract_lane(pumpLanes, 1)
    + <f64>f32x4.extract_lane(pumpLanes, 2) + <f64>f32x4.extract_lane(pumpLanes, 3);
  tissueLanes = f32x4.splat(0);
  pumpLanes = f32x4.splat(0);
}

/** Ends a fused step: total is the α-weighted amount removed; splits it by mechanism. */
export function finishStep(total: f64): void {
  lastTotal = total;
  // α·removed·(k_t dt/α)/x = k_t dt·removed/x; α·removed·pump/x = pumpScale·removed·g/x.
  lastTissue = <f64>tissueRateDt * tissueSum;
  lastPump = <f64>pumpScale * pumpSum;
  // Without k′ the rest of the total is the shares' rounding, not a k′ share: give it to the
  // larger share, so that k′ reads exactly 0 and the total stays exact.
  if (ecsRateDt == 0) {
    if (lastTissue >= lastPump) lastTissue = total - lastPump; else lastPump = total - lastTissue;
  }
  tissueSum = 0;
  pumpSum = 0;
}
