// The single-file library build (ecs-sim.single.js) uses this module instead of create-worker.ts:
// the worker's code travels inside the bundle and starts from a blob: URL, which a page's CSP must
// allow (worker-src blob:).
/// <reference types="vite/client" />
import SimulationWorker from './simulation-worker.ts?worker&inline';

/** A new simulation worker. */
export function createSimulationWorker(): Worker {
  return new SimulationWorker({ name: 'ecs-sim' });
}
