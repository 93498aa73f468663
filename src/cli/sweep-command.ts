// `ecs-sim sweep`: the grid of simulations over α × λ, run in worker threads, written row by row
// to a CSV (so an interrupted sweep keeps its finished rows and --resume completes it), then
// summarised with power-law exponents and drawn as an SVG.
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { counted } from '../core/format.js';
import { fitPowerLaw } from '../core/scaling.js';
import { csvLine, readCsv, sortByFirstColumns, type Cell } from './csv.js';
import { withTissue } from '../core/presets.js';
import { loadConfig, resolveForRun } from './load-config.js';
import { parseCommand, parseCount, parseList, parseShard, UsageError } from './options.js';
import { checkWritable, dropIncompleteLastLine, OutputError, RowAppender, writeFileAtomically } from './output-file.js';
import { ProgressBar } from './progress.js';
import { VERSION } from './summary.js';
import { MODEL_COLUMN, modelId, sweepColumns } from './sweep-table.js';
import { sweepPlotSvg } from './sweep-plot.js';
import type { SweepJob, SweepResult } from './sweep-worker.js';
import { WorkerPool } from './worker-pool.js';

export const SWEEP_USAGE = `usage: ecs-sim sweep [config.json] --alpha LIST --lambda LIST --out table.csv
         [--plot fig.svg] [--metric COLUMN] [--workers N] [--shard i/N] [--resume | --force] [--preset NAME] [--time-error]
         [--set PATH=VALUE …]
  LIST: 0.1,0.2,0.4 or start:stop:step. --metric: the column the plot shows (default <first probe>_t_half_ms).
  --shard i/N runs every N-th combination from the i-th (for job arrays); join the tables with ecs-sim merge.
  --resume keeps the rows already in --out (of the same model: config and version) and runs only the missing
  combinations; --force replaces a table that holds rows (without either, such a table is refused).
  --time-error: each read-out followed by a column <name>_time_error, its estimated time error (each run is
  repeated with every step halved: ~3× the time). --set: as for ecs-sim run.`;

/** Exit code of a sweep stopped by Ctrl-C (128 + SIGINT). */
const INTERRUPTED = 130;

export async function sweepCommand(args: string[]): Promise<number> {
  const line = parseCommand(args, {
    alpha: { type: 'string' }, lambda: { type: 'string' }, out: { type: 'string' }, plot: { type: 'string' },
    metric: { type: 'string' }, workers: { type: 'string' }, shard: { type: 'string' }, resume: { type: 'boolean' },
    force: { type: 'boolean' }, preset: { type: 'string' }, set: { type: 'string', multiple: true }, 'time-error': { type: 'boolean' },
  });
  if (line.flag('help')) {
    console.log(SWEEP_USAGE);
    return 0;
  }
  if (line.positionals.length > 1) throw new UsageError(`expected at most one config file, got ${line.positionals.length}`);
  const alphas = parseList(line.required('alpha'), '--alpha', 'volume fraction, dimensionless');
  const lambdas = parseList(line.required('lambda'), '--lambda', 'tortuosity, dimensionless');
  const out = line.required('out');
  const plot = line.text('plot');
  const workersText = line.text('workers'), shardText = line.text('shard');
  const workers = workersText ? parseCount(workersText, '--workers', 256) : availableParallelism();
  const shard = shardText ? parseShard(shardText) : { index: 1, count: 1 };
  const base = await loadConfig(line.positionals[0], line.text('preset'), line.texts('set'));

  // Validate every combination before running any (ConfigError → exit 2).
  const combinations = alphas.flatMap((alpha) => lambdas.map((lambda) => ({ alpha, lambda })));
  const configs = combinations.map(({ alpha, lambda }) => resolveForRun(withTissue(base, alpha, lambda)));
  const timeError = line.flag('time-error');
  const columns = sweepColumns(configs[0], timeError);
  const metric = line.text('metric') ?? `${configs[0].probes[0]?.name}_t_half_ms`;
  if (plot && !columns.slice(2).includes(metric)) {
    throw new UsageError(`--metric = "${metric}": not a column; choose one of ${columns.slice(2).join(', ')}`);
  }

  if (line.flag('resume') && line.flag('force')) throw new UsageError('--resume and --force: choose one (keep the rows, or replace them)');
  checkWritable(out, '--out');
  if (plot) checkWritable(plot, '--plot');
  const model = modelId(configs[0], VERSION);
  const rows = startTable(out, columns, model, { resume: line.flag('resume'), force: line.flag('force') });
  const done = new Set(rows.map((row) => `${row[0]},${row[1]}`));
  const jobs: SweepJob[] = [];
  combinations.forEach((combination, index) => {
    if (index % shard.count === shard.index - 1 && !done.has(`${combination.alpha},${combination.lambda}`)) {
      jobs.push({ index, config: configs[index], timeError });
    }
  });

  const progress = new ProgressBar(jobs.length, 'sweep');
  const failures: string[] = [];
  const table = new RowAppender(out);
  // Rows computed but not written (the disk filled up, the file went away): printed at the end.
  const unwritten: Cell[][] = [];
  let writeError: string | null = null;
  const pool = new WorkerPool<SweepJob, SweepResult>(new URL('./sweep-worker.js', import.meta.url), Math.min(workers, Math.max(1, jobs.length)));
  let interrupted = false;
  const onInterrupt = () => {
    interrupted = true;
    void pool.stop();
  };
  process.once('SIGINT', onInterrupt);
  let finished = 0;
  const started = performance.now();
  progress.update(0);
  await pool.run(jobs, (result) => {
    finished++;
    if ('error' in result) {
      const { alpha, lambda } = combinations[result.index];
      failures.push(`α = ${alpha}, λ = ${lambda}: ${result.error}`);
    } else {
      const row = [...result.row, model];
      if (writeError === null) {
        try {
          table.append(csvLine(row));
          rows.push(row);
          return progress.update(finished);
        } catch (error) {
          writeError = (error as Error).message;
          void pool.stop();
        }
      }
      unwritten.push(row);
    }
    progress.update(finished);
  });
  process.off('SIGINT', onInterrupt);
  table.close();
  progress.finish();
  if (!interrupted) await pool.stop();
  const wall_s = (performance.now() - started) / 1000;

  if (writeError !== null) {
    console.error(`ecs-sim: ${writeError}; the ${rows.length} rows before it are kept there (--resume completes the table ` +
      `once it can be written); the ${unwritten.length} computed but not written follow on standard output.`);
    process.stdout.write([columns, ...unwritten].map((row) => csvLine(row)).join(''));
    return 1;
  }

  if (interrupted) {
    console.error(`ecs-sim: sweep interrupted; ${rows.length} of ${combinations.length} rows are in ${out}. ` +
      'Run the same command with --resume to finish it.');
    return INTERRUPTED;
  }
  // Complete: rewrite the table in (α, λ) order; until now it grew in completion order.
  writeFileAtomically(out, [columns, ...sortByFirstColumns(rows)].map((row) => csvLine(row)).join(''));
  console.log(`${counted(jobs.length, 'simulation')} in ${wall_s.toFixed(1)} s on ${counted(Math.min(workers, jobs.length), 'worker')} ` +
    `(${(jobs.length / wall_s).toFixed(2)} runs/s); ${counted(rows.length, 'row')} in ${out}`);
  console.log(scalingSummary(columns, rows));
  if (plot) {
    try {
      writeFileAtomically(plot, sweepPlotSvg(plotData(columns, rows, metric)));
    } catch (error) {
      if (!(error instanceof OutputError)) throw error;
      throw new OutputError(`${error.message}; the table ${out} is complete`);
    }
    console.log(`plot of ${metric}: ${plot}`);
  }
  if (failures.length > 0) {
    console.error(`ecs-sim: ${failures.length} simulations failed:\n${failures.map((f) => `  ${f}`).join('\n')}`);
    return 1;
  }
  return 0;
}

/**
 * The rows a sweep starts from, and its table on disk ready for appending: a new table (the header
 * alone), or with resume the rows already there (after dropping an incomplete last line, with a
 * message), which must come from the same model. A table that holds rows is replaced only with force.
 */
function startTable(out: string, columns: string[], model: string, { resume, force }: { resume: boolean; force: boolean }): Cell[][] {
  const exists = existsSync(out) && statSync(out).size > 0;
  if (exists && !force) {
    const dropped = resume ? dropIncompleteLastLine(out) : null;
    if (dropped !== null) {
      console.error(`ecs-sim: ${out}: dropped an incomplete last line left by an interrupted write ` +
        `("${dropped.slice(0, 60)}${dropped.length > 60 ? '…' : ''}"); that combination runs again`);
    }
    let existing;
    try {
      existing = readCsv(out, [MODEL_COLUMN]);
    } catch (error) {
      if (resume || !(error instanceof UsageError)) throw error;
      throw new UsageError(`--out = ${out} exists and is not this sweep's table (${error.message}): --force replaces it, or choose another file`);
    }
    if (resume) {
      if (csvLine(existing.header) !== csvLine(columns)) {
        throw new UsageError(`--resume: ${out} has columns ${existing.header.join(',')}, this sweep writes ${columns.join(',')}`);
      }
      const other = existing.rows.findIndex((row) => row[row.length - 1] !== model);
      if (other >= 0) {
        throw new UsageError(`--resume: ${out} row ${other + 1} was computed by model "${existing.rows[other][columns.length - 1]}", ` +
          `this sweep is "${model}" (another config or version): use another --out, or --force to replace the table`);
      }
      return existing.rows;
    }
    if (existing.rows.length > 0) {
      throw new UsageError(`--out = ${out} already holds ${counted(existing.rows.length, 'row')}: add --resume to complete that sweep, ` +
        `--force to replace it, or choose another file`);
    }
    if (csvLine(existing.header) !== csvLine(columns)) {
      throw new UsageError(`--out = ${out} exists and is not this sweep's table: --force replaces it, or choose another file`);
    }
  }
  writeFileAtomically(out, csvLine(columns));
  return [];
}

/** Sorted distinct values of a column. */
function distinct(rows: Cell[][], column: number): number[] {
  return [...new Set(rows.map((row) => row[column] as number))].sort((a, b) => a - b);
}

/** The metric as a grid over the distinct α (outer) and λ (inner) of the rows. */
export function plotData(columns: string[], rows: Cell[][], metric: string) {
  const alphas = distinct(rows, 0), lambdas = distinct(rows, 1);
  const column = columns.indexOf(metric);
  const values = alphas.map((alpha) => lambdas.map((lambda) => {
    const cell = rows.find((row) => row[0] === alpha && row[1] === lambda)?.[column];
    return typeof cell === 'number' ? cell : null;
  }));
  return { alphas, lambdas, values, metric };
}

/**
 * Power-law exponents of every time metric against λ (one fit per α) and against α (one fit per
 * λ), and how much the metric varies across α at fixed λ: how clearance scales with α and λ.
 */
export function scalingSummary(columns: string[], rows: Cell[][]): string {
  const lines = ['scaling (least-squares power laws; per-α and per-λ exponents in brackets):'];
  const alphas = distinct(rows, 0), lambdas = distinct(rows, 1);
  for (const metric of columns.filter((name) => name.endsWith('_ms'))) {
    // (Time-error columns end in _time_error, so they are not fitted.)
    const grid = plotData(columns, rows, metric).values;
    const perAlpha = alphas.map((_, a) => fitPowerLaw(lambdas, grid[a])?.exponent);
    const perLambda = lambdas.map((_, l) => fitPowerLaw(alphas, grid.map((row) => row[l]))?.exponent);
    const spreadAcrossAlpha = lambdas.map((_, l) => {
      const values = grid.map((row) => row[l]).filter((v): v is number => v !== null);
      return values.length > 1 ? Math.max(...values) / Math.min(...values) - 1 : undefined;
    }).filter((v): v is number => v !== undefined);
    const show = (list: (number | undefined)[]) => list.map((p) => (p === undefined ? '—' : exponent(p))).join(', ');
    const mean = (list: (number | undefined)[]) => {
      const known = list.filter((p): p is number => p !== undefined);
      return known.length ? exponent(known.reduce((a, b) => a + b, 0) / known.length) : '—';
    };
    lines.push(`  ${metric}: ∝ λ^${mean(perAlpha)} [${show(perAlpha)}]; ∝ α^${mean(perLambda)} [${show(perLambda)}]` +
      (spreadAcrossAlpha.length ? `; varies by ≤ ${(100 * Math.max(...spreadAcrossAlpha)).toFixed(2)}% across α at fixed λ` : ''));
  }
  return lines.join('\n');
}

/** An exponent to 3 decimals; round-off around 0 prints as 0.000, not as -0.000 one run and 0.000 the next. */
function exponent(value: number): string {
  const text = value.toFixed(3);
  return text === '-0.000' ? '0.000' : text;
}
