// Test helper: runs the built command line (dist/cli/main.js) as a user would, in a subprocess.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const CLI = join(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `ecs-sim ...args` to completion. */
export async function ecsSim(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], { cwd: scratchDirectory() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Starts `ecs-sim ...args` and returns the child process (for signals). */
export function startEcsSim(...args: string[]) {
  return spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh temporary directory. */
export function scratchDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'ecs-sim-'));
}

/** Writes a config to a fresh temporary file and returns its path. */
export function configFile(config: unknown): string {
  const path = join(scratchDirectory(), 'config.json');
  writeFileSync(path, JSON.stringify(config));
  return path;
}
