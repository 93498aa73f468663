// The time-discretisation error of every read-out, measured rather than assumed: a run with error
// control, then the same steps each cut in two (same stage counts, so the same second-order method
// with the same error constant), and Richardson's estimate |fine − coarse|/(2² − 1) of the finer
// run's error. The finer run's read-outs are the ones reported.

import { Simulation, type SimulationOptions } from './simulation.js';
import type { ExcessClearance, ProbeMetrics } from './metrics.js';

/** Estimated time error of each probe's read-outs (same units; null where the read-out is null). */
export interface ProbeTimeError {
  peak_mM: number;
  t_peak_ms: number;
  t_half_ms: number | null;
  final_mM: number;
}

/** The time error of every read-out of a run. */
export interface TimeErrors {
  probes: ProbeTimeError[];
  clearance: { excess_half_time_ms: number | null; excess_tenth_time_ms: number | null };
}

/** The finer of the two runs and the estimated time error of its read-outs. */
export interface RunWithTimeError {
  simulation: Simulation;
  timeError: TimeErrors;
  /** Wall time of both runs (ms). */
  wall_ms: number;
}

const estimate = (coarse: number | null, fine: number | null): number | null =>
  coarse === null || fine === null ? null : Math.abs(fine - coarse) / 3;

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
  const a = coarse.metrics(), b = fine.metrics();
  const probeError = (c: ProbeMetrics, f: ProbeMetrics): ProbeTimeError => ({
    peak_mM: Math.abs(f.peak_mM - c.peak_mM) / 3,
    t_peak_ms: Math.abs(f.t_peak_ms - c.t_peak_ms) / 3,
    t_half_ms: estimate(c.t_half_ms, f.t_half_ms),
    final_mM: Math.abs(f.final_mM - c.final_mM) / 3,
  });
  const clearance = (c: ExcessClearance, f: ExcessClearance) => ({
    excess_half_time_ms: estimate(c.excess_half_time_ms, f.excess_half_time_ms),
    excess_tenth_time_ms: estimate(c.excess_tenth_time_ms, f.excess_tenth_time_ms),
  });
  return {
    simulation: fine,
    timeError: { probes: a.probes.map((probe, index) => probeError(probe, b.probes[index])), clearance: clearance(a.clearance, b.clearance) },
    wall_ms: performance.now() - started,
  };
}
