// With sealed walls and no uptake Σ α C h³ stays
// constant to round-off; with a bath and uptake, released = stored + uptake + boundary outflow.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';

const HETEROGENEOUS_TISSUE = {
  alpha: 0.2, lambda: 1.6,
  regions: [
    { shape: 'sphere', center_um: [60, 60, 60], radius_um: 30, alpha: 0.07, lambda: 2.0 },
    { shape: 'layer', axis: 'z', min_um: 0, max_um: 40, alpha: 0.4, lambda: 1.4 },
    { shape: 'box', min_um: [90, 0, 0], max_um: [160, 160, 160], alpha: 0.12, lambda: 1.8 },
  ],
};

function relativeChange(a: number, b: number): number {
  return Math.abs(a - b) / Math.abs(a);
}

describe('mass conservation in a sealed box without uptake', () => {
  for (const [label, tissue] of [['heterogeneous α and λ', HETEROGENEOUS_TISSUE], ['uniform tissue', {}]] as const) {
    it(`keeps Σ α C h³ constant to 1e-6 relative over 10⁴ steps (${label})`, async () => {
      const simulation = await Simulation.create({
        grid: { size: [32, 32, 32], spacing_um: 5 },
        tissue,
        boundary: { type: 'neumann' },
        sources: [
          { type: 'bolus', position_um: [40, 50, 60], amount_mol: 1e-13 },
          { type: 'bolus', position_um: [130, 100, 20], amount_mol: 5e-14 },
        ],
        duration_ms: 1e5,
        // A fixed step: this counts the rounding of 10⁴ steps (error-controlled steps would grow
        // to hundreds of stages each once the box is uniform).
        dt_ms: 1,
      });
      simulation.step(1);
      const initial = simulation.ledger().stored_excess_mol;
      expect(initial / 1.5e-13).toBeCloseTo(1, 6);
      simulation.step(9_999);
      const ledger = simulation.ledger();
      console.log(`sealed box, ${label}: stored amount changed by ${relativeChange(initial, ledger.stored_excess_mol).toExponential(2)} ` +
        `(relative) in 10⁴ steps`);
      expect(relativeChange(initial, ledger.stored_excess_mol)).toBeLessThan(1e-6);
      expect(ledger.boundary_outflow_mol).toBe(0);
      expect(ledger.uptake_mol).toBe(0);
      // The cloud has really spread: the field is not still sitting in two voxels.
      const field = simulation.excessView_mM();
      expect(Math.max(...field) / Math.min(...field)).toBeLessThan(10);
    });
  }
});

describe('mass ledger with a bath, every uptake mechanism and every source type', () => {
  it('balances released = stored + uptake + boundary outflow to 1e-5 relative', async () => {
    const simulation = await Simulation.create({
      grid: { size: [40, 36, 30], spacing_um: 5 },
      tissue: HETEROGENEOUS_TISSUE,
      boundary: { type: 'dirichlet', value_mM: 3, faces: { z_min: 'neumann' } },
      sources: [
        { type: 'bolus', position_um: [100, 90, 75], amount_mol: 1e-13, time_ms: 5 },
        { type: 'iontophoresis', position_um: [60, 60, 60], current_nA: 50, start_ms: 0, duration_ms: 200 },
        { type: 'region', shape: 'sphere', center_um: [100, 90, 75], radius_um: 20, rate_mM_per_ms: 0.05, start_ms: 20, duration_ms: 100 },
      ],
      uptake: { k_ecs_per_ms: 0.002, k_tissue_per_ms: 0.0005, pump: { vmax_mM_per_ms: 0.01, km_mM: 2 },
        glia: { conductance_S_per_m3: 1.36e8 } },
      duration_ms: 600,
    });
    simulation.run();
    const ledger = simulation.ledger();
    console.log('mass ledger after 600 ms:', JSON.stringify(ledger));
    expect(ledger.balance_relative_error).toBeLessThan(1e-5);
    expect(ledger.boundary_outflow_mol).toBeGreaterThan(0);
    const { ecs_rate, tissue_rate, pump, glia } = ledger.uptake_by_mechanism_mol;
    for (const removed of [ecs_rate, tissue_rate, pump]) expect(removed).toBeGreaterThan(0);
    // The glia move K⁺ (a sizeable exchange) but remove none of it.
    expect(ledger.glial_exchange_mol).toBeGreaterThan(0.01 * ledger.released_mol);
    expect(Math.abs(glia)).toBeLessThan(1e-9 * ledger.released_mol);
    // Released amounts follow the configured schedule exactly.
    const iontophoresis_mol = (0.4 * 50e-9 / 96485.33212) * 0.2;
    const region_mol = 0.05 * 100 * countSphereVoxels([100, 90, 75], 20, 5) * 125 * 1e-18;
    expect(ledger.released_mol / (1e-13 + iontophoresis_mol + region_mol)).toBeCloseTo(1, 9);
  });
});

/** Voxel centres (i + ½)h inside a sphere, counted by brute force. */
function countSphereVoxels(centre: number[], radius: number, h: number): number {
  let count = 0;
  for (let i = 0; i < 60; i++) for (let j = 0; j < 60; j++) for (let k = 0; k < 60; k++) {
    const d = [(i + 0.5) * h - centre[0], (j + 0.5) * h - centre[1], (k + 0.5) * h - centre[2]];
    if (d[0] ** 2 + d[1] ** 2 + d[2] ** 2 <= radius ** 2) count++;
  }
  return count;
}
