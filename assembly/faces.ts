// Precomputes the heterogeneous path's coefficients from per-voxel α and κ = α D/λ².
// Face coefficient: the harmonic mean of κ on both sides (two half-voxel resistances in series),
// which makes the discrete normal flux continuous across interfaces.

import { f64At, harmonic } from "./access";

// @ts-ignore: decorator
@inline
function put(base: usize, index: i32, value: f64): void {
  store<f32>(base + (<usize>index << 2), <f32>value);
}

/**
 * Fills inverseAlpha, gx, gy, gz and the boundary block (layout in diffusion_heterogeneous.ts)
 * from alpha and kappa. scale = dt/h² (ms/µm²). dirichlet*: 1 where that face of the box touches
 * a bath, 0 where it is sealed.
 */
export function buildFaces(
  alpha: usize, kappa: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  nx: i32, ny: i32, nz: i32, scale: f64,
  dirichletXLow: i32, dirichletXHigh: i32, dirichletYLow: i32, dirichletYHigh: i32,
  dirichletZLow: i32, dirichletZHigh: i32,
): void {
  const nxy = nx * ny;
  const xFaces = ny * nz;
  const yFaces = nx * nz;
  const yBlock = boundary + (<usize>(2 * xFaces) << 2);
  const zBlock = yBlock + (<usize>(2 * yFaces) << 2);
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        const kp = f64At(kappa, p);
        put(inverseAlpha, p, 1 / f64At(alpha, p));
        put(gx, p, i < nx - 1 ? scale * harmonic(kp, f64At(kappa, p + 1)) : 0);
        put(gy, p, j < ny - 1 ? scale * harmonic(kp, f64At(kappa, p + nx)) : 0);
        put(gz, p, k < nz - 1 ? scale * harmonic(kp, f64At(kappa, p + nxy)) : 0);
        const bath = 2 * scale * kp;
        if (i == 0) put(boundary, j + ny * k, dirichletXLow ? bath : 0);
        if (i == nx - 1) put(boundary, xFaces + j + ny * k, dirichletXHigh ? bath : 0);
        if (j == 0) put(yBlock, i + nx * k, dirichletYLow ? bath : 0);
        if (j == ny - 1) put(yBlock, yFaces + i + nx * k, dirichletYHigh ? bath : 0);
        if (k == 0) put(zBlock, i + nx * j, dirichletZLow ? bath : 0);
        if (k == nz - 1) put(zBlock, nxy + i + nx * j, dirichletZHigh ? bath : 0);
      }
    }
  }
}
