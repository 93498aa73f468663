// Reductions accumulate in f64 so that totals (the mass ledger) stay exact to round-off even though
// the field itself is f32.

/** Σ u over n voxels. */
export function sumField(u: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let p = 0; p < n; p++) total += <f64>load<f32>(u + (<usize>p << 2));
  return total;
}

/** Σ u / ia over n voxels, i.e. Σ α·u when ia holds 1/α per voxel. */
export function sumWeighted(u: usize, inverseAlpha: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    total += <f64>load<f32>(u + offset) / <f64>load<f32>(inverseAlpha + offset);
  }
  return total;
}

/** Σ α·u with α given per voxel (the reference layout). */
export function sumAlphaWeighted(u: usize, alpha: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    total += <f64>load<f32>(u + offset) * <f64>load<f32>(alpha + offset);
  }
  return total;
}
