// Messages between the page and the simulation worker. The worker steps; the page renders. The
// worker sends one snapshot at a time and the next only after the page has acknowledged the last
// (returning the field buffer), so snapshots follow the display rate, never the step rate.
import type { ConfigIssue, MassLedger, ResolvedConfig } from '../core/index.js';

/** A probe the page shows: a name and a position (µm). */
export interface PageProbe {
  name: string;
  position_um: [number, number, number];
}

/** Simulated ms per wall-clock second, or 'max' to step as fast as the kernel goes. */
export type Speed = number | 'max';

export type PageToWorker =
  /**
   * (Re)build the simulation from a config; answered by 'ready' or 'error'. timeError: also run the
   * half-step shadow that measures the time error of the probe values (about 3× the work; default off).
   */
  | { type: 'start'; config: unknown; probes?: PageProbe[]; timeError?: boolean }
  /** Step as the speed allows; kept across 'start', so a rebuilt simulation runs or waits as the last of these said. */
  | { type: 'play' }
  | { type: 'pause' }
  /** Advance by count steps now (paused or not). */
  | { type: 'step'; count: number }
  | { type: 'speed'; speed: Speed }
  | { type: 'probes'; probes: PageProbe[] }
  /** The page has shown the last snapshot; the field buffer comes back for reuse. */
  | { type: 'ack'; buffer: ArrayBuffer };

export interface ProbeSamples {
  time_ms: number[];
  values_mM: number[][];
  coarse_mM: number[][] | null;
}

export interface Snapshot {
  type: 'snapshot';
  time_ms: number;
  steps: number;
  /** Excess over baseline (mM) of every voxel, index i + Nx (j + Ny k). */
  field: Float32Array;
  /**
   * Probe samples since the previous snapshot: times (ms) and one value array (mM) per probe. With
   * the time error on, values_mM are the half-step shadow's and coarse_mM the drawn run's at the same
   * times, so |values − coarse|/3 is the estimated time error of each value (LiveTimeError); null otherwise.
   */
  samples: ProbeSamples;
  /** Steps per wall-clock second over the last second. */
  stepsPerSecond: number;
  ledger: MassLedger;
  /** Glial syncytium potential (mV), NaN with buffering off. */
  glialPotential_mV: number;
  /** Whether the worker steps on its own: asked to play, and the run has not failed. */
  playing: boolean;
}

/** The simulation of the last 'start' is built; probes: the page's probes (empty: none asked for). */
export interface ReadyMessage {
  type: 'ready';
  config: ResolvedConfig;
  dt_ms: number;
  kernelPath: string;
  probes: PageProbe[];
  /** Whether the probe samples carry a time error (coarse_mM). */
  timeError: boolean;
}

/**
 * Something went wrong. stopped: the run itself failed (e.g. its field became NaN) and takes no more
 * steps until the next 'start'; false when only a new config was refused and the running simulation
 * goes on.
 */
export interface ErrorMessage { type: 'error'; message: string; issues: ConfigIssue[]; stopped: boolean }

export type WorkerToPage =
  | ReadyMessage
  | ErrorMessage
  | Snapshot;
