// DESIGN.md §5 item 7: the fast kernels (uniform SIMD, heterogeneous SIMD) agree with the plain
// scalar reference kernel over whole runs, with every feature on.
import { describe, expect, it } from 'vitest';
import { FUSED_RATE_LIMIT, Simulation } from '../../src/core/simulation.js';
import type { KernelPath } from '../../src/core/memory-plan.js';

const HETEROGENEOUS_64 = {
  grid: { size: [64, 64, 64], spacing_um: 4 },
  tissue: {
    alpha: 0.2, lambda: 1.6,
    regions: [
      { shape: 'sphere', center_um: [128, 128, 128], radius_um: 40, alpha: 0.07, lambda: 2.0 },
      { shape: 'layer', axis: 'z', min_um: 0, max_um: 60, alpha: 0.3, lambda: 1.5 },
      { shape: 'box', min_um: [180, 0, 0], max_um: [256, 256, 256], alpha: 0.12, lambda: 1.9 },
    ],
  },
  boundary: { type: 'dirichlet', value_mM: 3.5, faces: { z_min: 'neumann' } },
  sources: [
    { type: 'bolus', position_um: [100, 130, 150], amount_mol: 1e-13 },
    { type: 'iontophoresis', position_um: [150, 90, 100], current_nA: 60, start_ms: 10, duration_ms: 300 },
    { type: 'region', shape: 'sphere', center_um: [128, 128, 128], radius_um: 20, rate_mM_per_ms: 0.02, start_ms: 0, duration_ms: 100 },
  ],
  uptake: { k_ecs_per_ms: 1e-3, k_tissue_per_ms: 2e-4, pump: { vmax_mM_per_ms: 5e-3, km_mM: 2 } },
  probes: [{ name: 'a', position_um: [110, 128, 128] }, { name: 'b', position_um: [200, 100, 40] }],
  duration_ms: 400,
};

async function finalState(config: object, kernel: KernelPath) {
  const simulation = await Simulation.create(config, { kernel });
  simulation.run();
  return { field: simulation.excessView_mM().slice(), ledger: simulation.ledger(), probes: simulation.probeValues_mM() };
}

function relativeMaxDifference(a: Float32Array, b: Float32Array): number {
  let difference = 0, scale = 0;
  for (let p = 0; p < a.length; p++) {
    difference = Math.max(difference, Math.abs(a[p] - b[p]));
    scale = Math.max(scale, Math.abs(b[p]));
  }
  return difference / scale;
}

// Tolerance 1e-5 relative: f32 coefficients and arithmetic (fast) against f64 arithmetic
// (reference), accumulated over ~170 steps.
const TOLERANCE = 1e-5;

describe('fast kernels against the scalar reference', () => {
  it('heterogeneous 64³ run with regions, mixed boundaries, all sources and all uptake: agree to 1e-5', async () => {
    const reference = await finalState(HETEROGENEOUS_64, 'reference');
    const fast = await finalState(HETEROGENEOUS_64, 'heterogeneous');
    const difference = relativeMaxDifference(fast.field, reference.field);
    console.log(`heterogeneous 64³: max |fast − reference| / max |reference| = ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(TOLERANCE);
    expect(fast.ledger.boundary_outflow_mol / reference.ledger.boundary_outflow_mol).toBeCloseTo(1, 5);
    expect(fast.ledger.uptake_mol / reference.ledger.uptake_mol).toBeCloseTo(1, 5);
    // The fast kernel fuses the uptake into its sweep; the reference runs it as a separate pass.
    for (const mechanism of ['ecs_rate', 'tissue_rate', 'pump'] as const) {
      expect(fast.ledger.uptake_by_mechanism_mol[mechanism] / reference.ledger.uptake_by_mechanism_mol[mechanism]).toBeCloseTo(1, 4);
    }
    fast.probes.forEach((value, index) => expect(value).toBeCloseTo(reference.probes[index], 5));
  });

  it('uniform 64³ run: the uniform SIMD, heterogeneous and reference kernels agree to 1e-5', async () => {
    const uniform = { ...HETEROGENEOUS_64, tissue: { alpha: 0.2, lambda: 1.6 } };
    const reference = await finalState(uniform, 'reference');
    for (const kernel of ['uniform', 'heterogeneous'] as const) {
      const fast = await finalState(uniform, kernel);
      expect(relativeMaxDifference(fast.field, reference.field)).toBeLessThan(TOLERANCE);
      expect(fast.ledger.released_mol).toBe(reference.ledger.released_mol);
    }
  });

  it('fused uptake agrees with the reference on both sides of its rate limit (largest rate·dt 0.99 and 1.01 × 0.1)', async () => {
    // Per-voxel k_t/α in heterogeneous tissue goes through the fused general reaction while the
    // largest rate·dt is ≤ FUSED_RATE_LIMIT, and through the separate pass above it.
    const base = {
      grid: { size: [24, 24, 24], spacing_um: 5 },
      tissue: { alpha: 0.2, lambda: 1.6, regions: [{ shape: 'sphere', center_um: [60, 60, 60], radius_um: 25, alpha: 0.1, lambda: 1.8 }] },
      sources: [{ type: 'bolus', position_um: [60, 60, 60], amount_mol: 1e-14 }],
      duration_ms: 60,
    };
    const dt_ms = (await Simulation.create(base)).dt_ms;
    for (const fraction of [0.99, 1.01]) {
      // The smallest α (0.1) has the largest rate: k_t/0.1 · dt = fraction × the limit.
      const config = { ...base, uptake: { k_tissue_per_ms: (fraction * FUSED_RATE_LIMIT * 0.1) / dt_ms } };
      const reference = await finalState(config, 'reference');
      const fast = await finalState(config, 'heterogeneous');
      expect(relativeMaxDifference(fast.field, reference.field)).toBeLessThan(TOLERANCE);
      expect(fast.ledger.uptake_by_mechanism_mol.tissue_rate / reference.ledger.uptake_by_mechanism_mol.tissue_rate).toBeCloseTo(1, 5);
      expect(Math.abs(fast.ledger.balance_relative_error)).toBeLessThan(1e-7);
    }
  });

  it('with the pump alone (fused), the ledger gives everything to the pump and exactly 0 to k′ and k_t', async () => {
    const config = { ...HETEROGENEOUS_64, grid: { size: [32, 32, 32], spacing_um: 8 }, sources: [HETEROGENEOUS_64.sources[0]],
      uptake: { pump: { vmax_mM_per_ms: 5e-3, km_mM: 2 } }, duration_ms: 100 };
    const { ledger } = await finalState(config, 'heterogeneous');
    expect(ledger.uptake_by_mechanism_mol.ecs_rate).toBe(0);
    expect(ledger.uptake_by_mechanism_mol.tissue_rate).toBe(0);
    expect(ledger.uptake_by_mechanism_mol.pump).toBeGreaterThan(0);
    expect(ledger.uptake_by_mechanism_mol.pump).toBe(ledger.uptake_mol);
  });

  it('refuses the uniform kernel for tissue with regions', async () => {
    await expect(Simulation.create(HETEROGENEOUS_64, { kernel: 'uniform' })).rejects.toThrow(/uniform kernel cannot run tissue with regions/);
  });
});
