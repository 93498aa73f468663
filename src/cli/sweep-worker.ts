// A sweep worker thread: runs one simulation per message and posts back its table row.
import { parentPort } from 'node:worker_threads';
import { Simulation, runWithTimeError } from '../core/index.js';
import { sweepRow } from './sweep-table.js';

/** A job for a worker: the combination's index, its complete config, and whether to measure the time error. */
export interface SweepJob {
  index: number;
  config: unknown;
  timeError: boolean;
}

/** A worker's answer: the row, or the error that stopped the run. */
export type SweepResult = { index: number; row: (number | null)[]; wall_ms: number } | { index: number; error: string };

parentPort?.on('message', async (job: SweepJob) => {
  try {
    const started = performance.now();
    let row;
    if (job.timeError) {
      const { simulation, timeError } = await runWithTimeError(job.config);
      row = sweepRow(simulation, timeError);
    } else {
      const simulation = await Simulation.create(job.config);
      simulation.run();
      row = sweepRow(simulation);
    }
    parentPort!.postMessage({ index: job.index, row, wall_ms: performance.now() - started } satisfies SweepResult);
  } catch (error) {
    parentPort!.postMessage({ index: job.index, error: (error as Error).message } satisfies SweepResult);
  }
});
