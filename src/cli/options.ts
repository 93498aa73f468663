// Command-line parsing shared by the commands: flags, number lists, shards. Every problem becomes a
// UsageError, which main prints as one line with exit code 2.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parseDecimal } from '../core/decimal.js';

/** Bad command-line input: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** A parsed command line: positional arguments and typed access to the options. */
export interface CommandLine {
  positionals: string[];
  /** The value of a string option, or undefined. */
  text(name: string): string | undefined;
  /** Every value of a repeatable string option (multiple: true), in order. */
  texts(name: string): string[];
  /** The value of a string option; UsageError when it is missing. */
  required(name: string): string;
  /** Whether a boolean option was given. */
  flag(name: string): boolean;
}

/** parseArgs in strict mode (plus --help), with its errors turned into UsageErrors. */
export function parseCommand(args: string[], options: Options): CommandLine {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('.')[0]);
  }
  return {
    positionals: parsed.positionals,
    text: (name) => parsed.values[name] as string | undefined,
    texts: (name) => (parsed.values[name] as string[] | undefined) ?? [],
    required(name) {
      const value = parsed.values[name];
      if (typeof value !== 'string' || value === '') throw new UsageError(`--${name} is required`);
      return value;
    },
    flag: (name) => parsed.values[name] === true,
  };
}

/** A finite number from a flag, with the flag's name and unit in the message. */
export function parseNumber(text: string, flag: string, unit: string): number {
  const value = parseDecimal(text);
  if (value === null) throw new UsageError(`${flag} = "${text}": must be a number (${unit})`);
  return value;
}

/**
 * A list of values: "0.1,0.2,0.4" or "start:stop:step" (stop included when it falls on the step,
 * within 1e-9 relative). At most 10 000 values.
 */
export function parseList(text: string, flag: string, unit: string): number[] {
  let values: number[];
  if (text.includes(':')) {
    const parts = text.split(':');
    if (parts.length !== 3) throw new UsageError(`${flag} = "${text}": a range is start:stop:step (${unit})`);
    const [start, stop, step] = parts.map((part) => parseNumber(part, flag, unit));
    if (!(step > 0) || stop < start) {
      throw new UsageError(`${flag} = "${text}": a range needs step > 0 and stop ≥ start (${unit})`);
    }
    const count = Math.floor((stop - start) / step + 1e-9) + 1;
    if (count > 10_000) throw new UsageError(`${flag} = "${text}": ${count} values; at most 10000 (${unit})`);
    values = Array.from({ length: count }, (_, index) => Number((start + index * step).toPrecision(12)));
  } else {
    values = text.split(',').map((part) => parseNumber(part, flag, unit));
  }
  if (values.length === 0) throw new UsageError(`${flag}: empty list`);
  return values;
}

/** "--shard i/N" (1 ≤ i ≤ N): this process runs the combinations with index ≡ i − 1 (mod N). */
export function parseShard(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match ? Number(match[1]) : NaN, count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard = "${text}": must be i/N with 1 ≤ i ≤ N, e.g. 2/8`);
  }
  return { index, count };
}

/** A positive whole number from a flag. */
export function parseCount(text: string, flag: string, maximum: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > maximum) {
    throw new UsageError(`${flag} = "${text}": must be a whole number from 1 to ${maximum}`);
  }
  return value;
}
