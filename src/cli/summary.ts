// The result of one run as the JSON object `ecs-sim run --json` prints, and its readable form.
import { readFileSync } from 'node:fs';
import {
  nernst_mV, referenceNeuronRest_mV, type Simulation, type ResolvedConfig, type ProbeMetrics, type ExcessClearance, type MassLedger,
  type ProbeReadouts, type SteppingStatistics, type Readouts, type GridCheck,
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
  time_error: ProbeReadouts | null;
  /** Estimated grid (spatial) error of the same read-outs, with --check-grid; else null. */
  grid_error: ProbeReadouts | null;
  /** The read-outs extrapolated to a grid spacing of 0 (Richardson), with --check-grid; else null. */
  extrapolated: ProbeReadouts | null;
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
  clearance: ExcessClearance & {
    time_error: Readouts['clearance'] | null; grid_error: Readouts['clearance'] | null; extrapolated: Readouts['clearance'] | null;
  };
  /** The refined grid of --check-grid, or null. */
  grid_check: { size: [number, number, number]; spacing_um: number } | null;
  mass: Pick<MassLedger, 'released_mol' | 'stored_excess_mol' | 'uptake_mol' | 'boundary_outflow_mol' | 'balance_relative_error'>;
  timing: { wall_ms: number; voxel_updates_per_s: number };
  /** Why a number above is null (JSON has no ∞, and "not reached" needs saying), and anything else to distrust. */
  warnings: string[];
}

/** How a warning about a read-out that was not reached ends (the text summary shows those as —, with one legend). */
const NOT_REACHED = 'within duration_ms';

/** The largest mass-ledger imbalance (relative to the released amount) a run reports without a warning. */
const BALANCE_WARNING = 1e-4;

/** The package's version, read from its package.json. */
export const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version;

/** What a run measured besides the simulation it reports. */
export interface RunMeasurements {
  /** Wall time of every run it took (ms). */
  wall_ms: number;
  /** Voxel updates (stencil passes × voxels) of every run it took; default: the reported run's. */
  voxel_updates?: number;
  /** The estimated time error of the read-outs (runWithTimeError), if measured. */
  timeError?: Readouts | null;
  /** Their grid error and extrapolated values (checkGrid), if measured. */
  grid?: GridCheck | null;
}

/** The run's summary. */
export function summarize(simulation: Simulation, measured: RunMeasurements): RunSummary {
  const { wall_ms, timeError = null, grid = null } = measured;
  const { probes, clearance } = simulation.metrics();
  const ledger = simulation.ledger();
  const [nx, ny, nz] = simulation.config.grid.size;
  const { valence, inside_mM } = simulation.config.species;
  const temperature = simulation.config.temperature_C;
  const summaryProbes = probes.map((probe, index) => {
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
      grid_error: grid?.gridError.probes[index] ?? null,
      extrapolated: grid?.extrapolated.probes[index] ?? null,
    };
  });
  return {
    version: VERSION,
    config: simulation.config,
    dt_ms: simulation.dt_ms,
    steps: simulation.steps,
    stepping: simulation.stepping(),
    probes: summaryProbes,
    clearance: {
      ...clearance, time_error: timeError?.clearance ?? null, grid_error: grid?.gridError.clearance ?? null,
      extrapolated: grid?.extrapolated.clearance ?? null,
    },
    grid_check: grid ? grid.refinedGrid : null,
    mass: {
      released_mol: ledger.released_mol,
      stored_excess_mol: ledger.stored_excess_mol,
      uptake_mol: ledger.uptake_mol,
      boundary_outflow_mol: ledger.boundary_outflow_mol,
      balance_relative_error: ledger.balance_relative_error,
    },
    timing: {
      wall_ms,
      voxel_updates_per_s: (measured.voxel_updates ?? nx * ny * nz * simulation.stepping().stencil_passes) / (wall_ms / 1000),
    },
    warnings: runWarnings(simulation.config, summaryProbes, clearance, ledger),
  };
}

/** One sentence for each null a reader could mistake for another, and for a ledger that does not balance. */
function runWarnings(config: ResolvedConfig, probes: ProbeSummary[], clearance: ExcessClearance, ledger: MassLedger): string[] {
  const warnings: string[] = [];
  const ion = config.species.name;
  const within = `${NOT_REACHED} (${config.duration_ms} ms)`;
  for (const probe of probes) {
    const infinite = (['EK_baseline_mV', 'EK_peak_mV'] as const).filter((key) => !Number.isFinite(probe[key]));
    if (infinite.length) {
      // inside_mM > 0 (validated), so only a 0 mM outside makes E infinite: −∞ for cations, +∞ for anions.
      warnings.push(`probe ${probe.name}: ${infinite.join(' and ')} ${infinite.length > 1 ? 'are' : 'is'} null in JSON, ` +
        `as are the driving forces from ${infinite.length > 1 ? 'them' : 'it'}: E_${ion} is ${potential(probe[infinite[0]])} ` +
        `at 0 mM outside (species.baseline_mM ${config.species.baseline_mM})`);
    }
    if (probe.t_half_ms === null) {
      warnings.push(`probe ${probe.name}: t_half_ms is null: ` + (probe.peak_mM > probe.baseline_mM
        ? `the excess had not fallen to half its peak ${within}` : 'the probe saw no excess over its baseline'));
    }
  }
  const noExcess = `no ${ion === 'K' ? 'K⁺' : ion} was released, so there is no excess to clear`;
  const released = ledger.released_mol > 0;
  if (clearance.excess_half_time_ms === null) {
    warnings.push(`excess_half_time_ms is null: ${released ? `the total excess had not fallen to half its peak ${within}` : noExcess}`);
  }
  if (clearance.excess_tenth_time_ms === null) {
    warnings.push(`excess_tenth_time_ms is null: ${released ? `the total excess had not fallen to a tenth of its peak ${within}` : noExcess}`);
  }
  if (!(ledger.balance_relative_error <= BALANCE_WARNING)) {
    warnings.push(`the mass ledger does not balance: released − stored − uptake − boundary outflow is ` +
      `${ledger.balance_relative_error.toExponential(1)} of the largest term (expected ≤ ${BALANCE_WARNING}); distrust the amounts`);
  }
  return warnings;
}

const number = (value: number | null, digits = 4) => (value === null ? '—' : value.toPrecision(digits));
const potential = (value_mV: number) => (Number.isFinite(value_mV) ? value_mV.toFixed(1) : value_mV > 0 ? '+∞' : '−∞');
const plusMinus = (value: number | null) => (value === null ? '—' : `±${value.toPrecision(1)}`);

/** A row under a probe's line with one entry per read-out (peak, t_peak, t_half, final), or '' without them. */
function readoutRow(label: string, values: ProbeReadouts | null, format: (value: number | null) => string): string {
  if (!values) return '';
  return `\n  ${label.padEnd(12)} ${format(values.peak_mM).padStart(9)}   ${format(values.t_peak_ms).padStart(11)}   ` +
    `${format(values.t_half_ms).padStart(11)}   ${format(values.final_mM).padStart(10)}`;
}

/** " (±x ms time, ±y ms grid)" for a clearance time, or '' when neither was measured. */
function clearanceErrors(clearance: RunSummary['clearance'], key: 'excess_half_time_ms' | 'excess_tenth_time_ms'): string {
  const parts = [];
  if (clearance.time_error) parts.push(`${plusMinus(clearance.time_error[key])} ms time`);
  if (clearance.grid_error) parts.push(`${plusMinus(clearance.grid_error[key])} ms grid`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

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
      `${potential(p.EK_baseline_mV)} → ${potential(p.EK_peak_mV)}`.padEnd(22) +
      (p.Vrest_baseline_mV !== null && p.Vrest_peak_mV !== null ? `   ${p.Vrest_baseline_mV.toFixed(1)} → ${p.Vrest_peak_mV.toFixed(1)}` : '') +
      readoutRow('  ± time', p.time_error, plusMinus) + readoutRow('  ± grid', p.grid_error, plusMinus) +
      readoutRow('  h → 0', p.extrapolated, number)),
    '',
    `  total excess: half cleared after ${number(summary.clearance.excess_half_time_ms)} ms` +
      clearanceErrors(summary.clearance, 'excess_half_time_ms') +
      `, a tenth left after ${number(summary.clearance.excess_tenth_time_ms)} ms` +
      clearanceErrors(summary.clearance, 'excess_tenth_time_ms'),
    ...(summary.grid_check ? [`  grid check: the same run on ${summary.grid_check.size.join('×')} × ${number(summary.grid_check.spacing_um)} µm ` +
      '(± grid: error of this grid; h → 0: Richardson-extrapolated values)'] : []),
    `  mass: released ${number(summary.mass.released_mol)} mol = stored ${number(summary.mass.stored_excess_mol)}` +
      ` + uptake ${number(summary.mass.uptake_mol)} + boundary ${number(summary.mass.boundary_outflow_mol)}` +
      ` (relative error ${summary.mass.balance_relative_error.toExponential(1)})`,
    `  wall time ${(summary.timing.wall_ms / 1000).toFixed(2)} s, ${(summary.timing.voxel_updates_per_s / 1e6).toFixed(0)} M voxel updates/s`,
    ...(summary.warnings.some((warning) => warning.includes(NOT_REACHED))
      ? [`  —: not reached within duration_ms (${number(config.duration_ms)} ms)`] : []),
    ...summary.warnings.filter((warning) => !warning.includes(NOT_REACHED)).map((warning) => `  warning: ${warning}`),
  ];
  return lines.join('\n');
}
