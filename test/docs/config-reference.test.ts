// docs/config.md against resolveConfig. The page's tables (columns field | unit | allowed | default |
// meaning) must name exactly the fields resolveConfig accepts, found here by asking resolveConfig
// itself: an unknown key is refused with "unknown field; allowed here: a, b, c", a choice with
// "must be one of …", a list with "must be a list", so the test walks the config from the root
// without a list of fields of its own. A field whose choice changes the keys allowed beside it (a
// source's type, a shape) splits the fields into variants; the page names a variant in the heading
// above its table, as `"type": "bolus"`. Then every documented default must be what resolveConfig
// fills in, and every documented bound must be where resolveConfig draws the line: a closed bound
// (≥, ≤) is accepted and the next number past it refused (with the documented unit in the
// message), an open bound (>, <) is refused itself. The numbers of the whole-config rules are
// checked at the end.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, type ConfigIssue } from '../../src/core/config-error.js';
import { resolveConfig } from '../../src/core/config.js';
import { MAX_KERNEL_MEMORY_BYTES } from '../../src/core/memory-plan.js';
import { MAX_CONFIG_DEPTH, MAX_CONFIG_VALUES } from '../../src/core/plain-data.js';
import { MAX_STEPS } from '../../src/core/step-control.js';

const PAGE = readFileSync(join(import.meta.dirname, '../../docs/config.md'), 'utf8');

type Json = Record<string, unknown>;
type Variant = Record<string, string>;

// ---- The page's tables ----

interface Row {
  /** Field paths of the row (`grid.size`, `sources[].amount_mol`); a row may name several. */
  fields: string[];
  unit: string;
  allowed: string;
  fallback: string;
  /** The variant of the table, from the `"key": "value"` code spans of the heading above it. */
  variant: Variant;
  /** Where the row is, for messages. */
  line: string;
}

/** The cells of a table line; a | inside a code span or written \| does not split. */
function cells(line: string): string[] {
  const found: string[] = [];
  let cell = '';
  let code = false;
  for (let index = 0; index < line.length; index++) {
    const character = line[index];
    if (character === '\\' && line[index + 1] === '|') {
      cell += '|';
      index++;
      continue;
    }
    if (character === '`') code = !code;
    if (character === '|' && !code) {
      found.push(cell.trim());
      cell = '';
      continue;
    }
    cell += character;
  }
  found.push(cell.trim());
  return found.slice(1, -1);
}

const codeSpans = (text: string): string[] => [...text.matchAll(/`([^`]+)`/g)].map((match) => match[1]);

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function referenceRows(markdown: string): Row[] {
  const rows: Row[] = [];
  let heading = '';
  let inTable = false;
  markdown.split('\n').forEach((text, index) => {
    if (text.startsWith('#')) heading = text;
    if (!text.startsWith('|')) {
      inTable = false;
      return;
    }
    const row = cells(text);
    if (row.join(' | ') === 'field | unit | allowed | default | meaning') {
      inTable = true;
      return;
    }
    if (!inTable || /^[\s|:-]+$/.test(text)) return;
    const variant: Variant = {};
    for (const span of codeSpans(heading)) {
      const match = span.match(/^"(\w+)": "(\w+)"$/);
      if (match) variant[match[1]] = match[2];
    }
    rows.push({ fields: codeSpans(row[0]), unit: row[1], allowed: row[2], fallback: row[3], variant, line: `docs/config.md:${index + 1}` });
  });
  return rows;
}

/** A field with the variant it belongs to, e.g. "sources[].amount_mol (type=bolus)". */
function labelled(path: string, variant: Variant): string {
  const entries = Object.entries(variant).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? path : `${path} (${entries.map(([key, value]) => `${key}=${value}`).join(', ')})`;
}

// ---- Asking resolveConfig ----

function issuesOf(config: unknown): ConfigIssue[] {
  try {
    resolveConfig(config);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
}

const UNKNOWN = 'zz_not_a_field';
const BOGUS = 'zz_not_a_choice';
const dotted = (at: string, key: string): string => (at ? `${at}.${key}` : key);

/** Puts a value at one place of an otherwise default config. */
type Place = (value: unknown) => unknown;

/** The keys resolveConfig allows in the object at `at`, as its unknown-field message lists them. */
function allowedKeys(place: Place, at: string, object: Json): string[] {
  const field = dotted(at, UNKNOWN);
  const issue = issuesOf(place({ ...object, [UNKNOWN]: 1 })).find((candidate) => candidate.field === field);
  const match = issue?.message.match(/unknown field; allowed here: (.+)$/);
  if (!match) throw new Error(`${field} was not refused as an unknown field`);
  return match[1].split(', ');
}

/** The options of a choice field, as its "must be one of" message lists them, or null. */
function choicesAt(config: unknown, field: string): string[] | null {
  const issue = issuesOf(config).find((candidate) => candidate.field === field);
  const match = issue?.message.match(/must be one of (.+)$/);
  return match ? [...match[1].matchAll(/"([^"]*)"/g)].map((option) => option[1]) : null;
}

/** Every field resolveConfig accepts (lists and the fields inside objects; not the objects themselves). */
function acceptedFields(place: Place = (value) => value, at = '', path = '', variant: Variant = {}, label: Variant = {},
  found = new Set<string>()): Set<string> {
  const keys = allowedKeys(place, at, variant);
  const keySet = (object: Json) => allowedKeys(place, at, object).sort().join();
  for (const key of keys.filter((candidate) => !(candidate in variant))) {
    const options = choicesAt(place({ ...variant, [key]: BOGUS }), dotted(at, key));
    if (options?.some((option) => keySet({ ...variant, [key]: option }) !== keySet(variant))) {
      for (const option of options) acceptedFields(place, at, path, { ...variant, [key]: option }, { ...label, [key]: option }, found);
      return found;
    }
  }
  for (const key of keys) {
    const field = dotted(at, key);
    const fieldPath = dotted(path, key);
    const inner: Place = (value) => place({ ...variant, [key]: value });
    const asObject = issuesOf(inner({ [UNKNOWN]: 1 }));
    if (asObject.some((issue) => issue.field === dotted(field, UNKNOWN))) {
      acceptedFields(inner, field, fieldPath, {}, label, found);
      continue;
    }
    found.add(labelled(fieldPath, label));
    if (asObject.some((issue) => issue.field === field && issue.message.endsWith(': must be a list'))) {
      acceptedFields((item) => inner([item]), `${field}[0]`, `${fieldPath}[]`, {}, {}, found);
    }
  }
  return found;
}

// ---- Configs for one field ----

const DEFAULTS = resolveConfig({});

function valueAt(object: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value as Json | undefined)?.[key], object);
}

/** A copy of base with value at the dotted path. */
function withValue(path: string, value: unknown, base: Json = {}): Json {
  const [key, ...rest] = path.split('.');
  const copy: Json = { ...base };
  copy[key] = rest.length === 0 ? value : withValue(rest.join('.'), value, (base[key] as Json | undefined) ?? {});
  return copy;
}

/** A field of a list item: "sources[].amount_mol" → list "sources", key "amount_mol". */
function itemField(path: string): { list: string; key: string } | null {
  const match = path.match(/^([\w.]+)\[\]\.(\w+)$/);
  return match ? { list: match[1], key: match[2] } : null;
}

function extentOf(config: Json): number[] {
  const { grid } = resolveConfig({ grid: config.grid });
  return grid.size.map((n) => n * grid.spacing_um);
}

/** A valid value for a field that has no default (the shapes' coordinates), on the grid of config. */
function requiredSample(key: string, vector: boolean, config: Json): unknown {
  const extent = extentOf(config);
  if (key.endsWith('min_um')) return vector ? [0, 0, 0] : 0;
  if (key.endsWith('max_um')) return vector ? extent : extent[2];
  if (key.endsWith('center_um')) return extent.map((e) => e / 2);
  if (key.endsWith('radius_um')) return extent[0] / 4;
  throw new Error(`no sample value for the required field ${key}`);
}

/**
 * The smallest valid item of a list in a config: the variant's keys, and a sample for each field
 * resolveConfig says is required. Variant keys that resolveConfig calls unknown are dropped (a
 * source's shape when its type is left to its default).
 */
function baseItem(list: string, variant: Variant, config: Json = {}): Json {
  const item: Json = { ...variant };
  for (let round = 0; round < 4; round++) {
    const issues = issuesOf(withValue(list, [item], config));
    if (issues.length === 0) return item;
    let fixed = false;
    for (const issue of issues) {
      const key = issue.field.startsWith(`${list}[0].`) ? issue.field.slice(list.length + 4).match(/^\w+/)?.[0] : undefined;
      if (key && issue.message.includes('unknown field') && key in variant) delete item[key];
      else if (key && issue.message.includes('is required')) item[key] = requiredSample(key, issue.message.includes('three numbers'), config);
      else continue;
      fixed = true;
    }
    // Other issues may follow from a missing field (a layer's max_um against a missing min_um).
    if (!fixed) throw new Error(`${list}: cannot make a valid item: ${issues.map((issue) => issue.message).join('; ')}`);
  }
  throw new Error(`${list}: cannot make a valid item of ${JSON.stringify(variant)}`);
}

/** A config with value in the field (a list item's field: in a one-item list). */
function configWith(path: string, variant: Variant, value: unknown, config: Json = {}): Json {
  const item = itemField(path);
  if (!item) return withValue(path, value, config);
  return withValue(item.list, [{ ...baseItem(item.list, variant, config), [item.key]: value }], config);
}

/** The field as resolveConfig fills it in when it is left out. */
function resolvedDefault(path: string, variant: Variant, config: Json = {}): unknown {
  const item = itemField(path);
  if (!item) return valueAt(resolveConfig(config), path);
  const { [item.key]: _, ...others } = variant;
  const base = baseItem(item.list, others, config);
  return (valueAt(resolveConfig(withValue(item.list, [base], config)), item.list) as Json[])[0][item.key];
}

/** The field path resolveConfig's issues use for the field in a configWith config. */
function issueField(path: string): string {
  const item = itemField(path);
  return item ? `${item.list}[0].${item.key}` : path;
}

function expectAccepted(config: Json, what: string): void {
  expect(issuesOf(config).map((issue) => issue.message), what).toEqual([]);
}

function expectRefused(config: Json, field: string, what: string, unit?: string): ConfigIssue {
  const issue = issuesOf(config).find((candidate) => candidate.field === field || candidate.field.startsWith(`${field}[`));
  expect(issue, `${what}: no issue at ${field}`).toBeDefined();
  if (unit) expect(issue!.message, `${what}: the message gives the unit`).toContain(unit);
  return issue!;
}

/** The next number after x towards +∞ (direction 1) or −∞ (−1). */
function nextNumber(x: number, direction: 1 | -1): number {
  if (x === 0) return direction * Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, (x > 0) === (direction > 0) ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

// ---- What an "allowed" cell says ----

interface Bound {
  operator: '≥' | '≤' | '>' | '<';
  value: number;
}

interface Allowed {
  bounds: Bound[];
  options: string[];
  vector: boolean;
  whole: boolean;
  notZero: boolean;
  list: boolean;
  listMax?: number;
  textMax?: number;
  unique: boolean;
}

function readAllowed(cell: string): Allowed {
  const bounds: Bound[] = [...cell.matchAll(/(≥|≤|>|<) (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.])/g)]
    .map((match) => ({ operator: match[1] as Bound['operator'], value: Number(match[2]) }));
  // A position: ≤ the grid extent (of the default grid, the one these configs use) on that axis.
  if (/≤ the grid extent on that axis/.test(cell)) bounds.push({ operator: '≤', value: extentOf({})[0] });
  return {
    bounds,
    options: codeSpans(cell).map(parsedJson).filter((value): value is string => typeof value === 'string'),
    vector: /^three (whole )?numbers/.test(cell),
    whole: /whole numbers?/.test(cell),
    notZero: /not 0/.test(cell),
    list: /^list/.test(cell),
    listMax: cell.match(/^list of at most (\d+)/)?.[1] !== undefined ? Number(cell.match(/^list of at most (\d+)/)![1]) : undefined,
    textMax: cell.match(/^text of at most (\d+) characters/) ? Number(cell.match(/^text of at most (\d+) characters/)![1]) : undefined,
    unique: /unique among/.test(cell),
  };
}

// ---- The tests ----

const rows = referenceRows(PAGE);
const fieldsOfRows = rows.flatMap((row) => row.fields.map((field) => ({ row, field })));
const rowOf = (field: string): Row => {
  const row = rows.find((candidate) => candidate.fields.includes(field) && Object.keys(candidate.variant).length === 0);
  if (!row) throw new Error(`docs/config.md has no row for ${field}`);
  return row;
};

describe('docs/config.md', () => {
  it('has the reference tables', () => {
    expect(rows.length).toBeGreaterThan(30);
    for (const { row, field } of fieldsOfRows) expect(field, row.line).toMatch(/^[\w.[\]]+$/);
  });

  it('names exactly the fields resolveConfig accepts, each once', () => {
    const documented = fieldsOfRows.map(({ row, field }) => labelled(field, row.variant));
    expect(documented.filter((label, index) => documented.indexOf(label) !== index), 'documented twice').toEqual([]);
    const accepted = [...acceptedFields()].sort();
    expect(accepted.length).toBeGreaterThan(40);
    expect([...documented].sort()).toEqual(accepted);
  });

  describe('gives the default resolveConfig fills in', () => {
    it.each(fieldsOfRows.map(({ row, field }) => [labelled(field, row.variant), row, field] as const))('%s', (_, row, field) => {
      const cell = row.fallback;
      const item = itemField(field);
      let checks = 0;
      if (cell === '*required*') {
        const { [item?.key ?? '']: _omitted, ...base } = item ? baseItem(item.list, row.variant) : {};
        const issue = expectRefused(item ? withValue(item.list, [base]) : {}, issueField(field), row.line);
        expect(issue.message, row.line).toContain('is required');
        checks++;
      }
      const reference = cell.match(/^the value of `([^`]+)`/)?.[1];
      if (reference) {
        expect(resolvedDefault(field, row.variant), row.line).toEqual(valueAt(DEFAULTS, reference));
        // It follows the other field: set that to another allowed value.
        const other = rowOf(reference);
        const allowed = readAllowed(other.allowed);
        const current = valueAt(DEFAULTS, reference);
        const changed = allowed.options.find((option) => option !== current)
          ?? allowed.bounds.find((bound) => (bound.operator === '≥' || bound.operator === '≤') && bound.value !== current)?.value;
        expect(changed, `${other.line}: another allowed value`).toBeDefined();
        expect(resolvedDefault(field, row.variant, withValue(reference, changed)), row.line).toEqual(changed);
        checks++;
      }
      if (/^the grid centre/.test(cell)) {
        for (const grid of [{}, { size: [21, 31, 41], spacing_um: 2 }]) {
          const config = { grid };
          expect(resolvedDefault(field, row.variant, config), `${row.line}, grid ${JSON.stringify(grid)}`)
            .toEqual(extentOf(config).map((e) => e / 2));
        }
        checks++;
      }
      if (/with every field at its default/.test(cell)) {
        expect(valueAt(DEFAULTS, field), row.line).toEqual(valueAt(resolveConfig(withValue(field, [{}])), field));
        checks++;
      }
      const values = codeSpans(cell).map(parsedJson).filter((value) => value !== undefined);
      if (values.length > 1 && cell.includes('…') && item) {
        // One value per place in the list: "probe1", "probe2", …
        const base = baseItem(item.list, row.variant);
        const resolved = valueAt(resolveConfig(withValue(item.list, values.map(() => base))), item.list) as Json[];
        expect(resolved.map((entry) => entry[item.key]), row.line).toEqual(values);
        checks++;
      } else if (values.length > 0) {
        expect(resolvedDefault(field, row.variant), row.line).toEqual(values[0]);
        checks++;
      }
      expect(checks, `${row.line}: the default "${cell}" is not one the test can check`).toBeGreaterThan(0);
    });
  });

  describe('gives the range resolveConfig allows', () => {
    it.each(fieldsOfRows.map(({ row, field }) => [labelled(field, row.variant), row, field] as const))('%s', (_, row, field) => {
      const allowed = readAllowed(row.allowed);
      const unit = row.unit === '—' ? undefined : row.unit;
      const at = issueField(field);
      const item = itemField(field);
      const required = row.fallback === '*required*';
      const base = required ? undefined : resolvedDefault(field, row.variant);
      const shaped = (value: unknown): unknown => (allowed.vector ? [value, ...(base as number[]).slice(1)] : value);
      let checks = 0;
      for (const { operator, value } of allowed.bounds) {
        const what = `${row.line}: ${field} ${operator} ${value}`;
        if (operator === '>' || operator === '<') {
          expectRefused(configWith(field, row.variant, shaped(value)), at, what, unit);
        } else {
          const outward = operator === '≥' ? -1 : 1;
          expectAccepted(configWith(field, row.variant, shaped(value)), what);
          const outside = allowed.whole ? value + outward : nextNumber(value, outward);
          expectRefused(configWith(field, row.variant, shaped(outside)), at, `${what}: ${outside}`, unit);
        }
        checks++;
      }
      if (allowed.whole) {
        const low = allowed.bounds.find((bound) => bound.operator === '≥')!.value;
        const issue = expectRefused(configWith(field, row.variant, shaped(low + 0.5)), at, `${row.line}: ${low + 0.5}`, unit);
        expect(issue.message, row.line).toContain('whole number');
        checks++;
      }
      if (allowed.notZero) {
        expectRefused(configWith(field, row.variant, shaped(0)), at, `${row.line}: 0`, unit);
        checks++;
      }
      if (allowed.vector) {
        expectRefused(configWith(field, row.variant, [1, 2]), at, `${row.line}: two numbers`, unit);
        checks++;
      }
      if (allowed.options.length > 0) {
        for (const option of allowed.options) {
          expectAccepted(configWith(field, item ? { ...row.variant, [item.key]: option } : row.variant, option), `${row.line}: ${option}`);
        }
        const bogus = configWith(field, row.variant, BOGUS);
        expectRefused(bogus, at, `${row.line}: ${BOGUS}`);
        if (allowed.bounds.length === 0) expect(choicesAt(bogus, at), `${row.line}: the choices`).toEqual(allowed.options);
        checks++;
      }
      if (allowed.textMax !== undefined) {
        expectAccepted(configWith(field, row.variant, 'x'.repeat(allowed.textMax)), `${row.line}: ${allowed.textMax} characters`);
        for (const text of ['x'.repeat(allowed.textMax + 1), '', '   ', 'a\u0007b', 'a\u001b[2Jb']) {
          expectRefused(configWith(field, row.variant, text), at, `${row.line}: ${JSON.stringify(text)}`);
        }
        checks++;
      }
      if (allowed.unique && item) {
        const entry = { ...baseItem(item.list, row.variant), [item.key]: 'same' };
        expectRefused(withValue(item.list, [entry, entry]), `${item.list}[1].${item.key}`, `${row.line}: twice`);
        checks++;
      }
      if (allowed.list) {
        expectRefused(withValue(field, BOGUS), field, `${row.line}: not a list`);
        if (allowed.listMax !== undefined) {
          const entry = baseItem(field, {});
          expectAccepted(withValue(field, Array.from({ length: allowed.listMax }, () => entry)), `${row.line}: ${allowed.listMax} items`);
          expectRefused(withValue(field, Array.from({ length: allowed.listMax + 1 }, () => entry)), field, `${row.line}: one more`);
        }
        checks++;
      }
      // "three numbers" (any) and "a number" (any) have nothing to check but their kind.
      if (checks === 0 && /^(a number|three numbers)/.test(row.allowed)) {
        expectRefused(configWith(field, row.variant, 'x'), at, `${row.line}: text`, unit);
        checks++;
      }
      expect(checks, `${row.line}: "${row.allowed}" is not a range the test can check`).toBeGreaterThan(0);
    });
  });

  describe('states the whole-config limits the code has', () => {
    it('at most 10 million steps', () => {
      const millions = Number(PAGE.match(/At most (\d+) million steps/)?.[1]);
      expect(millions * 1e6).toBe(MAX_STEPS);
      const dt_ms = 0.25;
      expectAccepted({ dt_ms, duration_ms: MAX_STEPS * dt_ms }, 'exactly the most steps');
      const issue = expectRefused({ dt_ms, duration_ms: MAX_STEPS * dt_ms + dt_ms }, 'dt_ms', 'one step more');
      expect(issue.message).toContain(`${millions} million`);
    });

    it('a release of at least one ion', () => {
      const ion_mol = Number(PAGE.match(/1\/N_A ≈ ([\d.]+e-\d+) mol/)?.[1]);
      expectAccepted({ sources: [{ amount_mol: ion_mol * 1.01 }] }, 'just over one ion');
      expectRefused({ sources: [{ amount_mol: ion_mol * 0.99 }] }, 'sources[0].amount_mol', 'just under one ion');
    });

    it('a region source contains a voxel centre; a tissue region need not', () => {
      expectRefused({ sources: [{ type: 'region', center_um: [0, 0, 0], radius_um: 1 }] }, 'sources[0]', 'no voxel centre');
      expectAccepted({ tissue: { regions: [{ center_um: [0, 0, 0], radius_um: 1 }] } }, 'a tissue region without a voxel centre');
    });

    it('the stability limit of the defaults', () => {
      const limit = PAGE.match(/with the\s+defaults, the limit is ([\d.]+) ms/)?.[1];
      expect(limit).toBeDefined();
      expect(expectRefused({ dt_ms: 2 * Number(limit) }, 'dt_ms', 'above the limit').message).toContain(`≤ ${limit} ms`);
      expectAccepted({ dt_ms: 0.999 * Number(limit) }, 'below the limit');
    });

    it('the memory of the kernel and the largest cubic grids', () => {
      const [, pages, page] = PAGE.match(/(\d+) × (\d+) bytes/) ?? [];
      expect(Number(pages) * Number(page)).toBe(MAX_KERNEL_MEMORY_BYTES);
      const [, uniform, heterogeneous] = PAGE.match(/largest cubic grids are (\d+)³ voxels without regions and (\d+)³ with/) ?? [];
      const region = { tissue: { regions: [{ shape: 'layer', min_um: 0, max_um: 1 }] } };
      for (const [side, config] of [[Number(uniform), {}], [Number(heterogeneous), region]] as const) {
        expectAccepted({ ...config, grid: { size: [side, side, side] } }, `${side}³`);
        expectRefused({ ...config, grid: { size: [side + 1, side + 1, side + 1] } }, 'grid.size', `${side + 1}³`);
      }
    });

    it('the limits of JSON data', () => {
      expect(Number(PAGE.match(/nests deeper than (\d+) levels/)?.[1])).toBe(MAX_CONFIG_DEPTH);
      expect(PAGE).toMatch(/more\s+than a million values/);
      expect(MAX_CONFIG_VALUES).toBe(1e6);
    });
  });
});
