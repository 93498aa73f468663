// Diffusion step for heterogeneous tissue (α and λ per voxel): the general fast path.
//
// Scheme: cell-centred finite volumes, forward Euler,
//   α_p (u'_p − u_p) = Σ_q g_pq (u_q − u_p),   g_pq = dt/h² · harmonic mean(κ_p, κ_q),  κ = α D/λ²,
// so the flux α D* ∂C/∂n is continuous across tissue interfaces and Σ α u is conserved exactly
// (up to round-off). Face coefficients are precomputed by buildFaces: gx[p] couples p and p+1,
// gy[p] couples p and p+nx, gz[p] couples p and p+nx·ny; inverseAlpha[p] = 1/α_p.
// Boundary faces (coefficient 2 dt κ_p/h² for Dirichlet, 0 for Neumann, stored per face in the
// boundary block) are taken implicitly in u_p alone, as in the uniform path.
// Values are stored compensated (u + low), as in diffusion_uniform.ts.
// Stable and positivity-preserving for dt Σ_interior faces G / (α_p h²) ≤ 1 at every voxel.
// Error: O(h²) in space, O(dt) in time.
//
// Boundary block layout (f32): [x low: ny·nz][x high: ny·nz][y low: nx·nz][y high: nx·nz]
// [z low: nx·ny][z high: nx·ny], indexed j + ny·k, i + nx·k and i + nx·j respectively.

import { f32At } from "./access";

import { compensatedStore } from "./diffusion_uniform";

// @ts-ignore: decorator
@inline
function boundaryVoxel(
  u: usize, out: usize, low: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  p: i32, i: i32, j: i32, k: i32, nx: i32, ny: i32, nz: i32, uBath: f32,
): f64 {
  const up = f32At(u, p);
  const nxy = nx * ny;
  const xFaces = ny * nz;
  const yFaces = nx * nz;
  const yBlock = boundary + (<usize>(2 * xFaces) << 2);
  const zBlock = yBlock + (<usize>(2 * yFaces) << 2);
  let interior: f32 = 0;
  let bath: f32 = 0;
  if (i > 0) interior += f32At(gx, p - 1) * (f32At(u, p - 1) - up); else bath += f32At(boundary, j + ny * k);
  if (i < nx - 1) interior += f32At(gx, p) * (f32At(u, p + 1) - up); else bath += f32At(boundary, xFaces + j + ny * k);
  if (j > 0) interior += f32At(gy, p - nx) * (f32At(u, p - nx) - up); else bath += f32At(yBlock, i + nx * k);
  if (j < ny - 1) interior += f32At(gy, p) * (f32At(u, p + nx) - up); else bath += f32At(yBlock, yFaces + i + nx * k);
  if (k > 0) interior += f32At(gz, p - nxy) * (f32At(u, p - nxy) - up); else bath += f32At(zBlock, i + nx * j);
  if (k < nz - 1) interior += f32At(gz, p) * (f32At(u, p + nxy) - up); else bath += f32At(zBlock, nxy + i + nx * j);
  const a = f32At(inverseAlpha, p);
  const increment = a * (interior + bath * (uBath - up)) / (<f32>1 + a * bath);
  compensatedStore(out, low, p, up, increment);
  return <f64>bath * (<f64>up + <f64>increment - <f64>uBath);
}

/**
 * One explicit diffusion step on heterogeneous tissue, u → out, with precomputed face
 * coefficients (see buildFaces); low: the compensation array, updated in place. uBath: bath excess over baseline. Returns the boundary outflow
 * Σ_boundary g_b (u'_p − u_b) in units of α·excess·voxel (multiply by h³ for an amount).
 */
export function stepHeterogeneous(
  u: usize, out: usize, low: usize, inverseAlpha: usize, gx: usize, gy: usize, gz: usize, boundary: usize,
  nx: i32, ny: i32, nz: i32, uBath: f32,
): f64 {
  let outflow: f64 = 0;
  const rowStride = <usize>nx << 2;
  const sliceStride = <usize>(nx * ny) << 2;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      const rowStart = (k * ny + j) * nx;
      if (k == 0 || k == nz - 1 || j == 0 || j == ny - 1 || nx < 3) {
        for (let i = 0; i < nx; i++) {
          outflow += boundaryVoxel(u, out, low, inverseAlpha, gx, gy, gz, boundary,
            rowStart + i, i, j, k, nx, ny, nz, uBath);
        }
        continue;
      }
      outflow += boundaryVoxel(u, out, low, inverseAlpha, gx, gy, gz, boundary,
        rowStart, 0, j, k, nx, ny, nz, uBath);
      let i = 1;
      for (; i + 4 <= nx - 1; i += 4) {
        const offset = <usize>(rowStart + i) << 2;
        const a = u + offset;
        const centre = v128.load(a);
        let sum = f32x4.mul(v128.load(gx + offset - 4), f32x4.sub(v128.load(a - 4), centre));
        sum = f32x4.add(sum, f32x4.mul(v128.load(gx + offset), f32x4.sub(v128.load(a + 4), centre)));
        sum = f32x4.add(sum, f32x4.mul(v128.load(gy + offset - rowStride), f32x4.sub(v128.load(a - rowStride), centre)));
        sum = f32x4.add(sum, f32x4.mul(v128.load(gy + offset), f32x4.sub(v128.load(a + rowStride), centre)));
        sum = f32x4.add(sum, f32x4.mul(v128.load(gz + offset - sliceStride), f32x4.sub(v128.load(a - sliceStride), centre)));
        sum = f32x4.add(sum, f32x4.mul(v128.load(gz + offset), f32x4.sub(v128.load(a + sliceStride), centre)));
        const carried = f32x4.add(f32x4.mul(v128.load(inverseAlpha + offset), sum), v128.load(low + offset));
        const updated = f32x4.add(centre, carried);
        v128.store(out + offset, updated);
        v128.store(low + offset, f32x4.sub(carried, f32x4.sub(updated, centre)));
      }
      for (; i < nx - 1; i++) {
        const offset = <usize>(rowStart + i) << 2;
        const a = u + offset;
        const centre = load<f32>(a);
        const sum = load<f32>(gx + offset - 4) * (load<f32>(a - 4) - centre)
          + load<f32>(gx + offset) * (load<f32>(a + 4) - centre)
          + load<f32>(gy + offset - rowStride) * (load<f32>(a - rowStride) - centre)
          + load<f32>(gy + offset) * (load<f32>(a + rowStride) - centre)
          + load<f32>(gz + offset - sliceStride) * (load<f32>(a - sliceStride) - centre)
          + load<f32>(gz + offset) * (load<f32>(a + sliceStride) - centre);
        compensatedStore(out, low, rowStart + i, centre, load<f32>(inverseAlpha + offset) * sum);
      }
      outflow += boundaryVoxel(u, out, low, inverseAlpha, gx, gy, gz, boundary,
        rowStart + nx - 1, nx - 1, j, k, nx, ny, nz, uBath);
    }
  }
  return outflow;
}
