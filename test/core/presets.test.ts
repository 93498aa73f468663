// Named tissue states (src/core/presets.ts). Their α and λ must be the literature values of
// shared/reference/parameters.md (copied below, row by row), every preset must be a valid config,
// and applyPreset must let the user's config win without mutating anything.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { applyPreset, findPreset, PRESETS, withTissue } from '../../src/core/presets.js';

/**
 * α and λ from parameters.md, "Volume fraction α and tortuosity λ". Exact equality: the presets
 * copy the table's numbers (an "≈" value is used as written).
 */
const REFERENCE: Record<string, { alpha: number; lambda: number; source: string }> = {
  // typical normal brain | ≈0.20 | ≈1.6
  cortex: { alpha: 0.2, lambda: 1.6, source: 'Syková & Nicholson 2008' },
  // rat cerebellum, first RTI study | ≈0.21 | ≈1.55
  cerebellum: { alpha: 0.21, lambda: 1.55, source: 'Nicholson & Phillips 1981' },
  // rat neocortex slices, 305 mOsm | 0.24 | 1.69
  'neocortex-slice': { alpha: 0.24, lambda: 1.69, source: 'Kume-Kick et al. 2002' },
  // ischemia, thick slices | ≈0.10 | 1.99
  ischemia: { alpha: 0.1, lambda: 1.99, source: 'Hrabětová & Nicholson 2000' },
  // hypo-osmotic 150 mOsm | 0.12 | 1.86
  'hypo-osmotic': { alpha: 0.12, lambda: 1.86, source: 'Kume-Kick et al. 2002' },
  // hyper-osmotic 500 mOsm | 0.42 | ≈1.67
  'hyper-osmotic': { alpha: 0.42, lambda: 1.67, source: 'Kume-Kick et al. 2002' },
  // anoxic setting used in NEURON spreading-depression models | 0.07 | 1.8
  anoxia: { alpha: 0.07, lambda: 1.8, source: 'Newton et al. 2018' },
  // free solution / dilute agarose (calibration) | 1 | 1
  agarose: { alpha: 1, lambda: 1, source: '' },
};

describe('presets match the literature values of parameters.md', () => {
  for (const [name, expected] of Object.entries(REFERENCE)) {
    it(`${name}: α ${expected.alpha}, λ ${expected.lambda}${expected.source ? ` (${expected.source})` : ''}`, () => {
      const preset = findPreset(name);
      expect(preset.config.tissue.alpha).toBe(expected.alpha);
      expect(preset.config.tissue.lambda).toBe(expected.lambda);
      if (expected.source) expect(preset.source).toContain(expected.source);
    });
  }

  it('awake: α 0.14 (Xie et al. 2013; λ not measured, so the typical 1.6)', () => {
    const preset = findPreset('awake');
    expect(preset.config.tissue.alpha).toBe(0.14);
    expect(preset.config.tissue.lambda).toBe(1.6);
    expect(preset.source).toContain('Xie et al. 2013');
  });

  it('asleep: α 0.23 (Xie et al. 2013; λ not measured, so the typical 1.6)', () => {
    const preset = findPreset('asleep');
    expect(preset.config.tissue.alpha).toBe(0.23);
    expect(preset.config.tissue.lambda).toBe(1.6);
    expect(preset.source).toContain('Xie et al. 2013');
  });

  it('spreading-depression: α within the measured 0.05–0.09 and λ within 1.95–2.07 (Mazel et al. 2002)', () => {
    const { alpha, lambda } = findPreset('spreading-depression').config.tissue;
    expect(alpha).toBeGreaterThanOrEqual(0.05);
    expect(alpha).toBeLessThanOrEqual(0.09);
    expect(lambda).toBeGreaterThanOrEqual(1.95);
    expect(lambda).toBeLessThanOrEqual(2.07);
    expect(findPreset('spreading-depression').source).toContain('Mazel et al. 2002');
  });

  it('every preset is covered by one of the checks above (a new preset needs its reference row here)', () => {
    const checked = new Set([...Object.keys(REFERENCE), 'awake', 'asleep', 'spreading-depression']);
    expect(PRESETS.map((p) => p.name).filter((name) => !checked.has(name))).toEqual([]);
  });

  it('every preset respects the physical rails: 0 < α ≤ 1, 1 ≤ λ ≤ 2.2', () => {
    for (const { name, config } of PRESETS) {
      expect(config.tissue.alpha, name).toBeGreaterThan(0);
      expect(config.tissue.alpha, name).toBeLessThanOrEqual(1);
      expect(config.tissue.lambda, name).toBeGreaterThanOrEqual(1);
      expect(config.tissue.lambda, name).toBeLessThanOrEqual(2.2);
    }
  });
});

describe('the preset list', () => {
  it('has unique names', () => {
    const names = PRESETS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('every preset has a non-empty source and description', () => {
    for (const preset of PRESETS) {
      expect(preset.source.trim(), preset.name).not.toBe('');
      expect(preset.description.trim(), preset.name).not.toBe('');
    }
  });

  it('cortex, the default, equals the defaults of resolveConfig({})', () => {
    const defaults = resolveConfig({}).tissue;
    expect(findPreset('cortex').config.tissue).toEqual({ alpha: defaults.alpha, lambda: defaults.lambda });
  });

  for (const preset of PRESETS) {
    it(`${preset.name}: applyPreset(preset, {}) passes resolveConfig with the preset's α and λ`, () => {
      const config = resolveConfig(applyPreset(preset, {}));
      expect(config.tissue.alpha).toBe(preset.config.tissue.alpha);
      expect(config.tissue.lambda).toBe(preset.config.tissue.lambda);
    });
  }
});

describe('findPreset', () => {
  it('finds a preset by name', () => {
    expect(findPreset('ischemia').name).toBe('ischemia');
  });

  it('throws a RangeError quoting the unknown name and listing every available name', () => {
    let error: unknown;
    try {
      findPreset('isch');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RangeError);
    const message = (error as RangeError).message;
    expect(message).toContain('"isch"');
    for (const { name } of PRESETS) expect(message).toContain(name);
  });

  it('is case-sensitive: "Ischemia" is unknown', () => {
    expect(() => findPreset('Ischemia')).toThrow(RangeError);
  });
});

describe('applyPreset', () => {
  const ischemia = findPreset('ischemia');

  it('config values win over the preset: {tissue: {lambda: 1.7}} with ischemia → α 0.1, λ 1.7', () => {
    const merged = applyPreset(ischemia, { tissue: { lambda: 1.7 } });
    expect(merged.tissue).toEqual({ alpha: 0.1, lambda: 1.7 });
  });

  it('a config setting both α and λ overrides both', () => {
    expect(applyPreset(ischemia, { tissue: { alpha: 0.3, lambda: 1.2 } }).tissue).toEqual({ alpha: 0.3, lambda: 1.2 });
  });

  it('keeps other keys of the config section (tissue.regions) next to the preset values', () => {
    const regions = [{ shape: 'sphere' }];
    const merged = applyPreset(ischemia, { tissue: { regions } });
    expect(merged.tissue).toEqual({ alpha: 0.1, lambda: 1.99, regions });
  });

  it('passes sections the preset does not set through untouched (same objects)', () => {
    const grid = { size: [21, 21, 21], spacing_um: 4 };
    const probes = [{ name: 'p', position_um: [50, 42, 42] }];
    const merged = applyPreset(ischemia, { grid, probes, duration_ms: 500 });
    expect(merged.grid).toBe(grid);
    expect(merged.probes).toBe(probes);
    expect(merged.duration_ms).toBe(500);
    expect(Object.keys(merged).sort()).toEqual(['duration_ms', 'grid', 'probes', 'tissue']);
  });

  it('the merged config resolves with the user override and the preset value', () => {
    const config = resolveConfig(applyPreset(ischemia, { tissue: { lambda: 1.7 }, duration_ms: 500 }));
    expect(config.tissue.alpha).toBe(0.1);
    expect(config.tissue.lambda).toBe(1.7);
    expect(config.duration_ms).toBe(500);
  });

  it('does not mutate the config or the preset', () => {
    const config = { tissue: { lambda: 1.7 }, grid: { spacing_um: 4 } };
    const configBefore = structuredClone(config);
    const presetBefore = structuredClone(ischemia);
    applyPreset(ischemia, config);
    expect(config).toEqual(configBefore);
    expect(ischemia).toEqual(presetBefore);
  });

  it('returns fresh section objects: mutating the result does not change the preset or the config', () => {
    const fromEmpty = applyPreset(ischemia, {}) as { tissue: { alpha: number } };
    fromEmpty.tissue.alpha = 0.9;
    expect(findPreset('ischemia').config.tissue.alpha).toBe(0.1);

    const userTissue = { lambda: 1.7 };
    const merged = applyPreset(ischemia, { tissue: userTissue }) as { tissue: { lambda: number } };
    expect(merged.tissue).not.toBe(userTissue);
    merged.tissue.lambda = 2;
    expect(userTissue.lambda).toBe(1.7);
  });
});

describe('applyPreset and withTissue leave a section that is not an object for validation to refuse', () => {
  for (const tissue of [5, null, true, [], 'x']) {
    it(`tissue = ${JSON.stringify(tissue)}: refused by resolveConfig after applyPreset and after withTissue(α 0.1)`, () => {
      const message = `tissue = ${JSON.stringify(tissue)}: must be an object`;
      expect(() => resolveConfig(applyPreset(findPreset('anoxia'), { tissue }))).toThrow(message);
      expect(() => resolveConfig(withTissue({ tissue }, 0.1, 1.7))).toThrow(message);
    });
  }

  it('withTissue lays α and λ over an object tissue and keeps its other fields', () => {
    const regions = [{ shape: 'sphere', center_um: [1, 1, 1], radius_um: 1, alpha: 0.1 }];
    expect(withTissue({ tissue: { alpha: 0.3, regions } }, undefined, 1.9)).toEqual({ tissue: { alpha: 0.3, lambda: 1.9, regions } });
    expect(withTissue({}, 0.1)).toEqual({ tissue: { alpha: 0.1 } });
  });
});

