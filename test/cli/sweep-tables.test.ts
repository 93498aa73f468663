// Nothing a sweep made is lost: a table that holds rows is not overwritten unasked, a row cut off by
// a crash is dropped on --resume (and recomputed) instead of being read as data, rows of another
// model are refused, output paths are checked before any work, and merge refuses conflicts.
// All run the built CLI as a subprocess.
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { configFile, ecsSim, scratchDirectory } from '../helpers/cli.js';

const SMALL = {
  grid: { size: [21, 21, 21], spacing_um: 5 },
  sources: [{ type: 'bolus', position_um: [52.5, 52.5, 52.5], amount_mol: 1e-14 }],
  probes: [{ name: 'r20', position_um: [72.5, 52.5, 52.5] }],
  duration_ms: 300,
};
const GRID = ['--alpha', '0.2,0.3', '--lambda', '1.5,1.7', '--workers', '2'];

/** One finished table of SMALL over GRID, made once; each test works on a copy. */
let finished: string;
let finishedText: string;
beforeAll(async () => {
  finished = join(scratchDirectory(), 'finished.csv');
  const { code } = await ecsSim('sweep', configFile(SMALL), ...GRID, '--out', finished);
  expect(code).toBe(0);
  finishedText = readFileSync(finished, 'utf8');
}, 60_000);

function copyOfFinished(): string {
  const path = join(scratchDirectory(), 'table.csv');
  copyFileSync(finished, path);
  return path;
}

function expectOneLine(stderr: string, ...parts: string[]): void {
  expect(stderr.trim().split('\n')).toHaveLength(1);
  for (const part of parts) expect(stderr).toContain(part);
}

describe('sweep tables are not lost', () => {
  it('refuses to overwrite a table that holds rows (exit 2, file unchanged); --force replaces it', async () => {
    const out = copyOfFinished();
    const refused = await ecsSim('sweep', configFile(SMALL), ...GRID, '--out', out);
    expect(refused.code).toBe(2);
    expectOneLine(refused.stderr, 'already holds 4 rows', '--resume', '--force');
    expect(readFileSync(out, 'utf8')).toBe(finishedText);
    // Nor any other file that is not this sweep's table.
    const notes = join(scratchDirectory(), 'notes.txt');
    writeFileSync(notes, 'my notes\n');
    const other = await ecsSim('sweep', configFile(SMALL), ...GRID, '--out', notes);
    expect(other.code).toBe(2);
    expectOneLine(other.stderr, 'is not this sweep\'s table');
    expect(readFileSync(notes, 'utf8')).toBe('my notes\n');
    const forced = await ecsSim('sweep', configFile(SMALL), '--alpha', '0.2', '--lambda', '1.5', '--out', out, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(2);
  }, 60_000);

  it('drops a last row cut off inside a cell on --resume, says so, and recomputes it: the table equals an uninterrupted one', async () => {
    for (const cut of [1, 8, 30]) {
      const out = copyOfFinished();
      const bytes = statSync(out).size;
      writeFileSync(out, finishedText.slice(0, bytes - cut));
      const resumed = await ecsSim('sweep', configFile(SMALL), ...GRID, '--out', out, '--resume');
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toContain('dropped an incomplete last line');
      expect(resumed.stdout).toContain('1 simulation ');
      expect(readFileSync(out, 'utf8')).toBe(finishedText);
    }
  }, 120_000);

  it('refuses --resume on a table of another model (config or version), naming both; the table is unchanged', async () => {
    const out = copyOfFinished();
    const other = configFile({ ...SMALL, duration_ms: 400 });
    const { code, stderr } = await ecsSim('sweep', other, ...GRID, '--out', out, '--resume');
    expect(code).toBe(2);
    expectOneLine(stderr, 'was computed by model "ecs-sim', 'another config or version');
    expect(readFileSync(out, 'utf8')).toBe(finishedText);
  });

  it('checks every output path before running: a missing folder, a folder, a path under a file (exit 2, one line)', async () => {
    const directory = scratchDirectory();
    const file = join(directory, 'file.csv');
    writeFileSync(file, '');
    const cases: [string[], string][] = [
      [['sweep', configFile(SMALL), ...GRID, '--out', join(directory, 'missing', 't.csv')], 'does not exist'],
      [['sweep', configFile(SMALL), ...GRID, '--out', directory], 'is a folder'],
      [['sweep', configFile(SMALL), ...GRID, '--out', join(file, 't.csv')], 'is not a folder'],
      [['sweep', configFile(SMALL), ...GRID, '--out', join(directory, 't.csv'), '--plot', join(directory, 'missing', 'p.svg')], '--plot'],
      [['run', configFile(SMALL), '--series', join(directory, 'missing', 's.csv')], '--series'],
      [['merge', finished, '--out', join(directory, 'missing', 'm.csv')], '--out'],
    ];
    for (const [args, message] of cases) {
      const started = performance.now();
      const { code, stderr } = await ecsSim(...args);
      expect(code, args.join(' ')).toBe(2);
      expectOneLine(stderr, message);
      // Refused before simulating anything.
      expect(performance.now() - started).toBeLessThan(5000);
    }
  });

  it('run --series on a full disk (/dev/full): one line, exit 1, the summary printed and the series kept elsewhere', async () => {
    const { code, stdout, stderr } = await ecsSim('run', configFile(SMALL), '--series', '/dev/full', '--no-time-error');
    expect(code).toBe(1);
    expectOneLine(stderr, 'cannot write /dev/full (ENOSPC', 'the probe series');
    expect(stdout).toContain('r20');
    const kept = /is in (\S+) instead/.exec(stderr)![1];
    const lines = readFileSync(kept, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('t_ms,r20_mM');
    expect(lines.length).toBeGreaterThan(10);
  });
});

describe('ecs-sim merge refuses what would mix or lose rows', () => {
  it('keeps identical duplicate rows once, refuses rows that differ for one (α, λ), and refuses parts of different models', async () => {
    const directory = scratchDirectory();
    const again = join(directory, 'again.csv');
    copyFileSync(finished, again);
    const merged = join(directory, 'merged.csv');
    const same = await ecsSim('merge', finished, again, '--out', merged);
    expect(same.code).toBe(0);
    expect(readFileSync(merged, 'utf8')).toBe(finishedText);

    const [header, first, ...rest] = finishedText.trim().split('\n');
    const cells = first.split(',');
    cells[2] = String(Number(cells[2]) * 1.01);
    const changed = join(directory, 'changed.csv');
    writeFileSync(changed, [header, cells.join(','), ...rest].join('\n') + '\n');
    const conflict = await ecsSim('merge', finished, changed, '--out', merged);
    expect(conflict.code).toBe(2);
    expectOneLine(conflict.stderr, `α = ${cells[0]}, λ = ${cells[1]} differs between`);

    const otherModel = join(directory, 'other.csv');
    expect((await ecsSim('sweep', configFile({ ...SMALL, duration_ms: 400 }), '--alpha', '0.4', '--lambda', '1.5', '--out', otherModel)).code).toBe(0);
    const mixed = await ecsSim('merge', finished, otherModel, '--out', merged);
    expect(mixed.code).toBe(2);
    expectOneLine(mixed.stderr, 'tables of different configs or versions cannot be merged');
    expect(readFileSync(merged, 'utf8')).toBe(finishedText);
  }, 60_000);
});
