// Minimal CSV for numeric tables: a header of column names, then one row of numbers per line;
// null is an empty cell.
import { readFileSync } from 'node:fs';
import { UsageError } from './options.js';

export type Cell = number | null;

/** One CSV line. */
export function csvLine(cells: readonly (Cell | string)[]): string {
  return cells.map((cell) => (cell === null ? '' : String(cell))).join(',') + '\n';
}

/** Reads a numeric CSV written by ecs-sim: its header and rows. */
export function readCsv(path: string): { header: string[]; rows: Cell[][] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // Keep each line's number in the file for messages; blank lines are skipped.
  const lines = text.split(/\r?\n/).map((content, index) => ({ content, number: index + 1 }))
    .filter((line) => line.content.trim() !== '');
  if (lines.length === 0) throw new UsageError(`${path} is empty: expected a header line`);
  const header = lines[0].content.split(',');
  const rows = lines.slice(1).map(({ content, number }) => {
    const cells = content.split(',');
    if (cells.length !== header.length) {
      throw new UsageError(`${path}, line ${number}: ${cells.length} cells, the header has ${header.length}`);
    }
    return cells.map((cell) => {
      if (cell === '') return null;
      const value = cell.trim() === '' ? NaN : Number(cell);
      if (!Number.isFinite(value)) throw new UsageError(`${path}, line ${number}: "${cell}" is not a number`);
      return value;
    });
  });
  return { header, rows };
}

/** Rows sorted by their first column, then their second (α, then λ in sweep tables). */
export function sortByFirstColumns(rows: Cell[][]): Cell[][] {
  return [...rows].sort((a, b) => ((a[0] ?? 0) - (b[0] ?? 0)) || ((a[1] ?? 0) - (b[1] ?? 0)));
}
