// A simulation: set up from a validated config, stepped by the WebAssembly kernel, read out as
// probes, a mass ledger and clearance metrics. The only module that talks to the kernel.

import { resolveConfig, memoryIssue, FACE_NAMES, type ResolvedConfig, type FaceName } from './config.js';
import { ConfigError } from './config-error.js';
import { shownValue } from './format.js';
import { instantiateKernel, type KernelExports } from './kernel.js';
import { chooseKernelPath, planLayout, type KernelPath, type MemoryLayout } from './memory-plan.js';
import { stabilityLimit_ms } from './stability.js';
import { rkl2Plan, stagesFor, type Rkl2Plan } from './rkl2.js';
import { StepControl, ERROR_FLOOR, fewestSteps, glialRate_mM_per_ms, MAX_STEPS } from './step-control.js';
import { fillTissue } from './tissue.js';
import { scheduleSources, sameTime, type ScheduledSource } from './sources.js';
import { trilinearStencil, interpolate, type Stencil } from './trilinear.js';
import { TimeSeries } from './series.js';
import { probeMetrics, excessClearance, readoutLandmarks, type ProbeMetrics, type ExcessClearance } from './metrics.js';
import { MOL_PER_UM3_PER_MM } from './units.js';
import { thermalVoltage_mV } from './electrochemistry.js';

export interface SimulationOptions {
  /** Diffusion kernel: 'auto' (default: uniform without regions, heterogeneous with), or one path. */
  kernel?: KernelPath | 'auto';
  /** A compiled kernel module; default build/kernel.wasm. */
  module?: WebAssembly.Module;
  /**
   * Record probe and total-excess series every step (default true). Off for runs that never end,
   * such as the page's, which sample what they need themselves.
   */
  recordSeries?: boolean;
  /** Keep the end time and stage count of every accepted step (for stepSchedule(); default false). */
  keepSchedule?: boolean;
  /**
   * Steps to take instead of error control: one step to each end time (a schedule from
   * stepSchedule(), refined or not), with at least the given stages; past the last, steps of the
   * forward-Euler limit.
   */
  schedule?: { end_ms: ArrayLike<number>; stages?: ArrayLike<number> };
  /**
   * The most samples the probe series holds (default: 256 MiB worth, at least 65 536). Past it the
   * series keeps every second sample, except those the read-outs use (each probe's peak and half
   * crossing, the total excess's peak, half and tenth crossings), so metrics() does not change.
   */
  maxSeriesSamples?: number;
}

const KERNEL_CHOICES = ['auto', 'uniform', 'heterogeneous', 'reference'] as const;

/** Refuses options of the wrong kind with a ConfigError naming the option (they reach the kernel). */
function checkOptions(options: unknown): asserts options is SimulationOptions {
  const issue = (field: string, value: unknown, message: string) => {
    throw new ConfigError([{ field, value, message: `${field} = ${shownValue(value)}: ${message}` }]);
  };
  if (options === undefined) return;
  if (options === null || typeof options !== 'object') issue('options', options, 'must be an object');
  const { kernel, module, recordSeries, keepSchedule, schedule, maxSeriesSamples } = options as Record<string, unknown>;
  if (kernel !== undefined && !KERNEL_CHOICES.includes(kernel as never)) {
    issue('options.kernel', kernel, `must be one of ${KERNEL_CHOICES.map((choice) => `"${choice}"`).join(', ')}`);
  }
  if (module !== undefined && !(module instanceof WebAssembly.Module)) issue('options.module', module, 'must be a WebAssembly.Module');
  if (recordSeries !== undefined && typeof recordSeries !== 'boolean') issue('options.recordSeries', recordSeries, 'must be true or false');
  if (keepSchedule !== undefined && typeof keepSchedule !== 'boolean') issue('options.keepSchedule', keepSchedule, 'must be true or false');
  if (maxSeriesSamples !== undefined && !(Number.isInteger(maxSeriesSamples) && (maxSeriesSamples as number) >= 64)) {
    issue('options.maxSeriesSamples', maxSeriesSamples, 'must be a whole number ≥ 64 (samples)');
  }
  if (schedule !== undefined) {
    const ends = (schedule as { end_ms?: ArrayLike<unknown> } | null)?.end_ms;
    if (!ends || typeof ends.length !== 'number' || !Array.from(ends).every((end) => typeof end === 'number' && Number.isFinite(end))) {
      issue('options.schedule.end_ms', ends, 'must be a list of finite step end times (ms), as stepSchedule() gives');
    }
  }
}

/** The accepted steps of a run: end times (ms) and the stages each took. */
export interface StepSchedule {
  end_ms: Float64Array;
  stages: Int32Array;
}

/** Where the released amount went (mol). released = stored + uptake + boundary outflow, to round-off. */
export interface MassLedger {
  released_mol: number;
  /** Σ α (C − C_rest) h³ over the grid, summed now from the field. */
  stored_excess_mol: number;
  /** Removed by all uptake mechanisms. */
  uptake_mol: number;
  /** Net removal per mechanism; the glia's is zero to round-off (they redistribute). */
  uptake_by_mechanism_mol: { ecs_rate: number; tissue_rate: number; pump: number; glia: number };
  /** What the glia took up where [K]o was high, and gave back elsewhere (gross, mol). */
  glial_exchange_mol: number;
  /** Net amount that left through the box faces into the bath (negative: entered). */
  boundary_outflow_mol: number;
  /** |released − stored − uptake − outflow| / the largest of those amounts. */
  balance_relative_error: number;
}

/** A run went wrong numerically (NaN or unbounded growth); the message says when and where. */
export class SimulationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationError';
  }
}

/** Series start with room for this many samples at most and grow as needed. */
const MAX_PREALLOCATED_SAMPLES = 1 << 16;
/** What the probe series may take before it thins (bytes), and the fewest samples it then holds. */
const SERIES_BUDGET_BYTES = 256 * 2 ** 20;
const MIN_SERIES_SAMPLES = 1 << 16;

/** How often (in steps) the whole field is checked for NaN. */
const HEALTH_CHECK_INTERVAL_STEPS = 16;

/** How the run stepped: what `ecs-sim run` reports beside dt. */
export interface SteppingStatistics {
  /** Accepted steps. */
  steps: number;
  /** Steps whose error was too large and were taken again, shorter. */
  rejected_steps: number;
  /** Stencil passes over the grid (stages and error estimates, accepted or not). */
  stencil_passes: number;
  /** Shortest and longest accepted step (ms). */
  shortest_step_ms: number;
  longest_step_ms: number;
  /** Largest estimated local error of an accepted step, relative to its allowance (≤ 1 with dt "auto"). */
  largest_error_ratio: number;
}

export class Simulation {
  /** The validated config with every default filled in. */
  readonly config: ResolvedConfig;
  /** Which diffusion kernel runs. */
  readonly kernelPath: KernelPath;
  /** The forward-Euler stability limit of the config (ms); an s-stage step may be (s² + s − 2)/4 times longer. */
  readonly stabilityLimit_ms: number;
  /** Accepted steps so far. */
  steps = 0;

  private readonly kernel: KernelExports;
  private readonly layout: MemoryLayout;
  private readonly voxelCount: number;
  /** Converts kernel amounts (α·mM·voxel) to mol: h³ · 1e-18. */
  private readonly molPerKernelUnit: number;
  /** Which stage register holds the compensation now (the other is free between steps). */
  private lowRegister = 0;
  private readonly uView: Float32Array;
  private readonly registerViews: [Float32Array, Float32Array];
  private readonly sources: ScheduledSource[];
  private readonly stencils: Stencil[];
  private readonly series: TimeSeries;
  private readonly excessSeries: TimeSeries;
  private readonly probeScratch: Float64Array;
  private readonly excessScratch = new Float64Array(1);
  private readonly dirichletFlags: number[];
  private readonly bathExcess_mM: number;
  private readonly D_star_um2_per_ms: number;
  private readonly glialRate_mM_per_ms: number;
  private readonly fixedStep_ms: number | null;
  private readonly recording: boolean;
  /** Σ α over the voxels (voxel volumes of ECS). */
  private ecsVolume = 0;
  /**
   * Σ α·low after the last step or release (kernel units), to put back if a step is rejected. The
   * split reactions re-round the field after it is measured, which it does not follow (a change of
   * ~1e-10 of the stored amount).
   */
  private compensation = 0;
  private released_mol = 0;
  private outflow_mol = 0;
  private readonly uptake_mol = { ecs_rate: 0, tissue_rate: 0, pump: 0, glia: 0 };
  private glialExchange_mol = 0;
  private glialMeanLog = NaN;
  private now_ms = 0;
  /** Time up to which the split reactions (pump, glia) have been applied (ms). */
  private reactionClock_ms = 0;
  private readonly control: StepControl;
  /** The field's largest |excess| after the last step (mM). */
  private largestExcess_mM = 0;
  private readonly statistics: SteppingStatistics = {
    steps: 0, rejected_steps: 0, stencil_passes: 0, shortest_step_ms: Infinity, longest_step_ms: 0, largest_error_ratio: 0,
  };
  /** Accepted step end times (ms) and their stage counts, kept when options.keepSchedule is set. */
  private readonly schedule: number[] | null;
  private readonly scheduleStages: number[] | null;
  /** The schedule being replayed (options.schedule, grown by extendSchedule); entries before replayIndex are done. */
  private readonly replay: number[] | null;
  private readonly replayStages: number[] | null;
  private replayIndex = 0;
  private lastStages = 0;

  /**
   * Validates the config (throws ConfigError before allocating anything), instantiates a kernel
   * with memory sized for the grid, and sets up tissue, sources and probes at t = 0.
   */
  static async create(config: unknown = {}, options: SimulationOptions = {}): Promise<Simulation> {
    const resolved = resolveConfig(config);
    checkOptions(options);
    const path = chooseKernelPath(resolved, options.kernel ?? 'auto');
    const memory = memoryIssue(resolved, path);
    if (memory) throw new ConfigError([memory]);
    return new Simulation(await instantiateKernel(options.module), resolved, path, options);
  }

  private constructor(kernel: KernelExports, config: ResolvedConfig, path: KernelPath, options: SimulationOptions) {
    this.kernel = kernel;
    this.config = config;
    this.kernelPath = path;
    this.recording = options.recordSeries ?? true;
    this.stabilityLimit_ms = stabilityLimit_ms(config);
    this.fixedStep_ms = config.dt_ms === 'auto' ? null : config.dt_ms;
    this.schedule = options.keepSchedule ? [] : null;
    this.scheduleStages = options.keepSchedule ? [] : null;
    this.replay = options.schedule?.end_ms ? Array.from(options.schedule.end_ms) : null;
    this.replayStages = this.replay ? this.replay.map((_, index) => options.schedule?.stages?.[index] ?? 0) : null;
    const [nx, ny, nz] = config.grid.size;
    const h = config.grid.spacing_um;
    this.voxelCount = nx * ny * nz;
    this.molPerKernelUnit = h ** 3 * MOL_PER_UM3_PER_MM;

    this.layout = planLayout(config.grid.size, path, kernel.heapBase());
    const pagesNeeded = Math.ceil(this.layout.end / 65536) - kernel.memory.buffer.byteLength / 65536;
    if (pagesNeeded > 0) {
      try {
        kernel.memory.grow(pagesNeeded);
      } catch (error) {
        throw new SimulationError(`could not allocate ${(this.layout.end / 2 ** 20).toFixed(0)} MiB of kernel memory ` +
          `for grid.size = [${config.grid.size.join(', ')}]: ${(error as Error).message}; use fewer voxels`);
      }
    }
    this.uView = this.view(this.layout.u);
    this.registerViews = [this.view(this.layout.registers[0]), this.view(this.layout.registers[1])];

    const faces = config.boundary.faces;
    this.dirichletFlags = FACE_NAMES.map((face: FaceName) => (faces[face] === 'dirichlet' ? 1 : 0));
    this.bathExcess_mM = config.boundary.value_mM - config.species.baseline_mM;
    this.D_star_um2_per_ms = config.species.D_um2_per_ms / config.tissue.lambda ** 2;
    this.setUpTissue();

    // Glial flux per tissue volume g (E_K − V_glia)/F = G (ln C − mean ln C) with G = g RT/F² (mM/ms).
    this.glialRate_mM_per_ms = glialRate_mM_per_ms(config);
    kernel.resetRemoved();

    this.sources = scheduleSources(config);
    this.control = new StepControl(this.fixedStep_ms !== null ? 'fixed' : this.replay ? 'replay' : 'adaptive',
      this.stabilityLimit_ms, config, this.glialRate_mM_per_ms, this.fixedStep_ms, config.duration_ms / 100);
    this.stencils = config.probes.map((probe) => trilinearStencil(probe.position_um, config.grid.size, h));
    const expectedSamples = Math.min(this.fixedStep_ms ? Math.ceil(config.duration_ms / this.fixedStep_ms) + 2 : 1024,
      MAX_PREALLOCATED_SAMPLES);
    const maxSamples = options.maxSeriesSamples ??
      Math.max(MIN_SERIES_SAMPLES, Math.floor(SERIES_BUDGET_BYTES / (8 * (config.probes.length + 1))));
    this.series = new TimeSeries(config.probes.map((probe) => probe.name), expectedSamples, maxSamples,
      readoutLandmarks([0.5], 'first sample'));
    this.excessSeries = new TimeSeries(['total_excess_mol'], expectedSamples, maxSamples, readoutLandmarks([0.5, 0.1], 'zero'));
    this.probeScratch = new Float64Array(config.probes.length);
    this.record();
  }

  /** Simulated time (ms). */
  get time_ms(): number {
    return this.now_ms;
  }

  /** The step the next call to step() will try (ms): dt_ms itself when fixed, else the controller's proposal. */
  get dt_ms(): number {
    return this.control.proposal_ms;
  }

  /** How the run has stepped so far. */
  stepping(): SteppingStatistics {
    return { ...this.statistics };
  }

  /** Stages of the last accepted step (0 before the first; 2 with a fixed dt_ms). */
  get lastStepStages(): number {
    return this.lastStages;
  }

  /**
   * Appends one step to the schedule this simulation replays (it must have been made with
   * options.schedule, empty or not): for a run that follows another as it goes.
   */
  extendSchedule(end_ms: number, stages: number): void {
    if (!this.replay) throw new SimulationError('extendSchedule: this simulation was not made with options.schedule');
    // Drop what is done, so that a run without end keeps a short schedule.
    if (this.replayIndex > 1024) {
      this.replay.splice(0, this.replayIndex);
      this.replayStages!.splice(0, this.replayIndex);
      this.replayIndex = 0;
    }
    this.replay.push(end_ms);
    this.replayStages!.push(stages);
  }

  /** The accepted steps so far (with options.keepSchedule; empty otherwise): replay them with options.schedule. */
  stepSchedule(): StepSchedule {
    return { end_ms: Float64Array.from(this.schedule ?? []), stages: Int32Array.from(this.scheduleStages ?? []) };
  }

  /** Takes count steps (each as long as the error control or dt_ms allows, ending on release events). */
  step(count = 1): void {
    for (let s = 0; s < count; s++) this.advance(Infinity);
  }

  /**
   * Steps until exactly time_ms (the last step is shortened to land on it).
   * onProgress(time_ms) is called about every 1% of the way.
   */
  runTo(time_ms: number, onProgress?: (time_ms: number) => void): void {
    const start = this.now_ms;
    if (!Number.isFinite(time_ms)) throw new SimulationError(`runTo(${time_ms}): the time must be a finite number of ms`);
    const steps = fewestSteps(this.config, time_ms - start);
    if (steps > MAX_STEPS) {
      throw new SimulationError(`runTo(${time_ms}): reaching ${time_ms} ms from ${start} ms takes at least ` +
        `${steps.toExponential(1)} steps, more than the ${MAX_STEPS / 1e6} million a run may take`);
    }
    let reported = start;
    while (this.now_ms < time_ms && !sameTime(this.now_ms, time_ms)) {
      this.advance(time_ms);
      if (onProgress && (this.now_ms - reported >= 0.01 * (time_ms - start) || this.now_ms >= time_ms)) {
        reported = this.now_ms;
        onProgress(this.now_ms);
      }
    }
    this.checkHealth();
  }

  /** Runs to config.duration_ms. */
  run(onProgress?: (time_ms: number) => void): void {
    this.runTo(this.config.duration_ms, onProgress);
  }

  /**
   * The ECS excess over baseline (mM) of every voxel, index i + Nx (j + Ny k): a live view of kernel
   * memory, valid until the next step.
   */
  excessView_mM(): Float32Array {
    return this.uView;
  }

  /** A copy of the ECS concentration (mM) of every voxel, index i + Nx (j + Ny k). */
  concentration_mM(): Float32Array {
    const baseline = this.config.species.baseline_mM;
    const low = this.lowView;
    return this.uView.map((excess, p) => excess + low[p] + baseline);
  }

  /** Current probe concentrations (mM), in the order of config.probes. */
  probeValues_mM(): number[] {
    const baseline = this.config.species.baseline_mM;
    return this.stencils.map((stencil) => baseline + this.interpolateExcess(stencil));
  }

  /**
   * Concentration (mM) at any point of the grid (µm), by trilinear interpolation between voxel
   * centres, as a probe would read it. Throws RangeError outside the grid.
   */
  valueAt_mM(position_um: [number, number, number]): number {
    const { size, spacing_um } = this.config.grid;
    position_um.forEach((x, axis) => {
      if (!(x >= 0 && x <= size[axis] * spacing_um)) {
        throw new RangeError(`position_um[${axis}] = ${x}: outside the grid, must be ≥ 0 and ≤ ${size[axis] * spacing_um} (µm)`);
      }
    });
    return this.config.species.baseline_mM + this.interpolateExcess(trilinearStencil(position_um, size, spacing_um));
  }

  /**
   * Recorded probe curves: sample times (ms) and one concentration column (mM) per probe; every
   * step unless thinned (thinnings > 0, see SimulationOptions.maxSeriesSamples).
   */
  probeSeries(): { time_ms: Float64Array; values_mM: Float64Array[]; thinnings: number } {
    return {
      time_ms: this.series.time_ms(),
      values_mM: this.config.probes.map((_, index) => this.series.column(index)),
      thinnings: this.series.thinnings,
    };
  }

  /** Total excess amount in the tissue after each step (mol), from the ledger's flows. */
  totalExcessSeries(): { time_ms: Float64Array; excess_mol: Float64Array } {
    return { time_ms: this.excessSeries.time_ms(), excess_mol: this.excessSeries.column(0) };
  }

  /** The mass ledger now. */
  ledger(): MassLedger {
    const stored = this.storedExcess() * this.molPerKernelUnit;
    const uptake = this.totalUptake_mol();
    const scale = Math.max(this.released_mol, Math.abs(stored), uptake, Math.abs(this.outflow_mol), Number.MIN_VALUE);
    return {
      released_mol: this.released_mol,
      stored_excess_mol: stored,
      uptake_mol: uptake,
      uptake_by_mechanism_mol: { ...this.uptake_mol },
      glial_exchange_mol: this.glialExchange_mol,
      boundary_outflow_mol: this.outflow_mol,
      balance_relative_error: Math.abs(this.released_mol - stored - uptake - this.outflow_mol) / scale,
    };
  }

  /** Clearance metrics of every probe and of the total excess, from the curves recorded so far. */
  metrics(): { probes: ProbeMetrics[]; clearance: ExcessClearance } {
    const { time_ms, values_mM } = this.probeSeries();
    const excess = this.totalExcessSeries();
    return {
      probes: this.config.probes.map((probe, index) =>
        probeMetrics(probe.name, probe.position_um, time_ms, values_mM[index])),
      clearance: excessClearance(excess.time_ms, excess.excess_mol),
    };
  }

  private view(pointer: number): Float32Array {
    return new Float32Array(this.kernel.memory.buffer, pointer, this.voxelCount);
  }

  private setUpTissue(): void {
    const { kernel, layout, config } = this;
    const [nx, ny, nz] = config.grid.size;
    if (this.kernelPath === 'heterogeneous') {
      // α and κ are only needed to build the face coefficients: borrow the two stage registers.
      fillTissue(config, this.registerViews[0], this.registerViews[1]);
      kernel.buildFaces(layout.registers[0], layout.registers[1], layout.inverseAlpha, layout.gx, layout.gy, layout.gz,
        layout.boundary, nx, ny, nz, 1 / config.grid.spacing_um ** 2,
        ...(this.dirichletFlags as [number, number, number, number, number, number]));
    } else if (this.kernelPath === 'reference') {
      const alpha = this.view(layout.alpha);
      fillTissue(config, alpha, this.view(layout.kappa));
      const inverseAlpha = this.view(layout.inverseAlpha);
      for (let p = 0; p < this.voxelCount; p++) inverseAlpha[p] = 1 / alpha[p];
    }
    if (this.kernelPath === 'uniform') this.ecsVolume = config.tissue.alpha * this.voxelCount;
    else {
      const inverseAlpha = this.view(layout.inverseAlpha);
      for (let p = 0; p < this.voxelCount; p++) this.ecsVolume += 1 / inverseAlpha[p];
    }
    this.uView.fill(0);
    this.registerViews[0].fill(0);
    this.registerViews[1].fill(0);
  }

  /** Σ α·low: the amount (kernel units) the compensation holds now. */
  private compensationAmount(): number {
    const { kernel, layout } = this;
    const low = layout.registers[this.lowRegister];
    if (this.kernelPath === 'uniform') return this.config.tissue.alpha * kernel.sumValues(low, this.voxelCount);
    if (this.kernelPath === 'heterogeneous') return kernel.sumValuesOver(low, layout.inverseAlpha, this.voxelCount);
    return kernel.sumValuesTimes(low, layout.alpha, this.voxelCount);
  }

  /** The compensation array now (one of the two stage registers). */
  private get lowView(): Float32Array {
    return this.registerViews[this.lowRegister];
  }

  /**
   * One accepted step from now, not past limit_ms. Releases due now happen first; the step ends on
   * the next release event, the limit or duration, whichever comes first.
   */
  private advance(limit_ms: number): void {
    const start = this.now_ms;
    if (this.releaseImpulses(start)) {
      this.control.restart(start);
      // The compensation now holds the rounding of the release itself (~1e-8 of it).
      this.compensation = this.compensationAmount();
    }
    let end = Math.min(limit_ms, this.nextEventAfter(start));
    if (this.replay) end = Math.min(end, this.replay[this.replayIndex] ?? Infinity);
    if (!Number.isFinite(end)) end = start + this.control.proposal_ms;
    for (;;) {
      const remaining = end - start;
      let tau = this.replay && this.replayIndex < this.replay.length ? remaining : Math.min(this.control.proposal_ms, remaining);
      // Rather two even steps than one long and one very short.
      if (this.replay === null && tau < remaining && remaining < 2 * tau) tau = remaining / 2;
      const lands = sameTime(start + tau, end);
      const stages = this.fixedStep_ms !== null ? 2
        : Math.max(stagesFor(tau / this.stabilityLimit_ms), this.replayStages?.[this.replayIndex] ?? 0);
      const rates = this.continuousRates_mol_per_ms(start, lands ? end : start + tau);
      this.reactUntil(start + tau / 2);
      const result = this.superStep(tau, rkl2Plan(stages), rates, this.control.mode === 'adaptive');
      const ratio = this.control.errorRatio(result.error, start, tau);
      if (this.control.rejects(tau, ratio)) {
        // Rejected: the field is still the step's start value, but its compensation was overwritten by
        // the stages. Its amount is put back spread evenly over the ECS (a shift of ~1e-8 of the
        // mean excess at most), so the ledger still closes. The reactions done ahead stay done.
        this.registerViews[this.lowRegister].fill(this.compensation / this.ecsVolume);
        this.statistics.rejected_steps++;
        continue;
      }
      const weighted = this.kernelPath === 'uniform' ? 0 : this.layout.inverseAlpha;
      this.compensation = (weighted ? 1 : this.config.tissue.alpha)
        * this.kernel.endSuperStep(this.layout.u, this.layout.registers[result.register], this.voxelCount, weighted);
      this.lowRegister = result.register;
      this.outflow_mol += result.outflow * this.molPerKernelUnit;
      this.uptake_mol.ecs_rate += result.ecsUptake * this.molPerKernelUnit;
      this.uptake_mol.tissue_rate += result.tissueUptake * this.molPerKernelUnit;
      for (let s = 0; s < rates.length; s++) this.released_mol += rates[s] * tau;
      this.now_ms = lands ? end : start + tau;
      this.reactUntil(this.now_ms);
      if (this.replay && lands) this.replayIndex++;
      this.schedule?.push(this.now_ms);
      this.scheduleStages?.push(stages);
      this.lastStages = stages;
      const stats = this.statistics;
      stats.steps++;
      stats.shortest_step_ms = Math.min(stats.shortest_step_ms, tau);
      stats.longest_step_ms = Math.max(stats.longest_step_ms, tau);
      if (this.control.mode === 'adaptive') stats.largest_error_ratio = Math.max(stats.largest_error_ratio, ratio);
      this.control.accepted(tau, ratio, this.now_ms);
      this.steps++;
      if (this.steps % HEALTH_CHECK_INTERVAL_STEPS === 0) this.checkHealth();
      this.record();
      return;
    }
  }

  /** The first release event after t_ms (ms), and the end of the run. */
  private nextEventAfter(t_ms: number): number {
    let next = sameTime(t_ms, this.config.duration_ms) || t_ms > this.config.duration_ms ? Infinity : this.config.duration_ms;
    for (const source of this.sources) next = Math.min(next, source.nextEventAfter(t_ms));
    return next;
  }

  /** Instantaneous releases due at time_ms, added to the field; true if there were any. */
  private releaseImpulses(time_ms: number): boolean {
    const field = this.uView, low = this.lowView;
    let any = false;
    for (const source of this.sources) {
      const amount_mol = source.impulseAt_mol(time_ms);
      if (amount_mol <= 0) continue;
      const amount = amount_mol / this.molPerKernelUnit;
      for (let m = 0; m < source.indices.length; m++) {
        // Compensated add: the part of the sum that f32 cannot hold goes into low.
        const p = source.indices[m];
        const exact = field[p] + low[p] + source.sharePerAlpha[m] * amount;
        field[p] = exact;
        low[p] = exact - field[p];
        this.largestExcess_mM = Math.max(this.largestExcess_mM, Math.abs(exact));
      }
      this.released_mol += amount_mol;
      any = true;
    }
    // A continuous source switching on or off is an event too.
    const window = 1e-6 * Math.max(1, time_ms);
    for (const source of this.sources) {
      if (!source.impulsive && sameTime(source.nextEventAfter(time_ms - window), time_ms)) any = true;
    }
    return any;
  }

  /** Release rate (mol/ms) of each source during [t0, t1) (0 for instantaneous ones). */
  private continuousRates_mol_per_ms(t0_ms: number, t1_ms: number): number[] {
    return this.sources.map((source) => (source.impulsive ? 0 : source.amountDuring_mol(t0_ms, t1_ms) / (t1_ms - t0_ms)));
  }

  /**
   * One RKL2 super-step of length tau (src/core/rkl2.ts): every stage, the continuous sources in
   * each stage, and (if estimate) the error estimate. Leaves u untouched; the new increment, with
   * the compensation carried in, is in the register returned.
   */
  private superStep(tau: number, plan: Rkl2Plan, rates_mol_per_ms: number[], estimate: boolean) {
    const registers = this.layout.registers;
    const order = [this.lowRegister, 1 - this.lowRegister];
    // Ledger recurrences: amounts move through the stages with the increments' own weights.
    let outflowPrevious = 0, outflowCurrent = 0, ecsPrevious = 0, ecsCurrent = 0, tissuePrevious = 0, tissueCurrent = 0;
    let largestSource = 0;
    for (let j = 1; j <= plan.stages.length; j++) {
      const { a, g, mu, nu } = plan.stages[j - 1];
      const out = order[j % 2], prev = order[(j + 1) % 2];
      const flows = this.stage(registers[prev], registers[out], tau, a, g, mu, nu);
      largestSource = Math.max(largestSource, this.addSources(out, tau * g, rates_mol_per_ms));
      [outflowPrevious, outflowCurrent] = [outflowCurrent, mu * outflowCurrent + nu * outflowPrevious + flows.outflow];
      [ecsPrevious, ecsCurrent] = [ecsCurrent, mu * ecsCurrent + nu * ecsPrevious + flows.ecs];
      [tissuePrevious, tissueCurrent] = [tissueCurrent, mu * tissueCurrent + nu * tissuePrevious + flows.tissue];
    }
    this.statistics.stencil_passes += plan.stages.length;
    const result = order[plan.stages.length % 2];
    let error = 0;
    if (estimate) {
      // D_s − τ(M(u) + ½ M_lin D_s), into the register of D_{s−1}, which is no longer needed.
      const spare = order[(plan.stages.length + 1) % 2];
      this.stage(registers[result], registers[spare], tau, -0.5, -1, 1, 0);
      this.addSources(spare, -tau, rates_mol_per_ms);
      this.statistics.stencil_passes++;
      const floor = ERROR_FLOOR * Math.max(this.largestExcess_mM, largestSource);
      error = plan.errorRatio * this.kernel.errorNorm(registers[spare], this.layout.u, registers[result], this.voxelCount,
        Math.max(floor, Number.MIN_VALUE));
      this.largestExcess_mM = this.kernel.lastLargestValue();
    }
    return { register: result, outflow: outflowCurrent, ecsUptake: ecsCurrent, tissueUptake: tissueCurrent, error };
  }

  /**
   * One stage on this path: register out ← μ·prev + ν·out + S(a·prev + g·u). Returns the stage's
   * bath outflow and uptake by the ECS and tissue rates, in α·excess·voxel units.
   */
  private stage(prev: number, out: number, tau: number, a: number, g: number, mu: number, nu: number) {
    const { kernel, layout, config } = this;
    const [nx, ny, nz] = config.grid.size;
    const { k_ecs_per_ms, k_tissue_per_ms } = config.uptake;
    const h2 = config.grid.spacing_um ** 2;
    if (this.kernelPath === 'uniform') {
      const alpha = config.tissue.alpha;
      const r = (this.D_star_um2_per_ms * tau) / h2;
      const f = this.dirichletFlags;
      const ecsRate = k_ecs_per_ms, tissueRate = k_tissue_per_ms / alpha;
      const outflow = kernel.stageUniform(layout.u, prev, out, layout.planes, nx, ny, nz, r, 2 * r * f[0], 2 * r * f[1], 2 * r * f[2],
        2 * r * f[3], 2 * r * f[4], 2 * r * f[5], this.bathExcess_mM, (ecsRate + tissueRate) * tau, a, g, mu, nu);
      const removed = ecsRate + tissueRate > 0 ? alpha * kernel.lastStageUptake() / (ecsRate + tissueRate) : 0;
      return { outflow: alpha * outflow, ecs: removed * ecsRate, tissue: removed * tissueRate };
    }
    if (this.kernelPath === 'heterogeneous') {
      const outflow = kernel.stageHeterogeneous(layout.u, prev, out, layout.planes, layout.inverseAlpha, layout.gx, layout.gy, layout.gz,
        layout.boundary, nx, ny, nz, tau, this.bathExcess_mM, k_ecs_per_ms * tau, k_tissue_per_ms * tau, a, g, mu, nu);
      const uptake = k_ecs_per_ms > 0 || k_tissue_per_ms > 0;
      return {
        outflow,
        ecs: uptake ? k_ecs_per_ms * tau * kernel.lastStageAlphaWeightedSum() : 0,
        tissue: uptake ? k_tissue_per_ms * tau * kernel.lastStageSum() : 0,
      };
    }
    const outflow = kernel.stageReference(layout.u, prev, out, layout.alpha, layout.kappa, nx, ny, nz, tau / h2,
      ...(this.dirichletFlags as [number, number, number, number, number, number]), this.bathExcess_mM,
      k_ecs_per_ms * tau, k_tissue_per_ms * tau, a, g, mu, nu);
    return {
      outflow,
      ecs: k_ecs_per_ms * tau * kernel.lastReferenceAlphaWeightedSum(),
      tissue: k_tissue_per_ms * tau * kernel.lastReferenceSum(),
    };
  }

  /** Adds weight × each continuous source's excess rate to register `register`; returns the largest addition (mM). */
  private addSources(register: number, weight: number, rates_mol_per_ms: number[]): number {
    const view = this.registerViews[register];
    let largest = 0;
    for (let s = 0; s < this.sources.length; s++) {
      if (rates_mol_per_ms[s] === 0) continue;
      const source = this.sources[s];
      const amount = (weight * rates_mol_per_ms[s]) / this.molPerKernelUnit;
      for (let m = 0; m < source.indices.length; m++) {
        const added = source.sharePerAlpha[m] * amount;
        view[source.indices[m]] += added;
        largest = Math.max(largest, Math.abs(added));
      }
    }
    return largest;
  }

  /**
   * Advances the split reactions (the pump, glial buffering) to time_ms: half a step before each
   * diffusion super-step and half after (Strang splitting, second order). After a rejected step the
   * half done ahead is kept, so this clock may run ahead of the field's time by that much.
   */
  private reactUntil(time_ms: number): void {
    const dt = time_ms - this.reactionClock_ms;
    if (!(dt > 0)) return;
    this.reactionClock_ms = time_ms;
    if (this.config.uptake.pump.vmax_mM_per_ms > 0) this.react(dt);
    if (this.glialRate_mM_per_ms > 0) this.buffer(dt);
  }

  private react(dt: number): void {
    const { kernel, config } = this;
    const { pump } = config.uptake;
    kernel.resetRemoved();
    kernel.reactGeneral(this.layout.u, this.layout.registers[this.lowRegister],
      this.kernelPath === 'uniform' ? 0 : this.layout.inverseAlpha, 1 / config.tissue.alpha,
      this.voxelCount, 0, 0, pump.vmax_mM_per_ms * dt, pump.km_mM, config.species.baseline_mM);
    this.uptake_mol.pump += kernel.removedByPump() * this.molPerKernelUnit;
  }

  private totalUptake_mol(): number {
    const { ecs_rate, tissue_rate, pump, glia } = this.uptake_mol;
    return ecs_rate + tissue_rate + pump + glia;
  }

  /** Glial spatial buffering over dt, with the free stage register as scratch. */
  private buffer(dt: number): void {
    const { kernel, config } = this;
    this.glialMeanLog = kernel.gliaStep(this.layout.u, this.layout.registers[this.lowRegister],
      this.layout.registers[1 - this.lowRegister], this.kernelPath === 'uniform' ? 0 : this.layout.inverseAlpha,
      1 / config.tissue.alpha, this.voxelCount, config.species.baseline_mM, this.glialRate_mM_per_ms * dt);
    this.uptake_mol.glia += kernel.glialNetRemoved() * this.molPerKernelUnit;
    this.glialExchange_mol += kernel.glialGrossUptake() * this.molPerKernelUnit;
  }

  /**
   * Potential of the glial syncytium (mV) in the last step: the mean of E_K over the grid
   * (NaN before the first step or with buffering off).
   */
  glialPotential_mV(): number {
    const { inside_mM, valence } = this.config.species;
    return (thermalVoltage_mV(this.config.temperature_C) / valence) * (this.glialMeanLog - Math.log(inside_mM));
  }

  /** Σ α·excess in kernel units. */
  private storedExcess(): number {
    const { kernel, layout } = this;
    const low = layout.registers[this.lowRegister];
    if (this.kernelPath === 'uniform') return this.config.tissue.alpha * kernel.sumField(layout.u, low, this.voxelCount);
    if (this.kernelPath === 'heterogeneous') return kernel.sumWeighted(layout.u, low, layout.inverseAlpha, this.voxelCount);
    return kernel.sumAlphaWeighted(layout.u, low, layout.alpha, this.voxelCount);
  }

  private record(): void {
    if (!this.recording) return;
    const baseline = this.config.species.baseline_mM;
    for (let p = 0; p < this.stencils.length; p++) {
      this.probeScratch[p] = baseline + this.interpolateExcess(this.stencils[p]);
    }
    this.series.push(this.time_ms, this.probeScratch);
    this.excessScratch[0] = this.released_mol - this.totalUptake_mol() - this.outflow_mol;
    this.excessSeries.push(this.time_ms, this.excessScratch);
  }

  private interpolateExcess(stencil: Stencil): number {
    return interpolate(stencil, this.uView) + interpolate(stencil, this.lowView);
  }

  private checkHealth(): void {
    const total = this.kernel.sumField(this.layout.u, this.layout.registers[this.lowRegister], this.voxelCount);
    if (!Number.isFinite(total)) {
      throw new SimulationError(`the field became ${total} at t = ${this.time_ms.toFixed(3)} ms (step ${this.steps}); ` +
        `last step ${this.statistics.longest_step_ms} ms at most — the run was stopped`);
    }
  }
}
