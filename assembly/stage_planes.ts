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

