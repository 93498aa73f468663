// What the page shows and simulates, as one plain object: the parameter form (turned into a config)
// and the view settings. It round-trips through the URL hash, so a link reproduces the page.
import type { ColormapName } from '../core/colormaps.js';
import { findPreset } from '../core/presets.js';
import type { ResolvedConfig } from '../core/config.js';
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

/**
 * The state in a URL hash, merged over the defaults (so older or partial links still work), or an
 * error message when the hash cannot be read.
 */
export function stateFromHash(hash: string): { state: PageState; error?: string } {
  const defaults = defaultPageState();
  if (!hash || hash === '#') return { state: defaults };
  try {
    const parsed = JSON.parse(decodeURIComponent(hash.slice(1))) as Partial<PageState>;
    return {
      state: {
        form: { ...defaults.form, ...parsed.form },
        view: { ...defaults.view, ...parsed.view },
        probes: Array.isArray(parsed.probes) ? parsed.probes : [],
      },
    };
  } catch (error) {
    return { state: defaults, error: `The link's settings could not be read (${(error as Error).message}); showing the defaults.` };
  }
}
