// The README's terminal sessions (code blocks whose lines start with "$ "), run as shown: each block in
// a fresh folder, `npx ecs-sim` as the built command line, and every output line compared exactly,
// except that timing lines (wall time, runs/s) are compared with their numbers masked. Output that
// starts with "…" is an excerpt: its lines must appear, in a row, somewhere in what is printed.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, scratchDirectory } from './helpers/cli.js';

const ROOT = join(import.meta.dirname, '..');

interface Command { line: string; output: string[] }

/** The README's code blocks that are terminal sessions, each a list of commands with their output. */
function terminalSessions(markdown: string): Command[][] {
  const blocks: string[][] = [];
  let block: string[] | null = null;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) {
      if (block) blocks.push(block);
      block = block ? null : [];
    } else block?.push(line);
  }
  return blocks.filter((lines) => lines[0]?.startsWith('$ ')).map((lines) => {
    const session: Command[] = [];
    for (const line of lines) {
      const last = session.at(-1);
      if (line.startsWith('$ ')) session.push({ line: line.slice(2), output: [] });
      else if (last && last.output.length === 0 && last.line.endsWith('\\')) last.line = `${last.line.slice(0, -1)} ${line.trim()}`;
      else last!.output.push(line);
    }
    return session;
  });
}

/** Runs one shown command in folder: stdout and stderr together, as a terminal shows them. */
function runShown(line: string, folder: string): string[] {
  const command = line
    .replaceAll('npx ecs-sim', `"${process.execPath}" "${CLI}"`)
    .replaceAll(/(?<=\s)docs\//g, `${join(ROOT, 'docs')}/`);
  let output: string;
  try {
    output = execFileSync('sh', ['-c', `(${command}) 2>&1`], { cwd: folder, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout: string }).stdout;
  }
  return output.trimEnd() === '' ? [] : output.trimEnd().split('\n');
}

/** A line as compared: a timing line with its numbers masked (they differ from run to run). */
function comparable(line: string): string {
  return /wall time|runs\/s|voxel updates\/s/.test(line) ? line.replace(/\d+(\.\d+)?/g, '#') : line;
}

/** Where lines appear in a row in printed, or −1. */
function excerptAt(printed: string[], lines: string[]): number {
  for (let start = 0; start + lines.length <= printed.length; start++) {
    if (lines.every((line, offset) => printed[start + offset] === line)) return start;
  }
  return -1;
}

describe('the README terminal sessions', () => {
  const sessions = terminalSessions(readFileSync(join(ROOT, 'README.md'), 'utf8'));

  it('are found (the Errors section has one)', () => {
    expect(sessions.length).toBeGreaterThanOrEqual(1);
    expect(sessions.flat().some((command) => command.line.includes('tiny-step.json'))).toBe(true);
  });

  sessions.forEach((session, index) => {
    it(`print what the README shows (session ${index + 1}: ${session[0].line.slice(0, 60)} …)`, () => {
      const folder = scratchDirectory();
      for (const command of session) {
        const printed = runShown(command.line, folder).map(comparable);
        const shown = command.output.map(comparable);
        if (shown[0] !== '…') expect(printed, `$ ${command.line}`).toEqual(shown);
        else expect(excerptAt(printed, shown.slice(1)), `$ ${command.line}:\n${printed.join('\n')}`).toBeGreaterThanOrEqual(0);
      }
    }, 600_000);
  });
});
