// The page's live time error (LiveTimeError: the run plus a shadow with every step halved) must be
// honest at every moment, not only for the read-outs at the end. Against the exact semi-discrete
// solution of the same grid (src/core/lattice-solution.ts): over the run its largest value is
// between 1 and 3 times the largest true error, and at every step it bounds the true error, except
// by up to 10% of that largest error: where the error changes sign, the coarse and the fine run
// cross zero at slightly different times and the estimate |fine − coarse|/3 dips below the true
// error there (by ~4% of the largest on these problems).
import { describe, expect, it } from 'vitest';
import { LiveTimeError } from '../../src/core/live-time-error.js';
import { Simulation } from '../../src/core/simulation.js';
import { bolusExcess_mM, bolusPeak, type LatticeBolus, type Triple } from '../../src/core/lattice-solution.js';

const PESSIMISM_LIMIT = 3;

describe('the live time error of the probe values', () => {
  // A bolus at the centre voxel of a sealed 41³ box of 10 µm voxels; probes 30 and 50 µm away, on
  // and off the axes.
  const h = 10, n = 41, centre = 20, amount_mol = 1e-15;
  const bolus: LatticeBolus = {
    alpha: 0.2, lambda: 1.6, D_um2_per_ms: 1.96, spacing_um: h, amount_mol, box: { size: [n, n, n], source: [centre, centre, centre] },
  };
  const offsets: Triple[] = [[3, 0, 0], [5, 0, 0], [3, 3, 2]];
  const at = (offset: Triple) => offset.map((m) => (centre + m + 0.5) * h) as Triple;
  const config = (period_ms: number) => ({
    grid: { size: [n, n, n], spacing_um: h }, tissue: { alpha: 0.2, lambda: 1.6 }, species: { D_um2_per_ms: 1.96 },
    boundary: { type: 'neumann' }, sources: [{ type: 'bolus', position_um: at([0, 0, 0]), amount_mol, time_ms: 0, period_ms }],
    probes: [], duration_ms: 1e8,
  });

  for (const period_ms of [0, 400]) {
    it(`bounds the true error of the probe values at every step (to 10% of its largest) and at most 3× too pessimistic (${period_ms ? `releases every ${period_ms} ms` : 'one release'})`, async () => {
      const live = await LiveTimeError.create(config(period_ms), { recordSeries: false });
      const exact = (offset: Triple, t_ms: number) => {
        let sum = 0;
        for (let release = 0; release <= (period_ms ? Math.floor(t_ms / period_ms + 1e-9) : 0); release++) {
          const since = t_ms - release * period_ms;
          if (since > 0) sum += bolusExcess_mM(bolus, offset, since);
        }
        return sum;
      };
      const samples = offsets.map(() => [] as { time_ms: number; estimate: number; trueError: number }[]);
      while (live.time_ms < 1500) {
        live.step();
        offsets.forEach((offset, index) => {
          const position = at(offset);
          const excess = live.valueAt_mM(position) - live.run.config.species.baseline_mM;
          samples[index].push({
            time_ms: live.time_ms, estimate: live.timeErrorAt_mM(position), trueError: Math.abs(excess - exact(offset, live.time_ms)),
          });
        });
      }
      offsets.forEach((offset, index) => {
        const largestEstimate = Math.max(...samples[index].map((sample) => sample.estimate));
        const largestError = Math.max(...samples[index].map((sample) => sample.trueError));
        const peak_mM = bolusPeak(bolus, offset).peak_mM;
        const shortfall = Math.max(...samples[index].map((sample) => sample.trueError - sample.estimate));
        console.log(`period ${period_ms}, offset ${offset}: largest estimate ${largestEstimate.toExponential(2)} mM, largest true ` +
          `error ${largestError.toExponential(2)} mM (${(largestError / peak_mM).toExponential(1)} of the peak; ratio ` +
          `${(largestEstimate / largestError).toFixed(2)}); largest shortfall ${(shortfall / largestError * 100).toFixed(1)}% of the largest error, ` +
          `${samples[index].length} steps`);
        // The errors are well above f32 round-off (~1e-7 of the peak), so the comparison measures the method.
        expect(largestError).toBeGreaterThan(1e-5 * peak_mM);
        expect(largestEstimate).toBeGreaterThanOrEqual(largestError);
        expect(largestEstimate).toBeLessThanOrEqual(PESSIMISM_LIMIT * largestError);
        for (const sample of samples[index]) {
          expect(sample.estimate + 0.1 * largestError, `offset ${offset} at ${sample.time_ms.toFixed(2)} ms`).toBeGreaterThanOrEqual(sample.trueError);
        }
      });
    }, 60_000);
  }

  it('steps the run exactly as a run alone, and ends its shadow on the same time', async () => {
    const alone = await Simulation.create(config(400), { recordSeries: false });
    const live = await LiveTimeError.create(config(400), { recordSeries: false });
    for (let step = 0; step < 60; step++) {
      alone.step(1);
      live.step();
      expect(live.run.time_ms).toBe(alone.time_ms);
      expect(live.shadow.time_ms).toBe(alone.time_ms);
    }
    expect(live.run.valueAt_mM(at([3, 0, 0]))).toBe(alone.valueAt_mM(at([3, 0, 0])));
    expect(live.shadow.stepping().steps).toBe(2 * alone.stepping().steps);
  });
});
