// The plot's marker labels never overlap: close markers take separate rows, labels that would leave
// the plot go left of their line.
import { describe, expect, it } from 'vitest';
import { placeLabels } from '../../src/app/label-layout.js';

/** Whether two placed labels share a row and their boxes (with the gap) intersect. */
function overlap(a: { left: number; row: number; width: number }, b: { left: number; row: number; width: number }, gap: number): boolean {
  return a.row === b.row && a.left < b.left + b.width + gap && a.left + a.width > b.left - gap;
}

describe('placeLabels', () => {
  it('puts t_peak and t_half of one curve, 10 px apart, in two rows instead of "t_peakt_half"', () => {
    const placed = placeLabels([{ x: 100, width: 80 }, { x: 110, width: 80 }], 1000, 3);
    expect(placed).toEqual([{ left: 103, row: 0 }, { left: 113, row: 1 }]);
  });

  it('keeps labels far apart in the first row, and draws one left of its line at the right edge', () => {
    expect(placeLabels([{ x: 100, width: 50 }, { x: 300, width: 50 }], 1000, 3)).toEqual([{ left: 103, row: 0 }, { left: 303, row: 0 }]);
    expect(placeLabels([{ x: 980, width: 50 }], 1000, 3)).toEqual([{ left: 927, row: 0 }]);
  });

  it('never overlaps, for 40 labels at random positions', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const labels = Array.from({ length: 40 }, () => ({ x: 600 * random(), width: 40 + 60 * random() }));
    const placed = placeLabels(labels, 600, 3).map((place, index) => ({ ...place, width: labels[index].width }));
    for (let a = 0; a < placed.length; a++) {
      for (let b = a + 1; b < placed.length; b++) expect(overlap(placed[a], placed[b], 3), `${a} and ${b}`).toBe(false);
    }
    expect(placed.every((place) => place.left + place.width <= 600 || place.left < labels[placed.indexOf(place)].x)).toBe(true);
  });
});
