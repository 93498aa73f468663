// What both RKL2 stage kernels read their stencil from: w = a·prev + g·u, formed at one voxel
// (scalar), four voxels (SIMD), or a whole plane into a ring of three planes, so that the interior
// of a stage forms w once per voxel instead of at all seven stencil points (the same f32 values).

// @ts-ignore: decorator
@inline
export function w(u: usize, prev: usize, offset: usize, a: f32, g: f32): f32 {
  return a * load<f32>(prev + offset) + g * load<f32>(u + offset);
}

// @ts-ignore: decorator
@inline
export function wFour(u: usize, prev: usize, offset: usize, a: v128, g: v128): v128 {
  return f32x4.add(f32x4.mul(a, v128.load(prev + offset)), f32x4.mul(g, v128.load(u + offset)));
}

/** Plane `plane` of w = a·prev + g·u into its slot of the ring (plane mod 3). */
// @ts-ignore: decorator
@inline
export function fillPlane(u: usize, prev: usize, planes: usize, plane: i32, nxy: i32, a: v128, g: v128, aScalar: f32, gScalar: f32): void {
  const source = <usize>(plane * nxy) << 2;
  const target = planes + (<usize>((plane % 3) * nxy) << 2);
  let i = 0;
  for (; i + 4 <= nxy; i += 4) {
    const offset = <usize>i << 2;
    v128.store(target + offset, wFour(u, prev, source + offset, a, g));
  }
  for (; i < nxy; i++) {
    const offset = <usize>i << 2;
    store<f32>(target + offset, w(u, prev, source + offset, aScalar, gScalar));
  }
}


/**
 * Before the rows of plane k: the ring must hold planes k − 1, k and k + 1 of w wherever plane k has
 * interior rows (1 ≤ k ≤ nz − 2). Fills the two first planes at k = 1 and one new plane after that.
 */
// @ts-ignore: decorator
@inline
export function prepareRing(
  u: usize, prev: usize, planes: usize, k: i32, nz: i32, nxy: i32, a: v128, g: v128, aScalar: f32, gScalar: f32,
): void {
  if (k < 1 || k > nz - 2) return;
  if (k == 1) {
    fillPlane(u, prev, planes, 0, nxy, a, g, aScalar, gScalar);
    fillPlane(u, prev, planes, 1, nxy, a, g, aScalar, gScalar);
  }
  fillPlane(u, prev, planes, k + 1, nxy, a, g, aScalar, gScalar);
}

/** Where plane `plane` (≥ −1) of w sits in the ring. */
// @ts-ignore: decorator
@inline
export function ringPlane(planes: usize, plane: i32, planeBytes: usize): usize {
  return planes + <usize>((plane + 3) % 3) * planeBytes;
}
