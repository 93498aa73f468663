// The forward-Euler time-step limit of the semi-discrete equation, computed from the config alone
// (no voxel arrays), so that a too-large fixed dt is refused before any memory is allocated.
//
// du/dt = M(u) has a real, non-positive spectrum (α⁻¹ times a symmetric operator), and by
// Gershgorin its spectral radius is at most ρ = max_p [2 Σ_faces G_face/(α_p h²)] + k, where a
// bath face counts 2κ_p (the bath sits h/2 away) and k is the largest linear uptake rate. Forward
// Euler, and the two-stage RKL2 step that a fixed dt runs, are stable for dt ≤ 2/ρ; an s-stage RKL2
// super-step for dt ≤ (s² + s − 2)/4 · 2/ρ (src/core/rkl2.ts). Per axis, in units of the largest
// face coefficient, a voxel's Gershgorin row (diagonal + off-diagonal) is: n ≥ 3 voxels, 4 (an
// interior voxel 2 + 2; an end voxel on a bath 1 + 2 from the bath, + 1); n = 2, 2, or 4 with a bath
// face on the axis; n = 1, 2 per bath face (no neighbours). That bound is what ρ sums over the axes.
// In uniform tissue without uptake the limit is exact: h²/(6 D*) in 3D. With regions, each face
// coefficient is bounded by the largest harmonic mean the voxel's tissue can form with any tissue
// present, which makes the limit safe (slightly conservative at interfaces).

import type { FaceName, ResolvedConfig } from './config.js';
import { tissueTypes } from './tissue.js';

const AXIS_FACES: readonly (readonly FaceName[])[] = [['x_min', 'x_max'], ['y_min', 'y_max'], ['z_min', 'z_max']];

/** The largest stable forward-Euler dt (ms) for the config; Infinity when nothing limits it. */
export function stabilityLimit_ms(config: ResolvedConfig): number {
  const rowWeight = config.grid.size.reduce((sum, n, axis) => {
    const { faces } = config.boundary;
    const baths = AXIS_FACES[axis].filter((face) => faces[face] === 'dirichlet').length;
    return sum + (n >= 3 ? 4 : n === 2 ? (baths > 0 ? 4 : 2) : 2 * baths);
  }, 0);
  const h2 = config.grid.spacing_um ** 2;
  const types = tissueTypes(config);
  const { k_ecs_per_ms, k_tissue_per_ms } = config.uptake;
  let radius = 0;
  for (const own of types) {
    let largestFace = own.kappa_um2_per_ms;
    for (const other of types) {
      const a = own.kappa_um2_per_ms, b = other.kappa_um2_per_ms;
      largestFace = Math.max(largestFace, (2 * a * b) / (a + b));
    }
    const uptake = k_ecs_per_ms + k_tissue_per_ms / own.alpha;
    radius = Math.max(radius, (rowWeight * largestFace) / (own.alpha * h2) + uptake);
  }
  return radius > 0 ? 2 / radius : Infinity;
}
