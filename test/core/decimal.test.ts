// parseDecimal: numbers as people write them in curve files, flags and attributes (decimal only).
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../src/core/decimal.js';

describe('parseDecimal', () => {
  it('reads decimals with a sign, a point, an exponent and surrounding blanks', () => {
    const cases: [string, number][] = [['1e-3', 0.001], [' 0.2 ', 0.2], ['-.5', -0.5], ['+3', 3], ['7.', 7], ['2.5E+2', 250], ['0', 0]];
    for (const [text, value] of cases) expect(parseDecimal(text), JSON.stringify(text)).toBe(value);
  });

  it('refuses what Number() would read but a person does not mean as a decimal, and what is not finite', () => {
    // Number('') is 0, Number('0x10') 16, Number('0b1') 1 and Number('1e999') Infinity: a curve file
    // holding them must be refused, not read as those numbers.
    for (const text of ['', '   ', '0x10', '0b1', '0o7', '1_000', 'Infinity', '-Infinity', 'NaN', '1e999', '-1e999', '0.2abc', '1,5', '.', 'e5', '1e']) {
      expect(parseDecimal(text), JSON.stringify(text)).toBeNull();
    }
  });
});
