// Glial Kir spatial buffering (issue 5): the glia redistribute K⁺ — uptake where
// [K]o is high, release where it is low, zero net — and so clear a local rise faster.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { DEFAULTS } from '../../src/core/config.js';
import { nernst_mV } from '../../src/core/electrochemistry.js';

const GLIA = { conductance_S_per_m3: DEFAULTS.glial_conductance_S_per_m3 };
const LOCAL_RELEASE = {
  grid: { size: [41, 41, 41], spacing_um: 5 },
  sources: [{ type: 'region', shape: 'sphere', center_um: [102.5, 102.5, 102.5], radius_um: 15, rate_mM_per_ms: 0.02, start_ms: 0, duration_ms: 100 }],
  probes: [{ name: 'source', position_um: [102.5, 102.5, 102.5] }, { name: 'r40', position_um: [142.5, 102.5, 102.5] }],
  duration_ms: 1500,
};

describe('glial spatial buffering', () => {
  it('conserves K⁺ in a sealed box: stored amount constant to 1e-8 while the glia exchange a large share', async () => {
    const simulation = await Simulation.create({ ...LOCAL_RELEASE, boundary: { type: 'neumann' }, uptake: { glia: GLIA } });
    simulation.run();
    const ledger = simulation.ledger();
    expect(Math.abs(ledger.stored_excess_mol / ledger.released_mol - 1)).toBeLessThan(1e-8);
    expect(Math.abs(ledger.uptake_by_mechanism_mol.glia) / ledger.released_mol).toBeLessThan(1e-9);
    // The glia really act: over the run they move more K⁺ than was released.
    console.log(`glia exchanged ${(ledger.glial_exchange_mol / ledger.released_mol).toFixed(2)} × the released amount`);
    expect(ledger.glial_exchange_mol).toBeGreaterThan(0.5 * ledger.released_mol);
  });

  it('clears a local release faster at the source than diffusion alone (lower peak, shorter t_half)', async () => {
    const off = await Simulation.create(LOCAL_RELEASE);
    off.run();
    const on = await Simulation.create({ ...LOCAL_RELEASE, uptake: { glia: GLIA } });
    on.run();
    const [offSource] = off.metrics().probes;
    const [onSource] = on.metrics().probes;
    console.log(`local release, at the source: peak ${offSource.peak_mM.toFixed(3)} → ${onSource.peak_mM.toFixed(3)} mM, ` +
      `t_half ${offSource.t_half_ms!.toFixed(1)} → ${onSource.t_half_ms!.toFixed(1)} ms with glial buffering`);
    expect(onSource.peak_mM).toBeLessThan(offSource.peak_mM - 0.1 * (offSource.peak_mM - 3));
    expect(onSource.t_half_ms!).toBeLessThan(0.9 * offSource.t_half_ms!);
    expect(on.ledger().balance_relative_error).toBeLessThan(1e-6);
  });

  it('puts the syncytium at the mean E_K of the grid, and leaves a uniform field alone', async () => {
    const simulation = await Simulation.create({ grid: { size: [8, 8, 8], spacing_um: 5 }, sources: [], probes: [],
      uptake: { glia: GLIA }, duration_ms: 100 });
    simulation.step(10);
    expect(simulation.glialPotential_mV()).toBeCloseTo(nernst_mV(3, 140, 1, 37), 9);
    expect(Array.from(simulation.excessView_mM()).every((value) => value === 0)).toBe(true);
  });

  it('never drives C negative, even with a strong coupling next to a bath at 0 mM', async () => {
    const simulation = await Simulation.create({ ...LOCAL_RELEASE, grid: { size: [21, 21, 21], spacing_um: 5 },
      probes: [], sources: [{ type: 'bolus', position_um: [52.5, 52.5, 52.5], amount_mol: 1e-13 }],
      boundary: { type: 'dirichlet', value_mM: 0 }, uptake: { glia: { conductance_S_per_m3: 1e10 } }, duration_ms: 300 });
    simulation.run();
    expect(Math.min(...simulation.concentration_mM())).toBeGreaterThanOrEqual(0);
    expect(simulation.ledger().balance_relative_error).toBeLessThan(1e-6);
  });

  it('gives the same field on the uniform, heterogeneous and reference kernels (1e-5)', async () => {
    const config = { ...LOCAL_RELEASE, grid: { size: [31, 31, 31], spacing_um: 5 }, duration_ms: 200, uptake: { glia: GLIA },
      sources: [{ type: 'bolus', position_um: [77.5, 77.5, 77.5], amount_mol: 1e-13 }], probes: [] };
    const fields: Float32Array[] = [];
    for (const kernel of ['uniform', 'heterogeneous', 'reference'] as const) {
      const simulation = await Simulation.create(config, { kernel });
      simulation.run();
      fields.push(simulation.excessView_mM().slice());
    }
    const scale = Math.max(...fields[2]);
    for (const field of fields.slice(0, 2)) {
      field.forEach((value, p) => expect(Math.abs(value - fields[2][p]) / scale).toBeLessThan(1e-5));
    }
  });
});
