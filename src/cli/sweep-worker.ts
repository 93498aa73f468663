// A sweep worker thread: runs one simulation per message and posts back its table row.
import { parentPort } from 'node:worker_threads';
import { Simulation } from '../core/index.js';
import { sweepRow } from './sweep-table.js';

/** A job for a worker: the combination's index and its complete config. */
export interface SweepJob {
  index: number;
  config: unknown;
}

/** A worker's answer: the row, or the error that stopped the run. */
export type SweepResult = { index: number; row: (number | null)[]; wall_ms: number } | { index: number; error: string };

parentPort?.on('message', async (job: SweepJob) => {
  try {
    const started = performance.now();
    const simulation = await Simulation.create(job.config);
    simulation.run();
    parentPort!.postMessage({ index: job.index, row: sweepRow(simulation), wall_ms: performance.now() - started } satisfies SweepResult);
  } catch (error) {
    parentPort!.postMessage({ index: job.index, error: (error as Error).message } satisfies SweepResult);
  }
});
