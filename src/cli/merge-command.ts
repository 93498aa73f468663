// `ecs-sim merge`: joins the CSVs of a sharded sweep into one table, sorted by α then λ.
import { counted } from '../core/format.js';
import { csvLine, readCsv, sortByFirstColumns, type Cell } from './csv.js';
import { parseCommand, UsageError } from './options.js';
import { checkWritable, writeFileAtomically } from './output-file.js';
import { MODEL_COLUMN } from './sweep-table.js';

export const MERGE_USAGE = `usage: ecs-sim merge part1.csv part2.csv … --out table.csv
  The parts must have the same columns and come from the same model (the model column: config and version);
  a combination (α, λ) present in several parts is kept once if its rows agree, and refused if they differ.`;

export async function mergeCommand(args: string[]): Promise<number> {
  const line = parseCommand(args, { out: { type: 'string' } });
  if (line.flag('help')) {
    console.log(MERGE_USAGE);
    return 0;
  }
  const out = line.required('out');
  if (line.positionals.length === 0) throw new UsageError(`no tables to merge`);
  checkWritable(out, '--out');
  const tables = line.positionals.map((path) => ({ path, ...readCsv(path, [MODEL_COLUMN]) }));
  const header = tables[0].header;
  const model = header.indexOf(MODEL_COLUMN);
  const byCombination = new Map<string, { row: Cell[]; path: string }>();
  for (const table of tables) {
    if (csvLine(table.header) !== csvLine(header)) {
      throw new UsageError(`${table.path} has columns ${table.header.join(',')}; ${tables[0].path} has ${header.join(',')}`);
    }
    for (const row of table.rows) {
      const first = byCombination.values().next().value;
      if (model >= 0 && first && row[model] !== first.row[model]) {
        throw new UsageError(`${table.path} holds rows of model "${row[model]}", ${first.path} of "${first.row[model]}": ` +
          'tables of different configs or versions cannot be merged');
      }
      const key = `${row[0]},${row[1]}`, earlier = byCombination.get(key);
      if (earlier && csvLine(earlier.row) !== csvLine(row)) {
        throw new UsageError(`α = ${row[0]}, λ = ${row[1]} differs between ${earlier.path} and ${table.path}: ` +
          'remove one of the two rows (or rerun that combination) before merging');
      }
      byCombination.set(key, { row, path: table.path });
    }
  }
  const rows = sortByFirstColumns([...byCombination.values()].map((entry) => entry.row));
  writeFileAtomically(out, [header, ...rows].map((row) => csvLine(row)).join(''));
  console.log(`${counted(rows.length, 'row')} from ${counted(tables.length, 'table')}: ${out}`);
  return 0;
}
