// A simulation: set up from a validated config, stepped by the WebAssembly kernel, read out as
// probes, a mass ledger and clearance metrics. The only module that talks to the kernel.

import { resolveConfig, memoryIssue, FACE_NAMES, type ResolvedConfig, type FaceName } from './config.js';
import { ConfigError } from './config-error.js';
import { instantiateKernel, type KernelExports } from './kernel.js';
import { chooseKernelPath, planLayout, type KernelPath, type MemoryLayout } from './memory-plan.js';
import { timeStep_ms } from './stability.js';
import { fillTissue } from './tissue.js';
import { scheduleSources, type ScheduledSource } from './sources.js';
import { trilinearStencil, interpolate, type Stencil } from './trilinear.js';
import { TimeSeries } from './series.js';
import { probeMetrics, excessClearance, type ProbeMetrics, type ExcessClearance } from './metrics.js';
import { MOL_PER_UM3_PER_MM, FARADAY_C_PER_MOL, GAS_CONSTANT_J_PER_MOL_K, ZERO_CELSIUS_K } from './units.js';
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

/**
 * Largest uptake rate·dt for which the fast kernels fuse the general reaction into the diffusion
 * sweep (their series for 1 − exp(−x) is exact to f32 up to here; assembly/uptake_fused.ts).
 */
export const FUSED_RATE_LIMIT = 0.1;

/** How often (in steps) the whole field is checked for NaN. */
const HEALTH_CHECK_INTERVAL_STEPS = 64;

export class Simulation {
  /** The validated config with every default filled in. */
  readonly config: ResolvedConfig;
  /** Which diffusion kernel runs. */
  readonly kernelPath: KernelPath;
  /** Time step (ms). */
  readonly dt_ms: number;
  /** Steps taken. */
  steps = 0;

  private readonly kernel: KernelExports;
  private readonly layout: MemoryLayout;
  private readonly voxelCount: number;
  /** Converts kernel amounts (α·mM·voxel) to mol: h³ · 1e-18. */
  private readonly molPerKernelUnit: number;
  /**
   * Where the field is. The fast kernels step in place shifted by one plane, so it alternates
   * between layout.u + one plane and layout.u; the reference kernel (out of place) alternates
   * between layout.u and layout.out.
   */
  private current: number;
  private currentView: Float32Array;
  /** Where the field goes in the next step. */
  private next: number;
  private nextView: Float32Array;
  private readonly lowView: Float32Array;
  private readonly sources: ScheduledSource[];
  private readonly stencils: Stencil[];
  private readonly series: TimeSeries;
  private readonly excessSeries: TimeSeries;
  private readonly probeScratch: Float64Array;
  private readonly excessScratch = new Float64Array(1);
  private readonly uniformCoefficients: { r: number; bath: number[] };
  private readonly dirichletFlags: number[];
  private readonly bathExcess_mM: number;
  private readonly reaction: {
    ecsDt: number; tissueDt: number; vmaxDt: number; gliaDt: number;
    /** Uptake done in a separate pass after diffusion (per-voxel rates, the pump, the reference kernel). */
    separate: boolean;
    /** 1 − exp(−k dt) of the linear uptake fused into the fast diffusion sweep (one rate everywhere), or 0. */
    fusedDecay: number;
    /** 1 when the fast sweep fuses the general reaction (per-voxel rates, the pump), else 0. */
    fusedReaction: number;
  };
  private released_mol = 0;
  private outflow_mol = 0;
  private readonly uptake_mol = { ecs_rate: 0, tissue_rate: 0, pump: 0, glia: 0 };
  private glialExchange_mol = 0;
  private glialMeanLog = NaN;

  /**
   * Validates the config (throws ConfigError before allocating anything), instantiates a kernel
   * with memory sized for the grid, and sets up tissue, sources and probes at t = 0.
   */
  static async create(config: unknown = {}, options: SimulationOptions = {}): Promise<Simulation> {
    const resolved = resolveConfig(config);
    const path = chooseKernelPath(resolved, options.kernel ?? 'auto');
    const memory = memoryIssue(resolved, path);
    if (memory) throw new ConfigError([memory]);
    return new Simulation(await instantiateKernel(options.module), resolved, path, options.recordSeries ?? true);
  }

  private constructor(kernel: KernelExports, config: ResolvedConfig, path: KernelPath, private readonly recording: boolean) {
    this.kernel = kernel;
    this.config = config;
    this.kernelPath = path;
    this.dt_ms = timeStep_ms(config);
    const [nx, ny, nz] = config.grid.size;
    const h = config.grid.spacing_um;
    this.voxelCount = nx * ny * nz;
    this.molPerKernelUnit = h ** 3 * MOL_PER_UM3_PER_MM;

    this.layout = planLayout(config.grid.size, path, kernel.heapBase(), { glia: config.uptake.glia.conductance_S_per_m3 > 0 });
    const pagesNeeded = Math.ceil(this.layout.end / 65536) - kernel.memory.buffer.byteLength / 65536;
    if (pagesNeeded > 0) {
      try {
        kernel.memory.grow(pagesNeeded);
      } catch (error) {
        throw new SimulationError(`could not allocate ${(this.layout.end / 2 ** 20).toFixed(0)} MiB of kernel memory ` +
          `for grid.size = [${config.grid.size.join(', ')}]: ${(error as Error).message}; use fewer voxels`);
      }
    }
    const planeBytes = 4 * nx * ny;
    this.current = path === 'reference' ? this.layout.u : this.layout.u + planeBytes;
    this.next = path === 'reference' ? this.layout.out : this.layout.u;
    this.currentView = this.view(this.current);
    this.nextView = this.view(this.next);
    this.lowView = this.view(this.layout.low);

    const faces = config.boundary.faces;
    this.dirichletFlags = FACE_NAMES.map((face: FaceName) => (faces[face] === 'dirichlet' ? 1 : 0));
    this.bathExcess_mM = config.boundary.value_mM - config.species.baseline_mM;
    const D_star = config.species.D_um2_per_ms / config.tissue.lambda ** 2;
    const r = (D_star * this.dt_ms) / h ** 2;
    this.uniformCoefficients = { r, bath: this.dirichletFlags.map((flag) => 2 * r * flag) };
    this.setUpTissue();

    const { k_ecs_per_ms, k_tissue_per_ms, pump, glia } = config.uptake;
    // Glial flux per tissue volume g (E_K − V_glia)/F = G (ln C − mean ln C) with G = g RT/F² (mM/ms).
    const kelvin = config.temperature_C + ZERO_CELSIUS_K;
    const glialRate_mM_per_ms = (glia.conductance_S_per_m3 * GAS_CONSTANT_J_PER_MOL_K * kelvin) / FARADAY_C_PER_MOL ** 2 * 1e-3;
    // Uptake is fused into the fast diffusion sweep: linear uptake with one rate everywhere
    // (uniform tissue, or heterogeneous tissue with k′ only) as one decay factor; per-voxel rates
    // and the pump as the general reaction when their rate·dt is small enough for its series.
    // Otherwise, and on the reference kernel, uptake is a separate pass.
    const active = k_ecs_per_ms > 0 || k_tissue_per_ms > 0 || pump.vmax_mM_per_ms > 0;
    const fast = path !== 'reference';
    const oneRate = active && fast && pump.vmax_mM_per_ms === 0 && (path === 'uniform' || k_tissue_per_ms === 0);
    const linearRate_per_ms = k_ecs_per_ms + (path === 'uniform' ? k_tissue_per_ms / config.tissue.alpha : 0);
    // Largest rate·dt anywhere: smallest α, and the pump at C = 0 (its rate falls as C rises).
    const minAlpha = Math.min(config.tissue.alpha, ...config.tissue.regions.map((region) => region.alpha));
    const largestRateDt = (k_ecs_per_ms + k_tissue_per_ms / minAlpha
      + pump.vmax_mM_per_ms / ((pump.km_mM + config.species.baseline_mM) * minAlpha)) * this.dt_ms;
    const general = active && fast && !oneRate && largestRateDt <= FUSED_RATE_LIMIT;
    this.reaction = {
      ecsDt: k_ecs_per_ms * this.dt_ms,
      tissueDt: k_tissue_per_ms * this.dt_ms,
      vmaxDt: pump.vmax_mM_per_ms * this.dt_ms,
      gliaDt: glialRate_mM_per_ms * this.dt_ms,
      separate: active && !oneRate && !general,
      fusedDecay: oneRate ? -Math.expm1(-linearRate_per_ms * this.dt_ms) : 0,
      fusedReaction: general ? 1 : 0,
    };
    kernel.setReaction(this.reaction.ecsDt, this.reaction.tissueDt, this.reaction.vmaxDt, pump.km_mM,
      config.species.baseline_mM, 1 / config.tissue.alpha);
    kernel.resetRemoved();

    this.sources = scheduleSources(config);
    this.stencils = config.probes.map((probe) => trilinearStencil(probe.position_um, config.grid.size, h));
    const expectedSamples = Math.min(Math.ceil(config.duration_ms / this.dt_ms) + 2, MAX_PREALLOCATED_SAMPLES);
    this.series = new TimeSeries(config.probes.map((probe) => probe.name), expectedSamples);
    this.excessSeries = new TimeSeries(['total_excess_mol'], expectedSamples);
    this.probeScratch = new Float64Array(config.probes.length);
    this.record();
  }

  /** Simulated time (ms). */
  get time_ms(): number {
    return this.steps * this.dt_ms;
  }

  /** Advances by count steps of dt_ms. */
  step(count = 1): void {
    for (let s = 0; s < count; s++) {
      this.release(this.time_ms, this.time_ms + this.dt_ms);
      this.diffuse();
      if (this.reaction.separate) this.react();
      if (this.reaction.gliaDt > 0) this.buffer();
      this.steps++;
      if (this.steps % HEALTH_CHECK_INTERVAL_STEPS === 0) this.checkHealth();
      this.record();
    }
  }

  /**
   * Steps until time_ms is reached (the last step may end up to one dt later).
   * onProgress(time_ms) is called about every 1% of the way.
   */
  runTo(time_ms: number, onProgress?: (time_ms: number) => void): void {
    const target = Math.ceil(time_ms / this.dt_ms - 1e-9);
    const every = Math.max(1, Math.floor((target - this.steps) / 100));
    while (this.steps < target) {
      this.step(Math.min(every, target - this.steps));
      onProgress?.(this.time_ms);
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
    return this.currentView;
  }

  /** A copy of the ECS concentration (mM) of every voxel, index i + Nx (j + Ny k). */
  concentration_mM(): Float32Array {
    const baseline = this.config.species.baseline_mM;
    return this.currentView.map((excess) => excess + baseline);
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

  /** Recorded probe curves: sample times (ms) and one concentration column (mM) per probe. */
  probeSeries(): { time_ms: Float64Array; values_mM: Float64Array[] } {
    return {
      time_ms: this.series.time_ms(),
      values_mM: this.config.probes.map((_, index) => this.series.column(index)),
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
    const scale = this.dt_ms / config.grid.spacing_um ** 2;
    if (this.kernelPath === 'heterogeneous') {
      // α and κ are only needed to build the face coefficients: borrow the compensation and field arrays.
      fillTissue(config, this.lowView, this.currentView);
      kernel.buildFaces(layout.low, this.current, layout.inverseAlpha, layout.gx, layout.gy, layout.gz, layout.boundary,
        nx, ny, nz, scale, ...(this.dirichletFlags as [number, number, number, number, number, number]));
    } else if (this.kernelPath === 'reference') {
      const alpha = this.view(layout.alpha);
      fillTissue(config, alpha, this.view(layout.kappa));
      const inverseAlpha = this.view(layout.inverseAlpha);
      for (let p = 0; p < this.voxelCount; p++) inverseAlpha[p] = 1 / alpha[p];
    }
    new Float32Array(kernel.memory.buffer, layout.u, (layout.low - layout.u) / 4).fill(0);
    this.nextView.fill(0);
    this.lowView.fill(0);
  }

  private release(t0_ms: number, t1_ms: number): void {
    const field = this.currentView, low = this.lowView;
    for (const source of this.sources) {
      const amount_mol = source.amountDuring_mol(t0_ms, t1_ms);
      if (amount_mol <= 0) continue;
      const amount = amount_mol / this.molPerKernelUnit;
      for (let m = 0; m < source.indices.length; m++) {
        // Compensated add: the part of the sum that f32 cannot hold goes into low.
        const p = source.indices[m];
        const exact = field[p] + low[p] + source.sharePerAlpha[m] * amount;
        field[p] = exact;
        low[p] = exact - field[p];
      }
      this.released_mol += amount_mol;
    }
  }

  private diffuse(): void {
    const { kernel, layout, config } = this;
    const [nx, ny, nz] = config.grid.size;
    const flags = this.dirichletFlags as [number, number, number, number, number, number];
    const { fusedDecay, fusedReaction } = this.reaction;
    let outflow: number;
    if (this.kernelPath === 'uniform') {
      const { r, bath } = this.uniformCoefficients;
      const alpha = config.tissue.alpha;
      outflow = alpha * kernel.stepUniform(this.current, this.next, layout.low, nx, ny, nz, r,
        bath[0], bath[1], bath[2], bath[3], bath[4], bath[5], this.bathExcess_mM, fusedDecay, fusedReaction);
      if (fusedDecay > 0) this.recordLinearUptake(alpha * kernel.decayRemoved() * this.molPerKernelUnit);
    } else if (this.kernelPath === 'heterogeneous') {
      outflow = kernel.stepHeterogeneous(this.current, this.next, layout.low, layout.inverseAlpha, layout.gx, layout.gy,
        layout.gz, layout.boundary, nx, ny, nz, this.bathExcess_mM, fusedDecay, fusedReaction);
      if (fusedDecay > 0) this.recordLinearUptake(kernel.decayRemoved() * this.molPerKernelUnit);
    } else {
      outflow = kernel.stepReference(this.current, this.next, layout.low, layout.alpha, layout.kappa, nx, ny, nz,
        this.dt_ms / config.grid.spacing_um ** 2, ...flags, this.bathExcess_mM);
    }
    if (fusedReaction) {
      this.uptake_mol.ecs_rate += kernel.fusedRemovedByEcsRate() * this.molPerKernelUnit;
      this.uptake_mol.tissue_rate += kernel.fusedRemovedByTissueRate() * this.molPerKernelUnit;
      this.uptake_mol.pump += kernel.fusedRemovedByPump() * this.molPerKernelUnit;
    }
    this.outflow_mol += outflow * this.molPerKernelUnit;
    [this.current, this.next] = [this.next, this.current];
    [this.currentView, this.nextView] = [this.nextView, this.currentView];
  }

  /** Books what the fused linear uptake removed (mol), shared between k′ and k_t in proportion to their rates. */
  private recordLinearUptake(removed_mol: number): void {
    const ecsRate = this.reaction.ecsDt;
    const tissueRate = this.kernelPath === 'uniform' ? this.reaction.tissueDt / this.config.tissue.alpha : 0;
    this.uptake_mol.ecs_rate += (removed_mol * ecsRate) / (ecsRate + tissueRate);
    this.uptake_mol.tissue_rate += (removed_mol * tissueRate) / (ecsRate + tissueRate);
  }

  private react(): void {
    const { kernel, reaction, config } = this;
    const alpha = config.tissue.alpha;
    kernel.resetRemoved();
    kernel.reactGeneral(this.current, this.layout.low, this.kernelPath === 'uniform' ? 0 : this.layout.inverseAlpha, 1 / alpha,
      this.voxelCount, reaction.ecsDt, reaction.tissueDt, reaction.vmaxDt, config.uptake.pump.km_mM,
      config.species.baseline_mM);
    this.uptake_mol.ecs_rate += kernel.removedByEcsRate() * this.molPerKernelUnit;
    this.uptake_mol.tissue_rate += kernel.removedByTissueRate() * this.molPerKernelUnit;
    this.uptake_mol.pump += kernel.removedByPump() * this.molPerKernelUnit;
  }

  private totalUptake_mol(): number {
    const { ecs_rate, tissue_rate, pump, glia } = this.uptake_mol;
    return ecs_rate + tissue_rate + pump + glia;
  }

  /** Glial spatial buffering (with its own scratch array). */
  private buffer(): void {
    const { kernel, config } = this;
    this.glialMeanLog = kernel.gliaStep(this.current, this.layout.low, this.layout.scratch,
      this.kernelPath === 'uniform' ? 0 : this.layout.inverseAlpha, 1 / config.tissue.alpha, this.voxelCount,
      config.species.baseline_mM, this.reaction.gliaDt);
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
    const { low } = layout;
    if (this.kernelPath === 'uniform') return this.config.tissue.alpha * kernel.sumField(this.current, low, this.voxelCount);
    if (this.kernelPath === 'heterogeneous') return kernel.sumWeighted(this.current, low, layout.inverseAlpha, this.voxelCount);
    return kernel.sumAlphaWeighted(this.current, low, layout.alpha, this.voxelCount);
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
    return interpolate(stencil, this.currentView) + interpolate(stencil, this.lowView);
  }

  private checkHealth(): void {
    const total = this.kernel.sumField(this.current, this.layout.low, this.voxelCount);
    if (!Number.isFinite(total)) {
      throw new SimulationError(`the field became ${total} at t = ${this.time_ms.toFixed(3)} ms (step ${this.steps}); ` +
        `dt_ms = ${this.dt_ms} — the run was stopped`);
    }
  }
}
