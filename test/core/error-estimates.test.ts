// The error estimates that `ecs-sim run` prints beside every read-out must be honest: against the
// exact answer they bound the true error and are not more than ~3× too pessimistic.
//  - time error (runWithTimeError): against the exact semi-discrete solution of the same grid
//    (src/core/lattice-solution.ts), so the difference is time error alone;
//  - grid error (checkGrid): against the closed form in an infinite medium, with the time error held
//    below the grid's (tolerance 1e-4).
import { describe, expect, it } from 'vitest';
import { runWithTimeError, checkGrid } from '../../src/core/error-estimates.js';
import { Simulation } from '../../src/core/simulation.js';
import { pointSourcePeak } from '../../src/core/analytic.js';
import { bolusReadouts, type LatticeBolus, type Triple } from '../../src/core/lattice-solution.js';

/** Estimate / true error must lie in [1, PESSIMISM_LIMIT], or the error must be tiny in absolute terms. */
const PESSIMISM_LIMIT = 3;

/**
 * true error ≤ estimate ≤ PESSIMISM_LIMIT × true error, except that an estimate within `floor`
 * (same unit) of a smaller true error is accepted: below it the comparison measures round-off.
 */
function expectHonest(label: string, estimate: number, trueError: number, floor: number): void {
  const ratio = estimate / Math.abs(trueError);
  console.log(`${label}: estimate ${estimate.toExponential(2)}, true ${Math.abs(trueError).toExponential(2)} (ratio ${ratio.toFixed(2)})`);
  expect(estimate).toBeGreaterThanOrEqual(Math.abs(trueError) - floor);
  if (estimate > floor) expect(ratio).toBeLessThanOrEqual(PESSIMISM_LIMIT);
}

describe('the time error of each read-out (the run, then every step halved)', () => {
  // A bolus at the centre voxel of a sealed 41³ box of 10 µm voxels; probes 50 µm away on and off the axes.
  const h = 10, n = 41, centre = 20;
  const medium = { alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.96, spacing_um: h };
  const bolus: LatticeBolus = { ...medium, amount_mol: 1e-15, box: { size: [n, n, n], source: [centre, centre, centre] } };
  const offsets: Triple[] = [[5, 0, 0], [3, 3, 2]];
  const at = (offset: Triple) => offset.map((m) => (centre + m + 0.5) * h) as Triple;

  for (const tolerance of [1e-3, 1e-2]) {
    it(`bounds the true time error of peak, t_peak and t_half within a factor 3 (tolerance ${tolerance})`, async () => {
      const { simulation, timeError } = await runWithTimeError({
        grid: { size: [n, n, n], spacing_um: h }, tissue: { alpha: 0.2, lambda: 1.6 }, species: { D_um2_per_ms: 1.96 },
        boundary: { type: 'neumann' }, sources: [{ type: 'bolus', position_um: at([0, 0, 0]), amount_mol: 1e-15 }],
        probes: offsets.map((offset, index) => ({ name: `p${index}`, position_um: at(offset) })),
        duration_ms: 2500, accuracy: { relative_tolerance: tolerance },
      });
      const probes = simulation.metrics().probes;
      offsets.forEach((offset, index) => {
        const exact = bolusReadouts(bolus, offset);
        const probe = probes[index], estimate = timeError.probes[index];
        // Floors: 1e-5 of each read-out (1% of the default tolerance), the resolution of a read-out
        // taken from samples ~20 per peak time (the five-sample peak: ~8e-6 of t_peak; metrics.test.ts).
        expectHonest(`tolerance ${tolerance}, offset ${offset}, peak`, estimate.peak_mM,
          probe.peak_mM - probe.baseline_mM - exact.peak_mM, 1e-5 * exact.peak_mM);
        expectHonest(`tolerance ${tolerance}, offset ${offset}, t_peak`, estimate.t_peak_ms, probe.t_peak_ms - exact.t_peak_ms,
          1e-5 * exact.t_peak_ms);
        expectHonest(`tolerance ${tolerance}, offset ${offset}, t_half`, estimate.t_half_ms!, probe.t_half_ms! - exact.t_half_ms,
          1e-5 * exact.t_half_ms);
      });
    }, 60_000);
  }
});

describe('the grid error of each read-out (the same run on a grid three times finer)', () => {
  it('bounds the true grid error of peak and t_peak within a factor 3, and the extrapolated value is closer', async () => {
    // A bolus at the centre voxel of a sealed box 205 µm wide (its walls add < 1e-6 at these
    // times), probes on and off the axes at voxel centres of both grids; h = 5 µm and 5/3 µm.
    const h = 5, n = 41, centre = (n * h) / 2;
    const medium = { alpha: 0.2, lambda: 1.6, D_um2_per_ms: 2.62 };
    const offsets: Triple[] = [[30, 30, 20], [50, 0, 0]];
    const simulation = await Simulation.create({
      grid: { size: [n, n, n], spacing_um: h }, tissue: { alpha: 0.2, lambda: 1.6 }, species: { D_um2_per_ms: 2.62 },
      boundary: { type: 'neumann' }, sources: [{ type: 'bolus', position_um: [centre, centre, centre], amount_mol: 1e-13 }],
      probes: offsets.map((offset, index) => ({ name: `p${index}`, position_um: offset.map((x) => centre + x) })),
      duration_ms: 600, accuracy: { relative_tolerance: 1e-4 },
    });
    simulation.run();
    const { gridError, extrapolated } = await checkGrid(simulation);
    const probes = simulation.metrics().probes;
    offsets.forEach((offset, index) => {
      const exact = pointSourcePeak(medium, 1e-13, Math.hypot(...offset));
      const probe = probes[index];
      // Floors: 1e-4 of each read-out, the time error allowed at tolerance 1e-4 (both grids).
      expectHonest(`offset ${offset} µm, peak`, gridError.probes[index].peak_mM, probe.peak_mM - probe.baseline_mM - exact.peak_mM,
        1e-4 * exact.peak_mM);
      expectHonest(`offset ${offset} µm, t_peak`, gridError.probes[index].t_peak_ms, probe.t_peak_ms - exact.t_peak_ms,
        1e-4 * exact.t_peak_ms);
      const extrapolatedError = Math.abs(extrapolated.probes[index].t_peak_ms - exact.t_peak_ms);
      expect(extrapolatedError).toBeLessThan(Math.max(Math.abs(probe.t_peak_ms - exact.t_peak_ms), 1e-4 * exact.t_peak_ms));
    });
  }, 300_000);
});
