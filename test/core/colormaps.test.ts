// The shared colormaps (src/core/colormaps.ts): anchors, interpolation, clamping and the lookup table.
import { describe, expect, it } from 'vitest';
import { COLORMAP_ANCHORS, COLORMAP_NAMES, colormapRGB, colormapTable, isColormapName } from '../../src/core/colormaps.js';

describe('colormaps', () => {
  it('has viridis, inferno, magma and cividis with 17 anchors each', () => {
    expect([...COLORMAP_NAMES]).toEqual(['viridis', 'inferno', 'magma', 'cividis']);
    for (const name of COLORMAP_NAMES) expect(COLORMAP_ANCHORS[name]).toHaveLength(17);
  });

  it('hits the published end points and quarter points of viridis', () => {
    expect(colormapRGB('viridis', 0)).toEqual([68, 1, 84]);
    expect(colormapRGB('viridis', 0.25)).toEqual([59, 82, 139]);
    expect(colormapRGB('viridis', 0.5)).toEqual([33, 145, 140]);
    expect(colormapRGB('viridis', 0.75)).toEqual([94, 201, 98]);
    expect(colormapRGB('viridis', 1)).toEqual([253, 231, 37]);
    expect(colormapRGB('inferno', 1)).toEqual([252, 255, 164]);
    expect(colormapRGB('magma', 0)).toEqual([0, 0, 4]);
    expect(colormapRGB('cividis', 0)).toEqual([0, 34, 78]);
  });

  it('interpolates linearly between anchors, clamps, and treats NaN as 0', () => {
    expect(colormapRGB('viridis', 1 / 32)).toEqual([70, 13, 95]);
    expect(colormapRGB('magma', -3)).toEqual(colormapRGB('magma', 0));
    expect(colormapRGB('magma', 7)).toEqual(colormapRGB('magma', 1));
    expect(colormapRGB('cividis', NaN)).toEqual(colormapRGB('cividis', 0));
  });

  it('is perceptually ordered: lightness (green channel as a proxy for viridis, sum for the others) rises', () => {
    for (const name of COLORMAP_NAMES) {
      const anchors = COLORMAP_ANCHORS[name];
      for (let i = 1; i < anchors.length; i++) {
        const luma = (c: readonly number[]) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        expect(luma(anchors[i]), `${name} anchor ${i}`).toBeGreaterThan(luma(anchors[i - 1]));
      }
    }
  });

  it('builds an RGBA table of n entries from t = 0 to 1', () => {
    const table = colormapTable('inferno', 256);
    expect(table).toBeInstanceOf(Uint8Array);
    expect(table).toHaveLength(1024);
    expect([...table.slice(0, 4)]).toEqual([0, 0, 4, 255]);
    expect([...table.slice(1020)]).toEqual([252, 255, 164, 255]);
    expect(colormapTable('viridis', 5)).toEqual(new Uint8Array([
      68, 1, 84, 255, 59, 82, 139, 255, 33, 145, 140, 255, 94, 201, 98, 255, 253, 231, 37, 255,
    ]));
    expect(() => colormapTable('viridis', 1)).toThrow(/≥ 2/);
  });

  it('recognises its names', () => {
    expect(isColormapName('magma')).toBe(true);
    expect(isColormapName('jet')).toBe(false);
    expect(() => colormapRGB('jet' as never, 0)).toThrow(/unknown colormap/);
  });
});
