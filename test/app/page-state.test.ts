// A link (the page's URL hash) is read field by field: a stale or hand-edited one opens with the
// good values kept, each bad one replaced by its default and named on one line (field, value, what
// is allowed with its unit). The bounds checked here must be the core's: a value at the edge the
// core allows passes, one just beyond does not.
import { describe, expect, it } from 'vitest';
import { configFromForm, defaultPageState, exportedConfig, MAX_LINK_PROBES, stateFromHash, stateToHash, type PageState } from '../../src/app/page-state.js';
import { resolveConfig } from '../../src/core/config.js';

const link = (value: unknown) => '#' + encodeURIComponent(JSON.stringify(value));
const defaults = defaultPageState();

describe('reading a link', () => {
  it('gives the defaults for no link, and a link of any state back unchanged', () => {
    expect(stateFromHash('')).toEqual({ state: defaults, problems: [] });
    expect(stateFromHash('#')).toEqual({ state: defaults, problems: [] });
    const state: PageState = defaultPageState();
    Object.assign(state.form, { alpha: 0.07, release: 'iontophoresis', position: [0.25, 0.5, 1], region: 'layer', grid_n: 96 });
    Object.assign(state.view, { mode: 'EK', window_mV: [-90, -60], slices: [0.3, null, 1], isosurface_mM: 0.5, speed: 'max', timeError: false });
    state.probes = [{ name: 'a', position_um: [10, 20, 30] }, { name: 'b', position_um: [0, 0, 384] }];
    expect(stateFromHash(stateToHash(state))).toEqual({ state, problems: [] });
  });

  it('names a link it cannot read, and shows the defaults', () => {
    expect(stateFromHash('#%E0%A4%A').problems).toEqual(['Link: "#%E0%A4%A" is not a state this page wrote (not valid percent-encoded UTF-8); showing the defaults']);
    const cut = stateFromHash('#' + encodeURIComponent('{"form":{"alpha":0.3'));
    expect(cut.state).toEqual(defaults);
    expect(cut.problems).toHaveLength(1);
    expect(cut.problems[0]).toMatch(/^Link: "#%7B%22form%22%3A%7B%22alpha%22%3A0\.3" is not a state this page wrote \(.*JSON.*\); showing the defaults$/);
    for (const value of [null, 5, 'text', [1, 2]]) {
      expect(stateFromHash(link(value))).toEqual({ state: defaults, problems: [`Link: the state = ${JSON.stringify(value)}: must be an object {form, view, probes}; showing the defaults`] });
    }
    expect(stateFromHash(link({ form: [1], view: 'x', probes: {} })).problems).toEqual([
      'Link: form = [1]: must be an object of settings; using the defaults for all of form',
      'Link: view = "x": must be an object of settings; using the defaults for all of view',
      'Link: probes = {}: must be a list of probes {name, position_um}; using the default probes',
    ]);
  });

  it('keeps the good fields, and replaces each bad one by its default with a line naming it', () => {
    const { state, problems } = stateFromHash(link({
      form: { alpha: 0.3, lambda: '1.8', D_um2_per_ms: 1e400, position: [0.2, 0.4], glia_S_per_m3: 1.36e8, preset: 'mars' },
      view: { colormap: 'viridis', window_mM: [2, 1], opacity: 0.5, isosurface_mM: 'on' },
    }));
    expect(state.form).toEqual({ ...defaults.form, alpha: 0.3, glia_S_per_m3: 1.36e8 });
    expect(state.view).toEqual({ ...defaults.view, colormap: 'viridis', opacity: 0.5 });
    expect(problems).toEqual([
      'Link: form.lambda = "1.8": must be a number ≥ 1 and ≤ 5 (tortuosity λ, dimensionless); using the default 1.6',
      // 1e400 is Infinity, which JSON writes as null.
      'Link: form.D_um2_per_ms = null: must be a number > 0 and ≤ 100 (free diffusion coefficient D, µm²/ms); using the default 2.62',
      'Link: form.position = [0.2,0.4]: must be three numbers, each ≥ 0 and ≤ 1 (release position, fractions of the box); using the default [0.5,0.5,0.5]',
      expect.stringMatching(/^Link: form\.preset = "mars": must be one of "cortex", "cerebellum", .* \(named tissue state\); using the default "cortex"$/),
      'Link: view.window_mM = [2,1]: must be two numbers, low < high (colour window, mM excess); using the default [0,2]',
      'Link: view.isosurface_mM = "on": must be null (off) or a number (isosurface level, mM excess); using the default null',
    ]);
  });

  it('names unknown settings and ignores them, __proto__ too', () => {
    const { state, problems } = stateFromHash('#' + encodeURIComponent('{"form":{"alfa":0.1,"__proto__":{"polluted":1}},"zoom":2,"probes":[{"name":"p","position_um":[1,2,3],"colour":"red"}]}'));
    expect(problems).toEqual([
      'Link: zoom = 2: unknown setting, ignored',
      'Link: form.alfa = 0.1: unknown setting, ignored',
      'Link: form.__proto__ = {"polluted":1}: unknown setting, ignored',
      'Link: probes[0].colour = "red": unknown setting, ignored',
    ]);
    expect(state.form).toEqual(defaults.form);
    expect(state.probes).toEqual([{ name: 'p', position_um: [1, 2, 3] }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('takes each number up to the edge the core allows, and not beyond', () => {
    // [field, at the edge (allowed), just beyond it, the other form fields that make the field used]
    const cases: [string, unknown, unknown, Record<string, unknown>][] = [
      ['alpha', 1, 0, {}], ['lambda', 5, 0.999, {}], ['D_um2_per_ms', 100, 0, {}], ['baseline_mM', 0, 1000.5, {}],
      ['inside_mM', 1000, 0, {}], ['amount_pmol', 1e12, -1, {}], ['period_ms', 0, -1, {}],
      ['current_nA', 1e6, 1.1e6, { release: 'iontophoresis' }], ['transport_number', 1, 0, { release: 'iontophoresis' }],
      ['duration_ms', 0, -1, { release: 'iontophoresis' }], ['rate_mM_per_ms', 1e4, 1.1e4, { release: 'region' }],
      ['radius_um', 1e3, 0, { release: 'region' }], ['k_ecs_per_ms', 0, -0.1, {}], ['k_tissue_per_ms', 0, -0.1, {}],
      ['pump_vmax_mM_per_ms', 0, -0.1, {}], ['glia_S_per_m3', 1e11, 1.1e11, {}], ['region_alpha', 1, 1.5, { region: 'sphere' }],
      ['region_lambda', 1, 6, { region: 'sphere' }], ['region_size_um', 40, 0, { region: 'layer' }],
      ['grid_n', 128, 129, {}], ['grid_n', 32, 32.5, {}], ['spacing_um', 1000, 0, {}],
    ];
    for (const [field, edge, beyond, others] of cases) {
      const good = stateFromHash(link({ form: { ...others, [field]: edge } }));
      expect(good.problems, `${field} = ${edge}`).toEqual([]);
      expect((good.state.form as unknown as Record<string, unknown>)[field]).toBe(edge);
      const bad = stateFromHash(link({ form: { ...others, [field]: beyond } }));
      expect(bad.problems, `${field} = ${beyond}`).toHaveLength(1);
      expect(bad.problems[0]).toMatch(new RegExp(`^Link: form\\.${field} = ${String(beyond).replace('.', '\\.')}: out of range: must be .*; using the default `));
      expect((bad.state.form as unknown as Record<string, unknown>)[field]).toBe((defaults.form as unknown as Record<string, unknown>)[field]);
    }
  });

  it('checks each view setting', () => {
    const cases: [keyof PageState['view'], unknown, unknown][] = [
      ['mode', 'EK', 'ek'], ['colormap', 'cividis', 'jet'], ['window_mM', [-1, 0], [1, 1]], ['window_mV', [-100, -99], [-100, 'x']],
      ['opacity', 0, 1.01], ['showVolume', false, 0], ['slices', [0, null, 1], [0, 2, null]], ['isosurface_mM', 0.5, [1]],
      ['speed', 'max', 3000], ['speed', 100, '100'], ['timeError', false, 'false'],
    ];
    for (const [field, good, bad] of cases) {
      const read = stateFromHash(link({ view: { [field]: good } }));
      expect(read.problems, `${field} = ${JSON.stringify(good)}`).toEqual([]);
      expect(read.state.view[field]).toEqual(good);
      const refused = stateFromHash(link({ view: { [field]: bad } }));
      expect(refused.problems, `${field} = ${JSON.stringify(bad)}`).toHaveLength(1);
      expect(refused.problems[0].startsWith(`Link: view.${field} = ${JSON.stringify(bad)}: `)).toBe(true);
      expect(refused.problems[0]).toMatch(/: (out of range: )?must be .* \(.*\); using the default /);
      expect(refused.problems[0]).toContain(`; using the default ${JSON.stringify(defaults.view[field])}`);
      expect(refused.state.view[field]).toEqual(defaults.view[field]);
    }
  });

  it('resets a field the core refuses in the whole config, or all the parameters when it cannot tell which', () => {
    // A region release of 0.5 µm radius holds no voxel centre of a 4 µm grid.
    const small = stateFromHash(link({ form: { release: 'region', radius_um: 0.5, alpha: 0.3 } }));
    expect(small.state.form).toMatchObject({ release: 'region', radius_um: 20, alpha: 0.3 });
    expect(small.problems).toHaveLength(1);
    expect(small.problems[0]).toMatch(/^Link: form\.radius_um = 0\.5: sources\[0\] = .*: contains no voxel centre .*; using the default 20$/);
    // Fast uptake makes the run too long; the core names the grid spacing, which is at its default.
    const stiff = stateFromHash(link({ form: { k_ecs_per_ms: 1e3, k_tissue_per_ms: 1e3 } }));
    expect(stiff.state.form).toEqual(defaults.form);
    expect(stiff.problems).toHaveLength(1);
    expect(stiff.problems[0]).toMatch(/^Link: grid\.spacing_um = 4: the run would take at least .* steps .*; using the default parameters$/);
  });

  it('keeps the probes that can be shown: named, unique, inside the box, at most the limit', () => {
    const probes = [
      { name: 'a', position_um: [10, 20, 30] }, { name: 'a', position_um: [1, 1, 1] }, { name: '', position_um: [1, 1, 1] },
      { name: 'x'.repeat(41), position_um: [1, 1, 1] }, { name: 'far', position_um: [1, 1, 257] }, { name: 'nan', position_um: [1, null, 1] },
      ...Array.from({ length: MAX_LINK_PROBES + 2 }, (_, k) => ({ name: `p${k}`, position_um: [k, k, k] })),
    ];
    const { state, problems } = stateFromHash(link({ probes }));
    expect(state.probes.map((probe) => probe.name)).toEqual(['a', ...Array.from({ length: MAX_LINK_PROBES - 6 }, (_, k) => `p${k}`)]);
    expect(problems).toEqual([
      'Link: probes[1].name = "a": must be unique among probes; probe dropped',
      'Link: probes[2].name = "": must be a name of 1 to 40 characters; probe dropped',
      `Link: probes[3].name = "${'x'.repeat(41)}": must be a name of 1 to 40 characters; probe dropped`,
      'Link: probes[4].position_um = [1,1,257]: must be three numbers, each ≥ 0 and ≤ 256 (µm, inside the box); probe dropped',
      'Link: probes[5].position_um = [1,null,1]: must be three numbers, each ≥ 0 and ≤ 256 (µm, inside the box); probe dropped',
      `Link: probes: ${probes.length} probes, at most ${MAX_LINK_PROBES}; the rest are dropped`,
    ]);
  });
});

describe('the exported config (the page runs until paused)', () => {
  const probes = [{ name: 'r30', position_um: [192, 162, 162] as [number, number, number] }];

  it('runs for what the page showed, to the next 100 ms, with the page\'s probes, and passes validation', () => {
    const form = defaultPageState().form;
    const exported = exportedConfig(configFromForm(form), 1234.5, probes);
    expect(exported.duration_ms).toBe(1300);
    expect(exported.probes).toEqual(probes);
    expect(resolveConfig(exported).duration_ms).toBe(1300);
  });

  it('before anything ran: two release periods, or 2000 ms for a single release', () => {
    const form = defaultPageState().form;
    expect(exportedConfig(configFromForm({ ...form, period_ms: 500 }), 0, probes).duration_ms).toBe(1000);
    expect(exportedConfig(configFromForm({ ...form, period_ms: 0 }), 0, probes).duration_ms).toBe(2000);
  });
});

