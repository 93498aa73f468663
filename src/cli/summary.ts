// The result of one run as the JSON object `ecs-sim run --json` prints, and its readable form.
import { readFileSync } from 'node:fs';
import {
  nernst_mV, referenceNeuronRest_mV, type Simulation, type ResolvedConfig, type ProbeMetrics, type ExcessClearance, type MassLedger,
  type ProbeTimeError, type SteppingStatistics, type TimeErrors,
} from '../core/index.js';

/**
 * A probe's metrics with the Nernst potential of the species at baseline and at the peak (mV), and,
 * for K⁺, the resting GHK potential of the reference neuron at that [K⁺]o and its driving force
 * V − E_K (null for other species).
 */
export interface ProbeSummary extends ProbeMetrics {
  EK_baseline_mV: number;
  EK_peak_mV: number;
  Vrest_baseline_mV: number | null;
  Vrest_peak_mV: number | null;
  driving_force_baseline_mV: number | null;
  driving_force_peak_mV: number | null;
  /** Estimated time-discretisation error of peak_mM, t_peak_ms, t_half_ms and final_mM (same units), or null if not measured. */
  time_error: ProbeTimeError | null;
}

export interface RunSummary {
  version: string;
  config: ResolvedConfig;
  /** The step the controller would take next (ms; dt_ms itself when fixed). */
  dt_ms: number;
  steps: number;
  /** Accepted and rejected steps, stencil passes, shortest and longest step. */
  stepping: SteppingStatistics;
  probes: ProbeSummary[];
  clearance: ExcessClearance & { time_error: TimeErrors['clearance'] | null };
  mass: Pick<MassLedger, 'released_mol' | 'stored_excess_mol' | 'uptake_mol' | 'boundary_outflow_mol' | 'balance_relative_error'>;
  timing: { wall_ms: number; voxel_updates_per_s: number };
}

/** The package's version, read from its package.json. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** The run's summary; timeError: the estimated time error of its read-outs (runWithTimeError), if measured. */
export function summarize(simulation: Simulation, wall_ms: number, timeError: TimeErrors | null = null): RunSummary {
  const { probes, clearance } = simulation.metrics();
  const ledger = simulation.ledger();
  const [nx, ny, nz] = simulation.config.grid.size;
  const { valence, inside_mM } = simulation.config.species;
  const temperature = simulation.config.temperature_C;
  return {
    version: VERSION,
    config: simulation.config,
    dt_ms: simulation.dt_ms,
    steps: simulation.steps,
    stepping: simulation.stepping(),
    probes: probes.map((probe, index) => {
      const EK_baseline_mV = nernst_mV(probe.baseline_mM, inside_mM, valence, temperature);
      const EK_peak_mV = nernst_mV(probe.peak_mM, inside_mM, valence, temperature);
      const isPotassium = simulation.config.species.name === 'K';
      const Vrest_baseline_mV = isPotassium ? referenceNeuronRest_mV(probe.baseline_mM, inside_mM, temperature) : null;
      const Vrest_peak_mV = isPotassium ? referenceNeuronRest_mV(probe.peak_mM, inside_mM, temperature) : null;
      return {
        ...probe, EK_baseline_mV, EK_peak_mV, Vrest_baseline_mV, Vrest_peak_mV,
        driving_force_baseline_mV: Vrest_baseline_mV === null ? null : Vrest_baseline_mV - EK_baseline_mV,
        driving_force_peak_mV: Vrest_peak_mV === null ? null : Vrest_peak_mV - EK_peak_mV,
        time_error: timeError?.probes[index] ?? null,
      };
    }),
    clearance: { ...clearance, time_error: timeError?.clearance ?? null },
    mass: {
      released_mol: ledger.released_mol,
      stored_excess_mol: ledger.stored_excess_mol,
      uptake_mol: ledger.uptake_mol,
      boundary_outflow_mol: ledger.boundary_outflow_mol,
      balance_relative_error: ledger.balance_relative_error,
    },
    timing: { wall_ms, voxel_updates_per_s: (nx * ny * nz * simulation.stepping().stencil_passes) / (wall_ms / 1000) },
  };
}

const number = (value: number | null, digits = 4) => (value === null ? '—' : value.toPrecision(digits));
const plusMinus = (value: number | null) => (value === null ? '—' : `±${value.toPrecision(1)}`);

export function formatSummary(summary: RunSummary): string {
  const { config } = summary;
  const lines = [
    `ecs-sim ${summary.version}: ${config.species.name} in tissue α = ${config.tissue.alpha}, λ = ${config.tissue.lambda}` +
      `${config.tissue.regions.length ? ` (+${config.tissue.regions.length} regions)` : ''}, ` +
      `grid ${config.grid.size.join('×')} × ${config.grid.spacing_um} µm`,
    `  ${summary.steps} steps of ${number(summary.stepping.shortest_step_ms, 3)}–${number(summary.stepping.longest_step_ms, 3)} ms ` +
      `to ${number(config.duration_ms)} ms (${summary.stepping.stencil_passes} stencil passes` +
      `${config.dt_ms === 'auto' ? `, time tolerance ${config.accuracy.relative_tolerance}` : `, fixed dt ${config.dt_ms} ms`})`,
    '',
    `  probe        peak (mM)   t_peak (ms)   t_half (ms)   final (mM)   E_${config.species.name} base → peak (mV)` +
      `${summary.probes[0]?.Vrest_peak_mV !== null ? '   V_rest base → peak (mV)' : ''}`,
    ...summary.probes.map((p) =>
      `  ${p.name.padEnd(12)} ${number(p.peak_mM).padStart(9)}   ${number(p.t_peak_ms).padStart(11)}   ` +
      `${number(p.t_half_ms).padStart(11)}   ${number(p.final_mM).padStart(10)}   ` +
      `${p.EK_baseline_mV.toFixed(1)} → ${p.EK_peak_mV.toFixed(1)}`.padEnd(22) +
      (p.Vrest_baseline_mV !== null && p.Vrest_peak_mV !== null ? `   ${p.Vrest_baseline_mV.toFixed(1)} → ${p.Vrest_peak_mV.toFixed(1)}` : '') +
      (p.time_error ? `\n  ${'  ± time'.padEnd(12)} ${plusMinus(p.time_error.peak_mM).padStart(9)}   ` +
        `${plusMinus(p.time_error.t_peak_ms).padStart(11)}   ${plusMinus(p.time_error.t_half_ms).padStart(11)}   ` +
        `${plusMinus(p.time_error.final_mM).padStart(10)}` : '')),
    '',
    `  total excess: half cleared after ${number(summary.clearance.excess_half_time_ms)} ms` +
      `${summary.clearance.time_error ? ` (${plusMinus(summary.clearance.time_error.excess_half_time_ms)} ms time)` : ''}, ` +
      `a tenth left after ${number(summary.clearance.excess_tenth_time_ms)} ms` +
      `${summary.clearance.time_error ? ` (${plusMinus(summary.clearance.time_error.excess_tenth_time_ms)} ms time)` : ''}`,
    `  mass: released ${number(summary.mass.released_mol)} mol = stored ${number(summary.mass.stored_excess_mol)}` +
      ` + uptake ${number(summary.mass.uptake_mol)} + boundary ${number(summary.mass.boundary_outflow_mol)}` +
      ` (relative error ${summary.mass.balance_relative_error.toExponential(1)})`,
    `  wall time ${(summary.timing.wall_ms / 1000).toFixed(2)} s, ${(summary.timing.voxel_updates_per_s / 1e6).toFixed(0)} M voxel updates/s`,
  ];
  return lines.join('\n');
}
