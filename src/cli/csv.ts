// The CSV of ecs-sim's tables (RFC 4180): a header of column names, then one row per line. Number
// cells are written as the shortest exact decimal, null as an empty cell. Text cells (names, the
// sweep's model column) are quoted when they hold a comma, a quote or a line break, and text that
// a spreadsheet would run as a formula (= + - @ tab CR first) is written with a leading ' so that it
// shows as text.
import { readFileSync } from 'node:fs';
import { UsageError } from './options.js';
import { parseDecimal } from '../core/decimal.js';

export type Cell = number | string | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** A text cell as written. */
function textCell(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One CSV line. */
export function csvLine(cells: readonly Cell[]): string {
  return cells.map((cell) => (cell === null ? '' : typeof cell === 'number' ? String(cell) : textCell(cell))).join(',') + '\n';
}

/** The records of a CSV text, each with the (1-based) line it starts on; blank lines are skipped. */
export function csvRecords(text: string): { cells: string[]; line: number }[] {
  const records: { cells: string[]; line: number }[] = [];
  let cells: string[] = [], cell = '', quoted = false, line = 1, start = 1, any = false;
  const endRecord = () => {
    cells.push(cell);
    if (any || cells.length > 1 || cell.trim() !== '') records.push({ cells, line: start });
    cells = [];
    cell = '';
    any = false;
  };
  for (let k = 0; k < text.length; k++) {
    const char = text[k];
    if (quoted) {
      if (char === '"' && text[k + 1] === '"') { cell += '"'; k++; }
      else if (char === '"') quoted = false;
      else {
        if (char === '\n') line++;
        cell += char;
      }
    } else if (char === '"' && cell === '') { quoted = true; any = true; }
    else if (char === ',') { cells.push(cell); cell = ''; }
    else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[k + 1] === '\n') k++;
      endRecord();
      line++;
      start = line;
    } else cell += char;
  }
  if (quoted) throw new Error(`line ${start}: a quoted cell is not closed`);
  if (cell !== '' || cells.length > 0 || any) endRecord();
  return records;
}

/**
 * Reads a CSV written by ecs-sim: its header and rows. Cells are numbers (empty: null) except in the
 * columns named in textColumns, which are kept as text.
 */
export function readCsv(path: string, textColumns: readonly string[] = []): { header: string[]; rows: Cell[][] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let records;
  try {
    records = csvRecords(text);
  } catch (error) {
    throw new UsageError(`${path}, ${(error as Error).message}`);
  }
  if (records.length === 0) throw new UsageError(`${path} is empty: expected a header line`);
  const header = records[0].cells;
  const isText = header.map((name) => textColumns.includes(name));
  const rows = records.slice(1).map(({ cells, line }) => {
    if (cells.length !== header.length) {
      throw new UsageError(`${path}, line ${line}: ${cells.length} cells, the header has ${header.length}`);
    }
    return cells.map((cell, column) => {
      if (isText[column]) return cell;
      if (cell === '') return null;
      const value = parseDecimal(cell);
      if (value === null) throw new UsageError(`${path}, line ${line}: "${cell.slice(0, 40)}" is not a number`);
      return value;
    });
  });
  return { header, rows };
}

/** Rows sorted by their first column, then their second (α, then λ in sweep tables). */
export function sortByFirstColumns(rows: Cell[][]): Cell[][] {
  const number = (cell: Cell) => (typeof cell === 'number' ? cell : 0);
  return [...rows].sort((a, b) => (number(a[0]) - number(b[0])) || (number(a[1]) - number(b[1])));
}
