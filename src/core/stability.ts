// The explicit scheme's time-step limit, computed from the config alone (no voxel arrays), so that
// a too-large dt is refused before any memory is allocated.
//
// Forward Euler with the implicit bath coupling is stable and positivity-preserving when, at every
// voxel, dt · Σ_interior faces G_face / (α_p h²) ≤ 1 (DESIGN.md §2). An axis with n ≥ 3 voxels gives
// a voxel two interior faces, n = 2 one, n = 1 none. In uniform tissue G = κ and the limit is exact:
// h²/(6 D*) in 3D. With regions, each face coefficient is bounded by the largest harmonic mean the
// voxel's tissue can form with any tissue present, which makes the limit safe (slightly
// conservative at interfaces).

import type { ResolvedConfig } from './config.js';
import { tissueTypes } from './tissue.js';

/** Fraction of the stability limit that dt "auto" uses. */
export const AUTO_DT_FRACTION = 0.9;
/** dt "auto" also takes at least this many steps per run, so that time series stay resolved. */
export const MIN_STEPS_PER_RUN = 200;

/** The largest stable dt (ms) for the config; Infinity when no voxel has an interior face. */
export function stabilityLimit_ms(config: ResolvedConfig): number {
  const interiorFaces = config.grid.size.reduce((sum, n) => sum + (n >= 3 ? 2 : n === 2 ? 1 : 0), 0);
  const h2 = config.grid.spacing_um ** 2;
  const types = tissueTypes(config);
  let maxRate = 0;
  for (const own of types) {
    let largestFace = own.kappa_um2_per_ms;
    for (const other of types) {
      const a = own.kappa_um2_per_ms, b = other.kappa_um2_per_ms;
      largestFace = Math.max(largestFace, (2 * a * b) / (a + b));
    }
    maxRate = Math.max(maxRate, (interiorFaces * largestFace) / (own.alpha * h2));
  }
  return maxRate > 0 ? 1 / maxRate : Infinity;
}

/** The time step a run uses (ms): the config's dt, or for "auto" a safe fraction of the limit. */
export function timeStep_ms(config: ResolvedConfig): number {
  if (config.dt_ms !== 'auto') return config.dt_ms;
  return Math.min(AUTO_DT_FRACTION * stabilityLimit_ms(config), config.duration_ms / MIN_STEPS_PER_RUN);
}
