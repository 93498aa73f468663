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
