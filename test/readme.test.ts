// The README's terminal sessions (test/helpers/readme-sessions.ts), run as shown: each in a fresh
// folder, every output line compared exactly, except that timing lines (wall time, runs/s) are
// compared with their numbers masked. Twice: with this checkout's command line, and with the
// package as a user installs it (npm pack, npm install of the tarball) for every session that names
// a shipped file (docs/…).
//
// UPDATE_README=1 npx vitest run test/readme.test.ts writes what the commands print now into the
// README instead of comparing (review the diff before committing it).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, scratchDirectory } from './helpers/cli.js';
import {
  comparable, excerptAt, runShown, terminalSessions, updatedOutput, withOutputs, type Installation, type Session,
} from './helpers/readme-sessions.js';

const ROOT = join(import.meta.dirname, '..');
const README = join(ROOT, 'README.md');
const markdown = readFileSync(README, 'utf8');
const sessions = terminalSessions(markdown);
const updating = process.env.UPDATE_README === '1';

/** Runs a session and checks (or, updating, records) each command's output. */
function check(session: Session, installation: Installation, record?: string[][]): void {
  const folder = scratchDirectory();
  for (const command of session.commands) {
    const printed = runShown(command.line, folder, installation);
    record?.push(updatedOutput(command, printed));
    if (updating) continue;
    if (command.output[0] === '…') {
      expect(excerptAt(printed, command.output.slice(1)), `$ ${command.line}:\n${printed.join('\n')}`).toBeGreaterThanOrEqual(0);
    } else {
      expect(printed.map(comparable), `$ ${command.line}`).toEqual(command.output.map(comparable));
    }
  }
}

describe('the README terminal sessions', () => {
  const outputs: string[][][] = [];
  const checkout: Installation = { ecsSim: `"${process.execPath}" "${CLI}"`, docs: join(ROOT, 'docs') };

  afterAll(() => {
    if (updating && outputs.filter(Boolean).length === sessions.length) writeFileSync(README, withOutputs(markdown, sessions, outputs));
  });

  it('are found (the Errors section has one)', () => {
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    expect(sessions.flatMap((session) => session.commands).some((command) => command.line.includes('tiny-step.json'))).toBe(true);
  });

  sessions.forEach((session, index) => {
    it(`print what the README shows (session ${index + 1}: ${session.commands[0].line.slice(0, 60)} …)`, () => {
      const record: string[][] = [];
      check(session, checkout, record);
      outputs[index] = record;
    }, 600_000);
  });
});

describe.skipIf(updating)('the README sessions that name a shipped file, run from the installed package', () => {
  const shipped = sessions.filter((session) => session.commands.some((command) => / docs\//.test(command.line)));
  let installed: Installation;

  beforeAll(() => {
    const packed = scratchDirectory(), project = scratchDirectory();
    const [pack] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packed],
      { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    writeFileSync(join(project, 'package.json'), '{ "name": "lab", "private": true }\n');
    // No dependencies to fetch: the install works offline.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', join(packed, pack.filename)], { cwd: project, stdio: 'ignore' });
    installed = { ecsSim: `"${join(project, 'node_modules/.bin/ecs-sim')}"`, docs: join(project, 'node_modules/ecs-sim/docs') };
  }, 120_000);

  it('are found (the sweep and fit examples)', () => {
    expect(shipped.length).toBeGreaterThanOrEqual(2);
  });

  shipped.forEach((session) => {
    it(`print what the README shows (${session.commands[0].line.slice(0, 60)} …)`, () => check(session, installed), 600_000);
  });
});
