// The CSV of ecs-sim tables (src/cli/csv.ts): null ↔ empty cell, numbers round-trip exactly, text is quoted and defused,
// and every unreadable file is a UsageError naming the path (and the line, for a bad row).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvLine, readCsv, sortByFirstColumns, type Cell } from '../../src/cli/csv.js';
import { UsageError } from '../../src/cli/options.js';

/** Writes text to a fresh temporary file and returns its path. */
function tempFile(text: string, name = 'table.csv'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ecs-sim-csv-')), name);
  writeFileSync(path, text);
  return path;
}

/** Calls readCsv and returns the UsageError it throws (fails the test otherwise). */
function refusal(path: string): UsageError {
  try {
    readCsv(path);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error(`readCsv accepted ${path}`);
}

describe('csvLine', () => {
  it('joins cells with commas and ends with a newline', () => {
    expect(csvLine([0.1, 1.6, 3])).toBe('0.1,1.6,3\n');
  });

  it('writes null as an empty cell, at the start, middle and end', () => {
    expect(csvLine([null, 1, null, 2, null])).toBe(',1,,2,\n');
  });

  it('writes strings as they are (header lines)', () => {
    expect(csvLine(['alpha', 'lambda', 'r50_t_half_ms'])).toBe('alpha,lambda,r50_t_half_ms\n');
  });

  it('quotes text holding a comma, a quote or a line break (RFC 4180), and reads it back', () => {
    const names = ['a,b', 'say "hi"', 'two\nlines', 'cr\rhere', 'plain'];
    expect(csvLine(names)).toBe('"a,b","say ""hi""","two\nlines","cr\rhere",plain\n');
    const path = tempFile(csvLine(names) + csvLine([1, 2, 3, 4, 5]));
    expect(readCsv(path)).toEqual({ header: names, rows: [[1, 2, 3, 4, 5]] });
  });

  it('writes text a spreadsheet would run as a formula with a leading apostrophe; numbers, negative ones too, as they are', () => {
    expect(csvLine(['=HYPERLINK("http://x")', '+1', '-cmd', '@sum', '\tx', 'ok'])).toBe(
      `"'=HYPERLINK(""http://x"")",'+1,'-cmd,'@sum,'\tx,ok\n`);
    expect(csvLine([-1.5, -0, 2])).toBe('-1.5,0,2\n');
  });

  it('keeps the named text columns as text', () => {
    const path = tempFile('alpha,model\n0.2,ecs-sim 0.1.0 abc\n');
    expect(readCsv(path, ['model']).rows).toEqual([[0.2, 'ecs-sim 0.1.0 abc']]);
    expect(() => readCsv(path)).toThrow(/is not a number/);
  });

  it('writes 0 as "0", not as an empty cell', () => {
    expect(csvLine([0, null])).toBe('0,\n');
  });

  it('writes the shortest exact decimal (0.1 + 0.2 → 0.30000000000000004, 1e-300 → 1e-300)', () => {
    expect(csvLine([0.1 + 0.2, 1e-300])).toBe('0.30000000000000004,1e-300\n');
  });
});

describe('readCsv round trip', () => {
  it('reads back exactly the header and numbers csvLine wrote, nulls included', () => {
    const header = ['alpha', 'lambda', 'a_mM', 'b_ms', 'c_ms'];
    const rows: Cell[][] = [
      [0.1, 1.4, 0.1 + 0.2, 1e-300, null],
      [0.2, 1.8, 1 / 3, Math.PI * 1e200, -2.5e-7],
      [0.4, 2.2, null, Number.MAX_VALUE, Number.MIN_VALUE],
      [1, 1, 123456789.123456789, 5e-324, 0],
    ];
    const path = tempFile([header, ...rows].map((row) => csvLine(row)).join(''));
    const read = readCsv(path);
    expect(read.header).toEqual(header);
    expect(read.rows).toHaveLength(rows.length);
    rows.forEach((row, r) => {
      expect(read.rows[r]).toHaveLength(row.length);
      // toBe: bit-for-bit equality (Object.is), not closeness.
      row.forEach((cell, c) => expect(read.rows[r][c]).toBe(cell));
    });
  });

  it('reads a header-only file as no rows', () => {
    expect(readCsv(tempFile('alpha,lambda\n'))).toEqual({ header: ['alpha', 'lambda'], rows: [] });
  });

  it('accepts CRLF line ends, a missing final newline and blank lines', () => {
    const read = readCsv(tempFile('alpha,lambda\r\n0.1,1.6\r\n\r\n0.2,1.7'));
    expect(read.header).toEqual(['alpha', 'lambda']);
    expect(read.rows).toEqual([[0.1, 1.6], [0.2, 1.7]]);
  });
});

describe('readCsv refusals are UsageErrors naming the path (and the line of a bad row)', () => {
  it('a missing file: names the path and the reason (ENOENT)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ecs-sim-csv-')), 'missing.csv');
    const message = refusal(path).message;
    expect(message).toContain(path);
    expect(message).toContain('ENOENT');
  });

  it('an empty file: names the path and says a header is expected', () => {
    const path = tempFile('');
    const message = refusal(path).message;
    expect(message).toContain(path);
    expect(message).toContain('empty');
  });

  it('a file of blank lines counts as empty', () => {
    const path = tempFile('\n  \n\n');
    expect(refusal(path).message).toContain(`${path} is empty`);
  });

  it('a ragged row: names the path, the line (header = line 1) and both cell counts', () => {
    const path = tempFile('alpha,lambda,t_ms\n0.1,1.6,5\n0.2,1.7\n');
    const message = refusal(path).message;
    expect(message).toContain(`${path}, line 3`);
    expect(message).toContain('2 cells');
    expect(message).toContain('header has 3');
  });

  it('a row with too many cells is ragged too', () => {
    const path = tempFile('alpha,lambda\n0.1,1.6,9\n');
    expect(refusal(path).message).toContain(`${path}, line 2`);
  });

  it('a non-numeric cell: names the path, the line and quotes the cell', () => {
    const path = tempFile('alpha,lambda\n0.1,1.6\n0.2,abc\n');
    const message = refusal(path).message;
    expect(message).toContain(`${path}, line 3`);
    expect(message).toContain('"abc"');
    expect(message).toContain('not a number');
  });

  it('NaN and Infinity cells are refused as non-numbers', () => {
    expect(refusal(tempFile('a,b\nNaN,1\n')).message).toContain('"NaN" is not a number');
    expect(refusal(tempFile('a,b\n1,Infinity\n')).message).toContain('"Infinity" is not a number');
  });

  it('the line number counts blank lines (bad row on physical line 4 after a blank line)', () => {
    const path = tempFile('alpha,lambda\n0.1,1.6\n\n0.2,abc\n');
    expect(refusal(path).message).toContain(`${path}, line 4`);
  });

  it('a whitespace-only cell is not silently read as 0', () => {
    const read = (() => {
      try {
        return readCsv(tempFile('alpha,lambda\n0.1, \n'));
      } catch {
        return undefined;
      }
    })();
    expect(read?.rows[0][1]).not.toBe(0);
  });
});

describe('sortByFirstColumns', () => {
  it('sorts by column 0, then column 1, carrying whole rows', () => {
    const rows: Cell[][] = [
      [0.4, 1.4, 1],
      [0.1, 2.2, 2],
      [0.2, 1.8, 3],
      [0.1, 1.4, 4],
      [0.4, 1.2, 5],
    ];
    expect(sortByFirstColumns(rows)).toEqual([
      [0.1, 1.4, 4],
      [0.1, 2.2, 2],
      [0.2, 1.8, 3],
      [0.4, 1.2, 5],
      [0.4, 1.4, 1],
    ]);
  });

  it('does not mutate the input array or its rows', () => {
    const rows: Cell[][] = [[0.4, 1.4], [0.1, 1.6], [0.2, 1.5]];
    const snapshot = rows.map((row) => [...row]);
    const firstRow = rows[0];
    const sorted = sortByFirstColumns(rows);
    expect(sorted).not.toBe(rows);
    expect(rows).toEqual(snapshot);
    expect(rows[0]).toBe(firstRow);
  });

  it('orders numerically, not as strings (10 after 9)', () => {
    expect(sortByFirstColumns([[10, 1], [9, 1], [100, 1]]).map((row) => row[0])).toEqual([9, 10, 100]);
  });

  it('returns an empty array for no rows', () => {
    expect(sortByFirstColumns([])).toEqual([]);
  });
});
