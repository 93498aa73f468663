// The sweep table: one row per (α, λ), with the probe metrics and the clearance of
// the total excess.
import type { ResolvedConfig, Simulation, Readouts } from '../core/index.js';
import type { Cell } from './csv.js';

/** Per-probe metrics in the table, in column order. */
export const PROBE_METRICS = ['peak_mM', 't_peak_ms', 't_half_ms'] as const;

/** Suffix of the columns that hold a read-out's estimated time error (same unit as the read-out). */
export const TIME_ERROR_SUFFIX = '_time_error';

/** Column names of a sweep over this config's probes; with timeError, each read-out's error follows it. */
export function sweepColumns(config: ResolvedConfig, timeError = false): string[] {
  const withError = (name: string) => (timeError ? [name, `${name}${TIME_ERROR_SUFFIX}`] : [name]);
  return [
    'alpha', 'lambda',
    ...config.probes.flatMap((probe) => PROBE_METRICS.flatMap((metric) => withError(`${probe.name}_${metric}`))),
    ...withError('excess_half_time_ms'), ...withError('excess_tenth_time_ms'),
  ];
}

/** The row of a finished simulation, in the order of sweepColumns; timeError: from runWithTimeError. */
export function sweepRow(simulation: Simulation, timeError: Readouts | null = null): Cell[] {
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
