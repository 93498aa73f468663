// The simulation worker: owns one Simulation, steps it in slices of a few milliseconds so that
// messages are handled promptly, samples the page's probes after every step, and posts snapshots
// at the pace the page acknowledges them.
import { ConfigError, LiveTimeError, MAX_STEPS, Simulation } from '../core/index.js';
import type { PageProbe, PageToWorker, ProbeSamples, Snapshot, Speed, WorkerToPage } from './protocol.js';

/** Wall-clock time one slice of stepping may take before the worker looks at its messages (ms). */
const SLICE_MS = 8;

/**
 * Probe samples the worker holds for the page at most. A page that does not acknowledge (its main
 * thread stalled) gets them all in the next snapshot; beyond this many, the worker waits for it
 * rather than hold ever more.
 */
const MAX_PENDING_SAMPLES = 1_000_000;

interface WorkerScope {
  postMessage(message: WorkerToPage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<PageToWorker>) => void) | null;
}
const scope = self as unknown as WorkerScope;

/** The run drawn and stepped (with the time error on, live.run). */
let simulation: Simulation | undefined;
/** With the time error on: the run and its half-step shadow. */
let live: LiveTimeError | undefined;
let probes: PageProbe[] = [];
/** What the page asked for last ('play' or 'pause'); a failed run still takes no steps. */
let playing = true;
/** The message of the run's failure (NaN, …): no steps are taken until the next 'start'. */
let failure: string | null = null;
let speed: Speed = 1000;
let awaitingAck = false;
let spareBuffers: ArrayBuffer[] = [];
let samples: ProbeSamples = { time_ms: [], values_mM: [], coarse_mM: null };
let generation = 0;
let wallStart = 0;
let simStart = 0;
const recentSteps: { wall: number; steps: number }[] = [];

function post(message: WorkerToPage, transfer: Transferable[] = []): void {
  scope.postMessage(message, transfer);
}

function sample(): void {
  // Without probes there is nothing to sample (a time without values would reach the page as a probe event).
  if (!simulation || !probes.length) return;
  samples.time_ms.push(simulation.time_ms);
  probes.forEach((probe, index) => {
    samples.values_mM[index].push((live ?? simulation!).valueAt_mM(probe.position_um));
    samples.coarse_mM?.[index].push(simulation!.valueAt_mM(probe.position_um));
  });
}

function resetSamples(): void {
  samples = { time_ms: [], values_mM: probes.map(() => []), coarse_mM: live ? probes.map(() => []) : null };
}

function setProbes(next: PageProbe[]): void {
  const size = simulation?.config.grid.size, h = simulation?.config.grid.spacing_um ?? 0;
  probes = next.filter((probe) => !size || probe.position_um.every((x, axis) => x >= 0 && x <= size[axis] * h));
  resetSamples();
  sample();
}

async function start(config: unknown, requested?: PageProbe[], timeError = false): Promise<void> {
  const mine = ++generation;
  try {
    const options = { recordSeries: false };
    const pair = timeError ? await LiveTimeError.create(config, options) : undefined;
    const next = pair?.run ?? await Simulation.create(config, options);
    if (mine !== generation) return;
    simulation = next;
    live = pair;
    failure = null;
  } catch (error) {
    if (mine !== generation) return;
    const issues = error instanceof ConfigError ? error.issues : [];
    // The config was refused: the simulation that was running (if any) goes on.
    post({ type: 'error', message: (error as Error).message, issues, stopped: false });
    return;
  }
  spareBuffers = [];
  awaitingAck = false;
  setProbes(requested ?? simulation.config.probes);
  wallStart = performance.now();
  simStart = 0;
  recentSteps.length = 0;
  post({ type: 'ready', config: simulation.config, dt_ms: simulation.dt_ms, kernelPath: simulation.kernelPath, probes, timeError: !!live });
  sendSnapshot();
}

function advance(count: number): void {
  for (let s = 0; s < count; s++) {
    if (live) live.step(); else simulation!.step(1);
    sample();
  }
}

/** Steps asked for by 'step' messages and not yet taken: taken a slice at a time, so messages still get through. */
let pendingSteps = 0;

/** Whether the page must take the samples held before more steps are taken. */
function backlogged(): boolean {
  return awaitingAck && samples.time_ms.length >= MAX_PENDING_SAMPLES;
}

/** The run failed: it takes no more steps until the next 'start', and the page is told. */
function fail(error: unknown): void {
  pendingSteps = 0;
  failure = (error as Error).message;
  post({ type: 'error', message: failure, issues: [], stopped: true });
}

/** Takes pending steps for at most one slice; true if any were taken. */
function takePendingSteps(): boolean {
  if (!simulation || failure !== null || pendingSteps === 0) return false;
  const sliceEnd = performance.now() + SLICE_MS;
  try {
    while (pendingSteps > 0 && performance.now() < sliceEnd && !backlogged()) {
      advance(1);
      pendingSteps--;
    }
  } catch (error) {
    fail(error);
  }
  return true;
}

/** Steps for one slice, as far as the speed allows, then posts a snapshot if the page is ready. */
function tick(): void {
  if (takePendingSteps()) {
    // A snapshot after every slice of asked-for steps.
  } else if (simulation && playing && failure === null && !(simulation.dt_ms > 0 && Number.isFinite(simulation.dt_ms))) {
    // A step of NaN ms would stop the loop below without a word.
    fail(new Error(`the next time step is ${simulation.dt_ms} ms: the run cannot go on`));
  } else if (simulation && playing && failure === null) {
    const sliceEnd = performance.now() + SLICE_MS;
    const target = speed === 'max' ? Infinity : simStart + ((performance.now() - wallStart) / 1000) * speed;
    try {
      while (performance.now() < sliceEnd && simulation.time_ms + simulation.dt_ms <= target && !backlogged()) advance(1);
    } catch (error) {
      fail(error);
    }
    // Keep the clock honest when the kernel cannot keep up with the requested speed.
    if (speed !== 'max' && target - simulation.time_ms > 10 * simulation.dt_ms) {
      simStart = simulation.time_ms;
      wallStart = performance.now();
    }
  }
  sendSnapshot();
  setTimeout(tick, simulation && failure === null && (playing || pendingSteps > 0) ? 0 : 16);
}

function stepsPerSecond(): number {
  const now = performance.now();
  recentSteps.push({ wall: now, steps: simulation!.steps });
  while (recentSteps.length > 2 && now - recentSteps[0].wall > 1000) recentSteps.shift();
  const first = recentSteps[0];
  return now > first.wall ? ((simulation!.steps - first.steps) * 1000) / (now - first.wall) : 0;
}

function sendSnapshot(): void {
  if (!simulation || awaitingAck) return;
  const source = simulation.excessView_mM();
  const reusable = spareBuffers.pop();
  const field = reusable && reusable.byteLength === source.byteLength ? new Float32Array(reusable) : new Float32Array(source.length);
  field.set(source);
  const snapshot: Snapshot = {
    type: 'snapshot', time_ms: simulation.time_ms, steps: simulation.steps, field, samples,
    stepsPerSecond: stepsPerSecond(), ledger: simulation.ledger(), glialPotential_mV: simulation.glialPotential_mV(),
    playing: playing && failure === null,
  };
  resetSamples();
  awaitingAck = true;
  post(snapshot, [field.buffer]);
}

scope.onmessage = (event) => {
  const message = event.data;
  switch (message.type) {
    case 'start': pendingSteps = 0; void start(message.config, message.probes, message.timeError); break;
    case 'play':
      playing = true;
      wallStart = performance.now();
      simStart = simulation?.time_ms ?? 0;
      // A failed run cannot go on: say so again rather than seem to play.
      if (failure !== null) post({ type: 'error', message: failure, issues: [], stopped: true });
      break;
    case 'pause': playing = false; pendingSteps = 0; break;
    case 'step':
      if (failure !== null) post({ type: 'error', message: failure, issues: [], stopped: true });
      // Up to MAX_STEPS; taken in slices by tick().
      else if (simulation) pendingSteps = Math.min(MAX_STEPS, pendingSteps + Math.max(1, Math.floor(Number(message.count) || 1)));
      break;
    case 'speed':
      speed = message.speed;
      wallStart = performance.now();
      simStart = simulation?.time_ms ?? 0;
      break;
    case 'probes': setProbes(message.probes); break;
    case 'ack':
      awaitingAck = false;
      spareBuffers.push(message.buffer);
      break;
  }
};

tick();
