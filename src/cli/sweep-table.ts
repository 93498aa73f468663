// The sweep table: one row per (α, λ), with the probe metrics and the clearance of
// the total excess.
import type { ResolvedConfig, Simulation } from '../core/index.js';
import type { Cell } from './csv.js';

/** Per-probe metrics in the table, in column order. */
export const PROBE_METRICS = ['peak_mM', 't_peak_ms', 't_half_ms'] as const;

/** Column names of a sweep over this config's probes. */
export function sweepColumns(config: ResolvedConfig): string[] {
  return [
    'alpha', 'lambda',
    ...config.probes.flatMap((probe) => PROBE_METRICS.map((metric) => `${probe.name}_${metric}`)),
    'excess_half_time_ms', 'excess_tenth_time_ms',
  ];
}

/** The row of a finished simulation, in the order of sweepColumns. */
export function sweepRow(simulation: Simulation): Cell[] {
  const { probes, clearance } = simulation.metrics();
  return [
    simulation.config.tissue.alpha, simulation.config.tissue.lambda,
    ...probes.flatMap((probe) => [probe.peak_mM, probe.t_peak_ms, probe.t_half_ms]),
    clearance.excess_half_time_ms, clearance.excess_tenth_time_ms,
  ];
}
