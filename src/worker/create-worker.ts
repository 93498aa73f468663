// Starts the simulation worker from its own file beside this module (a same-origin script: allowed
// by worker-src 'self'). The single-file library build replaces this module with
// create-worker.inline.ts.

/** A new simulation worker. */
export function createSimulationWorker(): Worker {
  return new Worker(new URL('./simulation-worker.ts', import.meta.url), { type: 'module', name: 'ecs-sim' });
}
