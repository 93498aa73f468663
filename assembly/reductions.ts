// Reductions accumulate in f64 so that totals (the mass ledger) stay exact to round-off even though
// the field itself is f32. Every voxel's value is u + low (compensated storage, diffusion_uniform.ts).

// @ts-ignore: decorator
@inline
function valueAt(u: usize, low: usize, offset: usize): f64 {
  return <f64>load<f32>(u + offset) + <f64>load<f32>(low + offset);
}

/** Σ (u + low) over n voxels. */
export function sumField(u: usize, low: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let p = 0; p < n; p++) total += valueAt(u, low, <usize>p << 2);
  return total;
}

/** Σ (u + low) / ia over n voxels, i.e. Σ α·u when ia holds 1/α per voxel. */
export function sumWeighted(u: usize, low: usize, inverseAlpha: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    total += valueAt(u, low, offset) / <f64>load<f32>(inverseAlpha + offset);
  }
  return total;
}

/** Σ α·(u + low) with α given per voxel (the reference layout). */
export function sumAlphaWeighted(u: usize, low: usize, alpha: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let p = 0; p < n; p++) {
    const offset = <usize>p << 2;
    total += valueAt(u, low, offset) * <f64>load<f32>(alpha + offset);
  }
  return total;
}

/** Σ p over n voxels (one array: the compensation alone). */
export function sumValues(p: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) total += <f64>load<f32>(p + (<usize>i << 2));
  return total;
}

/** Σ p / ia over n voxels: Σ α·p when ia holds 1/α per voxel. */
export function sumValuesOver(p: usize, inverseAlpha: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const offset = <usize>i << 2;
    total += <f64>load<f32>(p + offset) / <f64>load<f32>(inverseAlpha + offset);
  }
  return total;
}

/** Σ p·a over n voxels (a: α per voxel, the reference layout). */
export function sumValuesTimes(p: usize, a: usize, n: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const offset = <usize>i << 2;
    total += <f64>load<f32>(p + offset) * <f64>load<f32>(a + offset);
  }
  return total;
}
