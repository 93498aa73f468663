// Glial K⁺ spatial buffering through Kir channels, split from diffusion.
//
// The glial syncytium is isopotential: its potential V_glia is the conductance-weighted mean of
// E_K over the buffering region (here the whole grid, uniform conductance), which makes the net glial
// current zero. Per tissue volume the glia take up f = g (E_K(C) − V_glia)/F: uptake where [K]o is
// high, release where it is low. With E_K − V_glia = (RT/F)(ln C − mean ln C), per ECS volume
//   Δu_p = −G dt (ln C_p − mean ln C) / α_p,   G = g RT/F².
// Scheme: explicit in time (first order). Each voxel's change is limited so that C never crosses
// exp(mean ln C), where its flux would reverse: C stays positive and between its old value and that
// level. The limiter breaks the exact balance of uptake and release, so the larger side is scaled
// down to the smaller: the glia move K⁺ around but never remove or add any (to round-off).

let grossUptake: f64 = 0;
let netRemoved: f64 = 0;

/** Amount the glia took up in the last step (α·excess·voxel units); they released the same. */
export function glialGrossUptake(): f64 { return grossUptake; }
/** Net amount removed by the glia in the last step (α·excess·voxel units): zero to round-off. */
export function glialNetRemoved(): f64 { return netRemoved; }

/**
 * One glial buffering step. scratch: n f32 values this call may overwrite. inverseAlpha: 1/α per
 * voxel, or 0 for uniform tissue (then uniformInverseAlpha). coefficientDt = G dt (mM).
 * Returns mean ln C (C in mM), from which V_glia = (RT/F)(mean ln C − ln C_in).
 */
export function gliaStep(
  u: usize, low: usize, scratch: usize, inverseAlpha: usize, uniformInverseAlpha: f64, n: i32,
  restingConcentration: f64, coefficientDt: f64,
): f64 {
  let sumLog: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    const concentration = max(<f64>load<f32>(u + offset) + <f64>load<f32>(low + offset) + restingConcentration, 1e-12);
    const logarithm = Math.log(concentration);
    store<f32>(scratch + offset, <f32>logarithm);
    sumLog += logarithm;
  }
  const meanLog = sumLog / <f64>n;
  const level = Math.exp(meanLog);

  // Limited uptake per voxel in α·excess units (negative: release), and the two totals.
  let uptake: f64 = 0;
  let release: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    const ia = inverseAlpha ? <f64>load<f32>(inverseAlpha + offset) : uniformInverseAlpha;
    const concentration = <f64>load<f32>(u + offset) + <f64>load<f32>(low + offset) + restingConcentration;
    let change = coefficientDt * (<f64>load<f32>(scratch + offset) - meanLog) * ia;
    const room = concentration - level;
    if (change > 0 && change > room) change = max(room, 0);
    if (change < 0 && change < room) change = min(room, 0);
    const tissue = change / ia;
    store<f32>(scratch + offset, <f32>tissue);
    if (tissue > 0) uptake += <f64><f32>tissue; else release -= <f64><f32>tissue;
  }
  const uptakeScale = uptake > release ? release / uptake : 1;
  const releaseScale = release > uptake ? uptake / release : 1;

  let removed: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    const ia = inverseAlpha ? <f64>load<f32>(inverseAlpha + offset) : uniformInverseAlpha;
    const tissue = <f64>load<f32>(scratch + offset);
    if (tissue == 0) continue;
    const change = tissue * (tissue > 0 ? uptakeScale : releaseScale) * ia;
    const before = <f64>load<f32>(u + offset) + <f64>load<f32>(low + offset);
    const after = before - change;
    const rounded = <f32>after;
    store<f32>(u + offset, rounded);
    store<f32>(low + offset, <f32>(after - <f64>rounded));
    removed += (before - after) / ia;
  }
  grossUptake = uptake * uptakeScale;
  netRemoved = removed;
  return meanLog;
}
