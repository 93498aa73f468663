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
