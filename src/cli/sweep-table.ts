// The sweep table: one row per (α, λ), with the probe metrics and the clearance of
// the total excess.
import { createHash } from 'node:crypto';
import type { ResolvedConfig, Simulation, Readouts } from '../core/index.js';

/** Per-probe metrics in the table, in column order. */
export const PROBE_METRICS = ['peak_mM', 't_peak_ms', 't_half_ms'] as const;

/** Suffix of the columns that hold a read-out's estimated time error (same unit as the read-out). */
export const TIME_ERROR_SUFFIX = '_time_error';

/** The last column: what every row was computed from (modelId). */
export const MODEL_COLUMN = 'model';

/**
 * What a sweep's rows are computed from, as "ecs-sim <version> <12 hex digits>": the version and
 * the start of the SHA-256 of the resolved config, every field except the swept tissue.alpha and
 * tissue.lambda (the grid, species, sources, probes, uptake, accuracy and duration all count). Rows
 * of one model can be resumed and merged together; rows of two cannot.
 */
export function modelId(config: ResolvedConfig, version: string): string {
  const { alpha: _alpha, lambda: _lambda, ...tissue } = config.tissue;
  const hash = createHash('sha256').update(JSON.stringify({ ...config, tissue })).digest('hex');
  return `ecs-sim ${version} ${hash.slice(0, 12)}`;
}

/**
 * Column names of a sweep over this config's probes; with timeError, each read-out's error follows
 * it; the model column last.
 */
export function sweepColumns(config: ResolvedConfig, timeError = false): string[] {
  const withError = (name: string) => (timeError ? [name, `${name}${TIME_ERROR_SUFFIX}`] : [name]);
  return [
    'alpha', 'lambda',
    ...config.probes.flatMap((probe) => PROBE_METRICS.flatMap((metric) => withError(`${probe.name}_${metric}`))),
    ...withError('excess_half_time_ms'), ...withError('excess_tenth_time_ms'), MODEL_COLUMN,
  ];
}

/** The read-outs of a finished simulation, in the order of sweepColumns without the model; timeError: from runWithTimeError. */
export function sweepRow(simulation: Simulation, timeError: Readouts | null = null): (number | null)[] {
  const { probes, clearance } = simulation.metrics();
  const withError = (value: number | null, error: number | null | undefined) => (timeError ? [value, error ?? null] : [value]);
  return [
    simulation.config.tissue.alpha, simulation.config.tissue.lambda,
    ...probes.flatMap((probe, index) => {
      const errors = timeError?.probes[index];
      return [...withError(probe.peak_mM, errors?.peak_mM), ...withError(probe.t_peak_ms, errors?.t_peak_ms),
        ...withError(probe.t_half_ms, errors?.t_half_ms)];
    }),
    ...withError(clearance.excess_half_time_ms, timeError?.clearance.excess_half_time_ms),
    ...withError(clearance.excess_tenth_time_ms, timeError?.clearance.excess_tenth_time_ms),
  ];
}
