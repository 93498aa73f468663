// Writing what the user asked for without losing it: files are checked before a long run starts,
// replaced atomically (a temporary file beside them, flushed, then renamed over), and tables grow
// by whole rows (each appended row is flushed to disk before the next).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './options.js';

/** A file could not be written after the work was done: exit 1, one line saying what was kept. */
export class OutputError extends Error {}

/** The reason of a file-system error, as short as the system gives it ("ENOSPC: no space left on device"). */
export function reason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const detail = message?.match(/^[A-Z]+: ([^,]+)/)?.[1];
  return code ? (detail ? `${code}: ${detail}` : code) : String(message ?? error);
}

/**
 * Refuses (UsageError, before any work) an output path that cannot be written: a folder, a file in
 * a missing folder or under a file, or a place this process may not write.
 */
export function checkWritable(path: string, option: string): void {
  const target = resolve(path);
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`${option} = ${path}: is a folder, expected a file`);
  const folder = dirname(target);
  if (!existsSync(folder)) throw new UsageError(`${option} = ${path}: the folder ${dirname(path)} does not exist`);
  if (!statSync(folder).isDirectory()) throw new UsageError(`${option} = ${path}: ${dirname(path)} is not a folder`);
  // Open for appending (creating it if missing: removed again), which neither truncates nor changes it.
  const existed = existsSync(target);
  try {
    closeSync(openSync(target, 'a'));
  } catch (error) {
    throw new UsageError(`${option} = ${path}: cannot write (${reason(error)})`);
  }
  if (!existed) rmSync(target, { force: true });
}

/**
 * Replaces path with text atomically: readers see the old file or the new, never a part. A path
 * that is not a regular file (a device such as /dev/stdout, a pipe) is written in place instead.
 */
export function writeFileAtomically(path: string, text: string): void {
  if (existsSync(path) && !statSync(path).isFile()) {
    try {
      writeFileSync(path, text);
    } catch (error) {
      throw new OutputError(`cannot write ${path} (${reason(error)})`);
    }
    return;
  }
  const temporary = `${path}.${process.pid}.partial`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new OutputError(`cannot write ${path} (${reason(error)})`);
  }
}

/** A table that grows a row at a time, each row on disk before append returns. */
export class RowAppender {
  private readonly fd: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Appends one whole line; on failure cuts any part of it that reached the file, then throws OutputError. */
  append(line: string): void {
    const before = statSync(this.path).size;
    try {
      writeSync(this.fd, line);
      fsyncSync(this.fd);
    } catch (error) {
      try {
        truncateSync(this.path, before);
      } catch {
        // The next --resume drops the incomplete line (dropIncompleteLastLine).
      }
      throw new OutputError(`cannot append to ${this.path} (${reason(error)})`);
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Cuts an incomplete last line (no line end: a write cut off by a crash, kill -9 or a full disk)
 * from a table and returns it, or null when the file ends with a whole line.
 */
export function dropIncompleteLastLine(path: string): string | null {
  const text = readFileSync(path, 'utf8');
  if (text === '' || text.endsWith('\n')) return null;
  const keep = text.lastIndexOf('\n') + 1;
  truncateSync(path, Buffer.byteLength(text.slice(0, keep)));
  return text.slice(keep);
}
