// What the page shows and simulates, as one plain object: the parameter form (turned into a config)
// and the view settings. It round-trips through the URL hash, so a link reproduces the page.
import { COLORMAP_NAMES, type ColormapName } from '../core/colormaps.js';
import { findPreset, PRESETS } from '../core/presets.js';
import { resolveConfig, type ResolvedConfig } from '../core/config.js';
import { ConfigError } from '../core/config-error.js';
import { boundsText } from '../core/format.js';
import type { PageProbe, Speed } from '../worker/protocol.js';

/** The parameters the panel edits, with units in their names. */
export interface ParameterForm {
  preset: string;
  alpha: number;
  lambda: number;
  D_um2_per_ms: number;
  baseline_mM: number;
  inside_mM: number;
  release: 'bolus' | 'iontophoresis' | 'region';
  /** Bolus amount (pmol). */
  amount_pmol: number;
  /** Release repeats every period (ms); 0 = once. Bolus only. */
  period_ms: number;
  current_nA: number;
  transport_number: number;
  duration_ms: number;
  rate_mM_per_ms: number;
  radius_um: number;
  /** Release position as fractions of the box (0..1 per axis). */
  position: [number, number, number];
  k_ecs_per_ms: number;
  k_tissue_per_ms: number;
  pump_vmax_mM_per_ms: number;
  glia_S_per_m3: number;
  /** A region of other tissue centred in the box: none, a sphere (size = radius) or a z-layer (size = thickness). */
  region: 'none' | 'sphere' | 'layer';
  region_alpha: number;
  region_lambda: number;
  region_size_um: number;
  boundary: 'dirichlet' | 'neumann';
  grid_n: number;
  spacing_um: number;
}

/** View settings: nothing here needs a rebuild. */
export interface ViewSettings {
  mode: 'concentration' | 'EK';
  colormap: ColormapName;
  window_mM: [number, number];
  window_mV: [number, number];
  opacity: number;
  showVolume: boolean;
  slices: [number | null, number | null, number | null];
  isosurface_mM: number | null;
  speed: Speed;
  /**
   * Measure the time error of the probe values live (a second run with every step halved: about 3×
   * the work). Default on. Changing it restarts the run.
   */
  timeError: boolean;
}

export interface PageState {
  form: ParameterForm;
  view: ViewSettings;
  /** Probe positions (µm); the default probes of the config when empty on load. */
  probes: { name: string; position_um: [number, number, number] }[];
}

export function defaultPageState(): PageState {
  return {
    form: {
      preset: 'cortex', alpha: 0.2, lambda: 1.6, D_um2_per_ms: 2.62, baseline_mM: 3, inside_mM: 140,
      release: 'bolus', amount_pmol: 0.2, period_ms: 2000, current_nA: 80, transport_number: 0.4, duration_ms: 1000,
      rate_mM_per_ms: 0.02, radius_um: 20, position: [0.5, 0.5, 0.5],
      k_ecs_per_ms: 0, k_tissue_per_ms: 0, pump_vmax_mM_per_ms: 0, glia_S_per_m3: 0,
      region: 'none', region_alpha: 0.07, region_lambda: 2.0, region_size_um: 40,
      boundary: 'dirichlet', grid_n: 64, spacing_um: 4,
    },
    view: {
      mode: 'concentration', colormap: 'inferno', window_mM: [0, 2], window_mV: [-103, -70], opacity: 0.8,
      showVolume: true, slices: [null, null, null], isosurface_mM: null, speed: 1000, timeError: true,
    },
    probes: [],
  };
}

/** The simulation config the form describes. The page runs without end. */
export function configFromForm(form: ParameterForm): Record<string, unknown> {
  const extent = form.grid_n * form.spacing_um;
  const position_um = form.position.map((fraction) => fraction * extent);
  const source = form.release === 'bolus'
    ? { type: 'bolus', position_um, amount_mol: form.amount_pmol * 1e-12, time_ms: 0, period_ms: form.period_ms }
    : form.release === 'iontophoresis'
      ? { type: 'iontophoresis', position_um, current_nA: form.current_nA, transport_number: form.transport_number,
          start_ms: 0, duration_ms: form.duration_ms }
      : { type: 'region', shape: 'sphere', center_um: position_um, radius_um: form.radius_um,
          rate_mM_per_ms: form.rate_mM_per_ms, start_ms: 0, duration_ms: form.duration_ms };
  const centre = extent / 2;
  const tissue = { alpha: form.region_alpha, lambda: form.region_lambda };
  const regions = form.region === 'sphere'
    ? [{ shape: 'sphere', center_um: [centre, centre, centre], radius_um: form.region_size_um, ...tissue }]
    : form.region === 'layer'
      ? [{ shape: 'layer', axis: 'z', min_um: centre - form.region_size_um / 2, max_um: centre + form.region_size_um / 2, ...tissue }]
      : [];
  return {
    grid: { size: [form.grid_n, form.grid_n, form.grid_n], spacing_um: form.spacing_um },
    tissue: { alpha: form.alpha, lambda: form.lambda, regions },
    species: { D_um2_per_ms: form.D_um2_per_ms, baseline_mM: form.baseline_mM, inside_mM: form.inside_mM },
    boundary: { type: form.boundary },
    sources: [source],
    uptake: {
      k_ecs_per_ms: form.k_ecs_per_ms, k_tissue_per_ms: form.k_tissue_per_ms,
      pump: { vmax_mM_per_ms: form.pump_vmax_mM_per_ms }, glia: { conductance_S_per_m3: form.glia_S_per_m3 },
    },
    probes: [],
    duration_ms: 1e8,
  };
}

/**
 * The config as the page's "export config" writes it: the page runs until paused (duration_ms 1e8),
 * so the export runs for what the page showed — the simulated time so far, to the next whole
 * 100 ms — or, before anything ran, for two release periods (a single release: 2000 ms). probes:
 * the page's own, so that `ecs-sim run` on the file reads what the page plotted.
 */
export function exportedConfig(config: object, shown_ms: number, probes: readonly PageProbe[]): Record<string, unknown> {
  const period_ms = ((config as { sources?: { period_ms?: number }[] }).sources?.[0]?.period_ms) ?? 0;
  const duration_ms = shown_ms > 0 ? Math.ceil(shown_ms / 100) * 100 : period_ms > 0 ? 2 * period_ms : 2000;
  return { ...config, duration_ms, probes: probes.map((probe) => ({ name: probe.name, position_um: [...probe.position_um] })) };
}

/** The probes a page shows when none are asked for: 30 and 50 µm from the box centre along x (those inside the box). */
export function defaultProbes(config: ResolvedConfig): PageProbe[] {
  const [nx, ny, nz] = config.grid.size, h = config.grid.spacing_um;
  const centre: [number, number, number] = [nx * h / 2, ny * h / 2, nz * h / 2];
  return [30, 50].filter((r) => centre[0] + r <= nx * h).map((r) => ({ name: `r${r}`, position_um: [centre[0] + r, centre[1], centre[2]] }));
}

/** Which form field a config field comes from, for showing a validation message next to it. */
export const FORM_FIELD_OF_CONFIG: Readonly<Record<string, keyof ParameterForm>> = {
  'tissue.alpha': 'alpha', 'tissue.lambda': 'lambda', 'species.D_um2_per_ms': 'D_um2_per_ms',
  'species.baseline_mM': 'baseline_mM', 'species.inside_mM': 'inside_mM', 'grid.spacing_um': 'spacing_um',
  'grid.size': 'grid_n', 'grid.size[0]': 'grid_n', 'uptake.k_ecs_per_ms': 'k_ecs_per_ms',
  'uptake.k_tissue_per_ms': 'k_tissue_per_ms', 'uptake.pump.vmax_mM_per_ms': 'pump_vmax_mM_per_ms',
  'uptake.glia.conductance_S_per_m3': 'glia_S_per_m3', 'sources[0].amount_mol': 'amount_pmol',
  'sources[0].period_ms': 'period_ms', 'sources[0].current_nA': 'current_nA',
  'sources[0].transport_number': 'transport_number', 'sources[0].duration_ms': 'duration_ms',
  'sources[0].rate_mM_per_ms': 'rate_mM_per_ms', 'sources[0].radius_um': 'radius_um', 'sources[0]': 'radius_um',
  'tissue.regions[0].alpha': 'region_alpha', 'tissue.regions[0].lambda': 'region_lambda',
  'tissue.regions[0].radius_um': 'region_size_um', 'tissue.regions[0].max_um': 'region_size_um',
};

/** Applies a preset's α and λ to the form. */
export function applyPresetToForm(form: ParameterForm, name: string): void {
  const { tissue } = findPreset(name).config;
  form.preset = name;
  form.alpha = tissue.alpha;
  form.lambda = tissue.lambda;
}

/** The state as a URL hash. */
export function stateToHash(state: PageState): string {
  return '#' + encodeURIComponent(JSON.stringify(state));
}

/** Grid sides the panel offers (voxels per side). */
export const GRID_SIDES: readonly number[] = [32, 48, 64, 96, 128];

/** Speeds the panel offers: simulated ms per wall-clock second, or 'max'. */
export const SPEEDS: Readonly<Record<string, Speed>> = {
  '0.1× real time': 100, '0.25×': 250, '0.5×': 500, '1× (real time)': 1000, '2×': 2000, '5×': 5000, 'as fast as possible': 'max',
};

/** Probes a link may hold: each is sampled after every step, so a hand-made list of thousands would stall the run. */
export const MAX_LINK_PROBES = 16;

/** Longest probe name a link may hold (characters); names are labels in the read-outs and the plot. */
const MAX_PROBE_NAME = 40;

/** An allowed interval; open or closed ends as in the core's config messages. */
interface Bounds { above?: number; atLeast?: number; below?: number; atMost?: number; integer?: boolean }

/** How one field of a link is read, and what it means (with its unit) for the message when it is bad. */
type Rule =
  | { kind: 'number'; bounds: Bounds; meaning: string }
  | { kind: 'choice'; choices: readonly (string | number)[]; meaning: string }
  | { kind: 'boolean'; meaning: string }
  /** Three fractions of the box, 0 to 1. */
  | { kind: 'fractions'; meaning: string }
  /** Two finite numbers, low < high. */
  | { kind: 'window'; meaning: string }
  /** Three entries, each null (hidden) or a fraction 0 to 1. */
  | { kind: 'slices'; meaning: string }
  /** null (off) or a finite number. */
  | { kind: 'level'; meaning: string };

const number = (meaning: string, bounds: Bounds): Rule => ({ kind: 'number', bounds, meaning });
const choice = (meaning: string, choices: readonly (string | number)[]): Rule => ({ kind: 'choice', choices, meaning });

/**
 * Every form field a link may set. The bounds are the core's (resolveConfig; test/app/page-state.test.ts
 * checks both edges), checked here so that each bad field is named and replaced on its own, whatever
 * the release type; only grid_n is held tighter, to the panel's largest grid. resolveConfig checks
 * the whole config again afterwards (memory, the release inside the grid, the run's length).
 */
const FORM_RULES: Readonly<Record<keyof ParameterForm, Rule>> = {
  preset: choice('named tissue state', PRESETS.map((preset) => preset.name)),
  alpha: number('volume fraction α, dimensionless', { above: 0, atMost: 1 }),
  lambda: number('tortuosity λ, dimensionless', { atLeast: 1, atMost: 5 }),
  D_um2_per_ms: number('free diffusion coefficient D, µm²/ms', { above: 0, atMost: 100 }),
  baseline_mM: number('resting [K⁺]o, mM', { atLeast: 0, atMost: 1000 }),
  inside_mM: number('[K⁺]i, mM', { above: 0, atMost: 1000 }),
  release: choice('how K⁺ is released', ['bolus', 'iontophoresis', 'region']),
  amount_pmol: number('bolus amount, pmol', { atLeast: 0, atMost: 1e12 }),
  period_ms: number('bolus period, ms; 0 releases once', { atLeast: 0 }),
  current_nA: number('iontophoresis current, nA', { atLeast: 0, atMost: 1e6 }),
  transport_number: number('transport number, dimensionless', { above: 0, atMost: 1 }),
  duration_ms: number('release duration, ms', { atLeast: 0 }),
  rate_mM_per_ms: number('region release rate, mM/ms per tissue volume', { atLeast: 0, atMost: 1e4 }),
  radius_um: number('region release radius, µm', { above: 0 }),
  position: { kind: 'fractions', meaning: 'release position, fractions of the box' },
  k_ecs_per_ms: number('uptake k′, 1/ms', { atLeast: 0, atMost: 1e3 }),
  k_tissue_per_ms: number('uptake k_t, 1/ms', { atLeast: 0, atMost: 1e3 }),
  pump_vmax_mM_per_ms: number('pump Vmax, mM/ms', { atLeast: 0, atMost: 1e3 }),
  glia_S_per_m3: number('glial Kir conductance, S/m³', { atLeast: 0, atMost: 1e11 }),
  region: choice('region of other tissue', ['none', 'sphere', 'layer']),
  region_alpha: number('volume fraction α of the region, dimensionless', { above: 0, atMost: 1 }),
  region_lambda: number('tortuosity λ of the region, dimensionless', { atLeast: 1, atMost: 5 }),
  region_size_um: number('radius or thickness of the region, µm', { above: 0 }),
  boundary: choice('boundary', ['dirichlet', 'neumann']),
  grid_n: number(`voxels per side; the panel offers ${GRID_SIDES.join(', ')}`, { atLeast: 1, atMost: Math.max(...GRID_SIDES), integer: true }),
  spacing_um: number('voxel edge h, µm', { above: 0, atMost: 1000 }),
};

const VIEW_RULES: Readonly<Record<keyof ViewSettings, Rule>> = {
  mode: choice('colour by', ['concentration', 'EK']),
  colormap: choice('colormap', COLORMAP_NAMES),
  window_mM: { kind: 'window', meaning: 'colour window, mM excess' },
  window_mV: { kind: 'window', meaning: 'colour window of E_K, mV' },
  opacity: number('cloud opacity, dimensionless', { atLeast: 0, atMost: 1 }),
  showVolume: { kind: 'boolean', meaning: 'show the volume' },
  slices: { kind: 'slices', meaning: 'slice positions, fractions of the box' },
  isosurface_mM: { kind: 'level', meaning: 'isosurface level, mM excess' },
  speed: choice('simulated ms per wall-clock second', Object.values(SPEEDS)),
  timeError: { kind: 'boolean', meaning: 'measure the time error' },
};

/** A value as the message shows it: JSON, cut short. */
function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 48 ? text.slice(0, 47) + '…' : text;
}

function describeBounds(bounds: Bounds): string {
  return (bounds.integer ? 'a whole number ' : 'a number ') + boundsText(bounds);
}

function inBounds(value: number, bounds: Bounds): boolean {
  return !((bounds.above !== undefined && !(value > bounds.above)) || (bounds.atLeast !== undefined && !(value >= bounds.atLeast)) ||
    (bounds.below !== undefined && !(value < bounds.below)) || (bounds.atMost !== undefined && !(value <= bounds.atMost)) ||
    (bounds.integer && !Number.isInteger(value)));
}

const isFraction = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= 1;
const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problem with a link value under its rule, as "must be …", or null when it is good. */
function ruleProblem(rule: Rule, value: unknown): string | null {
  switch (rule.kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be ${describeBounds(rule.bounds)}`;
      return inBounds(value, rule.bounds) ? null : `out of range: must be ${describeBounds(rule.bounds)}`;
    case 'choice':
      return rule.choices.includes(value as string | number) ? null : `must be one of ${rule.choices.map((c) => shown(c)).join(', ')}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'fractions':
      return Array.isArray(value) && value.length === 3 && value.every(isFraction) ? null : 'must be three numbers, each ≥ 0 and ≤ 1';
    case 'window':
      return Array.isArray(value) && value.length === 2 && value.every((x) => typeof x === 'number' && Number.isFinite(x)) && value[0] < value[1]
        ? null : 'must be two numbers, low < high';
    case 'slices':
      return Array.isArray(value) && value.length === 3 && value.every((x) => x === null || isFraction(x))
        ? null : 'must be three entries, each null (hidden) or a number ≥ 0 and ≤ 1';
    case 'level':
      return value === null || (typeof value === 'number' && Number.isFinite(value)) ? null : 'must be null (off) or a number';
  }
}

/** A fresh copy of a validated value, so the state shares no arrays with the defaults or the parsed link. */
const copy = <T>(value: T): T => (Array.isArray(value) ? [...value] as T : value);

/**
 * Reads one group of a link (form or view) field by field: good values are kept, bad ones named in
 * problems and replaced by the default, unknown keys named and ignored.
 */
function readGroup<T extends object>(name: string, input: unknown, defaults: T, rules: Readonly<Record<keyof T, Rule>>, problems: string[]): T {
  const result = { ...defaults };
  if (input === undefined) return result;
  if (!isPlainObject(input)) {
    problems.push(`Link: ${name} = ${shown(input)}: must be an object of settings; using the defaults for all of ${name}`);
    return result;
  }
  for (const [key, value] of Object.entries(input)) {
    const rule = (rules as Record<string, Rule | undefined>)[key];
    if (!Object.hasOwn(rules, key) || !rule) {
      problems.push(`Link: ${name}.${key} = ${shown(value)}: unknown setting, ignored`);
      continue;
    }
    const problem = ruleProblem(rule, value);
    if (problem === null) {
      (result as Record<string, unknown>)[key] = copy(value);
    } else {
      problems.push(`Link: ${name}.${key} = ${shown(value)}: ${problem} (${rule.meaning}); using the default ${shown(defaults[key as keyof T])}`);
    }
  }
  return result;
}

/** The link's probes that can be shown in this form's box; the rest named in problems. */
function readProbes(input: unknown, form: ParameterForm, problems: string[]): PageState['probes'] {
  if (input === undefined) return [];
  if (!Array.isArray(input)) {
    problems.push(`Link: probes = ${shown(input)}: must be a list of probes {name, position_um}; using the default probes`);
    return [];
  }
  const extent = form.grid_n * form.spacing_um;
  const probes: PageState['probes'] = [];
  const names = new Set<string>();
  input.forEach((probe: unknown, index) => {
    const field = `probes[${index}]`;
    if (index >= MAX_LINK_PROBES) {
      if (index === MAX_LINK_PROBES) problems.push(`Link: probes: ${input.length} probes, at most ${MAX_LINK_PROBES}; the rest are dropped`);
      return;
    }
    if (!isPlainObject(probe)) {
      problems.push(`Link: ${field} = ${shown(probe)}: must be an object {name, position_um}; dropped`);
      return;
    }
    for (const key of Object.keys(probe)) {
      if (key !== 'name' && key !== 'position_um') problems.push(`Link: ${field}.${key} = ${shown(probe[key])}: unknown setting, ignored`);
    }
    const { name, position_um: position } = probe;
    if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_PROBE_NAME) {
      problems.push(`Link: ${field}.name = ${shown(name)}: must be a name of 1 to ${MAX_PROBE_NAME} characters; probe dropped`);
    } else if (names.has(name)) {
      problems.push(`Link: ${field}.name = ${shown(name)}: must be unique among probes; probe dropped`);
    } else if (!Array.isArray(position) || position.length !== 3 || !position.every((x) => typeof x === 'number' && x >= 0 && x <= extent)) {
      problems.push(`Link: ${field}.position_um = ${shown(position)}: must be three numbers, each ≥ 0 and ≤ ${extent} ` +
        '(µm, inside the box); probe dropped');
    } else {
      names.add(name);
      probes.push({ name, position_um: [position[0], position[1], position[2]] });
    }
  });
  return probes;
}

/**
 * Fields of a form whose config resolveConfig refuses (values good one by one, bad together: a
 * region release holding no voxel centre, a grid too big for memory, a run of too many steps),
 * each reset to its default and named; if a problem has no form field, the whole form is reset.
 */
function resolveForm(form: ParameterForm, defaults: ParameterForm, problems: string[]): ParameterForm {
  let current = form;
  // Resetting a field can only remove problems, and there are finitely many fields: three rounds is plenty.
  for (let round = 0; round < 3; round++) {
    let issues;
    try {
      resolveConfig(configFromForm(current));
      return current;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues = error.issues;
    }
    const next = { ...current };
    for (const issue of issues) {
      const key = FORM_FIELD_OF_CONFIG[issue.field] ?? FORM_FIELD_OF_CONFIG[issue.field.replace(/\[\d\]$/, '')];
      // A field at its default already is not the culprit (the core names one field for several).
      if (!key || next[key] === defaults[key]) {
        problems.push(`Link: ${issue.message}; using the default parameters`);
        return { ...defaults, position: [...defaults.position] };
      }
      problems.push(`Link: form.${key} = ${shown(current[key])}: ${issue.message}; using the default ${shown(defaults[key])}`);
      (next as Record<string, unknown>)[key] = copy(defaults[key]);
    }
    current = next;
  }
  problems.push('Link: the parameters do not make a valid simulation together; using the default parameters');
  return { ...defaults, position: [...defaults.position] };
}

/**
 * The state in a URL hash over the defaults: every field is checked; good ones are kept, bad ones
 * replaced by their default and each named in one line of problems (field, value, what is allowed
 * with its unit), so an old or hand-edited link still opens, and says what it could not use.
 */
export function stateFromHash(hash: string): { state: PageState; problems: string[] } {
  const defaults = defaultPageState();
  if (!hash || hash === '#') return { state: defaults, problems: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeURIComponent(hash.slice(1)));
  } catch (error) {
    const reason = error instanceof URIError ? 'not valid percent-encoded UTF-8' : (error as Error).message.split('\n')[0];
    return { state: defaults, problems: [`Link: ${shown(hash)} is not a state this page wrote (${reason}); showing the defaults`] };
  }
  if (!isPlainObject(parsed)) {
    return { state: defaults, problems: [`Link: the state = ${shown(parsed)}: must be an object {form, view, probes}; showing the defaults`] };
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key !== 'form' && key !== 'view' && key !== 'probes') problems.push(`Link: ${key} = ${shown(value)}: unknown setting, ignored`);
  }
  const checked = readGroup('form', parsed.form, defaults.form, FORM_RULES, problems);
  const form = resolveForm(checked, defaults.form, problems);
  const view = readGroup('view', parsed.view, defaults.view, VIEW_RULES, problems);
  const probes = readProbes(parsed.probes, form, problems);
  return { state: { form, view, probes }, problems };
}
