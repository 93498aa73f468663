// Small inline helpers shared by the kernel's modules: element access by index and the harmonic
// mean that couples two voxels' κ across their common face.

/** base[index] for an f32 array. */
// @ts-ignore: decorator
@inline
export function f32At(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

/** base[index] for an f32 array, widened to f64. */
// @ts-ignore: decorator
@inline
export function f64At(base: usize, index: i32): f64 {
  return <f64>load<f32>(base + (<usize>index << 2));
}

/** Harmonic mean 2ab/(a + b): two half-voxel resistances in series; 0 when both are 0. */
// @ts-ignore: decorator
@inline
export function harmonic(a: f64, b: f64): f64 {
  return a + b > 0 ? 2 * a * b / (a + b) : 0;
}
