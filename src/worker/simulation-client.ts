// The page's side of the simulation worker: starts it, sends it typed messages, hands its answers to
// the owner and returns each snapshot's field buffer right after the owner has used it (that
// acknowledgement is what paces the worker to the display rate). Used by the web page and by the
// <ecs-sim> element, one client (and one worker) each.
import type { ConfigIssue } from '../core/config-error.js';
import { createSimulationWorker } from './create-worker.js';
import type { PageToWorker, ReadyMessage, Snapshot, WorkerToPage } from './protocol.js';

export interface SimulationClientHandlers {
  /** A simulation was built from the last 'start'. */
  ready(message: ReadyMessage): void;
  /** The field at display rate; its buffer is returned to the worker when this returns, so copy what you keep. */
  snapshot(snapshot: Snapshot): void;
  /**
   * The config was refused (stopped false: the running simulation goes on), or the run stopped
   * (e.g. NaN) or the worker itself failed (stopped true: no steps until the next 'start').
   */
  error(message: string, issues: ConfigIssue[], stopped: boolean): void;
}

export class SimulationClient {
  private readonly worker: Worker;
  private terminated = false;

  constructor(private readonly handlers: SimulationClientHandlers) {
    this.worker = createSimulationWorker();
    this.worker.onmessage = (event: MessageEvent<WorkerToPage>) => this.receive(event.data);
    this.worker.onerror = (event) => handlers.error(`The simulation worker failed: ${event.message}`, [], true);
  }

  send(message: PageToWorker, transfer: Transferable[] = []): void {
    if (!this.terminated) this.worker.postMessage(message, transfer);
  }

  /** Stops the worker at once and frees its memory; the client is unusable afterwards. */
  terminate(): void {
    this.terminated = true;
    this.worker.terminate();
  }

  private receive(message: WorkerToPage): void {
    if (this.terminated) return;
    if (message.type === 'error') this.handlers.error(message.message, message.issues, message.stopped);
    else if (message.type === 'ready') this.handlers.ready(message);
    else {
      // The worker sends nothing more until this ack: a handler that throws must not stop the display for good.
      try {
        this.handlers.snapshot(message);
      } finally {
        this.send({ type: 'ack', buffer: message.field.buffer as ArrayBuffer }, [message.field.buffer]);
      }
    }
  }
}
