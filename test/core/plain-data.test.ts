// A config is JSON data: whatever else is handed to resolveConfig is refused with the field it is
// in, never a stack overflow or a TypeError from inside the validation.
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/core/config.js';
import { ConfigError } from '../../src/core/config-error.js';
import { MAX_CONFIG_DEPTH, plainData } from '../../src/core/plain-data.js';

function refusal(input: unknown): ConfigError {
  try {
    resolveConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`not a ConfigError: ${String(error)}`);
  }
  throw new Error('accepted');
}

function nestedList(depth: number): unknown {
  let list: unknown = [];
  for (let level = 0; level < depth; level++) list = [list];
  return list;
}

describe('structures that are not JSON data', () => {
  it('refuses lists and objects nested 10⁴ deep (no stack overflow), naming where the nesting passes the limit', () => {
    let object: unknown = {};
    for (let level = 0; level < 1e4; level++) object = { a: object };
    expect(refusal({ probes: nestedList(1e4) }).issues[0].field).toBe(`probes${'[0]'.repeat(MAX_CONFIG_DEPTH - 1)}`);
    expect(refusal({ grid: { size: nestedList(1e4) } }).message).toContain('nests deeper than 16 levels');
    expect(refusal({ tissue: object }).issues[0].field).toBe(`tissue${'.a'.repeat(MAX_CONFIG_DEPTH - 1)}`);
  });

  it('refuses sparse lists and new Array(n) wherever a list belongs, naming the empty slot', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [10, , 10];
    const cases: [unknown, string][] = [
      [{ grid: { size: sparse } }, 'grid.size[1]'],
      [{ grid: { size: new Array(3) } }, 'grid.size[0]'],
      [{ sources: new Array(5) }, 'sources[0]'],
      [{ tissue: { regions: new Array(2) } }, 'tissue.regions[0]'],
      [{ probes: [{ name: 'a', position_um: new Array(3) }] }, 'probes[0].position_um[0]'],
      [{ probes: [{ name: 'a', position_um: [1, undefined, 1] }] }, 'probes[0].position_um[1]'],
    ];
    for (const [input, field] of cases) {
      const error = refusal(input);
      expect(error.issues.map((issue) => issue.field)).toEqual([field]);
      expect(error.message).toMatch(/empty slot|undefined is not a config value/);
    }
  });

  it('refuses functions, symbols, big integers, class instances, throwing getters and proxies, naming the field', () => {
    const getter = Object.defineProperty({}, 'duration_ms', { enumerable: true, get() { throw new Error('boom'); } });
    const cases: [unknown, string, string][] = [
      [{ duration_ms: () => 100 }, 'duration_ms', 'a function is not a config value'],
      [{ duration_ms: Symbol('x') }, 'duration_ms', 'a symbol is not a config value'],
      [{ duration_ms: 100n }, 'duration_ms', 'a bigint is not a config value'],
      [{ tissue: new Map() }, 'tissue', 'a Map object is not a config value'],
      [{ duration_ms: new Date(0) }, 'duration_ms', 'a Date object is not a config value'],
      [getter, 'duration_ms', 'cannot be read: boom'],
      [new Proxy({}, { ownKeys() { throw new Error('trap'); } }), '(config)', 'cannot be read: trap'],
    ];
    for (const [input, field, text] of cases) {
      const error = refusal(input);
      expect(error.issues[0].field).toBe(field);
      expect(error.message).toContain(text);
    }
  });

  it('keeps a "__proto__" key as a key (refused as unknown), never as the prototype that would smuggle fields in', () => {
    const parsed = JSON.parse('{"__proto__": {"duration_ms": 5}, "grid": {"__proto__": {"spacing_um": 7}}}');
    const error = refusal(parsed);
    expect(error.issues.map((issue) => issue.field)).toEqual(['__proto__', 'grid.__proto__']);
    expect(error.message).toContain('unknown field');
  });

  it('copies JSON data as it is: typed arrays become lists, properties holding undefined are left out, objects without a prototype are objects', () => {
    const bare = Object.assign(Object.create(null) as object, { alpha: 0.3 });
    expect(plainData({ a: new Float64Array([1, 2]), b: undefined, c: bare, d: [null, true, 'x'] }))
      .toEqual({ value: { a: [1, 2], c: { alpha: 0.3 }, d: [null, true, 'x'] } });
    const config = resolveConfig({ grid: { size: new Int32Array([9, 9, 9]), spacing_um: 5 }, probes: [], duration_ms: undefined });
    expect(config.grid.size).toEqual([9, 9, 9]);
    expect(config.duration_ms).toBe(2000);
  });
});

describe('untrusted text in messages', () => {
  it('escapes control characters (an ANSI escape cannot reach a terminal) and cuts long values, saying how long they were', () => {
    const escape = refusal({ boundary: { type: '\u001b[2J\u001b[Hboom' } }).message;
    expect(escape).not.toContain('\u001b');
    expect(escape).toContain('boundary.type = "\\u001b[2J\\u001b[Hboom"');
    const long = refusal({ boundary: { type: 'x'.repeat(1e6) } }).message;
    expect(long.length).toBeLessThan(300);
    expect(long).toContain('(1000002 characters)');
  });

  it('refuses probe and species names with control characters, more than 64 characters or a formula start', () => {
    expect(refusal({ probes: [{ name: 'a\u001b[31m', position_um: [1, 1, 1] }] }).issues[0].field).toBe('probes[0].name');
    expect(refusal({ probes: [{ name: 'n'.repeat(65), position_um: [1, 1, 1] }] }).message).toContain('at most 64 characters');
    expect(refusal({ species: { name: 'K\u0085' } }).issues[0].field).toBe('species.name');
    expect(resolveConfig({ probes: [{ name: 'n'.repeat(64), position_um: [1, 1, 1] }] }).probes[0].name).toHaveLength(64);
    for (const name of ['=HYPERLINK("x")', '+1', '-x', '@SUM(A1)']) {
      expect(refusal({ probes: [{ name, position_um: [1, 1, 1] }] }).message).toContain('must not start with =, +, - or @');
    }
  });

  it('lists at most 10 of 1000 problems in the message, and every one in .issues', () => {
    const probes = Array.from({ length: 1000 }, (_, index) => ({ name: `p${index}`, position_um: [-1, 0, 0] }));
    const error = refusal({ probes });
    expect(error.issues).toHaveLength(1000);
    expect(error.message.split('\n')).toHaveLength(1 + 10 + 1);
    expect(error.message).toContain('… and 990 more (all are in .issues)');
  });

  it('refuses more than 1000 probes in one line', () => {
    const probes = Array.from({ length: 1001 }, (_, index) => ({ name: `p${index}`, position_um: [1, 1, 1] }));
    expect(refusal({ probes }).issues.map((issue) => issue.message)).toEqual(['probes = "1001 probes": at most 1000 probes (each is a column of every table and series)']);
  });
});
