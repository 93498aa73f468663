#!/usr/bin/env node
// The ecs-sim command line. Bad input prints one line and exits with code 2.
import { ConfigError, SimulationError } from '../core/index.js';
import { printable } from '../core/format.js';
import { ghkCommand, GHK_USAGE, nernstCommand, NERNST_USAGE } from './electrochemistry-commands.js';
import { fitCommand, FIT_USAGE } from './fit-command.js';
import { rtiCommand, RTI_USAGE } from './rti-command.js';
import { mergeCommand, MERGE_USAGE } from './merge-command.js';
import { UsageError } from './options.js';
import { OutputError } from './output-file.js';
import { presetsCommand, PRESETS_USAGE } from './presets-command.js';
import { VERSION } from './summary.js';
import { runCommand, RUN_USAGE } from './run-command.js';
import { sweepCommand, SWEEP_USAGE } from './sweep-command.js';

const USAGE = `ecs-sim: K⁺ release and clearance in brain extracellular space (ecs-sim --version prints the version)

${RUN_USAGE}

${SWEEP_USAGE}

${MERGE_USAGE}

${PRESETS_USAGE}

${NERNST_USAGE}

${GHK_USAGE}

${FIT_USAGE}

${RTI_USAGE}`;

const COMMANDS: Record<string, (args: string[]) => Promise<number> | number> = {
  run: runCommand,
  sweep: sweepCommand,
  merge: mergeCommand,
  presets: presetsCommand,
  nernst: nernstCommand,
  ghk: ghkCommand,
  fit: fitCommand,
  rti: rtiCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    console.log(`ecs-sim ${VERSION}`);
    return 0;
  }
  const handler = COMMANDS[command];
  if (!handler) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
  return handler(rest);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
}, (error: unknown) => {
  if (error instanceof UsageError || error instanceof ConfigError) {
    // One line: a config with several problems lists them separated by semicolons.
    const message = error instanceof ConfigError && error.issues.length > 1
      ? `Invalid config: ${error.issues.slice(0, 5).map((issue) => issue.message).join('; ')}` +
        (error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : '') : error.message;
    const hint = error instanceof UsageError ? ` (ecs-sim ${COMMANDS[process.argv[2]] ? process.argv[2] + ' ' : ''}--help)` : '';
    console.error(`ecs-sim: ${printable(message, 1000)}${hint}`);
    process.exitCode = 2;
  } else if (error instanceof SimulationError || error instanceof OutputError) {
    console.error(`ecs-sim: ${printable(error.message, 1000)}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
});
