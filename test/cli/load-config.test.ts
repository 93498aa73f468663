// --set path=value: any config field over the file and preset, the input untouched; malformed or
// dangerous paths refused with one line.
import { describe, expect, it } from 'vitest';
import { withSetting } from '../../src/cli/load-config.js';
import { resolveConfig } from '../../src/core/config.js';

describe('withSetting (--set path=value)', () => {
  it('sets nested fields, list elements and whole values, parsing JSON and keeping other text as text', () => {
    const file = { uptake: { pump: { km_mM: 3 } }, sources: [{ type: 'bolus', amount_mol: 1e-13 }] };
    let config = withSetting(file, 'uptake.k_ecs_per_ms=0.002');
    config = withSetting(config, 'sources[0].amount_mol=5e-14');
    config = withSetting(config, 'sources[1]={"type":"iontophoresis","current_nA":40}');
    config = withSetting(config, 'grid.size=[21,21,21]');
    config = withSetting(config, 'dt_ms=auto');
    config = withSetting(config, 'probes[0].name=r10');
    expect(config).toEqual({
      uptake: { pump: { km_mM: 3 }, k_ecs_per_ms: 0.002 },
      sources: [{ type: 'bolus', amount_mol: 5e-14 }, { type: 'iontophoresis', current_nA: 40 }],
      grid: { size: [21, 21, 21] }, dt_ms: 'auto', probes: [{ name: 'r10' }],
    });
    // The file's object is not changed.
    expect(file).toEqual({ uptake: { pump: { km_mM: 3 } }, sources: [{ type: 'bolus', amount_mol: 1e-13 }] });
  });

  it('leaves unknown fields and bad values to the validation, which names them', () => {
    expect(() => resolveConfig(withSetting({}, 'tissue.alph=0.1'))).toThrow('tissue.alph = 0.1: unknown field');
    // Not JSON, so text: refused as a number, never read as hexadecimal.
    expect(() => resolveConfig(withSetting({}, 'duration_ms=0x10'))).toThrow('duration_ms = "0x10": must be a finite number');
  });

  it('refuses a malformed setting, a gap in a list, a path through a non-object and prototype keys, in one line', () => {
    expect(() => withSetting({}, 'duration_ms')).toThrow('--set duration_ms: expected path=value');
    expect(() => withSetting({}, 'sources[2].amount_mol=1')).toThrow('--set sources[2].amount_mol=1: sources has 0 elements: index 2 would leave a gap');
    expect(() => withSetting({ tissue: 5 }, 'tissue.alpha=0.1')).toThrow('tissue is not an object in the config');
    expect(() => withSetting({ grid: { size: 5 } }, 'grid.size[0]=9')).toThrow('grid.size is not a list in the config');
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(() => withSetting({}, `tissue.${key}.alpha=0.1`)).toThrow(`"${key}" is not a config field`);
    }
    expect(({} as Record<string, unknown>).alpha).toBeUndefined();
  });
});
