// docs/outputs.md kept true: runs the built command line (dist/cli/main.js; `npm run build:ts` and
// the kernel first) on tiny configs and checks that what the reference lists is exactly what ecs-sim
// writes.
//
// The convention this test parses (also stated at the top of docs/outputs.md):
//  - The reference has numbered level-2 sections, found here by their exact heading line
//    (`## 1. \`ecs-sim run --json\``, …).
//  - In a section, every Markdown table row whose first cell is a single code span (`…`) is one
//    documented JSON key path or CSV column; the table's header row names the other cells (Type,
//    Unit, …). Other rows (headers, separators) and everything outside tables are ignored. `\|`
//    inside a cell is a literal |.
//  - JSON key paths join keys with `.`; the elements of an array of objects are `[]`
//    (`probes[].name`); an array of numbers or strings is one path (`warnings`), and so is an object
//    documented elsewhere (OPAQUE below: `config` and rti's `tissue`, in docs/config.md).
//  - Type cells: `number`, `string`, `boolean`, `null`, `object`, `number[3]` (array of exactly 3),
//    `string[]` (array of any length), `object[]`, alternatives joined by " or ".
//  - CSV tables: `<probe>` stands for each probe name, in config order (a run of consecutive
//    `<probe>` rows repeats as a block per probe); in the sweep table the row `<column>_time_error`
//    is not a column of its own place: with --time-error it follows every column whose
//    "Followed by …" cell is "yes".
//
// What is checked: for `run --json` (with and without the time error, with --check-grid, a species
// other than K at a 0 mM baseline), `rti --json` (a fit back that works and one that fails) and
// `fit --json` (RTI and --agarose), `nernst --json` and `ghk --json`, that the set of documented key paths equals the union of the key
// paths printed, and every printed value has its documented type; that the sweep table's header
// (two probes, with and without --time-error), the --series header and the rti curve header equal
// the documented columns in order; that a name ending in a unit (_ms, _mM, …) is documented with
// that unit; and a few facts the reference states (sweep rows sorted by α then λ and equal to
// `run`'s read-outs, the model cell's form, steps + 1 series rows, the example's keys).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configFile, ecsSim, scratchDirectory } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '../..');
const DOC = readFileSync(join(ROOT, 'docs/outputs.md'), 'utf8');
const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

const HEADINGS = {
  run: '## 1. `ecs-sim run --json`',
  sweep: '## 2. `ecs-sim sweep --out table.csv`',
  series: '## 3. `ecs-sim run --series out.csv`',
  rtiCurve: '## 4. `ecs-sim rti --out curve.csv`',
  rtiJson: '## 5. `ecs-sim rti --json`',
  fit: '## 6. `ecs-sim fit --json`',
  agarose: '## 7. `ecs-sim fit --agarose --json`',
  nernst: '## 8. `ecs-sim nernst --json`',
  ghk: '## 9. `ecs-sim ghk --json`',
} as const;

/** Objects documented as one entry (their keys are in docs/config.md). */
const OPAQUE = { run: ['config'], rtiJson: ['tissue'] };

/** Unit a name ending in it must be documented with (longest suffix first). */
const UNIT_SUFFIXES: [string, string][] = [
  ['_um2_per_ms', 'µm²/ms'], ['_per_ms', '1/ms'], ['_ms', 'ms'], ['_mM', 'mM'], ['_mV', 'mV'], ['_um', 'µm'], ['_mol', 'mol'],
];

// ----- reading the reference -----

interface Entry {
  key: string;
  /** The row's cells by the table's header names. */
  cells: Record<string, string>;
}

/** The text of a level-2 section, from its heading line to the next level-2 heading. */
function section(heading: string): string {
  const lines = DOC.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) throw new Error(`docs/outputs.md has no heading line "${heading}"`);
  const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

function cellsOf(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/(?<!\\)\|$/, '').split(/(?<!\\)\|/).map((cell) => cell.trim().replace(/\\\|/g, '|'));
}

/** Every table row of a section whose first cell is one code span. */
function entries(heading: string): Entry[] {
  const found: Entry[] = [];
  let header: string[] | null = null;
  for (const line of section(heading).split('\n')) {
    if (!line.trim().startsWith('|')) {
      header = null;
      continue;
    }
    const cells = cellsOf(line);
    if (header === null) {
      header = cells;
      continue;
    }
    const key = /^`([^`]+)`$/.exec(cells[0])?.[1];
    if (key === undefined) continue;
    found.push({ key, cells: Object.fromEntries(header.map((name, index) => [name, cells[index] ?? ''])) });
  }
  return found;
}

/** Does a value have one of the types of a Type cell? */
function hasType(value: unknown, type: string): boolean {
  return type.split(/\s+or\s+/).some((token) => {
    const array = /^(\w+)\[(\d*)\]$/.exec(token);
    if (array) {
      return Array.isArray(value) && (array[2] === '' || value.length === Number(array[2])) &&
        value.every((element) => hasType(element, array[1]));
    }
    if (token === 'null') return value === null;
    if (token === 'object') return typeof value === 'object' && value !== null && !Array.isArray(value);
    return ['number', 'string', 'boolean'].includes(token) && typeof value === token;
  });
}

/** Every key path of a JSON value with the values seen there. */
function keyPaths(value: unknown, opaque: readonly string[], prefix = '', found = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return found;
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    found.set(path, [...(found.get(path) ?? []), child]);
    if (opaque.includes(path)) continue;
    if (Array.isArray(child)) {
      for (const element of child) {
        if (typeof element === 'object' && element !== null && !Array.isArray(element)) keyPaths(element, opaque, `${path}[]`, found);
      }
    } else keyPaths(child, opaque, path, found);
  }
  return found;
}

/** Checks a section against JSON outputs: the same key paths, and every value of its documented type. */
function expectDocumentedJson(heading: string, outputs: unknown[], opaque: readonly string[] = []): void {
  const documented = entries(heading);
  const keys = documented.map((entry) => entry.key);
  expect(keys.filter((key, index) => keys.indexOf(key) !== index), `${heading}: documented twice`).toEqual([]);
  const seen = new Map<string, unknown[]>();
  for (const output of outputs) {
    for (const [path, values] of keyPaths(output, opaque)) seen.set(path, [...(seen.get(path) ?? []), ...values]);
  }
  expect({
    printedButNotDocumented: [...seen.keys()].filter((path) => !keys.includes(path)),
    documentedButNotPrinted: keys.filter((key) => !seen.has(key)),
  }, heading).toEqual({ printedButNotDocumented: [], documentedButNotPrinted: [] });
  for (const entry of documented) {
    const wrong = (seen.get(entry.key) ?? []).filter((value) => !hasType(value, entry.cells.Type));
    expect(wrong, `${heading}: ${entry.key} is documented as "${entry.cells.Type}"`).toEqual([]);
  }
}

/** The documented columns of a CSV section for these probes (and, in the sweep, with or without the time-error columns). */
function documentedColumns(heading: string, probes: string[], timeError = false): string[] {
  const columns: string[] = [];
  const rows = entries(heading).filter((entry) => !entry.key.includes('<column>'));
  for (let index = 0; index < rows.length;) {
    let block = 0;
    while (rows[index + block]?.key.includes('<probe>')) block++;
    const group = block > 0 ? probes.flatMap((probe) => rows.slice(index, index + block).map((row) => ({ ...row, key: row.key.replace('<probe>', probe) })))
      : [rows[index]];
    for (const row of group) {
      columns.push(row.key);
      const followed = Object.entries(row.cells).find(([name]) => name.startsWith('Followed by'))?.[1];
      if (timeError && followed === 'yes') columns.push(`${row.key}_time_error`);
    }
    index += Math.max(block, 1);
  }
  return columns;
}

function csv(path: string): string[][] {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => line.split(','));
}

function json(result: { code: number; stdout: string; stderr: string }, code = 0): unknown {
  expect(result.code, result.stderr).toBe(code);
  return JSON.parse(result.stdout);
}

// ----- the runs -----

const PROBES = [{ name: 'r20', position_um: [72.5, 52.5, 52.5] }, { name: 'r40', position_um: [92.5, 52.5, 52.5] }];
/** A bolus on 21³ voxels of 5 µm, two probes; at 300 ms r40 has not fallen to half its peak (t_half_ms null). */
const TINY = { grid: { size: [21, 21, 21], spacing_um: 5 }, duration_ms: 300, probes: PROBES };
/** A species other than K at a 0 mM baseline: no resting potentials, an infinite E at baseline. */
const TMA = {
  grid: { size: [15, 15, 15], spacing_um: 5 }, duration_ms: 100,
  species: { name: 'TMA', D_um2_per_ms: 1.3, baseline_mM: 0, inside_mM: 10 }, probes: [{ name: 'p', position_um: [47.5, 37.5, 37.5] }],
};
const RTI = ['--pulse-start-ms', '1000', '--pulse-ms', '3000', '--r-um', '60'];
const FIT = ['--r-um', '120', '--current-nA', '80', '--transport-number', '0.4', '--D-um2-per-ms', '1.3',
  '--pulse-start-ms', '10000', '--pulse-ms', '50000'];

describe('docs/outputs.md', () => {
  it('states the convention it is read by, and every heading this test looks for exists', () => {
    expect(DOC).toMatch(/every table row whose first cell is one code span is one\s+documented key path/);
    for (const heading of Object.values(HEADINGS)) expect(() => section(heading), heading).not.toThrow();
  });

  it('names a unit in the Unit cell wherever the key or column name ends in one', () => {
    for (const heading of Object.values(HEADINGS)) {
      for (const entry of entries(heading)) {
        const name = entry.key.split('.').pop()!;
        const unit = UNIT_SUFFIXES.find(([suffix]) => name.endsWith(suffix))?.[1];
        if (unit !== undefined) expect(entry.cells.Unit, `${heading}: ${entry.key}`).toBe(unit);
      }
    }
  });

  it('lists exactly the key paths of run --json, with their types', async () => {
    const tiny = configFile(TINY);
    const outputs = [
      json(await ecsSim('run', tiny, '--json', '--no-time-error')),
      json(await ecsSim('run', tiny, '--json', '--check-grid')),
      json(await ecsSim('run', configFile(TMA), '--json', '--no-time-error')),
    ];
    expectDocumentedJson(HEADINGS.run, outputs, OPAQUE.run);
    // The nulls the three runs are meant to show, so that the types above were tried on them.
    const [plain, checked, tma] = outputs as any[];
    expect([plain.probes[0].time_error, plain.grid_check, plain.probes[1].t_half_ms]).toEqual([null, null, null]);
    expect(checked.probes[0].grid_error).not.toBeNull();
    expect([tma.probes[0].EK_baseline_mV, tma.probes[0].Vrest_peak_mV]).toEqual([null, null]);
  });

  it('shows an example of run --json whose keys are documented (its config trimmed)', () => {
    const block = /```\n(\{\n {2}"version"[\s\S]*?\n\})\n```/.exec(section(HEADINGS.run))?.[1];
    expect(block, 'the example block').toBeDefined();
    const example = JSON.parse(block!.replace('"config": { … }', '"config": {}'));
    const documented = new Map(entries(HEADINGS.run).map((entry) => [entry.key, entry.cells.Type]));
    for (const [path, values] of keyPaths(example, OPAQUE.run)) {
      expect(documented.has(path), path).toBe(true);
      for (const value of values) expect(hasType(value, documented.get(path)!), path).toBe(true);
    }
  });

  it('lists the sweep columns in order, with and without --time-error, and the rows are what it says', async () => {
    const folder = scratchDirectory();
    const config = configFile(TINY);
    const names = PROBES.map((probe) => probe.name);
    for (const timeError of [false, true]) {
      const out = join(folder, `table-${timeError}.csv`);
      const sweep = await ecsSim('sweep', config, '--alpha', '0.2', '--lambda', '1.8,1.6', '--workers', '1', '--out', out,
        ...(timeError ? ['--time-error'] : []));
      expect(sweep.code, sweep.stderr).toBe(0);
      const [header, ...rows] = csv(out);
      expect(header, `--time-error ${timeError}`).toEqual(documentedColumns(HEADINGS.sweep, names, timeError));
      // Sorted by α then λ; the model column's form; the row equal to run's read-outs, null as an empty cell.
      expect(rows.map((row) => row.slice(0, 2))).toEqual([['0.2', '1.6'], ['0.2', '1.8']]);
      for (const row of rows) expect(row[header.indexOf('model')]).toMatch(new RegExp(`^ecs-sim ${VERSION.replace(/\./g, '\\.')} [0-9a-f]{12}$`));
      const run = json(await ecsSim('run', config, '--json', '--alpha', '0.2', '--lambda', '1.6',
        ...(timeError ? [] : ['--no-time-error']))) as any;
      const cell = (value: number | null) => (value === null ? '' : String(value));
      const expected: Record<string, string> = {
        excess_half_time_ms: cell(run.clearance.excess_half_time_ms), excess_tenth_time_ms: cell(run.clearance.excess_tenth_time_ms),
      };
      for (const probe of run.probes) {
        for (const metric of ['peak_mM', 't_peak_ms', 't_half_ms']) {
          expected[`${probe.name}_${metric}`] = cell(probe[metric]);
          if (timeError) expected[`${probe.name}_${metric}_time_error`] = cell(probe.time_error[metric]);
        }
      }
      if (timeError) {
        for (const key of ['excess_half_time_ms', 'excess_tenth_time_ms']) expected[`${key}_time_error`] = cell(run.clearance.time_error[key]);
      }
      expect(Object.fromEntries(Object.keys(expected).map((name) => [name, rows[0][header.indexOf(name)]]))).toEqual(expected);
      expect(rows[0][header.indexOf('r40_t_half_ms')]).toBe('');
    }
  });

  it('lists the --series columns, and the series has steps + 1 rows from t = 0', async () => {
    const out = join(scratchDirectory(), 'series.csv');
    const summary = json(await ecsSim('run', configFile(TINY), '--json', '--no-time-error', '--series', out)) as any;
    const [header, ...rows] = csv(out);
    expect(header).toEqual(documentedColumns(HEADINGS.series, PROBES.map((probe) => probe.name)));
    expect(rows).toHaveLength(summary.steps + 1);
    expect(rows[0][0]).toBe('0');
  });

  it('lists the rti curve columns and the key paths of rti --json (a fit back that works and one that fails)', async () => {
    const folder = scratchDirectory();
    const config = configFile({ grid: { size: [31, 31, 31], spacing_um: 10 } });
    const out = join(folder, 'curve.csv');
    const fitted = json(await ecsSim('rti', config, ...RTI, '--record-ms', '5000', '--out', out, '--json'));
    const failed = json(await ecsSim('rti', config, ...RTI, '--record-ms', '1100', '--json'), 1);
    expect((failed as any).fit.failed).toMatch(/^fit failed: /);
    expectDocumentedJson(HEADINGS.rtiJson, [fitted, failed], OPAQUE.rtiJson);
    expect(csv(out)[0]).toEqual(documentedColumns(HEADINGS.rtiCurve, []));
  });

  it('lists the key paths of fit --json and fit --agarose --json', async () => {
    const curve = join(ROOT, 'docs/rti-example.csv');
    expectDocumentedJson(HEADINGS.fit, [json(await ecsSim('fit', curve, ...FIT, '--json'))]);
    expectDocumentedJson(HEADINGS.agarose, [json(await ecsSim('fit', curve, ...FIT, '--agarose', '--json'))]);
  });

  it('lists the key paths of nernst --json (with and without --activity) and ghk --json', async () => {
    const nernst = ['nernst', '--ion', 'K', '--out-mM', '3', '--in-mM', '140', '--json'];
    expectDocumentedJson(HEADINGS.nernst, [json(await ecsSim(...nernst)), json(await ecsSim(...nernst, '--activity'))]);
    expectDocumentedJson(HEADINGS.ghk, [json(await ecsSim('ghk', '--ions', 'K:1:140:3,Na:0.05:15:145,Cl:0.45:7:120', '--json'))]);
  });
});
