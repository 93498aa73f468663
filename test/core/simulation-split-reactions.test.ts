// The reactions split from diffusion (the Na⁺/K⁺ pump, glial buffering) under the default
// error-controlled stepping, against the exact semi-discrete equations of two voxels: a sealed
// 2 × 1 × 1 grid is the ODE system
//   du₀/dt = k (u₁ − u₀) − R(u₀),  du₁/dt = k (u₀ − u₁) − R(u₁),  k = D*/h²,
// with R the pump's or the glia's removal per ECS volume, which the test integrates with RK4 at a
// step 1000× shorter than any time scale (its error ~1e-12). The steps' error estimate sees only
// diffusion, so these reactions bound the step themselves (src/core/simulation.ts); the read-outs
// must still be within accuracy.relative_tolerance.
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';
import { DEFAULTS } from '../../src/core/config.js';
import { FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K } from '../../src/core/units.js';

const ALPHA = 0.2, LAMBDA = 1.6, D = 2.62, H = 20, REST = 3, EXCESS = 10;

/** RK4 of the two-voxel system from (EXCESS, 0) to each time (ms); removal(u) per ECS volume (mM/ms). */
function twoVoxels(removal: (u: number, other: number) => number, times_ms: number[], step_ms: number): number[][] {
  const k = D / LAMBDA ** 2 / H ** 2;
  const rate = ([a, b]: number[]) => [k * (b - a) - removal(a, b), k * (a - b) - removal(b, a)];
  let u = [EXCESS, 0], t = 0;
  return times_ms.map((target) => {
    while (t < target - 1e-12) {
      const dt = Math.min(step_ms, target - t);
      const k1 = rate(u), k2 = rate(u.map((x, i) => x + (dt / 2) * k1[i]));
      const k3 = rate(u.map((x, i) => x + (dt / 2) * k2[i])), k4 = rate(u.map((x, i) => x + dt * k3[i]));
      u = u.map((x, i) => x + (dt / 6) * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]));
      t += dt;
    }
    return u;
  });
}

async function simulateTwoVoxels(uptake: object, times_ms: number[]) {
  const simulation = await Simulation.create({
    grid: { size: [2, 1, 1], spacing_um: H }, tissue: { alpha: ALPHA, lambda: LAMBDA },
    species: { D_um2_per_ms: D, baseline_mM: REST }, boundary: { type: 'neumann' }, uptake,
    // EXCESS mM into voxel 0: N = EXCESS α h³ (1 mM = 1e-18 mol/µm³).
    sources: [{ type: 'bolus', position_um: [H / 2, H / 2, H / 2], amount_mol: EXCESS * ALPHA * H ** 3 * 1e-18 }],
    probes: [{ name: 'v0', position_um: [H / 2, H / 2, H / 2] }, { name: 'v1', position_um: [1.5 * H, H / 2, H / 2] }],
    duration_ms: times_ms[times_ms.length - 1],
  });
  return times_ms.map((t) => {
    simulation.runTo(t);
    return simulation.probeValues_mM().map((c) => c - REST);
  });
}

/** Largest error of the two voxels' excess relative to the larger excess at that time. */
function worstError(simulated: number[][], exact: number[][]): number {
  return Math.max(...simulated.map((values, s) =>
    Math.max(...values.map((value, i) => Math.abs(value - exact[s][i]))) / Math.max(...exact[s].map(Math.abs))));
}

describe('split reactions under dt "auto" against the two-voxel ODEs (RK4)', () => {
  it('the Na⁺/K⁺ pump (Vmax 0.05 mM/ms, Km 2 mM): within the default tolerance 1e-3', async () => {
    const vmax = 0.05, km = 2;
    const pump = (u: number) => (vmax / ALPHA) * ((REST + u) / (km + REST + u) - REST / (km + REST));
    const times = [5, 20, 60, 150, 400];
    const exact = twoVoxels(pump, times, 0.01);
    const simulated = await simulateTwoVoxels({ pump: { vmax_mM_per_ms: vmax, km_mM: km } }, times);
    const worst = worstError(simulated, exact);
    console.log(`pump, two voxels, dt auto: worst error ${worst.toExponential(2)} of the excess`);
    expect(worst).toBeLessThan(1e-3);
  });

  it('glial buffering (1.36e8 S/m³): within the default tolerance 1e-3', async () => {
    const conductance = DEFAULTS.glial_conductance_S_per_m3;
    const G = (conductance * GAS_CONSTANT_J_PER_MOL_K * (37 + ZERO_CELSIUS_K)) / FARADAY_C_PER_MOL ** 2 * 1e-3;
    const glia = (u: number, other: number) => {
      const mean = (Math.log(REST + u) + Math.log(REST + other)) / 2;
      return (G / ALPHA) * (Math.log(REST + u) - mean);
    };
    const times = [2, 5, 10, 20, 50];
    const exact = twoVoxels(glia, times, 0.001);
    const simulated = await simulateTwoVoxels({ glia: { conductance_S_per_m3: conductance } }, times);
    const worst = worstError(simulated, exact);
    console.log(`glia, two voxels, dt auto: worst error ${worst.toExponential(2)} of the excess`);
    expect(worst).toBeLessThan(1e-3);
  });
});
