// How accurate each read-out is, measured rather than assumed, by Richardson's method: the same
// problem once more with the discretisation refined, and the difference of the two results.
//  - Time: the error-controlled run, then the same steps each cut in two (same stage counts, so the
//    same second-order method with the same error constant); the finer run's error is
//    |fine − coarse|/(2² − 1), and the finer run is the one reported.
//  - Grid: the same run on a grid of three times the voxels per axis at a third of the spacing (the
//    same box, sources and probes in µm). A third, not a half: the voxel centres of the coarse grid
//    are then voxel centres of the fine one, so a point source or probe at a voxel centre stays one
//    and both grids are the same discretisation at two h. (Halving puts them on voxel corners, which
//    changes the error constant: a point release 30 µm away read t_peak 145.97, 145.02 and 146.57
//    ms at h = 5, 2.5 and 5/3 µm, against 146.6 in the continuum.) The 7-point scheme is second
//    order in h, so the error of the user's grid is |coarse − fine|·9/8 and fine + (fine − coarse)/8
//    is the extrapolated value.

import { Simulation, type SimulationOptions } from './simulation.js';
import { resolveConfig, type ResolvedConfig } from './config.js';
import type { ExcessClearance, ProbeMetrics } from './metrics.js';

/** An error (or a value) for each probe read-out, in the read-out's unit; null where the read-out is null. */
export interface ProbeReadouts {
  peak_mM: number;
  t_peak_ms: number;
  t_half_ms: number | null;
  final_mM: number;
}

/** The same for every read-out of a run. */
export interface Readouts {
  probes: ProbeReadouts[];
  clearance: { excess_half_time_ms: number | null; excess_tenth_time_ms: number | null };
}

/** The finer of the two runs and the estimated time error of its read-outs. */
export interface RunWithTimeError {
  simulation: Simulation;
  timeError: Readouts;
  /** Wall time of both runs (ms). */
  wall_ms: number;
  /** Voxel updates (stencil passes × voxels) of both runs. */
  voxel_updates: number;
}

/** The grid error of a run's read-outs and the values extrapolated to h → 0. */
export interface GridCheck {
  gridError: Readouts;
  extrapolated: Readouts;
  /** The refined grid: voxels per axis and spacing (µm). */
  refinedGrid: ResolvedConfig['grid'];
  /** Wall time (ms) and voxel updates of the refined run. */
  wall_ms: number;
  voxel_updates: number;
}

function voxelUpdates(simulation: Simulation): number {
  const [nx, ny, nz] = simulation.config.grid.size;
  return nx * ny * nz * simulation.stepping().stencil_passes;
}

/** Combines two runs' read-outs, read-out by read-out, with combine(coarse, fine). */
function combineReadouts(
  coarse: { probes: ProbeMetrics[]; clearance: ExcessClearance },
  fine: { probes: ProbeMetrics[]; clearance: ExcessClearance },
  combine: (coarse: number, fine: number) => number,
): Readouts {
  const either = (c: number | null, f: number | null) => (c === null || f === null ? null : combine(c, f));
  return {
    probes: coarse.probes.map((c, index) => {
      const f = fine.probes[index];
      return {
        peak_mM: combine(c.peak_mM, f.peak_mM), t_peak_ms: combine(c.t_peak_ms, f.t_peak_ms),
        t_half_ms: either(c.t_half_ms, f.t_half_ms), final_mM: combine(c.final_mM, f.final_mM),
      };
    }),
    clearance: {
      excess_half_time_ms: either(coarse.clearance.excess_half_time_ms, fine.clearance.excess_half_time_ms),
      excess_tenth_time_ms: either(coarse.clearance.excess_tenth_time_ms, fine.clearance.excess_tenth_time_ms),
    },
  };
}

/**
 * Runs the config to duration_ms twice (error-controlled, then every step halved) and returns the
 * finer run with the estimated time error of each read-out. onProgress(fraction) goes from 0 to 1
 * over both runs (the second takes about twice as long as the first).
 */
export async function runWithTimeError(
  config: unknown, options: SimulationOptions = {}, onProgress?: (fraction: number) => void,
): Promise<RunWithTimeError> {
  const started = performance.now();
  const coarse = await Simulation.create(config, { ...options, keepSchedule: true });
  const duration = coarse.config.duration_ms;
  coarse.run(onProgress ? (t) => onProgress((t / duration) / 3) : undefined);
  const schedule = coarse.stepSchedule();
  const end_ms: number[] = [], stages: number[] = [];
  let previous = 0;
  schedule.end_ms.forEach((end, index) => {
    end_ms.push((previous + end) / 2, end);
    stages.push(schedule.stages[index], schedule.stages[index]);
    previous = end;
  });
  const fine = await Simulation.create(config, { ...options, schedule: { end_ms, stages } });
  fine.run(onProgress ? (t) => onProgress(1 / 3 + (2 / 3) * (t / duration)) : undefined);
  return {
    simulation: fine,
    timeError: combineReadouts(coarse.metrics(), fine.metrics(), (c, f) => Math.abs(f - c) / 3),
    wall_ms: performance.now() - started,
    voxel_updates: voxelUpdates(coarse) + voxelUpdates(fine),
  };
}

/** Refinement factor of checkGrid (odd, so that voxel centres nest). */
export const GRID_REFINEMENT = 3;

/**
 * The grid error of a finished run's read-outs: runs the same config on a grid with three times the
 * voxels per axis at a third of the spacing (27× the voxels and, the steps being limited by h², up
 * to ~80× the time; a fixed dt_ms is divided by 9 to stay stable) and compares. onProgress(fraction)
 * goes from 0 to 1 over that run.
 */
export async function checkGrid(
  run: Simulation, options: SimulationOptions = {}, onProgress?: (fraction: number) => void,
): Promise<GridCheck> {
  const started = performance.now();
  const { config } = run;
  const f = GRID_REFINEMENT;
  const refinedGrid = { size: config.grid.size.map((n) => f * n) as ResolvedConfig['grid']['size'], spacing_um: config.grid.spacing_um / f };
  const refined = resolveConfig({ ...config, grid: refinedGrid, dt_ms: config.dt_ms === 'auto' ? 'auto' : config.dt_ms / f ** 2 });
  const fine = await Simulation.create(refined, options);
  fine.run(onProgress ? (t) => onProgress(t / config.duration_ms) : undefined);
  const coarseReadouts = run.metrics(), fineReadouts = fine.metrics();
  return {
    gridError: combineReadouts(coarseReadouts, fineReadouts, (c, fine) => (f * f / (f * f - 1)) * Math.abs(c - fine)),
    extrapolated: combineReadouts(coarseReadouts, fineReadouts, (c, fine) => fine + (fine - c) / (f * f - 1)),
    refinedGrid,
    wall_ms: performance.now() - started,
    voxel_updates: voxelUpdates(fine),
  };
}
