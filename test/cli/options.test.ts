// Command-line parsing (src/cli/options.ts): number lists and ranges, shards, counts, numbers and
// the strict parseArgs wrapper. Every refusal must be a UsageError whose message lets the user fix
// the flag: it names the flag and, for physical values, the unit.
import { describe, expect, it } from 'vitest';
import { parseCommand, parseCount, parseList, parseNumber, parseShard, UsageError } from '../../src/cli/options.js';

const FLAG = '--alpha';
const UNIT = 'volume fraction, dimensionless';

/** Runs f and returns the UsageError it throws (fails the test if it returns or throws anything else). */
function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('expected a UsageError, but the call returned normally');
}

describe('UsageError', () => {
  it('is an Error named "UsageError" carrying its message', () => {
    const error = new UsageError('bad flag');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('UsageError');
    expect(error.message).toBe('bad flag');
  });
});

describe('parseList: comma lists', () => {
  it('parses "0.1,0.2,0.4" into the numbers in the given order', () => {
    expect(parseList('0.1,0.2,0.4', FLAG, UNIT)).toEqual([0.1, 0.2, 0.4]);
  });

  it('keeps the given order and duplicates (no sorting)', () => {
    expect(parseList('2,1,2', FLAG, UNIT)).toEqual([2, 1, 2]);
  });

  it('parses a single value into a one-element list', () => {
    expect(parseList('1.6', FLAG, UNIT)).toEqual([1.6]);
  });

  it('accepts exponent notation and surrounding spaces', () => {
    expect(parseList('1e-3, 2.5 ,-4', FLAG, UNIT)).toEqual([0.001, 2.5, -4]);
  });
});

describe('parseList: start:stop:step ranges', () => {
  it('0.1:0.5:0.1 gives exactly [0.1, 0.2, 0.3, 0.4, 0.5] (stop included despite 0.1 + 0.2 ≠ 0.3 in floating point)', () => {
    const values = parseList('0.1:0.5:0.1', FLAG, UNIT);
    expect(values).toHaveLength(5);
    // toBe: exact equality with the decimal literals, not merely close.
    [0.1, 0.2, 0.3, 0.4, 0.5].forEach((expected, index) => expect(values[index]).toBe(expected));
  });

  it('1.4:2.2:0.4 gives exactly [1.4, 1.8, 2.2]', () => {
    const values = parseList('1.4:2.2:0.4', FLAG, UNIT);
    expect(values).toHaveLength(3);
    [1.4, 1.8, 2.2].forEach((expected, index) => expect(values[index]).toBe(expected));
  });

  it('0:0.3:0.1 includes the stop although (0.3 − 0)/0.1 = 2.9999999999999996 in floating point', () => {
    expect(parseList('0:0.3:0.1', FLAG, UNIT)).toEqual([0, 0.1, 0.2, 0.3]);
  });

  it('leaves out a stop that is not on the step: 1:2:0.3 gives [1, 1.3, 1.6, 1.9]', () => {
    expect(parseList('1:2:0.3', FLAG, UNIT)).toEqual([1, 1.3, 1.6, 1.9]);
  });

  it('a range with start = stop is the single value', () => {
    expect(parseList('0.5:0.5:0.1', FLAG, UNIT)).toEqual([0.5]);
  });

  it('integer ranges: 1:5:2 gives [1, 3, 5]', () => {
    expect(parseList('1:5:2', FLAG, UNIT)).toEqual([1, 3, 5]);
  });

  it('accepts exactly 10000 values (0:9999:1)', () => {
    const values = parseList('0:9999:1', FLAG, UNIT);
    expect(values).toHaveLength(10_000);
    expect(values[0]).toBe(0);
    expect(values[9999]).toBe(9999);
  });
});

describe('parseList: refusals are UsageErrors naming the flag and the unit', () => {
  const cases: [string, string][] = [
    ['a non-number in a comma list', '0.1,abc'],
    ['an empty entry in a comma list', '0.1,,0.2'],
    ['an empty string', ''],
    ['Infinity', 'Infinity'],
    ['a non-number in a range', '0.1:x:0.1'],
    ['a step of 0', '0:1:0'],
    ['a negative step', '0:1:-0.1'],
    ['stop < start', '1:0:0.1'],
    ['a range with one colon', '0:1'],
    ['a range with three colons', '0:1:0.1:5'],
  ];
  for (const [what, text] of cases) {
    it(`refuses ${what} ("${text}")`, () => {
      const error = usageError(() => parseList(text, FLAG, UNIT));
      expect(error.message).toContain(FLAG);
      expect(error.message).toContain(UNIT);
    });
  }

  it('says what a range looks like when the colon count is wrong', () => {
    expect(usageError(() => parseList('0:1', FLAG, UNIT)).message).toContain('start:stop:step');
  });

  it('says step > 0 and stop ≥ start are needed for a bad range', () => {
    const message = usageError(() => parseList('1:0:0.1', FLAG, UNIT)).message;
    expect(message).toContain('step > 0');
    expect(message).toContain('stop ≥ start');
  });

  it('quotes the offending text', () => {
    expect(usageError(() => parseList('0.1,abc', FLAG, UNIT)).message).toContain('"abc"');
  });

  it('refuses more than 10000 values (0:1:0.00001 is 100001), naming the flag, the count and the limit', () => {
    const message = usageError(() => parseList('0:1:0.00001', FLAG, UNIT)).message;
    expect(message).toContain(FLAG);
    expect(message).toContain('100001');
    expect(message).toContain('10000');
  });

  it('refuses 10001 values (0:10000:1), one more than the limit', () => {
    const message = usageError(() => parseList('0:10000:1', FLAG, UNIT)).message;
    expect(message).toContain(FLAG);
    expect(message).toContain('10001 values');
  });

  it('the "more than 10000 values" message also names the unit', () => {
    expect(usageError(() => parseList('0:1:0.00001', FLAG, UNIT)).message).toContain(UNIT);
  });
});

describe('parseShard', () => {
  it('parses "2/8" into index 2 of count 8', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
  });

  it('accepts the edges 1/1, 1/3 and 3/3', () => {
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
    expect(parseShard('1/3')).toEqual({ index: 1, count: 3 });
    expect(parseShard('3/3')).toEqual({ index: 3, count: 3 });
  });

  for (const text of ['0/3', '4/3', 'a/b', '1/0', '0/0', '', '1', '1/', '/3', '-1/3', '1.5/3', '1/3/5', ' 1/3']) {
    it(`refuses "${text}" with a UsageError naming --shard and the i/N form`, () => {
      const message = usageError(() => parseShard(text)).message;
      expect(message).toContain('--shard');
      expect(message).toContain('i/N');
      expect(message).toContain(`"${text}"`);
    });
  }
});

describe('parseCount', () => {
  it('parses whole numbers from 1 to the maximum, inclusive', () => {
    expect(parseCount('1', '--workers', 256)).toBe(1);
    expect(parseCount('8', '--workers', 256)).toBe(8);
    expect(parseCount('256', '--workers', 256)).toBe(256);
  });

  for (const text of ['0', '-1', '257', '1.5', 'abc', '', 'NaN', 'Infinity']) {
    it(`refuses "${text}" (maximum 256) with a UsageError naming the flag and the range`, () => {
      const message = usageError(() => parseCount(text, '--workers', 256)).message;
      expect(message).toContain('--workers');
      expect(message).toContain('1 to 256');
    });
  }
});

describe('parseNumber', () => {
  it('parses decimals, negatives and exponent notation', () => {
    expect(parseNumber('0.2', FLAG, UNIT)).toBe(0.2);
    expect(parseNumber('-3.5', FLAG, UNIT)).toBe(-3.5);
    expect(parseNumber('1e-300', FLAG, UNIT)).toBe(1e-300);
    expect(parseNumber('0', FLAG, UNIT)).toBe(0);
  });

  for (const text of ['', '   ', 'abc', '1.2.3', 'Infinity', '-Infinity', 'NaN', '1,5']) {
    it(`refuses "${text}" with a UsageError naming the flag and the unit`, () => {
      const message = usageError(() => parseNumber(text, FLAG, UNIT)).message;
      expect(message).toContain(FLAG);
      expect(message).toContain(UNIT);
      expect(message).toContain('must be a number');
    });
  }
});

describe('parseCommand', () => {
  const OPTIONS = { out: { type: 'string' }, plot: { type: 'string' }, resume: { type: 'boolean' } } as const;

  it('returns positionals and gives typed access to string and boolean options', () => {
    const line = parseCommand(['config.json', '--out', 'table.csv', '--resume'], OPTIONS);
    expect(line.positionals).toEqual(['config.json']);
    expect(line.text('out')).toBe('table.csv');
    expect(line.required('out')).toBe('table.csv');
    expect(line.flag('resume')).toBe(true);
  });

  it('text() is undefined and flag() is false for options that were not given', () => {
    const line = parseCommand([], OPTIONS);
    expect(line.positionals).toEqual([]);
    expect(line.text('plot')).toBeUndefined();
    expect(line.flag('resume')).toBe(false);
  });

  it('accepts --name=value', () => {
    expect(parseCommand(['--out=x.csv'], OPTIONS).text('out')).toBe('x.csv');
  });

  it('always knows --help and -h', () => {
    expect(parseCommand(['--help'], OPTIONS).flag('help')).toBe(true);
    expect(parseCommand(['-h'], OPTIONS).flag('help')).toBe(true);
    expect(parseCommand([], OPTIONS).flag('help')).toBe(false);
  });

  it('required() throws a UsageError "--name is required" for a missing option', () => {
    const line = parseCommand([], OPTIONS);
    expect(usageError(() => line.required('out')).message).toBe('--out is required');
  });

  it('required() throws "--name is required" for an empty value', () => {
    const line = parseCommand(['--out', ''], OPTIONS);
    expect(usageError(() => line.required('out')).message).toBe('--out is required');
  });

  it('an unknown option is a UsageError naming it', () => {
    const error = usageError(() => parseCommand(['--bogus'], OPTIONS));
    expect(error.message).toContain('--bogus');
  });

  it('a string option without its value is a UsageError naming the option', () => {
    const error = usageError(() => parseCommand(['--out'], OPTIONS));
    expect(error.message).toContain('--out');
  });

  it('a value given to a boolean option is a UsageError', () => {
    usageError(() => parseCommand(['--resume=yes'], OPTIONS));
  });
});

describe('number syntax', () => {
  it('accepts decimal and exponent notation and refuses hexadecimal, blanks and trailing text', () => {
    expect(parseNumber('1.5e-3', '--alpha', 'volume fraction, dimensionless')).toBe(0.0015);
    expect(parseNumber('-.5', '--alpha', 'volume fraction, dimensionless')).toBe(-0.5);
    for (const text of ['0x10', ' ', '1.5abc', '1,5']) {
      expect(() => parseNumber(text, '--alpha', 'volume fraction, dimensionless')).toThrow(UsageError);
    }
    expect(() => parseCount('0x10', '--workers', 256)).toThrow(UsageError);
  });
});
