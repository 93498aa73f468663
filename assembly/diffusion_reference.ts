// The plain scalar reference step that the fast paths are tested against. It recomputes every face
// coefficient from per-voxel α and κ = α D/λ² on the fly, in f64, one voxel at a time with all
// boundary branches inline: slow and obviously the scheme of diffusion_heterogeneous.ts (same
// finite-volume update, same implicit bath coupling, same stability limit and error).

import { f64At, harmonic } from "./access";

/**
 * One diffusion step, u → out, from per-voxel alpha and kappa (µm²/ms). low: the compensation
 * array (value = u + low; the part of the f64 result that f32 cannot hold goes there). scale = dt/h² (ms/µm²);
 * dirichlet*: 1 where that face touches the bath, 0 where sealed; uBath: bath excess over baseline.
 * Returns the boundary outflow in units of α·excess·voxel.
 */
export function stepReference(
  u: usize, out: usize, low: usize, alpha: usize, kappa: usize, nx: i32, ny: i32, nz: i32, scale: f64,
  dirichletXLow: i32, dirichletXHigh: i32, dirichletYLow: i32, dirichletYHigh: i32,
  dirichletZLow: i32, dirichletZHigh: i32, uBath: f64,
): f64 {
  let outflow: f64 = 0;
  const nxy = nx * ny;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        const up = f64At(u, p);
        const kp = f64At(kappa, p);
        let interior: f64 = 0;
        let bath: f64 = 0;
        if (i > 0) interior += harmonic(kp, f64At(kappa, p - 1)) * (f64At(u, p - 1) - up);
        else if (dirichletXLow) bath += 2 * kp;
        if (i < nx - 1) interior += harmonic(kp, f64At(kappa, p + 1)) * (f64At(u, p + 1) - up);
        else if (dirichletXHigh) bath += 2 * kp;
        if (j > 0) interior += harmonic(kp, f64At(kappa, p - nx)) * (f64At(u, p - nx) - up);
        else if (dirichletYLow) bath += 2 * kp;
        if (j < ny - 1) interior += harmonic(kp, f64At(kappa, p + nx)) * (f64At(u, p + nx) - up);
        else if (dirichletYHigh) bath += 2 * kp;
        if (k > 0) interior += harmonic(kp, f64At(kappa, p - nxy)) * (f64At(u, p - nxy) - up);
        else if (dirichletZLow) bath += 2 * kp;
        if (k < nz - 1) interior += harmonic(kp, f64At(kappa, p + nxy)) * (f64At(u, p + nxy) - up);
        else if (dirichletZHigh) bath += 2 * kp;
        const factor = scale / f64At(alpha, p);
        const increment = factor * (interior + bath * (uBath - up)) / (1 + factor * bath);
        const exact = up + f64At(low, p) + increment;
        const rounded = <f32>exact;
        store<f32>(out + (<usize>p << 2), rounded);
        store<f32>(low + (<usize>p << 2), <f32>(exact - <f64>rounded));
        outflow += scale * bath * (up + increment - uBath);
      }
    }
  }
  return outflow;
}
