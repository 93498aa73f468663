// `ecs-sim merge`: joins the CSVs of a sharded sweep into one table, sorted by α then λ.
import { writeFileSync } from 'node:fs';
import { csvLine, readCsv, sortByFirstColumns, type Cell } from './csv.js';
import { parseCommand, UsageError } from './options.js';

export const MERGE_USAGE = `usage: ecs-sim merge part1.csv part2.csv … --out table.csv
  The parts must have the same columns; a combination (α, λ) present in several parts is kept once.`;

export async function mergeCommand(args: string[]): Promise<number> {
  const line = parseCommand(args, { out: { type: 'string' } });
  if (line.flag('help')) {
    console.log(MERGE_USAGE);
    return 0;
  }
  const out = line.required('out');
  if (line.positionals.length === 0) throw new UsageError(`no tables to merge`);
  const tables = line.positionals.map((path) => ({ path, ...readCsv(path) }));
  const header = tables[0].header;
  const byCombination = new Map<string, Cell[]>();
  for (const table of tables) {
    if (table.header.join(',') !== header.join(',')) {
      throw new UsageError(`${table.path} has columns ${table.header.join(',')}; ${tables[0].path} has ${header.join(',')}`);
    }
    for (const row of table.rows) byCombination.set(`${row[0]},${row[1]}`, row);
  }
  const rows = sortByFirstColumns([...byCombination.values()]);
  writeFileSync(out, [header, ...rows].map((row) => csvLine(row)).join(''));
  console.log(`${rows.length} rows from ${tables.length} tables: ${out}`);
  return 0;
}
