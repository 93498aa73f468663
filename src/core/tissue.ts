// Tissue geometry: which α and λ each voxel has. Voxels take the values of the last region whose
// shape contains the voxel centre, else the base tissue's.

import type { ResolvedConfig, ShapeGeometry, Vector3 } from './config.js';

/** α and κ = α·D/λ² (µm²/ms) of one kind of tissue. */
export interface TissueType {
  alpha: number;
  kappa_um2_per_ms: number;
}

/** κ = α D / λ², the coefficient of the conservative flux α D* ∇C (µm²/ms). */
export function kappa_um2_per_ms(alpha: number, lambda: number, D_um2_per_ms: number): number {
  return (alpha * D_um2_per_ms) / (lambda * lambda);
}

/** The base tissue followed by every region, as α and κ. */
export function tissueTypes(config: ResolvedConfig): TissueType[] {
  const D = config.species.D_um2_per_ms;
  return [config.tissue, ...config.tissue.regions].map(({ alpha, lambda }) => ({
    alpha, kappa_um2_per_ms: kappa_um2_per_ms(alpha, lambda, D),
  }));
}

/** True when the point (µm) lies inside the shape (boundaries included). */
export function shapeContains(shape: ShapeGeometry, point: Vector3): boolean {
  if (shape.shape === 'sphere') {
    const c = shape.center_um;
    const dx = point[0] - c[0], dy = point[1] - c[1], dz = point[2] - c[2];
    return dx * dx + dy * dy + dz * dz <= shape.radius_um * shape.radius_um;
  }
  if (shape.shape === 'box') {
    return point.every((x, axis) => x >= shape.min_um[axis] && x <= shape.max_um[axis]);
  }
  const axis = 'xyz'.indexOf(shape.axis);
  return point[axis] >= shape.min_um && point[axis] <= shape.max_um;
}

/** Voxel index range [low, high] (inclusive) per axis whose centres may lie inside the shape. */
export function voxelBounds(shape: ShapeGeometry, size: Vector3, spacing_um: number): [Vector3, Vector3] {
  const low: Vector3 = [0, 0, 0];
  const high: Vector3 = [size[0] - 1, size[1] - 1, size[2] - 1];
  // Voxel i's centre (i + ½)h lies in [from, to] for ceil(from/h − ½) ≤ i ≤ floor(to/h − ½).
  const clip = (axis: number, from_um: number, to_um: number) => {
    low[axis] = Math.max(0, Math.ceil(from_um / spacing_um - 0.5));
    high[axis] = Math.min(size[axis] - 1, Math.floor(to_um / spacing_um - 0.5));
  };
  if (shape.shape === 'sphere') {
    for (let axis = 0; axis < 3; axis++) {
      clip(axis, shape.center_um[axis] - shape.radius_um, shape.center_um[axis] + shape.radius_um);
    }
  } else if (shape.shape === 'box') {
    for (let axis = 0; axis < 3; axis++) clip(axis, shape.min_um[axis], shape.max_um[axis]);
  } else {
    clip('xyz'.indexOf(shape.axis), shape.min_um, shape.max_um);
  }
  return [low, high];
}

/** Calls visit(index, i, j, k) for every voxel whose centre lies inside the shape. */
export function forEachVoxelInside(
  shape: ShapeGeometry, size: Vector3, spacing_um: number,
  visit: (index: number, i: number, j: number, k: number) => void,
): void {
  const [low, high] = voxelBounds(shape, size, spacing_um);
  const centre: Vector3 = [0, 0, 0];
  for (let k = low[2]; k <= high[2]; k++) {
    centre[2] = (k + 0.5) * spacing_um;
    for (let j = low[1]; j <= high[1]; j++) {
      centre[1] = (j + 0.5) * spacing_um;
      for (let i = low[0]; i <= high[0]; i++) {
        centre[0] = (i + 0.5) * spacing_um;
        if (shapeContains(shape, centre)) visit(i + size[0] * (j + size[1] * k), i, j, k);
      }
    }
  }
}

/** Writes α and κ (µm²/ms) of every voxel into the two arrays (length Nx·Ny·Nz). */
export function fillTissue(config: ResolvedConfig, alpha: Float32Array, kappa: Float32Array): void {
  const [base, ...regions] = tissueTypes(config);
  alpha.fill(base.alpha);
  kappa.fill(base.kappa_um2_per_ms);
  config.tissue.regions.forEach((region, index) => {
    forEachVoxelInside(region, config.grid.size, config.grid.spacing_um, (p) => {
      alpha[p] = regions[index].alpha;
      kappa[p] = regions[index].kappa_um2_per_ms;
    });
  });
}

/** α of the voxel (i, j, k). */
export function alphaAt(config: ResolvedConfig, i: number, j: number, k: number): number {
  const h = config.grid.spacing_um;
  const centre: Vector3 = [(i + 0.5) * h, (j + 0.5) * h, (k + 0.5) * h];
  for (let r = config.tissue.regions.length - 1; r >= 0; r--) {
    if (shapeContains(config.tissue.regions[r], centre)) return config.tissue.regions[r].alpha;
  }
  return config.tissue.alpha;
}
