// Uptake conventions and the saturating Na⁺/K⁺ pump.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';

/** Slope of ln(y) against t by least squares; returns the decay time τ = −1/slope. */
function fittedDecayTime(times: number[], values: number[]): number {
  const n = times.length;
  const logs = values.map(Math.log);
  const meanT = times.reduce((a, b) => a + b) / n;
  const meanY = logs.reduce((a, b) => a + b) / n;
  let num = 0, den = 0;
  for (let s = 0; s < n; s++) {
    num += (times[s] - meanT) * (logs[s] - meanY);
    den += (times[s] - meanT) ** 2;
  }
  return -den / num;
}

/** Stored excess (mol) sampled every `every` steps, after the release at step 0. */
async function storedExcessDecay(config: object, sampleSteps: number, samples: number, kernel: 'auto' | 'heterogeneous' = 'auto') {
  const simulation = await Simulation.create(config, { kernel });
  const times: number[] = [], stored: number[] = [];
  for (let s = 0; s < samples; s++) {
    simulation.step(sampleSteps);
    times.push(simulation.time_ms);
    stored.push(simulation.ledger().stored_excess_mol);
  }
  return { simulation, times, stored };
}

const SEALED_BOX = {
  grid: { size: [24, 24, 24], spacing_um: 5 },
  boundary: { type: 'neumann' },
  sources: [{ type: 'bolus', position_um: [60, 60, 60], amount_mol: 1e-14 }],
  probes: [{ name: 'r25', position_um: [85, 60, 60] }],
  duration_ms: 10_000,
};

describe('tissue-rate uptake k_t: f = k_t (C − C_rest) per tissue volume', () => {
  for (const alpha of [0.1, 0.4]) {
    it(`decays the stored excess with τ = α/k_t within 1% (α = ${alpha})`, async () => {
      const k_tissue_per_ms = 1e-3;
      const expected = alpha / k_tissue_per_ms;
      const { times, stored } = await storedExcessDecay({ ...SEALED_BOX, tissue: { alpha }, uptake: { k_tissue_per_ms } }, 20, 30);
      const tau = fittedDecayTime(times, stored);
      console.log(`k_t uptake, α = ${alpha}: fitted τ = ${tau.toFixed(3)} ms, α/k_t = ${expected} ms`);
      expect(Math.abs(tau / expected - 1)).toBeLessThan(0.01);
    });
  }

  it('gives τ = α/k_t on the heterogeneous path too (regions that change only λ)', async () => {
    const alpha = 0.2;
    const { times, stored } = await storedExcessDecay({
      ...SEALED_BOX,
      tissue: { alpha, regions: [{ shape: 'sphere', center_um: [60, 60, 60], radius_um: 20, alpha, lambda: 2.1 }] },
      uptake: { k_tissue_per_ms: 1e-3 },
    }, 20, 30, 'heterogeneous');
    expect(Math.abs(fittedDecayTime(times, stored) / (alpha / 1e-3) - 1)).toBeLessThan(0.01);
  });
});

describe('ECS-rate uptake k′ (Nicholson): f = α k′ (C − C_rest)', () => {
  it('decays with τ = 1/k′ for α = 0.1 and 0.4, and leaves probe timing independent of α', async () => {
    const k_ecs_per_ms = 2e-3;
    const runs = [];
    for (const alpha of [0.1, 0.4]) {
      const run = await storedExcessDecay({ ...SEALED_BOX, tissue: { alpha }, uptake: { k_ecs_per_ms } }, 20, 30);
      runs.push({ alpha, tau: fittedDecayTime(run.times, run.stored), probe: run.simulation.metrics().probes[0] });
    }
    for (const run of runs) expect(Math.abs(run.tau * k_ecs_per_ms - 1)).toBeLessThan(0.01);
    expect(runs[0].tau).toBeCloseTo(runs[1].tau, 6);
    expect(runs[0].probe.t_peak_ms).toBeCloseTo(runs[1].probe.t_peak_ms, 6);
    // Concentrations scale as 1/α.
    const excess = runs.map((run) => run.probe.peak_mM - run.probe.baseline_mM);
    expect(excess[0] / excess[1]).toBeCloseTo(4, 5);
  });
});

describe('Na⁺/K⁺ pump: f = Vmax C/(Km + C) − Vmax C_rest/(Km + C_rest) per tissue volume', () => {
  const alpha = 0.2, vmax = 0.01, km = 2, rest = 3;
  /** A uniform excess in a sealed box: no diffusion, so each voxel follows the pump's own ODE. */
  function uniformExcessConfig(excess_mM: number, dt_ms: number) {
    const rate_mM_per_ms = (excess_mM * alpha) / dt_ms;
    return {
      grid: { size: [8, 8, 8], spacing_um: 5 },
      tissue: { alpha },
      species: { baseline_mM: rest },
      boundary: { type: 'neumann' },
      uptake: { pump: { vmax_mM_per_ms: vmax, km_mM: km } },
      sources: [{ type: 'region', shape: 'box', min_um: [0, 0, 0], max_um: [40, 40, 40], rate_mM_per_ms, start_ms: 0, duration_ms: dt_ms }],
      probes: [{ name: 'centre', position_um: [20, 20, 20] }],
      duration_ms: 2000,
      dt_ms,
    };
  }

  it('keeps the resting state steady (no release: the field stays exactly at baseline)', async () => {
    const simulation = await Simulation.create({ ...uniformExcessConfig(0, 1), sources: [] });
    simulation.step(500);
    expect(simulation.probeValues_mM()[0]).toBe(rest);
    expect(simulation.ledger().uptake_mol).toBe(0);
  });

  it('follows the pump ODE dC/dt = −(Vmax/α)[C/(Km+C) − C_rest/(Km+C_rest)] from 50 mM within 1%', async () => {
    const dt_ms = 1;
    const simulation = await Simulation.create(uniformExcessConfig(47, dt_ms));
    simulation.step(1500);
    // Reference: RK4 with a 0.01 ms step, from the concentration after the one-step release.
    const rate = (c: number) => -(vmax / alpha) * (c / (km + c) - rest / (km + rest));
    const { time_ms, values_mM } = simulation.probeSeries();
    let c = values_mM[0][1];
    let t = time_ms[1];
    let worst = 0;
    for (let s = 2; s < time_ms.length; s++) {
      while (t < time_ms[s] - 1e-9) {
        const step = 0.01;
        const k1 = rate(c), k2 = rate(c + step * k1 / 2), k3 = rate(c + step * k2 / 2), k4 = rate(c + step * k3);
        c += (step * (k1 + 2 * k2 + 2 * k3 + k4)) / 6;
        t += step;
      }
      worst = Math.max(worst, Math.abs(values_mM[0][s] - c) / (c - rest));
    }
    console.log(`pump from 50 mM: worst relative error of the excess ${(100 * worst).toFixed(3)}% over 1.5 s`);
    expect(worst).toBeLessThan(0.01);
    // Saturation: at 50 mM the pump removes ~Vmax/α·(0.96 − 0.6) ≈ 0.018 mM/ms, nowhere near the
    // linearised rate (47 mM · Vmax Km/(α (Km + C_rest)²) = 0.19 mM/ms).
    expect(values_mM[0][1] - values_mM[0][101]).toBeLessThan(0.02 * 100);
  });

  it('at small excess decays with the linearised τ = α (Km + C_rest)²/(Vmax Km) within 1%', async () => {
    const simulation = await Simulation.create(uniformExcessConfig(0.01, 1));
    const times: number[] = [], excess: number[] = [];
    for (let s = 0; s < 20; s++) {
      simulation.step(25);
      times.push(simulation.time_ms);
      excess.push(simulation.probeValues_mM()[0] - rest);
    }
    const expected = (alpha * (km + rest) ** 2) / (vmax * km);
    expect(Math.abs(fittedDecayTime(times, excess) / expected - 1)).toBeLessThan(0.01);
  });

  it('never drives C below zero, even with a bath at 0 mM and a pump far stronger than diffusion', async () => {
    const simulation = await Simulation.create({
      grid: { size: [16, 16, 16], spacing_um: 5 },
      species: { baseline_mM: rest },
      boundary: { type: 'dirichlet', value_mM: 0 },
      uptake: { pump: { vmax_mM_per_ms: 100, km_mM: 0.5 }, k_ecs_per_ms: 10 },
      sources: [{ type: 'bolus', position_um: [40, 40, 40], amount_mol: 1e-13 }],
      duration_ms: 200,
    });
    simulation.run();
    const concentration = simulation.concentration_mM();
    expect(Math.min(...concentration)).toBeGreaterThanOrEqual(0);
    expect(simulation.ledger().balance_relative_error).toBeLessThan(1e-6);
  });

  it('keeps the ledger finite and balanced with subnormal rates (5e-324) for every mechanism', async () => {
    const uptakes = [{ k_ecs_per_ms: 5e-324 }, { k_tissue_per_ms: 5e-324 }, { pump: { vmax_mM_per_ms: 5e-324 } },
      { pump: { vmax_mM_per_ms: 0.01, km_mM: 5e-324 } }, { glia: { conductance_S_per_m3: 5e-324 } }];
    for (const uptake of uptakes) {
      const simulation = await Simulation.create({ grid: { size: [9, 9, 9], spacing_um: 5 }, probes: [], duration_ms: 50, uptake });
      simulation.run();
      const ledger = simulation.ledger();
      expect(Object.values(ledger.uptake_by_mechanism_mol).every(Number.isFinite), JSON.stringify(uptake)).toBe(true);
      expect(ledger.balance_relative_error, JSON.stringify(uptake)).toBeLessThan(1e-6);
    }
  });
});

