// Named tissue states from the literature, as partial configs.
// Volume fraction α and tortuosity λ were measured with small cations (TMA⁺) by real-time
// iontophoresis unless noted.

/** A named tissue state: a partial config and where its numbers come from. */
export interface Preset {
  name: string;
  description: string;
  source: string;
  config: { tissue: { alpha: number; lambda: number }; species?: Record<string, number | string> };
}

export const PRESETS: readonly Preset[] = [
  { name: 'cortex', description: 'typical normal brain (default)', source: 'Syková & Nicholson 2008, Physiol Rev 88:1277',
    config: { tissue: { alpha: 0.2, lambda: 1.6 } } },
  { name: 'cerebellum', description: 'rat cerebellum, first RTI study', source: 'Nicholson & Phillips 1981, J Physiol 321:225',
    config: { tissue: { alpha: 0.21, lambda: 1.55 } } },
  { name: 'neocortex-slice', description: 'rat neocortex slices, 305 mOsm', source: 'Kume-Kick et al. 2002, J Physiol 542:515',
    config: { tissue: { alpha: 0.24, lambda: 1.69 } } },
  { name: 'ischemia', description: 'ischemia, thick slices', source: 'Hrabětová & Nicholson 2000, JCBFM 20:1306',
    config: { tissue: { alpha: 0.1, lambda: 1.99 } } },
  { name: 'spreading-depression', description: 'spreading depression in vivo (α 0.05–0.09, λ 1.95–2.07: mid-range)',
    source: 'Mazel et al. 2002, Physiol Res 51 S85', config: { tissue: { alpha: 0.07, lambda: 2.0 } } },
  { name: 'anoxia', description: 'anoxic setting of NEURON spreading-depression models', source: 'Newton et al. 2018, Front Neuroinform 12:41',
    config: { tissue: { alpha: 0.07, lambda: 1.8 } } },
  { name: 'awake', description: 'mouse cortex, awake (λ not measured: typical 1.6)', source: 'Xie et al. 2013, Science 342:373',
    config: { tissue: { alpha: 0.14, lambda: 1.6 } } },
  { name: 'asleep', description: 'mouse cortex, asleep (λ not measured: typical 1.6)', source: 'Xie et al. 2013, Science 342:373',
    config: { tissue: { alpha: 0.23, lambda: 1.6 } } },
  { name: 'hypo-osmotic', description: 'rat neocortex slices, 150 mOsm', source: 'Kume-Kick et al. 2002, J Physiol 542:515',
    config: { tissue: { alpha: 0.12, lambda: 1.86 } } },
  { name: 'hyper-osmotic', description: 'rat neocortex slices, 500 mOsm', source: 'Kume-Kick et al. 2002, J Physiol 542:515',
    config: { tissue: { alpha: 0.42, lambda: 1.67 } } },
  { name: 'agarose', description: 'free solution / dilute agarose (calibration), α = λ = 1', source: 'definition',
    config: { tissue: { alpha: 1, lambda: 1 } } },
];

/** The preset of that name; throws with the list of names when there is none. */
export function findPreset(name: string): Preset {
  const preset = PRESETS.find((candidate) => candidate.name === name);
  if (!preset) throw new RangeError(`unknown preset "${name}"; available: ${PRESETS.map((p) => p.name).join(', ')}`);
  return preset;
}

/**
 * Lays config over the preset's values (config wins; objects merge one level deep per section), so
 * a preset supplies the tissue state and the user's file everything else.
 */
export function applyPreset(preset: Preset, config: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...config };
  for (const [section, values] of Object.entries(preset.config)) {
    const own = config[section];
    // A section that is not an object (5, null, []) stays as given, for validation to refuse.
    merged[section] = isPlainObject(own) ? { ...values, ...own } : own === undefined ? { ...values } : own;
  }
  return merged;
}

/**
 * The config with tissue.alpha and/or tissue.lambda replaced (the --alpha/--lambda flags, the
 * element's alpha/lambda attributes). A tissue that is not an object is left for validation to refuse.
 */
export function withTissue(config: Record<string, unknown>, alpha?: number, lambda?: number): Record<string, unknown> {
  if (config.tissue !== undefined && !isPlainObject(config.tissue)) return config;
  const tissue = { ...(config.tissue as Record<string, unknown> | undefined) };
  if (alpha !== undefined) tissue.alpha = alpha;
  if (lambda !== undefined) tissue.lambda = lambda;
  return { ...config, tissue };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
