// Number formatting shared by the page, the element and their read-outs.

/** An error estimate to two significant figures: "0.0012", "3.4e-7", "0"; "—" when not finite. */
export function formatError(error: number): string {
  if (!Number.isFinite(error)) return '—';
  if (error === 0) return '0';
  return error >= 1e-4 && error < 1e4 ? String(Number(error.toPrecision(2))) : error.toExponential(1);
}

/** "1 row", "3 rows": a count with its noun (plural by adding s). */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** C0 and C1 control characters, DEL, line/paragraph separators and bidirectional overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROLS = new RegExp(CONTROL.source, 'g');

/**
 * Untrusted text made safe to echo: control characters written as \u escapes (so an ANSI escape
 * cannot clear a terminal) and anything past maxLength characters cut, saying how long it was.
 */
export function printable(text: string, maxLength = 200): string {
  const escaped = text.replace(CONTROLS, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length <= maxLength ? escaped : `${escaped.slice(0, maxLength)}… (${escaped.length} characters)`;
}

/** Whether text holds a character printable() would escape. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/** A value as a message shows it: JSON, control characters escaped, at most 120 characters. */
export function shownValue(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return printable(text, 120);
}

/** Bounds as a message states them: "> 0 and ≤ 1" (open and closed ends, in that order). */
export function boundsText(bounds: { above?: number; atLeast?: number; below?: number; atMost?: number }): string {
  const parts: string[] = [];
  if (bounds.above !== undefined) parts.push(`> ${bounds.above}`);
  if (bounds.atLeast !== undefined) parts.push(`≥ ${bounds.atLeast}`);
  if (bounds.below !== undefined) parts.push(`< ${bounds.below}`);
  if (bounds.atMost !== undefined) parts.push(`≤ ${bounds.atMost}`);
  return parts.join(' and ');
}
