// The attributes of <ecs-sim> (and the query parameters of embed.html): one table that parses them,
// documents them and maps them onto the page's parameter form, from which the simulation config is
// made exactly as in the web page. Attribute names are the config-style keys with units, in
// kebab-case: `D_um2_per_ms` is the attribute `d-um2-per-ms` and the property `D_um2_per_ms`.
import { parseDecimal } from '../core/decimal.js';
import { printable } from '../core/format.js';
import { COLORMAP_NAMES } from '../core/colormaps.js';
import type { ConfigIssue } from '../core/config-error.js';
import { PRESETS, withTissue } from '../core/presets.js';
import { applyPresetToForm, configFromForm, defaultPageState, FORM_FIELD_OF_CONFIG, type ParameterForm, type ViewSettings } from '../app/page-state.js';

type FormKey = Exclude<keyof ParameterForm, 'preset'>;

/** How an attribute's text is read. */
type Kind =
  | { type: 'number'; min?: number; max?: number }
  | { type: 'choice'; choices: readonly (string | number)[] }
  | { type: 'fractions' }
  | { type: 'range' }
  | { type: 'speed' };

export interface AttributeSpec {
  /** HTML attribute name (lower case). */
  attribute: string;
  /** Element property name (the form or view key). */
  property: string;
  kind: Kind;
  /** Meaning and unit, for the reference table. */
  description: string;
  /** Model attributes rebuild the simulation; view attributes only change the drawing. */
  rebuilds: boolean;
}

const model = (property: FormKey, kind: Kind, description: string): AttributeSpec =>
  ({ attribute: kebab(property), property, kind, description, rebuilds: true });
const view = (property: keyof ViewSettings, kind: Kind, description: string): AttributeSpec =>
  ({ attribute: kebab(property), property, kind, description, rebuilds: false });
const number = (min?: number, max?: number): Kind => ({ type: 'number', min, max });

/** Every value attribute, in the order of the reference table. Defaults are the web page's. */
export const ELEMENT_ATTRIBUTES: readonly AttributeSpec[] = [
  { attribute: 'preset', property: 'preset', kind: { type: 'choice', choices: PRESETS.map((preset) => preset.name) },
    description: 'named tissue state: sets α and λ (the list: ecs-sim presets); alpha and lambda given too win', rebuilds: true },
  model('alpha', number(), 'ECS volume fraction α, dimensionless, (0, 1]'),
  model('lambda', number(), 'tortuosity λ, dimensionless, [1, 5]'),
  model('D_um2_per_ms', number(), 'free diffusion coefficient D, µm²/ms (K⁺ at 37 °C: 2.62)'),
  model('baseline_mM', number(), 'resting [K⁺]o and bath, mM'),
  model('inside_mM', number(), '[K⁺]i for E_K, mM'),
  model('release', { type: 'choice', choices: ['bolus', 'iontophoresis', 'region'] }, 'how K⁺ is released'),
  model('amount_pmol', number(), 'bolus amount, pmol'),
  model('period_ms', number(), 'bolus repeats every period, ms (0 = once)'),
  model('current_nA', number(), 'iontophoresis current, nA'),
  model('transport_number', number(), 'iontophoresis transport number, dimensionless (0, 1]'),
  model('duration_ms', number(), 'iontophoresis or region release duration, ms'),
  model('rate_mM_per_ms', number(), 'region release rate per tissue volume, mM/ms'),
  model('radius_um', number(), 'region release radius, µm'),
  model('position', { type: 'fractions' }, 'release position as three fractions of the box, e.g. "0.5 0.5 0.5"'),
  model('k_ecs_per_ms', number(), 'uptake k′ per ECS volume (Nicholson), 1/ms'),
  model('k_tissue_per_ms', number(), 'uptake k_t per tissue volume, 1/ms'),
  model('pump_vmax_mM_per_ms', number(), 'Na⁺/K⁺ pump Vmax per tissue volume, mM/ms (Km 2 mM)'),
  model('glia_S_per_m3', number(), 'glial Kir buffering conductance, S/m³ (0 = off; 1.36e8 typical)'),
  model('region', { type: 'choice', choices: ['none', 'sphere', 'layer'] }, 'a region of other tissue at the centre'),
  model('region_alpha', number(), 'α of that region'),
  model('region_lambda', number(), 'λ of that region'),
  model('region_size_um', number(), 'radius (sphere) or thickness (layer) of that region, µm'),
  model('boundary', { type: 'choice', choices: ['dirichlet', 'neumann'] }, 'box faces: bath at the baseline, or sealed'),
  model('grid_n', number(), 'voxels per side of the cubic grid'),
  model('spacing_um', number(), 'voxel edge h, µm'),
  view('colormap', { type: 'choice', choices: COLORMAP_NAMES }, 'colormap of the cloud'),
  view('window_mM', { type: 'range' }, 'excess over baseline that spans the colormap, mM, e.g. "0 2"'),
  view('opacity', number(0, 1), 'cloud opacity, 0…1'),
  view('speed', { type: 'speed' }, 'simulated ms per second, or "max"'),
];

/** Boolean attributes: present or absent; each is also a boolean property. rebuilds: a change restarts the run. */
export const ELEMENT_FLAGS = [
  { attribute: 'autoplay', property: 'autoplay', rebuilds: false, description: 'start running as soon as the element is visible (otherwise paused at t = 0)' },
  { attribute: 'controls', property: 'controls', rebuilds: false, description: 'show play/pause and reset buttons' },
  {
    attribute: 'time-error', property: 'timeError', rebuilds: true,
    description: 'estimate the time error of each probe value as it runs (probe events carry timeError_mM; a second run with every step halved: about 3× the work)',
  },
] as const;

/** The whole config as JSON; replaces the model attributes except preset, alpha and lambda. */
export const CONFIG_ATTRIBUTE = 'config';

/** What the attributes describe: the form and view (page defaults where absent) and any problems. */
export interface ElementSettings {
  form: ParameterForm;
  view: ViewSettings;
  /** A full config from the `config` attribute or property, when given. */
  config: Record<string, unknown> | null;
  issues: ConfigIssue[];
}

/** Reads the attributes (via get) over the page defaults; unreadable values become issues naming the attribute. */
export function readAttributes(get: (attribute: string) => string | null, configObject: Record<string, unknown> | null = null): ElementSettings {
  const { form, view: viewSettings } = defaultPageState();
  const issues: ConfigIssue[] = [];
  const values = form as unknown as Record<string, unknown>;
  const views = viewSettings as unknown as Record<string, unknown>;
  // preset comes first in the table, so alpha and lambda attributes override it.
  for (const spec of ELEMENT_ATTRIBUTES) {
    const text = get(spec.attribute);
    if (text === null) continue;
    const parsed = parseAttribute(spec, text);
    if ('problem' in parsed) {
      issues.push({ field: spec.attribute, value: text, message: `${spec.attribute}="${printable(text, 120)}": ${parsed.problem} (${spec.description})` });
    } else if (spec.property === 'preset') {
      applyPresetToForm(form, parsed.value as string);
    } else {
      (spec.rebuilds ? values : views)[spec.property] = parsed.value;
    }
  }
  let config = configObject;
  const json = get(CONFIG_ATTRIBUTE);
  if (!config && json !== null) {
    try {
      const parsed: unknown = JSON.parse(json);
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not a JSON object');
      config = parsed as Record<string, unknown>;
    } catch (error) {
      issues.push({ field: CONFIG_ATTRIBUTE, value: json, message: `config: not a JSON config object (${(error as Error).message})` });
    }
  }
  return { form, view: viewSettings, config, issues };
}

/**
 * The simulation config the settings describe: the page's config made from the form, or the given
 * full config with preset, alpha and lambda laid over its tissue when those attributes are present.
 */
export function configFromSettings(settings: ElementSettings, has: (attribute: string) => boolean): Record<string, unknown> {
  if (!settings.config) return configFromForm(settings.form);
  return withTissue(settings.config, has('preset') || has('alpha') ? settings.form.alpha : undefined,
    has('preset') || has('lambda') ? settings.form.lambda : undefined);
}

/** The attribute a config field comes from (for messages), or null when it has none. */
export function attributeOfConfigField(field: string): string | null {
  const key = FORM_FIELD_OF_CONFIG[field] ?? FORM_FIELD_OF_CONFIG[field.replace(/\[\d\]$/, '')];
  return key ? kebab(key) : null;
}

function parseAttribute(spec: AttributeSpec, text: string): { value: unknown } | { problem: string } {
  const trimmed = text.trim();
  const kind = spec.kind;
  switch (kind.type) {
    case 'number': {
      const value = parseDecimal(trimmed);
      if (value === null) return { problem: 'not a number' };
      if ((kind.min !== undefined && value < kind.min) || (kind.max !== undefined && value > kind.max)) {
        return { problem: `out of range: must be ${kind.min} to ${kind.max}` };
      }
      return { value };
    }
    case 'choice': {
      const match = kind.choices.find((choice) => String(choice) === trimmed);
      return match === undefined ? { problem: `must be one of ${kind.choices.join(', ')}` } : { value: match };
    }
    case 'fractions': {
      const parts = trimmed.split(/[\s,]+/).map(parseDecimal);
      if (parts.length !== 3 || parts.some((x) => x === null || x < 0 || x > 1)) return { problem: 'must be three fractions from 0 to 1' };
      return { value: parts };
    }
    case 'range': {
      const parts = trimmed.split(/[\s,]+/).map(parseDecimal);
      if (parts.length !== 2 || parts.some((x) => x === null) || parts[0]! >= parts[1]!) return { problem: 'must be two numbers, low < high' };
      return { value: parts };
    }
    case 'speed': {
      if (trimmed === 'max') return { value: 'max' };
      const value = parseDecimal(trimmed);
      return value === null || value <= 0 ? { problem: 'must be a positive number of simulated ms per second, or "max"' } : { value };
    }
  }
}

function kebab(key: string): string {
  return key.replace(/_/g, '-').toLowerCase();
}
