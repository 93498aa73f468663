// The simulation worker: owns one Simulation, steps it in slices of a few milliseconds so that
// messages are handled promptly, samples the page's probes after every step, and posts snapshots
// at the pace the page acknowledges them.
import { ConfigError, LiveTimeError, MAX_STEPS, Simulation } from '../core/index.js';
import type { PageProbe, PageToWorker, ProbeSamples, Snapshot, Speed, WorkerToPage } from './protocol.js';

/** Wall-clock time one slice of stepping may take before the worker looks at its messages (ms). */
const SLICE_MS = 8;

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
let playing = true;
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
  } catch (error) {
    if (mine !== generation) return;
    const issues = error instanceof ConfigError ? error.issues : [];
    post({ type: 'error', message: (error as Error).message, issues });
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

/** Takes pending steps for at most one slice; true if any were taken. */
function takePendingSteps(): boolean {
  if (!simulation || pendingSteps === 0) return false;
  const sliceEnd = performance.now() + SLICE_MS;
  try {
    while (pendingSteps > 0 && performance.now() < sliceEnd) {
      advance(1);
      pendingSteps--;
    }
  } catch (error) {
    pendingSteps = 0;
    playing = false;
    post({ type: 'error', message: (error as Error).message, issues: [] });
  }
  return true;
}

/** Steps for one slice, as far as the speed allows, then posts a snapshot if the page is ready. */
function tick(): void {
  if (takePendingSteps()) {
    // A snapshot after every slice of asked-for steps.
  } else if (simulation && playing) {
    const sliceEnd = performance.now() + SLICE_MS;
    const target = speed === 'max' ? Infinity : simStart + ((performance.now() - wallStart) / 1000) * speed;
    try {
      while (performance.now() < sliceEnd && simulation.time_ms + simulation.dt_ms <= target) advance(1);
    } catch (error) {
      playing = false;
      post({ type: 'error', message: (error as Error).message, issues: [] });
    }
    // Keep the clock honest when the kernel cannot keep up with the requested speed.
    if (speed !== 'max' && target - simulation.time_ms > 10 * simulation.dt_ms) {
      simStart = simulation.time_ms;
      wallStart = performance.now();
    }
  }
  sendSnapshot();
  setTimeout(tick, simulation && (playing || pendingSteps > 0) ? 0 : 16);
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
    stepsPerSecond: stepsPerSecond(), ledger: simulation.ledger(), glialPotential_mV: simulation.glialPotential_mV(), playing,
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
      break;
    case 'pause': playing = false; pendingSteps = 0; break;
    case 'step':
      // Up to MAX_STEPS; taken in slices by tick().
      if (simulation) pendingSteps = Math.min(MAX_STEPS, pendingSteps + Math.max(1, Math.floor(Number(message.count) || 1)));
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
