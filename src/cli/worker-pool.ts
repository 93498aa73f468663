// A fixed pool of worker threads that takes jobs from a queue, one at a time per worker.
import { Worker } from 'node:worker_threads';

export class WorkerPool<Job, Result> {
  private readonly workers: Worker[];
  private stopped = false;

  /** Starts size workers running the module at url. */
  constructor(url: URL, size: number) {
    this.workers = Array.from({ length: size }, () => new Worker(url));
  }

  /**
   * Runs every job; onResult is called as each finishes (in completion order). Resolves when all
   * are done or stop() was called; rejects if a worker dies.
   */
  run(jobs: readonly Job[], onResult: (result: Result) => void): Promise<void> {
    let next = 0, finished = 0;
    return new Promise((resolve, reject) => {
      if (jobs.length === 0) return resolve();
      const feed = (worker: Worker) => {
        if (this.stopped || next >= jobs.length) return;
        worker.postMessage(jobs[next++]);
      };
      for (const worker of this.workers) {
        worker.on('message', (result: Result) => {
          if (this.stopped) return;
          onResult(result);
          finished++;
          if (finished === jobs.length) resolve();
          else feed(worker);
        });
        worker.on('error', (error) => reject(error));
        feed(worker);
      }
      this.onStop = resolve;
    });
  }

  private onStop: () => void = () => {};

  /** Stops handing out jobs, ends every worker (runs in progress are abandoned) and settles run(). */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    this.onStop();
  }
}
