// Two tissues. Across an interface C and the normal flux α D* ∂C/∂n are
// continuous, and with sealed walls the steady state is uniform C (not uniform α C).
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/core/simulation.js';

describe('a layered column at steady state (1D: 40 × 1 × 1 voxels of 5 µm)', () => {
  // Tissue 1 (α 0.2, λ 1.6) on [0, a), tissue 2 (α 0.05, λ 2.0) on [a, L]; release s per tissue volume
  // everywhere; baths at x = 0 and x = L, the other faces sealed. Steady state of
  // −(κ u′)′ = s with κ = α D/λ²: the flux J = −κ u′ = s (x − x₀) is continuous, u piecewise quadratic,
  //   x₀ = [a²/κ₁ + (L² − a²)/κ₂] / (2 [a/κ₁ + (L − a)/κ₂]).
  const h = 5, nx = 40, L = nx * h, a = 100, D = 2.62, s = 1e-3;
  const kappa1 = (0.2 * D) / 1.6 ** 2;
  const kappa2 = (0.05 * D) / 2.0 ** 2;
  const x0 = (a * a / kappa1 + (L * L - a * a) / kappa2) / (2 * (a / kappa1 + (L - a) / kappa2));
  const exact = (x: number) => (x <= a
    ? -(s / kappa1) * (x * x / 2 - x0 * x)
    : -(s / kappa1) * (a * a / 2 - x0 * a) - (s / kappa2) * ((x * x - a * a) / 2 - x0 * (x - a)));
  const flux = (x: number) => s * (x - x0);

  async function steadyColumn(kernel: 'heterogeneous' | 'reference') {
    const simulation = await Simulation.create({
      grid: { size: [nx, 1, 1], spacing_um: h },
      tissue: { alpha: 0.2, lambda: 1.6, regions: [{ shape: 'layer', axis: 'x', min_um: a, max_um: L, alpha: 0.05, lambda: 2.0 }] },
      species: { D_um2_per_ms: D, baseline_mM: 3 },
      boundary: { type: 'neumann', value_mM: 3, faces: { x_min: 'dirichlet', x_max: 'dirichlet' } },
      sources: [{ type: 'region', shape: 'box', min_um: [0, 0, 0], max_um: [L, h, h], rate_mM_per_ms: s, start_ms: 0, duration_ms: 1e9 }],
      probes: [],
      // The slowest mode decays with τ ≈ 7 s; 40 τ leaves ~1e-17 of the transient.
      duration_ms: 300_000,
    }, { kernel });
    simulation.run();
    return simulation.excessView_mM().slice();
  }

  it('matches the piecewise-quadratic profile to 1% of its maximum at every voxel', async () => {
    const field = await steadyColumn('heterogeneous');
    const peak = Math.max(...Array.from({ length: nx }, (_, i) => exact((i + 0.5) * h)));
    let worst = 0;
    field.forEach((value, i) => { worst = Math.max(worst, Math.abs(value - exact((i + 0.5) * h))); });
    console.log(`layered column: worst deviation ${(100 * worst / peak).toFixed(3)}% of the peak ${peak.toFixed(4)} mM`);
    expect(worst / peak).toBeLessThan(0.01);
  });

  it('carries the continuous flux J = s(x − x₀) on both sides of the interface (0.5%), the slope jumping by κ₁/κ₂', async () => {
    const field = await steadyColumn('heterogeneous');
    const interfaceIndex = a / h; // voxel just right of the interface
    // Discrete fluxes one face away on each side: −κ (u_{i+1} − u_i)/h.
    const leftFace = -kappa1 * (field[interfaceIndex - 1] - field[interfaceIndex - 2]) / h;
    const rightFace = -kappa2 * (field[interfaceIndex + 1] - field[interfaceIndex]) / h;
    expect(leftFace / flux(a - h) - 1).toBeCloseTo(0, 2);
    expect(rightFace / flux(a + h) - 1).toBeCloseTo(0, 2);
    const leftSlope = (field[interfaceIndex - 1] - field[interfaceIndex - 2]) / h;
    const rightSlope = (field[interfaceIndex + 1] - field[interfaceIndex]) / h;
    // u′ = −J/κ: the slope jumps by κ₁/κ₂ = 6.25 across the interface, times the change of J over 2h.
    const expectedRatio = (kappa1 / kappa2) * (flux(a + h) / flux(a - h));
    expect(rightSlope / leftSlope / expectedRatio - 1).toBeCloseTo(0, 2);
  });

  it('the scalar reference kernel reaches the same steady state (1e-5 relative)', async () => {
    const fast = await steadyColumn('heterogeneous');
    const reference = await steadyColumn('reference');
    const peak = Math.max(...reference);
    fast.forEach((value, i) => expect(Math.abs(value - reference[i]) / peak).toBeLessThan(1e-5));
  });
});

describe('a sealed box with a low-α sphere', () => {
  it('relaxes to uniform C (spread < 1e-4 of the mean), so the sphere holds less excess per voxel volume', async () => {
    const simulation = await Simulation.create({
      grid: { size: [20, 20, 20], spacing_um: 5 },
      tissue: { alpha: 0.2, lambda: 1.6, regions: [{ shape: 'sphere', center_um: [50, 50, 50], radius_um: 25, alpha: 0.05, lambda: 2.0 }] },
      boundary: { type: 'neumann' },
      sources: [{ type: 'bolus', position_um: [12, 15, 80], amount_mol: 1e-14 }],
      probes: [{ name: 'inside', position_um: [52.5, 52.5, 52.5] }, { name: 'outside', position_um: [7.5, 92.5, 7.5] }],
      duration_ms: 60_000,
    });
    simulation.run();
    const field = Array.from(simulation.excessView_mM());
    const mean = field.reduce((sum, value) => sum + value, 0) / field.length;
    const spread = Math.max(...field) - Math.min(...field);
    expect(spread / mean).toBeLessThan(1e-4);
    // The uniform level is the released amount over the ECS volume Σ α h³.
    const ledger = simulation.ledger();
    const [inside, outside] = simulation.probeValues_mM();
    expect(inside).toBeCloseTo(outside, 6);
    expect(ledger.balance_relative_error).toBeLessThan(1e-8);
  });
});
