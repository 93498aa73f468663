// Finds the Chromium the browser tests drive, and installs one where the machine can: the README's
// test command must pass on a fresh machine with nothing done by hand.
//
// Order: CHROMIUM_PATH; a system Chromium or Chrome; Playwright's browser cache. None found: as
// root with apt-get, Debian's `chromium` package; otherwise `playwright-core install chromium`
// (a download into Playwright's cache). Neither possible: one line naming what fixes it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const SYSTEM_BROWSERS = [
  '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome',
  '/snap/bin/chromium', '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Thrown when no Chromium can be found or installed; its message is the one line to show. */
export class NoChromiumError extends Error {}

/** The first Chromium found, or null. A CHROMIUM_PATH that does not exist is an error, not a miss. */
export function findChromium(): string | null {
  const asked = process.env.CHROMIUM_PATH;
  if (asked) {
    if (!existsSync(asked)) throw new NoChromiumError(`CHROMIUM_PATH = ${asked}: no such file; unset it or point it at a Chromium or Chrome`);
    return asked;
  }
  const cached = chromium.executablePath();
  return [...SYSTEM_BROWSERS, cached].find((path) => existsSync(path)) ?? null;
}

function succeeds(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(command, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  return result.status === 0;
}

/** A Chromium to drive: found, or installed (saying so on stderr), or NoChromiumError. */
export function ensureChromium(log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): string {
  const found = findChromium();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  if (isRoot && succeeds('sh', ['-c', 'command -v apt-get'])) {
    log('browser tests: no Chromium found; installing Debian\'s chromium with apt-get (about a minute, once) …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    if (succeeds('apt-get', ['update', '-qq'], env) && succeeds('apt-get', ['install', '-y', '-qq', 'chromium'], env)) {
      const installed = findChromium();
      if (installed) {
        log(`browser tests: installed ${installed}`);
        return installed;
      }
    }
  } else {
    log('browser tests: no Chromium found; downloading Playwright\'s Chromium (npx playwright-core install chromium) …');
    const cli = join(import.meta.dirname, '../../node_modules/playwright-core/cli.js');
    if (succeeds(process.execPath, [cli, 'install', 'chromium'])) {
      const installed = findChromium();
      if (installed) {
        log(`browser tests: installed ${installed}`);
        return installed;
      }
    }
  }
  throw new NoChromiumError('browser tests: no Chromium found and none could be installed: install one ' +
    '(Debian: sudo apt-get install chromium; elsewhere: npx playwright-core install chromium) or set CHROMIUM_PATH');
}
