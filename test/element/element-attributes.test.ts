// The attributes of <ecs-sim> (and the query of embed.html) as the simulation config they describe:
// units converted, presets applied with explicit values winning, and every unreadable value named.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { attributeOfConfigField, configFromSettings, readAttributes } from '../../src/element/element-attributes.js';

/** The resolved config and the issues for a set of attributes. */
function configOf(attributes: Record<string, string>, configObject: Record<string, unknown> | null = null) {
  const get = (name: string) => attributes[name] ?? null;
  const settings = readAttributes(get, configObject);
  return { settings, config: resolveConfig(configFromSettings(settings, (name) => name in attributes)) };
}

describe('element attributes → config', () => {
  it('converts units and maps every model attribute onto its config field', () => {
    const { config, settings } = configOf({
      alpha: '0.1', lambda: '1.8', 'd-um2-per-ms': '1.3', 'baseline-mm': '2.5', 'amount-pmol': '0.5', 'period-ms': '0',
      'grid-n': '32', 'spacing-um': '5', position: '0.25 0.5 0.75', 'k-ecs-per-ms': '0.001', boundary: 'neumann',
    });
    expect(settings.issues).toEqual([]);
    expect(config.tissue).toMatchObject({ alpha: 0.1, lambda: 1.8 });
    expect(config.species).toMatchObject({ D_um2_per_ms: 1.3, baseline_mM: 2.5 });
    expect(config.grid).toEqual({ size: [32, 32, 32], spacing_um: 5 });
    // 0.5 pmol = 5e-13 mol, placed at fractions of the 160 µm box.
    expect(config.sources[0]).toMatchObject({ type: 'bolus', amount_mol: 5e-13, period_ms: 0, position_um: [40, 80, 120] });
    expect(config.uptake.k_ecs_per_ms).toBe(0.001);
    expect(config.boundary.type).toBe('neumann');
  });

  it('applies a preset, and alpha or lambda written beside it win', () => {
    expect(configOf({ preset: 'ischemia' }).config.tissue).toMatchObject({ alpha: 0.1, lambda: 1.99 });
    expect(configOf({ preset: 'ischemia', lambda: '1.5' }).config.tissue).toMatchObject({ alpha: 0.1, lambda: 1.5 });
  });

  it('takes an iontophoresis release with its current and transport number', () => {
    const { config } = configOf({ release: 'iontophoresis', 'current-na': '40', 'transport-number': '0.3', 'duration-ms': '2000' });
    expect(config.sources[0]).toMatchObject({ type: 'iontophoresis', current_nA: 40, transport_number: 0.3, duration_ms: 2000 });
  });

  it('reads view attributes without touching the model', () => {
    const { settings } = configOf({ colormap: 'viridis', 'window-mm': '0.5 4', opacity: '0.3', speed: 'max' });
    expect(settings.view).toMatchObject({ colormap: 'viridis', window_mM: [0.5, 4], opacity: 0.3, speed: 'max' });
  });

  it('names the attribute, the text and what is allowed for unreadable values', () => {
    const read = (attributes: Record<string, string>) => readAttributes((name) => attributes[name] ?? null).issues.map((issue) => issue.message);
    expect(read({ alpha: 'abc' })[0]).toBe('alpha="abc": not a number (ECS volume fraction α, dimensionless, (0, 1])');
    expect(read({ alpha: '0.2x' })[0]).toMatch(/^alpha="0.2x": not a number/);
    expect(read({ release: 'pipette' })[0]).toMatch(/^release="pipette": must be one of bolus, iontophoresis, region/);
    expect(read({ preset: 'moon' })[0]).toMatch(/^preset="moon": must be one of cortex, cerebellum,/);
    expect(read({ position: '0.5 0.5' })[0]).toMatch(/^position="0.5 0.5": must be three fractions from 0 to 1/);
    expect(read({ 'window-mm': '2 1' })[0]).toMatch(/^window-mm="2 1": must be two numbers, low < high/);
    expect(read({ opacity: '2' })[0]).toMatch(/^opacity="2": out of range: must be 0 to 1/);
    expect(read({ speed: '-5' })[0]).toMatch(/^speed="-5": must be a positive number/);
    expect(read({ config: '{"grid":' })[0]).toMatch(/^config: not a JSON config object/);
  });

  it('leaves range checks to the config validation, whose fields lead back to the attribute', () => {
    expect(() => configOf({ alpha: '1.5' })).toThrow(/tissue\.alpha = 1\.5: out of range/);
    expect(attributeOfConfigField('tissue.alpha')).toBe('alpha');
    expect(attributeOfConfigField('species.D_um2_per_ms')).toBe('d-um2-per-ms');
    expect(attributeOfConfigField('sources[0].amount_mol')).toBe('amount-pmol');
    expect(attributeOfConfigField('grid.size[1]')).toBe('grid-n');
    expect(attributeOfConfigField('temperature_C')).toBeNull();
  });

  it('uses a full config instead of the model attributes, with preset, alpha and lambda laid over its tissue', () => {
    const full = { grid: { size: [20, 24, 28], spacing_um: 3 }, tissue: { alpha: 0.3, lambda: 1.4 }, duration_ms: 100 };
    expect(configOf({ 'grid-n': '64' }, full).config).toMatchObject({ grid: { size: [20, 24, 28], spacing_um: 3 }, tissue: { alpha: 0.3, lambda: 1.4 } });
    expect(configOf({ alpha: '0.07' }, full).config.tissue).toMatchObject({ alpha: 0.07, lambda: 1.4 });
    expect(configOf({ config: JSON.stringify(full), preset: 'agarose' }).config.tissue).toMatchObject({ alpha: 1, lambda: 1 });
  });

  it('refuses a full config whose tissue is not an object (5, null, true, [], "x") as the library does, alpha set or not', () => {
    for (const tissue of [5, null, true, [], 'x']) {
      for (const attributes of [{}, { alpha: '0.1' }, { preset: 'anoxia' }]) {
        const settings = readAttributes((name) => (attributes as Record<string, string>)[name] ?? null, { tissue, duration_ms: 100 });
        expect(() => resolveConfig(configFromSettings(settings, (name) => name in attributes)), JSON.stringify({ tissue, attributes }))
          .toThrow(`tissue = ${JSON.stringify(tissue)}: must be an object`);
      }
    }
  });
});

