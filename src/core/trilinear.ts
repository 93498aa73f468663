// Trilinear interpolation between voxel centres, used both to read probes and to deposit point
// sources (the same weights, so a deposit and a read are adjoint). Voxel i's centre is (i + ½)h;
// positions between the box face and the first centre take the edge voxel's value.

import type { Vector3 } from './config.js';

/** Eight voxel indices and weights summing to 1 (indices may repeat at the box faces). */
export interface Stencil {
  indices: Int32Array;
  weights: Float64Array;
}

/** The trilinear stencil of a position (µm) on a grid of the given size and spacing (µm). */
export function trilinearStencil(position_um: Vector3, size: Vector3, spacing_um: number): Stencil {
  const low = [0, 0, 0];
  const high = [0, 0, 0];
  const fraction = [0, 0, 0];
  for (let axis = 0; axis < 3; axis++) {
    const n = size[axis];
    const continuous = Math.min(Math.max(position_um[axis] / spacing_um - 0.5, 0), n - 1);
    low[axis] = Math.min(Math.floor(continuous), n - 1);
    high[axis] = Math.min(low[axis] + 1, n - 1);
    fraction[axis] = continuous - low[axis];
  }
  const indices = new Int32Array(8);
  const weights = new Float64Array(8);
  for (let corner = 0; corner < 8; corner++) {
    const pick = [corner & 1, (corner >> 1) & 1, (corner >> 2) & 1];
    let weight = 1;
    const ijk = [0, 0, 0];
    for (let axis = 0; axis < 3; axis++) {
      ijk[axis] = pick[axis] ? high[axis] : low[axis];
      weight *= pick[axis] ? fraction[axis] : 1 - fraction[axis];
    }
    indices[corner] = ijk[0] + size[0] * (ijk[1] + size[1] * ijk[2]);
    weights[corner] = weight;
  }
  return { indices, weights };
}

/** Σ weight·field[index] over the stencil. */
export function interpolate(stencil: Stencil, field: Float32Array): number {
  let value = 0;
  for (let corner = 0; corner < 8; corner++) value += stencil.weights[corner] * field[stencil.indices[corner]];
  return value;
}
