// `ecs-sim run`: one simulation, summarised for a reader or as one JSON object.
import { writeFileSync } from 'node:fs';
import { Simulation } from '../core/index.js';
import { csvLine } from './csv.js';
import { loadConfig, withTissue } from './load-config.js';
import { parseCommand, parseNumber, UsageError } from './options.js';
import { formatSummary, summarize } from './summary.js';

export const RUN_USAGE = `usage: ecs-sim run [config.json] [--preset NAME] [--alpha A] [--lambda L] [--json] [--series out.csv]
  config.json: DESIGN.md §4.1 (default {}: a K⁺ bolus in normal cortex); --preset: a tissue state (ecs-sim presets)
  --alpha, --lambda: override the tissue's α and λ; --json: one JSON object on stdout
  --series: write t_ms and one column per probe (mM), every step`;

export async function runCommand(args: string[]): Promise<number> {
  const line = parseCommand(args, {
    alpha: { type: 'string' }, lambda: { type: 'string' }, json: { type: 'boolean' }, series: { type: 'string' },
    preset: { type: 'string' },
  });
  if (line.flag('help')) {
    console.log(RUN_USAGE);
    return 0;
  }
  if (line.positionals.length > 1) throw new UsageError(`expected at most one config file, got ${line.positionals.length}`);
  const alpha = line.text('alpha'), lambda = line.text('lambda'), series = line.text('series');
  const config = withTissue(await loadConfig(line.positionals[0], line.text('preset')),
    alpha === undefined ? undefined : parseNumber(alpha, '--alpha', 'volume fraction, dimensionless'),
    lambda === undefined ? undefined : parseNumber(lambda, '--lambda', 'tortuosity, dimensionless'));

  const simulation = await Simulation.create(config);
  const started = performance.now();
  const showProgress = !line.flag('json') && process.stderr.isTTY;
  const duration = simulation.config.duration_ms;
  simulation.run(showProgress ? (time_ms) => {
    process.stderr.write(`\r  simulating ${time_ms.toFixed(0)} / ${duration} ms (${((100 * time_ms) / duration).toFixed(0)}%)\x1b[K`);
  } : undefined);
  if (showProgress) process.stderr.write('\r\x1b[K');
  const summary = summarize(simulation, performance.now() - started);
  console.log(line.flag('json') ? JSON.stringify(summary, null, 2) : formatSummary(summary));
  if (series) {
    const { time_ms, values_mM } = simulation.probeSeries();
    const lines = [csvLine(['t_ms', ...simulation.config.probes.map((probe) => probe.name)])];
    for (let s = 0; s < time_ms.length; s++) lines.push(csvLine([time_ms[s], ...values_mM.map((column) => column[s])]));
    writeFileSync(series, lines.join(''));
    if (!line.flag('json')) console.log(`  probe series (${time_ms.length} samples): ${series}`);
  }
  return 0;
}
