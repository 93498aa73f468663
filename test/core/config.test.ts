// Every field has a default ({} is a valid config), and every invalid config is
// refused with a ConfigError whose message names the field, the value, the allowed range and the
// unit — before any kernel memory is allocated.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/config-error.js';
import { stabilityLimit_ms } from '../../src/core/stability.js';
import { Simulation } from '../../src/core/simulation.js';

/** Calls resolveConfig and returns the ConfigError it throws (fails the test if it does not throw one). */
function refusal(input: unknown): ConfigError {
  try {
    resolveConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`resolveConfig accepted an invalid config: ${JSON.stringify(input)}`);
}

const ALL_DIRICHLET = {
  x_min: 'dirichlet', x_max: 'dirichlet', y_min: 'dirichlet', y_max: 'dirichlet', z_min: 'dirichlet', z_max: 'dirichlet',
} as const;

/** A small valid grid (10 × 10 × 10 voxels of 4 µm: extent 40 µm, centre 20 µm) for the refusal cases. */
const SMALL_GRID = { size: [10, 10, 10], spacing_um: 4 };

describe('defaults', () => {
  // 81 voxels × 4 µm = 324 µm per side, centre at 162 µm.
  const expected = {
    grid: { size: [81, 81, 81], spacing_um: 4 },
    tissue: { alpha: 0.2, lambda: 1.6, regions: [] },
    species: { name: 'K', valence: 1, D_um2_per_ms: 2.62, baseline_mM: 3, inside_mM: 140 },
    boundary: { type: 'dirichlet', value_mM: 3, faces: ALL_DIRICHLET },
    sources: [{ type: 'bolus', position_um: [162, 162, 162], amount_mol: expect.any(Number), time_ms: 0, period_ms: 0 }],
    uptake: { k_ecs_per_ms: 0, k_tissue_per_ms: 0, pump: { vmax_mM_per_ms: 0, km_mM: 2 }, glia: { conductance_S_per_m3: 0 } },
    probes: [
      { name: 'r30', position_um: [192, 162, 162] },
      { name: 'r50', position_um: [212, 162, 162] },
      { name: 'r80', position_um: [242, 162, 162] },
    ],
    duration_ms: 2000,
    dt_ms: 'auto',
    accuracy: { relative_tolerance: 1e-3 },
    temperature_C: 37,
  };

  it('resolveConfig({}) gives normal cortex: 81³ × 4 µm, α 0.2, λ 1.6, K⁺ D 2.62 µm²/ms, 3/140 mM, 3 mM bath on six faces, one centred bolus, probes r30/r50/r80, 2000 ms, dt auto with 0.1% time tolerance, 37 °C', () => {
    const config = resolveConfig({});
    expect(config).toEqual(expected);
    expect(config.sources[0].type === 'bolus' && config.sources[0].amount_mol).toBeGreaterThan(0);
  });

  it('resolveConfig() with no argument gives the same defaults as resolveConfig({})', () => {
    expect(resolveConfig()).toEqual(expected);
  });

  it('returns a deeply frozen config, copied from the input: neither can change the other afterwards', () => {
    const first = resolveConfig({});
    expect(() => { first.grid.size[0] = 7; }).toThrow(TypeError);
    expect(() => { first.probes.length = 0; }).toThrow(TypeError);
    expect(() => { (first.sources[0] as { position_um: number[] }).position_um[0] = -1; }).toThrow(TypeError);
    expect(() => { (first.tissue as { alpha: number }).alpha = 0.5; }).toThrow(TypeError);
    const second = resolveConfig({});
    expect(second.grid.size).toEqual([81, 81, 81]);
    expect(second.probes).toHaveLength(3);
    expect(second.sources[0]).toMatchObject({ position_um: [162, 162, 162] });

    const regions = [{ shape: 'sphere', center_um: [40, 40, 40], radius_um: 10, alpha: 0.1 }];
    const resolved = resolveConfig({ grid: { size: [20, 20, 20] }, tissue: { regions } });
    regions[0].center_um[0] = 0;
    expect(resolved.tissue.regions[0]).toMatchObject({ center_um: [40, 40, 40] });
    expect(Object.isFrozen(regions[0])).toBe(false);

    const input = { tissue: { alpha: 0.3 }, grid: { size: [20, 20, 20] } };
    const before = JSON.stringify(input);
    resolveConfig(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  it('a partial tissue keeps every other default (only α changes)', () => {
    const config = resolveConfig({ tissue: { alpha: 0.4 } });
    expect(config.tissue).toEqual({ alpha: 0.4, lambda: 1.6, regions: [] });
    expect({ ...config, tissue: expected.tissue }).toEqual(expected);
  });

  it('a partial species keeps the other species fields, and the bath value follows the baseline', () => {
    const config = resolveConfig({ species: { baseline_mM: 4.5 } });
    expect(config.species).toEqual({ name: 'K', valence: 1, D_um2_per_ms: 2.62, baseline_mM: 4.5, inside_mM: 140 });
    expect(config.boundary.value_mM).toBe(4.5);
    expect(config.boundary.faces).toEqual(ALL_DIRICHLET);
  });

  it('a user grid moves the default bolus and probes to its centre and drops probes that would leave it', () => {
    // 21 × 31 × 41 voxels of 5 µm: extent [105, 155, 205] µm, centre [52.5, 77.5, 102.5] µm.
    // r80 would sit at x = 132.5 µm > 105 µm, so only r30 and r50 remain.
    const config = resolveConfig({ grid: { size: [21, 31, 41], spacing_um: 5 } });
    expect(config.grid).toEqual({ size: [21, 31, 41], spacing_um: 5 });
    expect(config.sources).toHaveLength(1);
    expect(config.sources[0]).toMatchObject({ type: 'bolus', position_um: [52.5, 77.5, 102.5], time_ms: 0 });
    expect(config.probes).toEqual([
      { name: 'r30', position_um: [82.5, 77.5, 102.5] },
      { name: 'r50', position_um: [102.5, 77.5, 102.5] },
    ]);
  });

  it('a grid too small for any default probe (11³ × 4 µm, centre 22 µm, edge 44 µm) has no default probes', () => {
    const config = resolveConfig({ grid: { size: [11, 11, 11] } });
    expect(config.grid.spacing_um).toBe(4);
    expect(config.probes).toEqual([]);
    expect(config.sources[0]).toMatchObject({ position_um: [22, 22, 22] });
  });

  it('user sources and probes replace the defaults (an empty list means none)', () => {
    const config = resolveConfig({ grid: SMALL_GRID, sources: [], probes: [{ name: 'p', position_um: [1, 2, 3] }] });
    expect(config.sources).toEqual([]);
    expect(config.probes).toEqual([{ name: 'p', position_um: [1, 2, 3] }]);
  });
});

describe('boundary faces', () => {
  it('{ type: dirichlet, faces: { z_max: neumann } } gives five Dirichlet faces and one Neumann face', () => {
    const { boundary } = resolveConfig({ boundary: { type: 'dirichlet', faces: { z_max: 'neumann' } } });
    expect(boundary.type).toBe('dirichlet');
    expect(boundary.faces).toEqual({ ...ALL_DIRICHLET, z_max: 'neumann' });
  });

  it('{ type: neumann, faces: { x_min: dirichlet } } gives five Neumann faces and one Dirichlet face', () => {
    const { boundary } = resolveConfig({ boundary: { type: 'neumann', faces: { x_min: 'dirichlet' } } });
    expect(boundary.faces).toEqual({
      x_min: 'dirichlet', x_max: 'neumann', y_min: 'neumann', y_max: 'neumann', z_min: 'neumann', z_max: 'neumann',
    });
  });

  it('refuses an unknown face name and an unknown face type', () => {
    const unknownFace = refusal({ boundary: { faces: { top: 'neumann' } } });
    expect(unknownFace.issues.map((issue) => issue.field)).toEqual(['boundary.faces.top']);
    expect(unknownFace.issues[0].message).toContain('z_max');
    const unknownType = refusal({ boundary: { faces: { z_max: 'sealed' } } });
    expect(unknownType.issues.map((issue) => issue.field)).toEqual(['boundary.faces.z_max']);
    expect(unknownType.issues[0].message).toContain('"sealed"');
    expect(unknownType.issues[0].message).toContain('"neumann"');
  });
});

/**
 * One invalid config per row: the field the (single) issue must name and substrings its message
 * must contain — the field and value (as "field = value"), the allowed range and the unit.
 */
interface RefusalCase {
  name: string;
  input: Record<string, unknown>;
  field: string;
  contains: string[];
}

const SPHERE = { shape: 'sphere', center_um: [20, 20, 20], radius_um: 8 };

const REFUSALS: RefusalCase[] = [
  { name: 'α = 0', input: { tissue: { alpha: 0 } }, field: 'tissue.alpha',
    contains: ['tissue.alpha = 0:', '> 0', '≤ 1', 'volume fraction'] },
  { name: 'α < 0', input: { tissue: { alpha: -0.1 } }, field: 'tissue.alpha',
    contains: ['tissue.alpha = -0.1:', '> 0', '≤ 1', 'volume fraction'] },
  { name: 'α > 1', input: { tissue: { alpha: 1.5 } }, field: 'tissue.alpha',
    contains: ['tissue.alpha = 1.5:', '> 0', '≤ 1', 'volume fraction'] },
  { name: 'a region with α = 0', input: { grid: SMALL_GRID, tissue: { regions: [{ ...SPHERE, alpha: 0, lambda: 1.6 }] } },
    field: 'tissue.regions[0].alpha', contains: ['tissue.regions[0].alpha = 0:', '> 0', '≤ 1', 'volume fraction'] },
  { name: 'a region with α > 1', input: { grid: SMALL_GRID, tissue: { regions: [{ ...SPHERE, alpha: 1.2 }] } },
    field: 'tissue.regions[0].alpha', contains: ['tissue.regions[0].alpha = 1.2:', '> 0', '≤ 1', 'volume fraction'] },
  { name: 'λ < 1', input: { tissue: { lambda: 0.9 } }, field: 'tissue.lambda',
    contains: ['tissue.lambda = 0.9:', '≥ 1', 'tortuosity'] },
  { name: 'a region with λ < 1', input: { grid: SMALL_GRID, tissue: { regions: [{ ...SPHERE, lambda: 0.5 }] } },
    field: 'tissue.regions[0].lambda', contains: ['tissue.regions[0].lambda = 0.5:', '≥ 1', 'tortuosity'] },
  { name: 'negative D', input: { species: { D_um2_per_ms: -2.62 } }, field: 'species.D_um2_per_ms',
    contains: ['species.D_um2_per_ms = -2.62:', '> 0', 'µm²/ms'] },
  { name: 'zero D', input: { species: { D_um2_per_ms: 0 } }, field: 'species.D_um2_per_ms',
    contains: ['species.D_um2_per_ms = 0:', '> 0', 'µm²/ms'] },
  { name: 'negative grid spacing', input: { grid: { spacing_um: -4 } }, field: 'grid.spacing_um',
    contains: ['grid.spacing_um = -4:', '> 0', 'µm'] },
  { name: 'zero grid spacing', input: { grid: { spacing_um: 0 } }, field: 'grid.spacing_um',
    contains: ['grid.spacing_um = 0:', '> 0', 'µm'] },
  { name: 'a non-integer grid size', input: { grid: { size: [10.5, 10, 10] } }, field: 'grid.size[0]',
    contains: ['grid.size[0] = 10.5:', 'whole number', '≥ 1', 'voxels'] },
  { name: 'a zero grid size', input: { grid: { size: [10, 0, 10] } }, field: 'grid.size[1]',
    contains: ['grid.size[1] = 0:', '≥ 1', 'voxels'] },
  { name: 'a grid size that is not three numbers', input: { grid: { size: [10, 10] } }, field: 'grid.size',
    contains: ['grid.size = [10,10]:', 'three numbers', '≥ 1', 'voxels'] },
  { name: 'a probe beyond the far face', input: { grid: SMALL_GRID, probes: [{ name: 'p', position_um: [20, 20, 41] }] },
    field: 'probes[0].position_um[2]', contains: ['probes[0].position_um[2] = 41:', 'outside the grid', '≥ 0', '≤ 40', 'µm'] },
  { name: 'a probe at a negative coordinate', input: { grid: SMALL_GRID, probes: [{ name: 'p', position_um: [-1, 20, 20] }] },
    field: 'probes[0].position_um[0]', contains: ['probes[0].position_um[0] = -1:', 'outside the grid', '≥ 0', '≤ 40', 'µm'] },
  { name: 'a bolus outside the grid', input: { grid: SMALL_GRID, sources: [{ type: 'bolus', position_um: [20, 50, 20] }] },
    field: 'sources[0].position_um[1]', contains: ['sources[0].position_um[1] = 50:', 'outside the grid', '≤ 40', 'µm'] },
  { name: 'an iontophoresis pipette outside the grid',
    input: { grid: SMALL_GRID, sources: [{ type: 'iontophoresis', position_um: [20, 20, -3] }] },
    field: 'sources[0].position_um[2]', contains: ['sources[0].position_um[2] = -3:', 'outside the grid', '≥ 0', 'µm'] },
  { name: 'a grid too big for WebAssembly memory (4000³)', input: { grid: { size: [4000, 4000, 4000] } }, field: 'grid.size',
    contains: ['grid.size = [4000,4000,4000]:', 'GiB', 'at most'] },
  { name: 'a typo in a field name ("alpah")', input: { tissue: { alpah: 0.2 } }, field: 'tissue.alpah',
    contains: ['tissue.alpah = 0.2:', 'unknown field', 'alpha, lambda, regions'] },
  { name: 'an unknown top-level field ("duraton_ms")', input: { duraton_ms: 100 }, field: 'duraton_ms',
    contains: ['duraton_ms = 100:', 'unknown field', 'duration_ms'] },
  { name: 'a string where a number belongs', input: { tissue: { alpha: '0.2' } }, field: 'tissue.alpha',
    contains: ['tissue.alpha = "0.2":', 'number', '> 0', '≤ 1', 'volume fraction'] },
  { name: 'a string where an object belongs', input: { grid: 'big' }, field: 'grid',
    contains: ['grid = "big":', 'object'] },
  { name: 'null where a number belongs', input: { duration_ms: null }, field: 'duration_ms',
    contains: ['duration_ms = null:', 'number', '≥ 0.001', 'ms'] },
  { name: 'a string dt other than "auto"', input: { dt_ms: 'fast' }, field: 'dt_ms',
    contains: ['dt_ms = "fast":', 'number', '> 0', '"auto"'] },
  { name: 'a sphere region without radius_um',
    input: { grid: SMALL_GRID, tissue: { regions: [{ shape: 'sphere', center_um: [20, 20, 20], alpha: 0.1 }] } },
    field: 'tissue.regions[0].radius_um', contains: ['tissue.regions[0].radius_um', 'required', '> 0', 'µm'] },
  { name: 'a region source that contains no voxel centre (radius 0.5 µm around a voxel corner; centres are 2 µm off)',
    input: { grid: SMALL_GRID, sources: [{ type: 'region', shape: 'sphere', center_um: [20, 20, 20], radius_um: 0.5 }] },
    field: 'sources[0]', contains: ['sources[0] = {', 'no voxel centre', 'µm'] },
  { name: 'duplicate probe names',
    input: { grid: SMALL_GRID, probes: [{ name: 'a', position_um: [10, 10, 10] }, { name: 'a', position_um: [30, 30, 30] }] },
    field: 'probes[1].name', contains: ['probes[1].name = "a":', 'unique'] },
  { name: 'an unknown boundary.type', input: { boundary: { type: 'robin' } }, field: 'boundary.type',
    contains: ['boundary.type = "robin":', '"dirichlet"', '"neumann"'] },
  { name: 'a subnormal fixed step (dt_ms 5e-324: steps without end)', input: { dt_ms: 5e-324 }, field: 'dt_ms',
    contains: ['dt_ms = 5e-324:', 'steps', '10 million', 'days', 'larger dt_ms'] },
  { name: 'a fixed step needing 20 million steps (duration 2000 ms, dt_ms 1e-4)', input: { dt_ms: 1e-4 }, field: 'dt_ms',
    contains: ['dt_ms = 0.0001:', '2.0e+7 steps', '10 million'] },
  { name: 'a spacing so fine that dt "auto" needs more than 10 million steps (1e-6 µm)',
    input: { grid: { size: [9, 9, 9], spacing_um: 1e-6 }, probes: [], sources: [{ type: 'bolus', position_um: [4e-6, 4e-6, 4e-6] }] },
    field: 'grid.spacing_um', contains: ['grid.spacing_um = 0.000001:', 'steps', 'larger grid.spacing_um'] },
  { name: 'a duration below 1 µs (1e-322 ms, where a step would round to 0)', input: { duration_ms: 1e-322 }, field: 'duration_ms',
    contains: ['duration_ms = 1e-322:', '≥ 0.001', 'ms'] },
  { name: 'a bolus of less than one ion (1e-300 mol, which the 32-bit field would round to nothing)',
    input: { sources: [{ type: 'bolus', amount_mol: 1e-300 }] }, field: 'sources[0].amount_mol',
    contains: ['sources[0].amount_mol = 1e-300:', 'less than one ion', '1.66e-24 mol', 'use 0'] },
  { name: 'an iontophoresis current releasing less than one ion (1e-20 nA for 50 s)',
    input: { sources: [{ type: 'iontophoresis', current_nA: 1e-20 }] }, field: 'sources[0].current_nA',
    contains: ['sources[0].current_nA = 1e-20:', 'less than one ion'] },
  { name: 'a region source releasing less than one ion (1e-300 mM/ms)',
    input: { grid: SMALL_GRID, sources: [{ type: 'region', shape: 'sphere', center_um: [20, 20, 20], radius_um: 8, rate_mM_per_ms: 1e-300 }] },
    field: 'sources[0].rate_mM_per_ms', contains: ['sources[0].rate_mM_per_ms = 1e-300:', 'less than one ion'] },
  { name: 'a bolus repeating every 1e-7 ms (each release ends a step: 2e10 steps)',
    input: { sources: [{ type: 'bolus', period_ms: 1e-7 }] }, field: 'sources[0].period_ms',
    contains: ['sources[0].period_ms = 1e-7:', '2.0e+10 steps', 'one step per release', 'a longer period_ms'] },
  { name: 'zero valence', input: { species: { valence: 0 } }, field: 'species.valence',
    contains: ['species.valence = 0:', 'non-zero', 'charge number'] },
  { name: 'a fractional valence', input: { species: { valence: 1.5 } }, field: 'species.valence',
    contains: ['species.valence = 1.5:', 'whole number', 'charge number'] },
];

describe('invalid configs are refused with a ConfigError naming field, value, range and unit', () => {
  for (const refused of REFUSALS) {
    it(`refuses ${refused.name}: one issue on ${refused.field}`, () => {
      const error = refusal(refused.input);
      expect(error.name).toBe('ConfigError');
      expect(error.issues.map((issue) => issue.field)).toEqual([refused.field]);
      for (const text of refused.contains) {
        expect(error.issues[0].message).toContain(text);
        // The thrown Error's own message carries the same text (what a CLI user sees).
        expect(error.message).toContain(text);
      }
    });
  }

  it('accepts a release of 0 (none) and of one ion (1.7e-24 mol)', () => {
    expect(resolveConfig({ sources: [{ type: 'bolus', amount_mol: 0 }] }).sources[0]).toMatchObject({ amount_mol: 0 });
    expect(resolveConfig({ sources: [{ type: 'bolus', amount_mol: 1.7e-24 }] }).sources[0]).toMatchObject({ amount_mol: 1.7e-24 });
  });

  it('the issue carries the offending value itself (α = 1.5, probe coordinate 41, grid [4000, 4000, 4000])', () => {
    expect(refusal({ tissue: { alpha: 1.5 } }).issues[0].value).toBe(1.5);
    expect(refusal({ grid: SMALL_GRID, probes: [{ name: 'p', position_um: [20, 20, 41] }] }).issues[0].value).toBe(41);
    expect(refusal({ grid: { size: [4000, 4000, 4000] } }).issues[0].value).toEqual([4000, 4000, 4000]);
  });

  it('the 4000³ grid message states the memory it would need in GiB (12 bytes/voxel × 6.4e10 voxels ≈ 715 GiB, ±1 GiB)', () => {
    const message = refusal({ grid: { size: [4000, 4000, 4000] } }).issues[0].message;
    const needed = Number(/needs ([\d.]+) GiB/.exec(message)?.[1]);
    expect(Math.abs(needed - (12 * 4000 ** 3) / 2 ** 30)).toBeLessThan(1);
  });

  it('several problems at once are all listed in issues and in the message', () => {
    const error = refusal({
      grid: { size: [20, 20, 20], spacing_um: 5 },
      tissue: { alpha: 0, lambda: 0.5, alpah: 0.2 },
      species: { D_um2_per_ms: -1, valence: 0 },
      boundary: { type: 'robin' },
      probes: [{ name: 'a', position_um: [10, 10, 10] }, { name: 'a', position_um: [500, 10, 10] }],
    });
    const fields = error.issues.map((issue) => issue.field).sort();
    expect(fields).toEqual([
      'boundary.type', 'probes[1].name', 'probes[1].position_um[0]', 'species.D_um2_per_ms', 'species.valence',
      'tissue.alpah', 'tissue.alpha', 'tissue.lambda',
    ].sort());
    expect(error.message).toContain(`(${error.issues.length} problems)`);
    for (const issue of error.issues) expect(error.message).toContain(issue.message);
  });
});

describe('a dt above the stability limit', () => {
  // 20³ voxels of 5 µm, default tissue: limit h²/(6 D*) = 25 / (6 · 2.62/1.6²) ≈ 4.071 ms.
  const grid = { size: [20, 20, 20], spacing_um: 5 };
  const limit = stabilityLimit_ms(resolveConfig({ grid, dt_ms: 'auto' }));

  it('the limit of this grid is h²/(6 D*) ≈ 4.071 ms (to 1e-12 relative)', () => {
    expect(Math.abs(limit / (25 / (6 * (2.62 / 1.6 ** 2))) - 1)).toBeLessThan(1e-12);
  });

  it('is refused with a message that gives the limit in ms (toPrecision(4) of the auto-dt config\'s limit)', () => {
    const error = refusal({ grid, dt_ms: 1.5 * limit });
    expect(error.issues.map((issue) => issue.field)).toEqual(['dt_ms']);
    expect(error.issues[0].message).toContain(`${limit.toPrecision(4)} ms`);
    expect(error.issues[0].message).toContain('4.071 ms');
    expect(error.issues[0].message).toContain('stability limit');
    expect(error.issues[0].message).toContain(`dt_ms = ${1.5 * limit}`);
  });

  it('with a sphere region the message gives that config\'s (smaller) limit', () => {
    const tissue = { regions: [{ shape: 'sphere', center_um: [50, 50, 50], radius_um: 20, alpha: 0.07, lambda: 2.0 }] };
    const regionLimit = stabilityLimit_ms(resolveConfig({ grid, tissue, dt_ms: 'auto' }));
    expect(regionLimit).toBeLessThan(limit);
    const error = refusal({ grid, tissue, dt_ms: limit });
    expect(error.issues[0].message).toContain(`${regionLimit.toPrecision(4)} ms`);
  });

  it('a dt equal to the limit, and just below it, is accepted and kept as given', () => {
    expect(resolveConfig({ grid, dt_ms: limit }).dt_ms).toBe(limit);
    expect(resolveConfig({ grid, dt_ms: 0.999 * limit }).dt_ms).toBe(0.999 * limit);
  });
});

describe('Simulation.create refuses bad configs before any allocation', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a valid tiny config does instantiate a kernel (so the spies below can see one)', async () => {
    const instantiate = vi.spyOn(WebAssembly, 'instantiate');
    const simulation = await Simulation.create({ grid: { size: [5, 5, 5], spacing_um: 4 }, duration_ms: 10 });
    expect(simulation.config.grid.size).toEqual([5, 5, 5]);
    expect(instantiate).toHaveBeenCalledTimes(1);
  });

  for (const refused of REFUSALS) {
    it(`rejects ${refused.name} with a ConfigError (issue on ${refused.field}) within 1 s, instantiating no kernel and growing no memory`, async () => {
      const instantiate = vi.spyOn(WebAssembly, 'instantiate');
      const grow = vi.spyOn(WebAssembly.Memory.prototype, 'grow');
      const started = performance.now();
      const error = await Simulation.create(refused.input).then(
        () => { throw new Error('Simulation.create accepted an invalid config'); },
        (reason: unknown) => reason,
      );
      const elapsed_ms = performance.now() - started;
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues.map((issue) => issue.field)).toContain(refused.field);
      expect(elapsed_ms).toBeLessThan(1000);
      expect(instantiate).not.toHaveBeenCalled();
      expect(grow).not.toHaveBeenCalled();
    });
  }

  it('rejects the 4000³ grid without allocating: ArrayBuffer memory grows by < 64 MiB (a real grid would need ~715 GiB)', async () => {
    const before = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    await expect(Simulation.create({ grid: { size: [4000, 4000, 4000] } })).rejects.toThrow(/GiB/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 2 ** 20);
  });

  it('rejects a dt 1.5× the limit with a ConfigError naming dt_ms', async () => {
    const grid = { size: [8, 8, 8], spacing_um: 4 };
    const limit = stabilityLimit_ms(resolveConfig({ grid }));
    await expect(Simulation.create({ grid, dt_ms: 1.5 * limit })).rejects.toSatisfy(
      (error: unknown) => error instanceof ConfigError && error.issues[0].field === 'dt_ms');
  });
});


describe('configs that are not what they should be at the top level or for a chosen kernel', () => {
  it('names the whole config when it is not an object', () => {
    for (const input of [null, [], 'x', 5]) {
      expect(() => resolveConfig(input)).toThrow(ConfigError);
      try {
        resolveConfig(input);
      } catch (error) {
        expect((error as ConfigError).issues[0].field).toBe('(config)');
        expect((error as ConfigError).message).toContain('(config) = ');
      }
    }
  });

  it('refuses a grid that fits the automatic kernel but not an explicitly requested one, before allocating', async () => {
    // 700³ voxels: 12 bytes/voxel (uniform, 3.8 GiB) fit; the reference layout's 24 bytes/voxel do not.
    const grid = { size: [700, 700, 700], spacing_um: 4 };
    expect(() => resolveConfig({ grid })).not.toThrow();
    const started = performance.now();
    await expect(Simulation.create({ grid }, { kernel: 'reference' })).rejects.toSatisfy(
      (error: unknown) => error instanceof ConfigError && error.issues[0].field === 'grid.size'
        && /GiB of kernel memory .*reference kernel/.test(error.message));
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives a bolus and a probe that both default to the centre separate position arrays', () => {
    const config = resolveConfig({ sources: [{ type: 'bolus' }], probes: [{ name: 'centre' }] });
    expect(config.sources[0].type === 'bolus' && config.sources[0].position_um).not.toBe(config.probes[0].position_um);
  });
});
