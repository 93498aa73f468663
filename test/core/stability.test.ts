// The forward-Euler limit 2/ρ of the semi-discrete equation (ρ: Gershgorin bound of its spectral radius,
// uniform tissue without uptake: h²/(6 D*)); Dirichlet faces do not tighten it.
// A fixed dt above the limit is refused; "dt auto" runs error-controlled RKL2 super-steps that may exceed it.
import { describe, expect, it } from 'vitest';
import { resolveConfig, type ResolvedConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/config-error.js';
import { stabilityLimit_ms } from '../../src/core/stability.js';
import { fillTissue } from '../../src/core/tissue.js';
import { Simulation } from '../../src/core/simulation.js';

function relativeError(value: number, expected: number): number {
  return Math.abs(value / expected - 1);
}

/** h²/(k D*) with D* = D/λ²: the limit of a voxel with k interior faces in uniform tissue. */
function uniformLimit(spacing_um: number, D_um2_per_ms: number, lambda: number, interiorFaces: number): number {
  return spacing_um ** 2 / (interiorFaces * (D_um2_per_ms / lambda ** 2));
}

/**
 * The exact limit by brute force over every voxel: 1 / max_p Σ_{interior faces (p,q)} harmonic(κ_p, κ_q) / (α_p h²).
 * Boundary faces are left out (the bath coupling is implicit). α and κ per voxel come from fillTissue
 * (f32 arrays, so this is exact to ~1e-7 relative).
 */
function bruteForceLimit_ms(config: ResolvedConfig): number {
  const [nx, ny, nz] = config.grid.size;
  const h2 = config.grid.spacing_um ** 2;
  const alpha = new Float32Array(nx * ny * nz);
  const kappa = new Float32Array(nx * ny * nz);
  fillTissue(config, alpha, kappa);
  const harmonic = (a: number, b: number) => (2 * a * b) / (a + b);
  let maxRate = 0;
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const p = i + nx * (j + ny * k);
        const neighbours: number[] = [];
        if (i > 0) neighbours.push(p - 1);
        if (i < nx - 1) neighbours.push(p + 1);
        if (j > 0) neighbours.push(p - nx);
        if (j < ny - 1) neighbours.push(p + nx);
        if (k > 0) neighbours.push(p - nx * ny);
        if (k < nz - 1) neighbours.push(p + nx * ny);
        let sum = 0;
        for (const q of neighbours) sum += harmonic(kappa[p], kappa[q]);
        maxRate = Math.max(maxRate, sum / (alpha[p] * h2));
      }
    }
  }
  return maxRate > 0 ? 1 / maxRate : Infinity;
}

describe('stability limit in uniform tissue', () => {
  const cases = [
    { spacing_um: 4, alpha: 0.2, lambda: 1.6, D_um2_per_ms: 2.62 },
    { spacing_um: 2.5, alpha: 0.05, lambda: 2.1, D_um2_per_ms: 1.3 },
    { spacing_um: 10, alpha: 1, lambda: 1, D_um2_per_ms: 2.62 },
  ];
  for (const { spacing_um, alpha, lambda, D_um2_per_ms } of cases) {
    for (const type of ['dirichlet', 'neumann'] as const) {
      it(`equals h²/(6 D*) to 1e-12 relative (h ${spacing_um} µm, α ${alpha}, λ ${lambda}, D ${D_um2_per_ms} µm²/ms, ${type} faces)`, () => {
        const config = resolveConfig({
          grid: { size: [12, 9, 7], spacing_um }, tissue: { alpha, lambda }, species: { D_um2_per_ms }, boundary: { type },
        });
        expect(relativeError(stabilityLimit_ms(config), uniformLimit(spacing_um, D_um2_per_ms, lambda, 6))).toBeLessThan(1e-12);
      });
    }
  }

  it('mixed faces (five Dirichlet, one Neumann) give the same h²/(6 D*) as all-Neumann, to 1e-12 relative', () => {
    const grid = { size: [10, 10, 10], spacing_um: 4 };
    const mixed = stabilityLimit_ms(resolveConfig({ grid, boundary: { type: 'dirichlet', faces: { z_max: 'neumann' } } }));
    const sealed = stabilityLimit_ms(resolveConfig({ grid, boundary: { type: 'neumann' } }));
    expect(relativeError(mixed, uniformLimit(4, 2.62, 1.6, 6))).toBeLessThan(1e-12);
    expect(relativeError(sealed, uniformLimit(4, 2.62, 1.6, 6))).toBeLessThan(1e-12);
  });

  it('sealed, a 1 × 1 × N column has two interior faces per voxel: h²/(2 D*) to 1e-12 relative', () => {
    for (const size of [[1, 1, 30], [1, 40, 1], [3, 1, 1]]) {
      const config = resolveConfig({ grid: { size, spacing_um: 5 }, boundary: { type: 'neumann' } });
      expect(relativeError(stabilityLimit_ms(config), uniformLimit(5, 2.62, 1.6, 2))).toBeLessThan(1e-12);
    }
  });

  it('sealed, a 2 × 2 × 2 grid has three interior faces per voxel: h²/(3 D*) to 1e-12 relative', () => {
    const config = resolveConfig({ grid: { size: [2, 2, 2], spacing_um: 5 }, boundary: { type: 'neumann' } });
    expect(relativeError(stabilityLimit_ms(config), uniformLimit(5, 2.62, 1.6, 3))).toBeLessThan(1e-12);
  });

  it('sealed, a 1 × 2 × 5 grid has 0 + 1 + 2 interior faces per voxel: h²/(3 D*) to 1e-12 relative', () => {
    const config = resolveConfig({ grid: { size: [1, 2, 5], spacing_um: 5 }, boundary: { type: 'neumann' } });
    expect(relativeError(stabilityLimit_ms(config), uniformLimit(5, 2.62, 1.6, 3))).toBeLessThan(1e-12);
  });

  it('sealed, a 1 × 1 × 2 pair has one interior face: h²/D* to 1e-12 relative', () => {
    const config = resolveConfig({ grid: { size: [1, 1, 2], spacing_um: 5 }, boundary: { type: 'neumann' } });
    expect(relativeError(stabilityLimit_ms(config), uniformLimit(5, 2.62, 1.6, 1))).toBeLessThan(1e-12);
  });

  it('sealed, a single voxel (1 × 1 × 1) has no interior face: the limit is Infinity', () => {
    expect(stabilityLimit_ms(resolveConfig({ grid: { size: [1, 1, 1], spacing_um: 5 }, boundary: { type: 'neumann' } }))).toBe(Infinity);
  });

  it('on a bath, axes of 1 and 2 voxels count their bath faces (each 2κ, the bath h/2 away): the exact eigenvalues', () => {
    // One voxel between two baths: du/dt = −(2κ + 2κ)/h² u per axis, exactly 4 D*/h²; two voxels:
    // the matrix [[3, −1], [−1, 3]] κ/h² has eigenvalues 2 and 4. So every all-bath grid below has
    // ρ = 12 D*/h² exactly, the limit h²/(6 D*) of a large grid.
    for (const size of [[1, 1, 1], [2, 2, 2], [1, 2, 30], [1, 1, 2]]) {
      const config = resolveConfig({ grid: { size, spacing_um: 5 }, boundary: { type: 'dirichlet' } });
      expect(relativeError(stabilityLimit_ms(config), uniformLimit(5, 2.62, 1.6, 6)), String(size)).toBeLessThan(1e-12);
    }
    // One bath face on a one-voxel axis: 2κ, as one interior face of a long axis counts.
    const oneBath = resolveConfig({ grid: { size: [1, 1, 1], spacing_um: 5 }, boundary: { type: 'neumann', faces: { z_min: 'dirichlet' } } });
    expect(relativeError(stabilityLimit_ms(oneBath), uniformLimit(5, 2.62, 1.6, 1))).toBeLessThan(1e-12);
  });

  it('refuses a fixed step above it on a single voxel in a bath, which used to grow without bound', () => {
    expect(() => resolveConfig({ grid: { size: [1, 1, 1], spacing_um: 5 }, sources: [], probes: [], dt_ms: 10 }))
      .toThrow(/dt_ms = 10: .*stability limit/);
  });

  it('the limit does not depend on α in uniform tissue (α cancels): α 0.05 and α 0.8 agree to 1e-12 relative', () => {
    const grid = { size: [8, 8, 8], spacing_um: 4 };
    const low = stabilityLimit_ms(resolveConfig({ grid, tissue: { alpha: 0.05 } }));
    const high = stabilityLimit_ms(resolveConfig({ grid, tissue: { alpha: 0.8 } }));
    expect(relativeError(low, high)).toBeLessThan(1e-12);
  });
});

describe('stability limit in heterogeneous tissue against the per-voxel brute force', () => {
  // Tolerance of "≤": 1e-6 relative, for the f32 α and κ arrays the brute force reads.
  const grid = { size: [30, 30, 30], spacing_um: 4 };
  const ischemicSphere = { shape: 'sphere', center_um: [60, 60, 60], radius_um: 30, alpha: 0.07, lambda: 2.0 };
  const denserBox = { shape: 'box', min_um: [0, 0, 0], max_um: [50, 120, 120], alpha: 0.12, lambda: 1.8 };
  const looseLayer = { shape: 'layer', axis: 'z', min_um: 0, max_um: 40, alpha: 0.4, lambda: 1.4 };
  const tinyHighContrastSphere = { shape: 'sphere', center_um: [62, 62, 62], radius_um: 3, alpha: 0.02, lambda: 1.0 };

  const practical: [string, unknown[]][] = [
    ['a sphere α 0.07 λ 2.0 in α 0.2 λ 1.6', [ischemicSphere]],
    ['a box α 0.12 λ 1.8 in α 0.2 λ 1.6', [denserBox]],
  ];
  const all: [string, unknown[]][] = [
    ...practical,
    ['a layer α 0.4 λ 1.4 in α 0.2 λ 1.6', [looseLayer]],
    ['sphere + layer + box (later regions win)', [ischemicSphere, looseLayer, denserBox]],
    ['a one-voxel sphere α 0.02 λ 1.0 (high contrast)', [tinyHighContrastSphere]],
  ];

  for (const [label, regions] of all) {
    for (const type of ['dirichlet', 'neumann'] as const) {
      it(`is safe: ≤ the brute-force exact limit (${label}, ${type} faces)`, () => {
        const config = resolveConfig({ grid, tissue: { regions }, boundary: { type } });
        const exact = bruteForceLimit_ms(config);
        const bound = stabilityLimit_ms(config);
        expect(Number.isFinite(exact)).toBe(true);
        expect(bound).toBeLessThanOrEqual(exact * (1 + 1e-6));
      });
    }
  }

  for (const [label, regions] of practical) {
    it(`is within 10% of the brute-force exact limit for ${label}`, () => {
      const config = resolveConfig({ grid, tissue: { regions } });
      const exact = bruteForceLimit_ms(config);
      const bound = stabilityLimit_ms(config);
      console.log(`${label}: bound ${bound.toPrecision(6)} ms, exact ${exact.toPrecision(6)} ms ` +
        `(${(100 * (1 - bound / exact)).toFixed(2)}% conservative)`);
      expect(bound).toBeGreaterThan(0.9 * exact);
    });
  }

  it('is safe in a layered 40 × 1 × 1 column (α 0.05 λ 2.0 next to α 0.2 λ 1.6; 1e-6 relative)', () => {
    const config = resolveConfig({
      grid: { size: [40, 1, 1], spacing_um: 5 },
      tissue: { regions: [{ shape: 'layer', axis: 'x', min_um: 100, max_um: 200, alpha: 0.05, lambda: 2.0 }] },
    });
    expect(stabilityLimit_ms(config)).toBeLessThanOrEqual(bruteForceLimit_ms(config) * (1 + 1e-6));
  });

  it('is exact (1e-6 relative, f32 arrays) when a region has the base tissue\'s α and λ', () => {
    const config = resolveConfig({ grid, tissue: { regions: [{ ...ischemicSphere, alpha: 0.2, lambda: 1.6 }] } });
    expect(relativeError(stabilityLimit_ms(config), bruteForceLimit_ms(config))).toBeLessThan(1e-6);
    expect(relativeError(stabilityLimit_ms(config), uniformLimit(4, 2.62, 1.6, 6))).toBeLessThan(1e-12);
  });

  it('the brute force itself reproduces h²/(6 D*) for uniform tissue (1e-6 relative)', () => {
    const config = resolveConfig({ grid: { size: [6, 7, 8], spacing_um: 3 }, tissue: { alpha: 0.3, lambda: 1.5 } });
    expect(relativeError(bruteForceLimit_ms(config), uniformLimit(3, 2.62, 1.5, 6))).toBeLessThan(1e-6);
  });
});

describe('linear uptake in the limit', () => {
  // Uniform tissue, every axis ≥ 3 voxels: ρ = 12 D*/h² + k′ + k_t/α exactly, the limit 2/ρ.
  const cases = [
    { spacing_um: 5, alpha: 0.2, lambda: 1.6, k_ecs_per_ms: 0.01, k_tissue_per_ms: 0 },
    { spacing_um: 5, alpha: 0.2, lambda: 1.6, k_ecs_per_ms: 0, k_tissue_per_ms: 0.003 },
    { spacing_um: 4, alpha: 0.05, lambda: 2.1, k_ecs_per_ms: 0.02, k_tissue_per_ms: 0.004 },
    // Uptake faster than diffusion across a voxel (12 D*/h² ≈ 0.77/ms): the limit is set mostly by k′.
    { spacing_um: 5, alpha: 0.2, lambda: 1.6, k_ecs_per_ms: 2, k_tissue_per_ms: 0.1 },
  ];
  for (const { spacing_um, alpha, lambda, k_ecs_per_ms, k_tissue_per_ms } of cases) {
    it(`is 2/(12 D*/h² + k′ + k_t/α) to 1e-12 relative (h ${spacing_um} µm, α ${alpha}, λ ${lambda}, k′ ${k_ecs_per_ms}/ms, k_t ${k_tissue_per_ms}/ms)`, () => {
      const D_um2_per_ms = 2.62;
      const config = resolveConfig({
        grid: { size: [12, 9, 7], spacing_um }, tissue: { alpha, lambda }, species: { D_um2_per_ms },
        uptake: { k_ecs_per_ms, k_tissue_per_ms },
      });
      const D_star = D_um2_per_ms / lambda ** 2;
      const expected = 2 / ((12 * D_star) / spacing_um ** 2 + k_ecs_per_ms + k_tissue_per_ms / alpha);
      expect(relativeError(stabilityLimit_ms(config), expected)).toBeLessThan(1e-12);
      // Non-vacuous: uptake really lowers the limit below the diffusion-only h²/(6 D*).
      expect(stabilityLimit_ms(config)).toBeLessThan(uniformLimit(spacing_um, D_um2_per_ms, lambda, 6) * (1 - 1e-3));
    });
  }
});

describe('steps of a Simulation relative to the forward-Euler limit', () => {
  // 21³ voxels of 5 µm (limit h²/(6 D*) ≈ 4.071 ms), the default bolus at t = 0 in the centre.
  const grid = { size: [21, 21, 21], spacing_um: 5 };
  const limit = uniformLimit(5, 2.62, 1.6, 6);

  it('dt "auto" takes super-steps longer than the limit once the bolus has spread (1000 ms run)', async () => {
    // Measured: 193 steps, the longest 35.8 ms ≈ 8.8 × the limit (6 stages), the first step longer than the
    // limit starting at ≈ 145 ms. (In a 100 ms run the longest step is only 2.57 ms ≈ 0.63 × the limit:
    // the error control keeps the steps short while the bolus is sharp.)
    const simulation = await Simulation.create({ grid, duration_ms: 1000 }, { keepSchedule: true });
    expect(relativeError(simulation.stabilityLimit_ms, limit)).toBeLessThan(1e-12);
    simulation.run();
    expect(simulation.time_ms).toBe(1000);
    const stepping = simulation.stepping();
    // Early steps (right after the release) are shorter than the limit, late ones longer.
    expect(stepping.shortest_step_ms).toBeLessThan(simulation.stabilityLimit_ms);
    expect(stepping.longest_step_ms).toBeGreaterThan(simulation.stabilityLimit_ms);
    const { end_ms, stages } = simulation.stepSchedule();
    expect(end_ms.length).toBe(stepping.steps);
    let firstLongStart_ms = Infinity;
    for (let i = 0; i < end_ms.length; i++) {
      const start_ms = i > 0 ? end_ms[i - 1] : 0;
      if (end_ms[i] - start_ms > simulation.stabilityLimit_ms) {
        firstLongStart_ms = Math.min(firstLongStart_ms, start_ms);
        // A step beyond the forward-Euler limit is a super-step of more than two stages.
        expect(stages[i]).toBeGreaterThan(2);
      }
    }
    expect(firstLongStart_ms).toBeGreaterThan(100);
    expect(firstLongStart_ms).toBeLessThan(1000);
  });

  it('a fixed dt_ms (0.5 × the limit, 100 ms run) is every step, except the last two, halved to land on the end', async () => {
    const dt_ms = 0.5 * limit; // 100 ms / dt = 49.125
    const simulation = await Simulation.create({ grid, duration_ms: 100, dt_ms }, { keepSchedule: true });
    simulation.run();
    expect(simulation.time_ms).toBe(100);
    // 48 full steps leave 100 − 48 dt ≈ 2.29 ms, between dt and 2 dt: taken as two equal steps, not dt and a sliver.
    const full = 48;
    const remainder_ms = 100 - full * dt_ms;
    expect(remainder_ms).toBeGreaterThan(dt_ms);
    expect(remainder_ms).toBeLessThan(2 * dt_ms);
    const stepping = simulation.stepping();
    expect(stepping.steps).toBe(full + 2);
    expect(stepping.rejected_steps).toBe(0);
    expect(stepping.longest_step_ms).toBe(dt_ms);
    expect(relativeError(stepping.shortest_step_ms, remainder_ms / 2)).toBeLessThan(1e-12);
    const { end_ms, stages } = simulation.stepSchedule();
    expect(end_ms.length).toBe(full + 2);
    for (let i = 0; i < end_ms.length; i++) {
      const step_ms = end_ms[i] - (i > 0 ? end_ms[i - 1] : 0);
      expect(relativeError(step_ms, i < full ? dt_ms : remainder_ms / 2)).toBeLessThan(1e-12);
      expect(stages[i]).toBe(2); // a fixed step is one two-stage RKL2 step
    }
  });
});

// The maximum principle at dt = the limit held for forward Euler, which the fixed step no longer is:
// a two-stage second-order step (1 + z + z²/2) is stable up to the limit but not positivity-preserving
// there, so those checks went with it (src/core/stability.ts).

describe('a dt above the limit', () => {
  const grid = { size: [12, 12, 12], spacing_um: 4 };
  for (const [label, tissue] of [
    ['uniform tissue', {}],
    ['a sphere α 0.07 λ 2.0', { regions: [{ shape: 'sphere', center_um: [24, 24, 24], radius_um: 10, alpha: 0.07, lambda: 2.0 }] }],
  ] as const) {
    it(`1.5 × the limit is refused by resolveConfig with "stability limit" in the message (${label})`, () => {
      const limit = stabilityLimit_ms(resolveConfig({ grid, tissue }));
      let caught: unknown;
      try {
        resolveConfig({ grid, tissue, dt_ms: 1.5 * limit });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).message).toContain('stability limit');
      expect((caught as ConfigError).message).toContain(`${limit.toPrecision(4)} ms`);
    });
  }
});
