// Numbers as people write them in files, flags and attributes: decimal only.

/** Optional sign, digits with an optional point, optional exponent: no hex ("0x10"), no blanks, no "Infinity". */
const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** The finite number a decimal text writes ("1e-3", " 0.2 "), or null ("", "0x10", "0.2abc", "NaN", "1e999"). */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!DECIMAL.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
