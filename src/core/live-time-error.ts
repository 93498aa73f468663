// The time error of a run while it runs: the live form of runWithTimeError (error-estimates.ts).
// Beside the run goes a shadow of the same problem that takes every step of the run in two halves
// with the same stage counts, so the same second-order method with a quarter of its local error.
// Where both have reached the same time, fine − coarse ≈ (3/4)·(coarse's error), so the shadow's own
// error is |fine − coarse|/(2² − 1): the shadow's values are the ones reported, with that error.
// The cost is about three runs (the shadow skips the error-estimate pass of each step).

import { Simulation, type SimulationOptions } from './simulation.js';

/** A run and its half-step shadow, stepped together. */
export class LiveTimeError {
  private constructor(
    /** The error-controlled run: it chooses the steps (and its field is the one to draw). */
    readonly run: Simulation,
    /** The same problem with each of the run's steps cut in two: the values to report. */
    readonly shadow: Simulation,
  ) {}

  /** Builds both simulations of a config (validated once, by the first). */
  static async create(config: unknown, options: SimulationOptions = {}): Promise<LiveTimeError> {
    const run = await Simulation.create(config, { ...options, keepSchedule: false });
    const shadow = await Simulation.create(config, { ...options, keepSchedule: false, schedule: { end_ms: [] } });
    return new LiveTimeError(run, shadow);
  }

  /** Simulated time of both (ms). */
  get time_ms(): number {
    return this.run.time_ms;
  }

  /** One step of the run, then the shadow's two half steps to the same time. */
  step(): void {
    const start = this.run.time_ms;
    this.run.step(1);
    const end = this.run.time_ms, stages = this.run.lastStepStages;
    this.shadow.extendSchedule((start + end) / 2, stages);
    this.shadow.extendSchedule(end, stages);
    this.shadow.runTo(end);
  }

  /** The shadow's concentration at a point (mM), the more accurate of the two. */
  valueAt_mM(position_um: [number, number, number]): number {
    return this.shadow.valueAt_mM(position_um);
  }

  /** The estimated time error of valueAt_mM (mM): |fine − coarse|/3. */
  timeErrorAt_mM(position_um: [number, number, number]): number {
    return Math.abs(this.shadow.valueAt_mM(position_um) - this.run.valueAt_mM(position_um)) / 3;
  }
}
