// The simulation config: types, defaults and validation. Units are in the key
// names. resolveConfig() turns any user input — `{}` included — into a complete ResolvedConfig or
// throws a ConfigError that names every bad field, its value, the allowed range and the unit.
// Nothing here allocates simulation memory: a config is refused before any kernel exists.

import { ConfigError, type ConfigIssue } from './config-error.js';
import { boundsText, hasControlCharacters, shownValue } from './format.js';
import { plainData } from './plain-data.js';
import { kernelMemoryBytes, MAX_KERNEL_MEMORY_BYTES, chooseKernelPath, type KernelPath } from './memory-plan.js';
import { stabilityLimit_ms } from './stability.js';
import { MAX_STEPS, stepBound } from './step-control.js';
import { regionVoxelCount } from './sources.js';
import { AVOGADRO_PER_MOL, iontophoresisRate_mol_per_ms, MOL_PER_UM3_PER_MM } from './units.js';

export type Vector3 = [number, number, number];
export type Axis = 'x' | 'y' | 'z';
export type BoundaryType = 'dirichlet' | 'neumann';
export const FACE_NAMES = ['x_min', 'x_max', 'y_min', 'y_max', 'z_min', 'z_max'] as const;
export type FaceName = (typeof FACE_NAMES)[number];

/** A shape in the grid (µm): a sphere, an axis-aligned box, or a slab between two planes normal to an axis. */
export type ShapeGeometry =
  | { shape: 'sphere'; center_um: Vector3; radius_um: number }
  | { shape: 'box'; min_um: Vector3; max_um: Vector3 }
  | { shape: 'layer'; axis: Axis; min_um: number; max_um: number };

/** A tissue region with its own α and λ. Voxels whose centre lies inside take its values; later regions win. */
export type RegionConfig = ShapeGeometry & { alpha: number; lambda: number };

export type SourceConfig =
  /** Instantaneous release of amount_mol at time_ms (default 0 ms), repeated every period_ms if > 0. */
  | { type: 'bolus'; position_um: Vector3; amount_mol: number; time_ms: number; period_ms: number }
  /** Constant release Q = n·I/(|z|F) from start_ms for duration_ms. */
  | {
      type: 'iontophoresis'; position_um: Vector3; current_nA: number; transport_number: number;
      start_ms: number; duration_ms: number;
    }
  /** Release at rate_mM_per_ms per unit tissue volume in every voxel whose centre is inside the shape. */
  | ({ type: 'region'; rate_mM_per_ms: number; start_ms: number; duration_ms: number }
      & Exclude<ShapeGeometry, { shape: 'layer' }>);

export interface ProbeConfig {
  /** Unique name, used as a column name in tables. */
  name: string;
  /** Position in µm; read by trilinear interpolation between voxel centres. */
  position_um: Vector3;
}

/** A complete, validated config: every field present, every value in range. */
export interface ResolvedConfig {
  grid: { size: Vector3; spacing_um: number };
  tissue: { alpha: number; lambda: number; regions: RegionConfig[] };
  species: { name: string; valence: number; D_um2_per_ms: number; baseline_mM: number; inside_mM: number };
  boundary: { type: BoundaryType; value_mM: number; faces: Record<FaceName, BoundaryType> };
  sources: SourceConfig[];
  uptake: {
    k_ecs_per_ms: number; k_tissue_per_ms: number; pump: { vmax_mM_per_ms: number; km_mM: number };
    /** Glial Kir spatial buffering; conductance per tissue volume, 0 = off. */
    glia: { conductance_S_per_m3: number };
  };
  probes: ProbeConfig[];
  duration_ms: number;
  /**
   * Time step (ms): "auto" (default) chooses every step so that the time-discretisation error stays
   * within accuracy.relative_tolerance; a number runs that fixed step (at most the stability limit).
   */
  dt_ms: number | 'auto';
  /** Time-error control of dt_ms "auto". */
  accuracy: {
    /**
     * Target relative time-discretisation error of every read-out against the exact continuous-time
     * solution on the same grid (dimensionless, default 1e-3, i.e. 0.1%).
     */
    relative_tolerance: number;
  };
  temperature_C: number;
}

/** Defaults that do not depend on the grid: normal cortex (Syková & Nicholson 2008), K⁺ at 37 °C. */
export const DEFAULTS = {
  grid: { size: [81, 81, 81] as Vector3, spacing_um: 4 },
  tissue: { alpha: 0.2, lambda: 1.6 },
  species: { name: 'K', valence: 1, D_um2_per_ms: 2.62, baseline_mM: 3, inside_mM: 140 },
  bolus_amount_mol: 2e-13,
  probe_distances_um: [30, 50, 80],
  duration_ms: 2000,
  temperature_C: 37,
  relative_tolerance: 1e-3,
  pump_km_mM: 2,
  transport_number: 0.4,
  iontophoresis_duration_ms: 50000,
  region_duration_ms: 100,
  /**
   * Glial Kir conductance per tissue volume when buffering is switched on (S/m³): 17 S/m² of
   * astrocyte membrane × 8e6 m⁻¹ membrane area per tissue volume (Halnes et al. 2013).
   */
  glial_conductance_S_per_m3: 1.36e8,
} as const;

type Json = Record<string, unknown>;

/** Marks a field that has no default. */
const REQUIRED = Symbol('required');

/** Collects problems while reading untyped input; every reader returns a usable fallback. */
class Reader {
  readonly issues: ConfigIssue[] = [];

  fail(field: string, value: unknown, message: string): void {
    this.issues.push({ field, value, message: `${field} = ${shownValue(value)}: ${message}` });
  }

  object(input: unknown, field: string, allowed: readonly string[]): Json {
    if (input === undefined) return {};
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      this.fail(field || '(config)', input, 'must be an object');
      return {};
    }
    for (const key of Object.keys(input)) {
      if (!allowed.includes(key)) {
        this.fail(`${field ? field + '.' : ''}${key}`, (input as Json)[key],
          `unknown field; allowed here: ${allowed.join(', ')}`);
      }
    }
    return input as Json;
  }

  /**
   * A number in a range. low/high bounds with open or closed ends; unit and meaning go into the
   * message so that it reads e.g. "must be > 0 and ≤ 1 (volume fraction, dimensionless)".
   */
  number(input: unknown, field: string, fallback: number | typeof REQUIRED, range: Range): number {
    if (input === undefined) {
      if (fallback === REQUIRED) this.fail(field, input, `is required: a number ${describeRange(range)}`);
      return fallback === REQUIRED ? NaN : fallback;
    }
    if (typeof input !== 'number' || !Number.isFinite(input)) {
      this.fail(field, input, `must be a finite number ${describeRange(range)}`);
      return NaN;
    }
    if (!inRange(input, range)) {
      this.fail(field, input, `out of range: must be ${describeRange(range)}`);
      return NaN;
    }
    if (range.integer && !Number.isInteger(input)) {
      this.fail(field, input, `must be a whole number ${describeRange(range)}`);
      return NaN;
    }
    return input;
  }

  vector(input: unknown, field: string, fallback: Vector3 | typeof REQUIRED, range: Range): Vector3 {
    if (input === undefined) {
      if (fallback === REQUIRED) this.fail(field, input, `is required: three numbers, each ${describeRange(range)}`);
      return fallback === REQUIRED ? [NaN, NaN, NaN] : fallback;
    }
    if (!Array.isArray(input) || input.length !== 3) {
      this.fail(field, input, `must be a list of three numbers, each ${describeRange(range)}`);
      return [NaN, NaN, NaN];
    }
    return input.map((value, axis) => this.number(value, `${field}[${axis}]`, REQUIRED, range)) as Vector3;
  }

  choice<T extends string>(input: unknown, field: string, fallback: T, options: readonly T[]): T {
    if (input === undefined) return fallback;
    if (typeof input !== 'string' || !options.includes(input as T)) {
      this.fail(field, input, `must be one of ${options.map((o) => `"${o}"`).join(', ')}`);
      return fallback;
    }
    return input as T;
  }

  /** A name: shown in tables, plots and terminals, so printable and short. */
  text(input: unknown, field: string, fallback: string): string {
    if (input === undefined) return fallback;
    if (typeof input !== 'string' || input.trim() === '' || input.length > MAX_NAME_LENGTH || hasControlCharacters(input)) {
      this.fail(field, input, `must be a non-empty string of at most ${MAX_NAME_LENGTH} characters without control characters`);
      return fallback;
    }
    // Names become CSV column names; a spreadsheet would run one starting like a formula.
    if (/^[=+\-@]/.test(input)) {
      this.fail(field, input, 'must not start with =, +, - or @ (a spreadsheet would take the column name for a formula)');
      return fallback;
    }
    return input;
  }

  list(input: unknown, field: string): unknown[] | undefined {
    if (input === undefined) return undefined;
    if (!Array.isArray(input)) {
      this.fail(field, input, 'must be a list');
      return [];
    }
    return input;
  }
}

/** An allowed range with its unit, e.g. { above: 0, atMost: 1, unit: 'volume fraction, dimensionless' }. */
export interface Range {
  above?: number;
  atLeast?: number;
  below?: number;
  atMost?: number;
  integer?: boolean;
  unit: string;
}

function inRange(value: number, range: Range): boolean {
  return !(
    (range.above !== undefined && !(value > range.above)) ||
    (range.atLeast !== undefined && !(value >= range.atLeast)) ||
    (range.below !== undefined && !(value < range.below)) ||
    (range.atMost !== undefined && !(value <= range.atMost))
  );
}

function describeRange(range: Range): string {
  return `${boundsText(range)} (${range.unit})`;
}

const ALPHA: Range = { above: 0, atMost: 1, unit: 'volume fraction, dimensionless' };
const LAMBDA: Range = { atLeast: 1, atMost: 5, unit: 'tortuosity, dimensionless' };
const NON_NEGATIVE_MS: Range = { atLeast: 0, unit: 'ms' };
const MAX_GRID_SIDE = 4096;
const MAX_NAME_LENGTH = 64;
const MAX_PROBES = 1000;

/**
 * Validates a user config (parsed JSON, possibly partial, `{}` included) and fills every default.
 * Throws ConfigError listing each problem; never allocates simulation memory.
 */
export function resolveConfig(input: unknown = {}): ResolvedConfig {
  const plain = plainData(input);
  if ('issue' in plain) throw new ConfigError([plain.issue]);
  const read = new Reader();
  const root = read.object(plain.value, '', [
    'grid', 'tissue', 'species', 'boundary', 'sources', 'uptake', 'probes', 'duration_ms', 'dt_ms',
    'accuracy', 'temperature_C',
  ]);

  const gridInput = read.object(root.grid, 'grid', ['size', 'spacing_um']);
  const size = read.vector(gridInput.size, 'grid.size', [...DEFAULTS.grid.size],
    { atLeast: 1, atMost: MAX_GRID_SIDE, integer: true, unit: 'voxels' });
  const spacing_um = read.number(gridInput.spacing_um, 'grid.spacing_um', DEFAULTS.grid.spacing_um,
    { above: 0, atMost: 1000, unit: 'µm' });
  const extent_um = size.map((n) => n * spacing_um) as Vector3;
  const centre_um = extent_um.map((e) => e / 2) as Vector3;
  const position = (value: unknown, field: string, fallback: Vector3): Vector3 => {
    const p = read.vector(value, field, [...fallback], { unit: 'µm' });
    p.forEach((coordinate, axis) => {
      if (coordinate < 0 || coordinate > extent_um[axis]) {
        read.fail(`${field}[${axis}]`, coordinate,
          `outside the grid: must be ≥ 0 and ≤ ${extent_um[axis]} (µm; grid.size × grid.spacing_um)`);
      }
    });
    return p;
  };

  const tissueInput = read.object(root.tissue, 'tissue', ['alpha', 'lambda', 'regions']);
  const alpha = read.number(tissueInput.alpha, 'tissue.alpha', DEFAULTS.tissue.alpha, ALPHA);
  const lambda = read.number(tissueInput.lambda, 'tissue.lambda', DEFAULTS.tissue.lambda, LAMBDA);
  const regions = (read.list(tissueInput.regions, 'tissue.regions') ?? []).map((value, index) =>
    readRegion(read, value, `tissue.regions[${index}]`, alpha, lambda));

  const speciesInput = read.object(root.species, 'species',
    ['name', 'valence', 'D_um2_per_ms', 'baseline_mM', 'inside_mM']);
  const species = {
    name: read.text(speciesInput.name, 'species.name', DEFAULTS.species.name),
    valence: read.number(speciesInput.valence, 'species.valence', DEFAULTS.species.valence,
      { atLeast: -3, atMost: 3, integer: true, unit: 'charge number, non-zero' }),
    D_um2_per_ms: read.number(speciesInput.D_um2_per_ms, 'species.D_um2_per_ms', DEFAULTS.species.D_um2_per_ms,
      { above: 0, atMost: 100, unit: 'µm²/ms, free diffusion coefficient' }),
    baseline_mM: read.number(speciesInput.baseline_mM, 'species.baseline_mM', DEFAULTS.species.baseline_mM,
      { atLeast: 0, atMost: 1000, unit: 'mM' }),
    inside_mM: read.number(speciesInput.inside_mM, 'species.inside_mM', DEFAULTS.species.inside_mM,
      { above: 0, atMost: 1000, unit: 'mM' }),
  };
  if (species.valence === 0) read.fail('species.valence', 0, 'must be non-zero: a whole number from -3 to 3 except 0 (charge number)');

  const boundaryInput = read.object(root.boundary, 'boundary', ['type', 'value_mM', 'faces']);
  const boundaryType = read.choice(boundaryInput.type, 'boundary.type', 'dirichlet', ['dirichlet', 'neumann'] as const);
  const facesInput = read.object(boundaryInput.faces, 'boundary.faces', FACE_NAMES);
  const faces = Object.fromEntries(FACE_NAMES.map((face) => [face,
    read.choice(facesInput[face], `boundary.faces.${face}`, boundaryType, ['dirichlet', 'neumann'] as const)])) as
    Record<FaceName, BoundaryType>;
  const boundary = {
    type: boundaryType,
    value_mM: read.number(boundaryInput.value_mM, 'boundary.value_mM', species.baseline_mM,
      { atLeast: 0, atMost: 1000, unit: 'mM, bath concentration' }),
    faces,
  };

  const defaultSources: SourceConfig[] = [
    { type: 'bolus', position_um: centre_um, amount_mol: DEFAULTS.bolus_amount_mol, time_ms: 0, period_ms: 0 },
  ];
  const sources = read.list(root.sources, 'sources')?.map((value, index) =>
    readSource(read, value, `sources[${index}]`, centre_um, position)) ?? defaultSources;

  const uptakeInput = read.object(root.uptake, 'uptake', ['k_ecs_per_ms', 'k_tissue_per_ms', 'pump', 'glia']);
  const pumpInput = read.object(uptakeInput.pump, 'uptake.pump', ['vmax_mM_per_ms', 'km_mM']);
  const gliaInput = read.object(uptakeInput.glia, 'uptake.glia', ['conductance_S_per_m3']);
  const uptake = {
    k_ecs_per_ms: read.number(uptakeInput.k_ecs_per_ms, 'uptake.k_ecs_per_ms', 0,
      { atLeast: 0, atMost: 1e3, unit: '1/ms, rate per ECS volume (Nicholson k′)' }),
    k_tissue_per_ms: read.number(uptakeInput.k_tissue_per_ms, 'uptake.k_tissue_per_ms', 0,
      { atLeast: 0, atMost: 1e3, unit: '1/ms, rate per tissue volume (τ = α/k_t)' }),
    pump: {
      vmax_mM_per_ms: read.number(pumpInput.vmax_mM_per_ms, 'uptake.pump.vmax_mM_per_ms', 0,
        { atLeast: 0, atMost: 1e3, unit: 'mM/ms per tissue volume' }),
      km_mM: read.number(pumpInput.km_mM, 'uptake.pump.km_mM', DEFAULTS.pump_km_mM,
        { above: 0, atMost: 1000, unit: 'mM' }),
    },
    glia: {
      conductance_S_per_m3: read.number(gliaInput.conductance_S_per_m3, 'uptake.glia.conductance_S_per_m3', 0,
        { atLeast: 0, atMost: 1e11, unit: 'S/m³ of tissue; Halnes et al. 2013: 1.36e8' }),
    },
  };

  const defaultProbes: ProbeConfig[] = DEFAULTS.probe_distances_um
    .filter((r) => centre_um[0] + r <= extent_um[0])
    .map((r) => ({ name: `r${r}`, position_um: [centre_um[0] + r, centre_um[1], centre_um[2]] }));
  const probeList = read.list(root.probes, 'probes');
  if (probeList && probeList.length > MAX_PROBES) {
    read.fail('probes', `${probeList.length} probes`, `at most ${MAX_PROBES} probes (each is a column of every table and series)`);
  }
  const probes = probeList?.slice(0, MAX_PROBES).map((value, index) => {
    const field = `probes[${index}]`;
    const probe = read.object(value, field, ['name', 'position_um']);
    return {
      name: read.text(probe.name, `${field}.name`, `probe${index + 1}`),
      position_um: position(probe.position_um, `${field}.position_um`, centre_um),
    };
  }) ?? defaultProbes;
  const seen = new Set<string>();
  probes.forEach((probe, index) => {
    if (seen.has(probe.name)) read.fail(`probes[${index}].name`, probe.name, 'must be unique among probes');
    seen.add(probe.name);
  });

  const duration_ms = read.number(root.duration_ms, 'duration_ms', DEFAULTS.duration_ms,
    { atLeast: 1e-3, atMost: 1e8, unit: 'ms' });
  let dt_ms: number | 'auto' = 'auto';
  if (root.dt_ms !== undefined && root.dt_ms !== 'auto') {
    dt_ms = read.number(root.dt_ms, 'dt_ms', REQUIRED, { above: 0, unit: 'ms, or "auto"' });
  }
  const accuracyInput = read.object(root.accuracy, 'accuracy', ['relative_tolerance']);
  const accuracy = {
    relative_tolerance: read.number(accuracyInput.relative_tolerance, 'accuracy.relative_tolerance',
      DEFAULTS.relative_tolerance, { atLeast: 1e-6, atMost: 0.1, unit: 'relative time error, dimensionless' }),
  };
  const temperature_C = read.number(root.temperature_C, 'temperature_C', DEFAULTS.temperature_C,
    { atLeast: -20, atMost: 100, unit: '°C' });

  const config: ResolvedConfig = {
    grid: { size, spacing_um }, tissue: { alpha, lambda, regions }, species, boundary, sources, uptake,
    probes, duration_ms, dt_ms, accuracy, temperature_C,
  };

  if (read.issues.length === 0) checkResources(read, config);
  if (read.issues.length > 0) throw new ConfigError(read.issues);
  return deepFreeze(config);
}

/** The resolved config cannot be changed after validation (a Simulation's kernel was sized by it). */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

/**
 * The problem with a grid too big for WebAssembly memory on a kernel path, or null. A config that
 * passes resolveConfig fits on the path it would choose itself; Simulation.create checks again for
 * an explicitly requested path.
 */
export function memoryIssue(config: ResolvedConfig, path: KernelPath): ConfigIssue | null {
  const bytes = kernelMemoryBytes(config.grid.size, path);
  if (bytes <= MAX_KERNEL_MEMORY_BYTES) return null;
  const voxels = config.grid.size[0] * config.grid.size[1] * config.grid.size[2];
  return {
    field: 'grid.size', value: config.grid.size,
    message: `grid.size = ${shownValue(config.grid.size)}: needs ${(bytes / 2 ** 30).toFixed(1)} GiB of kernel memory ` +
      `(${voxels.toExponential(2)} voxels, ${path} kernel); at most ${(MAX_KERNEL_MEMORY_BYTES / 2 ** 30).toFixed(1)} GiB ` +
      'fit in WebAssembly memory: use fewer voxels',
  };
}

const ONE_ION_MOL = 1 / AVOGADRO_PER_MOL;

/** The field that sets a source's amount, its value, and the amount one release event gives (mol). */
function releasedPerEvent(source: SourceConfig, config: ResolvedConfig): [string, number, number] {
  switch (source.type) {
    case 'bolus': return ['amount_mol', source.amount_mol, source.amount_mol];
    case 'iontophoresis': return ['current_nA', source.current_nA,
      iontophoresisRate_mol_per_ms(source.current_nA, source.transport_number, config.species.valence) * source.duration_ms];
    case 'region': return ['rate_mM_per_ms', source.rate_mM_per_ms, source.rate_mM_per_ms * source.duration_ms *
      regionVoxelCount(source, config) * config.grid.spacing_um ** 3 * MOL_PER_UM3_PER_MM];
  }
}

/**
 * The problem with a run to duration_ms that would take more than MAX_STEPS steps, or null.
 * resolveConfig leaves the glial step limit out (withGlia false): the page and the element run a
 * config until paused; the command line, which runs to duration_ms, asks with it.
 */
export function stepBudgetIssue(config: ResolvedConfig, withGlia = true): ConfigIssue | null {
  const bound = stepBound(config, config.duration_ms, withGlia);
  if (bound.steps <= MAX_STEPS) return null;
  const [nx, ny, nz] = config.grid.size;
  const days = (bound.steps * nx * ny * nz) / 5e8 / 86400;
  const count = (value: number) => (!Number.isFinite(value) ? '∞' : value < 1e6 ? value.toPrecision(2) : value.toExponential(1));
  return { field: bound.field, value: bound.value, message: `${bound.field} = ${shownValue(bound.value)}: the run would take at least ` +
    `${count(bound.steps)} steps (${bound.reason}; ≥ ${count(days)} days at 500 M voxel updates/s), more than the ` +
    `${MAX_STEPS / 1e6} million a run may take: use ${bound.remedy}, or a shorter duration_ms` };
}

/** Checks that need a whole, otherwise valid config: memory, sources and the time step's stability limit. */
function checkResources(read: Reader, config: ResolvedConfig): void {
  const memory = memoryIssue(config, chooseKernelPath(config, 'auto'));
  if (memory) read.issues.push(memory);
  config.sources.forEach((source, index) => {
    if (source.type === 'region' && regionVoxelCount(source, config) === 0) {
      read.fail(`sources[${index}]`, source, `contains no voxel centre (voxel centres are at (i + ½)·${config.grid.spacing_um} µm): ` +
        'enlarge or move the shape');
      return;
    }
    // Less than an ion is not a physical release, and far enough below it (1e-300 mol) the kernel's
    // 32-bit field rounds it to nothing while the ledger still counts it.
    const [field, value, amount_mol] = releasedPerEvent(source, config);
    if (amount_mol > 0 && amount_mol < ONE_ION_MOL) {
      read.fail(`sources[${index}].${field}`, value, `releases ${amount_mol.toExponential(2)} mol, less than one ion ` +
        `(${ONE_ION_MOL.toExponential(2)} mol): use 0 for no release, or a larger ${field}`);
    }
  });
  const overBudget = stepBudgetIssue(config, false);
  if (overBudget) read.issues.push(overBudget);
  if (config.dt_ms !== 'auto') {
    const limit = stabilityLimit_ms(config);
    if (config.dt_ms > limit) {
      read.fail('dt_ms', config.dt_ms,
        `above the stability limit: must be ≤ ${limit.toPrecision(4)} ms for this grid spacing and tissue ` +
        `(a fixed step is one two-stage RKL2 step, stable for dt ≤ 2/ρ, ρ the largest rate of diffusion and linear uptake; h²/(6 D*) in uniform tissue without uptake), or "auto" (error-controlled steps of any length)`);
    }
  }
}

function readRegion(read: Reader, value: unknown, field: string, alpha: number, lambda: number): RegionConfig {
  const shape = read.choice((value as Json | undefined)?.shape, `${field}.shape`, 'sphere',
    ['sphere', 'box', 'layer'] as const);
  const common = ['shape', 'alpha', 'lambda'];
  const keys = shape === 'sphere' ? ['center_um', 'radius_um'] : shape === 'box' ? ['min_um', 'max_um'] : ['axis', 'min_um', 'max_um'];
  const region = read.object(value, field, [...common, ...keys]);
  const tissue = {
    alpha: read.number(region.alpha, `${field}.alpha`, alpha, ALPHA),
    lambda: read.number(region.lambda, `${field}.lambda`, lambda, LAMBDA),
  };
  const coordinate: Range = { unit: 'µm' };
  if (shape === 'sphere') {
    return {
      shape, ...tissue,
      center_um: read.vector(region.center_um, `${field}.center_um`, REQUIRED, coordinate),
      radius_um: read.number(region.radius_um, `${field}.radius_um`, REQUIRED, { above: 0, unit: 'µm' }),
    };
  }
  if (shape === 'box') {
    const box = {
      shape, ...tissue,
      min_um: read.vector(region.min_um, `${field}.min_um`, REQUIRED, coordinate),
      max_um: read.vector(region.max_um, `${field}.max_um`, REQUIRED, coordinate),
    };
    requireOrdered(read, field, box.min_um, box.max_um);
    return box;
  }
  const layer = {
    shape, ...tissue,
    axis: read.choice(region.axis, `${field}.axis`, 'z', ['x', 'y', 'z'] as const),
    min_um: read.number(region.min_um, `${field}.min_um`, REQUIRED, coordinate),
    max_um: read.number(region.max_um, `${field}.max_um`, REQUIRED, coordinate),
  };
  if (Number.isFinite(layer.min_um) && Number.isFinite(layer.max_um) && !(layer.max_um > layer.min_um)) {
    read.fail(`${field}.max_um`, layer.max_um, `must be > ${field}.min_um = ${layer.min_um} (µm)`);
  }
  return layer;
}

function requireOrdered(read: Reader, field: string, min: Vector3, max: Vector3): void {
  min.forEach((low, axis) => {
    if (!(max[axis] > low) && Number.isFinite(low) && Number.isFinite(max[axis])) read.fail(`${field}.max_um[${axis}]`, max[axis], `must be > ${field}.min_um[${axis}] = ${low} (µm)`);
  });
}

function readSource(
  read: Reader, value: unknown, field: string, centre_um: Vector3,
  position: (value: unknown, field: string, fallback: Vector3) => Vector3,
): SourceConfig {
  const type = read.choice((value as Json | undefined)?.type, `${field}.type`, 'bolus',
    ['bolus', 'iontophoresis', 'region'] as const);
  if (type === 'bolus') {
    const source = read.object(value, field, ['type', 'position_um', 'amount_mol', 'time_ms', 'period_ms']);
    return {
      type,
      position_um: position(source.position_um, `${field}.position_um`, centre_um),
      amount_mol: read.number(source.amount_mol, `${field}.amount_mol`, DEFAULTS.bolus_amount_mol,
        { atLeast: 0, atMost: 1, unit: 'mol' }),
      time_ms: read.number(source.time_ms, `${field}.time_ms`, 0, NON_NEGATIVE_MS),
      period_ms: read.number(source.period_ms, `${field}.period_ms`, 0, { atLeast: 0, unit: 'ms; 0 releases once' }),
    };
  }
  if (type === 'iontophoresis') {
    const source = read.object(value, field,
      ['type', 'position_um', 'current_nA', 'transport_number', 'start_ms', 'duration_ms']);
    return {
      type,
      position_um: position(source.position_um, `${field}.position_um`, centre_um),
      current_nA: read.number(source.current_nA, `${field}.current_nA`, 80,
        { atLeast: 0, atMost: 1e6, unit: 'nA, ejection current' }),
      transport_number: read.number(source.transport_number, `${field}.transport_number`, DEFAULTS.transport_number,
        { above: 0, atMost: 1, unit: 'dimensionless' }),
      start_ms: read.number(source.start_ms, `${field}.start_ms`, 0, NON_NEGATIVE_MS),
      duration_ms: read.number(source.duration_ms, `${field}.duration_ms`, DEFAULTS.iontophoresis_duration_ms,
        NON_NEGATIVE_MS),
    };
  }
  const shape = read.choice((value as Json | undefined)?.shape, `${field}.shape`, 'sphere', ['sphere', 'box'] as const);
  const timing = ['type', 'shape', 'rate_mM_per_ms', 'start_ms', 'duration_ms'];
  const source = read.object(value, field, [...timing, ...(shape === 'sphere' ? ['center_um', 'radius_um'] : ['min_um', 'max_um'])]);
  const common = {
    type,
    rate_mM_per_ms: read.number(source.rate_mM_per_ms, `${field}.rate_mM_per_ms`, 0.02,
      { atLeast: 0, atMost: 1e4, unit: 'mM/ms per tissue volume' }),
    start_ms: read.number(source.start_ms, `${field}.start_ms`, 0, NON_NEGATIVE_MS),
    duration_ms: read.number(source.duration_ms, `${field}.duration_ms`, DEFAULTS.region_duration_ms, NON_NEGATIVE_MS),
  };
  if (shape === 'sphere') {
    return {
      ...common, shape,
      center_um: position(source.center_um, `${field}.center_um`, centre_um),
      radius_um: read.number(source.radius_um, `${field}.radius_um`, 20, { above: 0, unit: 'µm' }),
    };
  }
  const box = {
    ...common, shape,
    min_um: read.vector(source.min_um, `${field}.min_um`, REQUIRED, { unit: 'µm' }),
    max_um: read.vector(source.max_um, `${field}.max_um`, REQUIRED, { unit: 'µm' }),
  };
  requireOrdered(read, field, box.min_um, box.max_um);
  return box;
}
