// Places the plot's marker labels so that they never overlap (t_peak and t_half of nearby curves).
/**
 * Where marker labels go so that none overlaps another: each label sits just right of its marker
 * line (or just left of it where it would pass rightEdge), in the first row (from the top) where it
 * clears, by gap, every label already placed in that row. x, width, rightEdge and gap in pixels.
 */
export function placeLabels(labels: readonly { x: number; width: number }[], rightEdge: number, gap: number): { left: number; row: number }[] {
  const rows: [number, number][][] = [];
  return labels.map(({ x, width }) => {
    const left = x + gap + width <= rightEdge ? x + gap : x - gap - width;
    const right = left + width;
    let row = 0;
    while (rows[row]?.some(([start, end]) => left < end + gap && right > start - gap)) row++;
    (rows[row] ??= []).push([left, right]);
    return { left, row };
  });
}
