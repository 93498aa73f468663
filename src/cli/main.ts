#!/usr/bin/env node
// The ecs-sim command line. For now: `ecs-sim run [config.json] [--json]`.

import { readFile } from 'node:fs/promises';
import { Simulation, ConfigError, SimulationError } from '../core/index.js';
import { formatSummary, summarize } from './summary.js';

const USAGE = `usage: ecs-sim run [config.json] [--json]

  run    run one simulation (config: JSON file, DESIGN.md §4.1; default: a K⁺ bolus in normal cortex)
  --json print one JSON object instead of the readable summary`;

/** Bad command-line input: printed as one line, exit code 2. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  if (command !== 'run') throw new UsageError(`unknown command "${command}"\n${USAGE}`);
  const json = rest.includes('--json');
  const positional = rest.filter((arg) => !arg.startsWith('--'));
  const unknown = rest.filter((arg) => arg.startsWith('--') && arg !== '--json');
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0]}\n${USAGE}`);
  if (positional.length > 1) throw new UsageError(`expected at most one config file, got ${positional.length}`);
  const config = positional.length === 1 ? await readConfig(positional[0]) : {};

  const simulation = await Simulation.create(config);
  const started = performance.now();
  const showProgress = !json && process.stderr.isTTY;
  simulation.run(showProgress ? (time_ms) => {
    const percent = (100 * time_ms) / simulation.config.duration_ms;
    process.stderr.write(`\r  simulating ${time_ms.toFixed(0)} / ${simulation.config.duration_ms} ms (${percent.toFixed(0)}%)`);
  } : undefined);
  if (showProgress) process.stderr.write('\r\x1b[K');
  const summary = summarize(simulation, performance.now() - started);
  console.log(json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
}

async function readConfig(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config file ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    console.error(`ecs-sim: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof SimulationError) {
    console.error(`ecs-sim: ${error.message}`);
    process.exit(1);
  }
  throw error;
});
