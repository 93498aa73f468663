// The terminal sessions of the README and of the reference pages in docs/ (blocks starting with "$ ",
// see test/helpers/readme-sessions.ts), run as shown: each in a fresh folder, every output line
// compared exactly, except that timing lines (wall time, runs/s) are compared with their numbers
// masked. The README's sessions that name a shipped file (docs/…) run a second time from the package
// as a user installs it (npm pack, npm install of the tarball).
//
// UPDATE_README=1 npx vitest run test/readme.test.ts writes what the commands print now into the
// files instead of comparing (review the diff before committing it).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, scratchDirectory } from './helpers/cli.js';
import {
  comparable, excerptAt, runShown, terminalSessions, updatedOutput, withOutputs, type Installation, type Session,
} from './helpers/readme-sessions.js';

const ROOT = join(import.meta.dirname, '..');
const README = join(ROOT, 'README.md');
const DOCUMENTS = [README, ...readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => join(ROOT, 'docs', file))];
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

for (const document of DOCUMENTS) {
  const name = document.slice(ROOT.length + 1);
  const markdown = readFileSync(document, 'utf8');
  const sessions = terminalSessions(markdown);
  if (sessions.length === 0) continue;

  describe(`the terminal sessions of ${name}`, () => {
    const outputs: string[][][] = [];
    const checkout: Installation = { ecsSim: `"${process.execPath}" "${CLI}"`, docs: join(ROOT, 'docs') };

    afterAll(() => {
      if (updating && outputs.filter(Boolean).length === sessions.length) writeFileSync(document, withOutputs(markdown, sessions, outputs));
    });

    if (document === README) {
      it('are found (the Errors section has one)', () => {
        expect(sessions.flatMap((session) => session.commands).some((command) => command.line.includes('tiny-step.json'))).toBe(true);
      });
    }

    sessions.forEach((session, index) => {
      it(`print what ${name} shows (session ${index + 1}: ${session.commands[0].line.slice(0, 60)} …)`, () => {
        const record: string[][] = [];
        check(session, checkout, record);
        outputs[index] = record;
      }, 600_000);
    });
  });
}

describe.skipIf(updating)('the README sessions that name a shipped file, run from the installed package', () => {
  const shipped = terminalSessions(readFileSync(README, 'utf8'))
    .filter((session) => session.commands.some((command) => / docs\//.test(command.line)));
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
