// The fast kernels (uniform SIMD, heterogeneous SIMD) agree with the plain
// scalar reference kernel over whole runs, with every feature on.
import { describe, expect, it } from 'vitest';
import { Simulation, type StepSchedule } from '../../src/core/simulation.js';
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

/**
 * The state at the end of a run. The kernels differ in rounding, so the error control could pick
 * different steps on each; to compare kernels and not step sequences, the fast kernels replay the
 * steps (and stage counts) the reference chose.
 */
async function finalState(config: object, kernel: KernelPath, schedule?: StepSchedule) {
  const simulation = await Simulation.create(config, { kernel, keepSchedule: true, schedule });
  simulation.run();
  return {
    field: simulation.excessView_mM().slice(), ledger: simulation.ledger(), probes: simulation.probeValues_mM(),
    schedule: simulation.stepSchedule(),
  };
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
// (reference), accumulated over every stage of the run.
const TOLERANCE = 1e-5;

describe('fast kernels against the scalar reference', () => {
  it('heterogeneous 64³ run with regions, mixed boundaries, all sources and all uptake: agree to 1e-5', async () => {
    const reference = await finalState(HETEROGENEOUS_64, 'reference');
    const fast = await finalState(HETEROGENEOUS_64, 'heterogeneous', reference.schedule);
    const difference = relativeMaxDifference(fast.field, reference.field);
    console.log(`heterogeneous 64³: max |fast − reference| / max |reference| = ${difference.toExponential(2)}`);
    expect(difference).toBeLessThan(TOLERANCE);
    expect(fast.ledger.boundary_outflow_mol / reference.ledger.boundary_outflow_mol).toBeCloseTo(1, 5);
    expect(fast.ledger.uptake_mol / reference.ledger.uptake_mol).toBeCloseTo(1, 5);
    for (const mechanism of ['ecs_rate', 'tissue_rate', 'pump'] as const) {
      expect(fast.ledger.uptake_by_mechanism_mol[mechanism] / reference.ledger.uptake_by_mechanism_mol[mechanism]).toBeCloseTo(1, 4);
    }
    fast.probes.forEach((value, index) => expect(value).toBeCloseTo(reference.probes[index], 5));
  });

  it('uniform 64³ run: the uniform SIMD, heterogeneous and reference kernels agree to 1e-5', async () => {
    const uniform = { ...HETEROGENEOUS_64, tissue: { alpha: 0.2, lambda: 1.6 } };
    const reference = await finalState(uniform, 'reference');
    for (const kernel of ['uniform', 'heterogeneous'] as const) {
      const fast = await finalState(uniform, kernel, reference.schedule);
      expect(relativeMaxDifference(fast.field, reference.field)).toBeLessThan(TOLERANCE);
      expect(fast.ledger.released_mol / reference.ledger.released_mol).toBeCloseTo(1, 12);
    }
  });

  it('with the pump alone, the ledger gives everything to the pump and exactly 0 to k′ and k_t', async () => {
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
