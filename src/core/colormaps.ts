// Perceptually uniform colormaps (van der Walt & Smith's viridis, inferno and magma; Nuñez et al.'s
// cividis) as anchor colours, for the renderer and the CLI figures. Pure data: no DOM, no three.
//
// Each map is the published 256-entry table sampled at 17 evenly spaced points, t = k/16, the way
// the table is looked up (entry ⌊256 t⌋, the last entry at t = 1), and rounded to 0–255. Between
// anchors the colour is interpolated linearly.

export type ColormapName = 'viridis' | 'inferno' | 'magma' | 'cividis';
export type RGB = [number, number, number];

export const COLORMAP_NAMES: readonly ColormapName[] = ['viridis', 'inferno', 'magma', 'cividis'];

/** Anchor colours (0–255) at t = 0, 1/16, …, 1. */
export const COLORMAP_ANCHORS: Readonly<Record<ColormapName, readonly (readonly [number, number, number])[]>> = {
  viridis: [
    [68, 1, 84], [72, 24, 106], [71, 45, 123], [66, 64, 134], [59, 82, 139], [51, 99, 141],
    [44, 114, 142], [38, 130, 142], [33, 145, 140], [31, 160, 136], [40, 174, 128], [63, 188, 115],
    [94, 201, 98], [132, 212, 75], [173, 220, 48], [216, 226, 25], [253, 231, 37],
  ],
  inferno: [
    [0, 0, 4], [11, 7, 36], [33, 12, 74], [61, 9, 101], [87, 16, 110], [113, 25, 110],
    [138, 34, 106], [163, 44, 97], [188, 55, 84], [210, 70, 68], [228, 90, 49], [241, 115, 29],
    [249, 142, 9], [252, 172, 17], [249, 203, 53], [242, 234, 105], [252, 255, 164],
  ],
  magma: [
    [0, 0, 4], [10, 8, 34], [29, 17, 71], [54, 16, 107], [81, 18, 124], [106, 28, 129],
    [131, 38, 129], [156, 46, 127], [183, 55, 121], [208, 65, 111], [231, 82, 99], [245, 107, 92],
    [252, 137, 97], [254, 167, 114], [254, 196, 136], [253, 226, 163], [252, 253, 191],
  ],
  cividis: [
    [0, 34, 78], [0, 46, 106], [26, 56, 111], [50, 67, 109], [67, 78, 108], [83, 90, 109],
    [97, 101, 111], [111, 112, 115], [125, 124, 120], [140, 136, 120], [155, 148, 118], [171, 160, 114],
    [188, 174, 108], [205, 187, 99], [222, 201, 88], [240, 216, 70], [254, 232, 56],
  ],
};

export function isColormapName(name: unknown): name is ColormapName {
  return typeof name === 'string' && (COLORMAP_NAMES as readonly string[]).includes(name);
}

/**
 * The colour at t ∈ [0, 1] of evenly spaced anchors, interpolated linearly and rounded to integers;
 * t is clamped, NaN counts as 0.
 */
export function interpolateAnchors(anchors: readonly (readonly number[])[], t: number, target: RGB = [0, 0, 0]): RGB {
  const x = (Number.isNaN(t) ? 0 : Math.min(Math.max(t, 0), 1)) * (anchors.length - 1);
  const i = Math.min(Math.floor(x), anchors.length - 2), f = x - i;
  const a = anchors[i], b = anchors[i + 1];
  for (let k = 0; k < 3; k++) target[k] = Math.round(a[k] + f * (b[k] - a[k]));
  return target;
}

/** The colour (0–255 per channel) of `name` at t ∈ [0, 1]; t is clamped, NaN counts as 0. */
export function colormapRGB(name: ColormapName, t: number): RGB {
  const anchors = COLORMAP_ANCHORS[name];
  if (!anchors) throw new Error(`unknown colormap "${String(name)}" (one of ${COLORMAP_NAMES.join(', ')})`);
  return interpolateAnchors(anchors, t);
}

/** Fills `table` (RGBA, alpha 255, length a multiple of 4) with `name` from t = 0 to t = 1, in place. */
export function fillColormapTable(name: ColormapName, table: Uint8Array): void {
  const n = table.length / 4;
  if (!Number.isInteger(n) || n < 2) throw new Error(`colormap table size must be an integer ≥ 2, got ${n}`);
  const anchors = COLORMAP_ANCHORS[name];
  if (!anchors) throw new Error(`unknown colormap "${String(name)}" (one of ${COLORMAP_NAMES.join(', ')})`);
  const rgb: RGB = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    interpolateAnchors(anchors, i / (n - 1), rgb);
    table[4 * i] = rgb[0];
    table[4 * i + 1] = rgb[1];
    table[4 * i + 2] = rgb[2];
    table[4 * i + 3] = 255;
  }
}

/** `n` RGBA entries (alpha 255) of `name` from t = 0 to t = 1, for a lookup texture. */
export function colormapTable(name: ColormapName, n = 256): Uint8Array {
  if (!Number.isInteger(n) || n < 2) throw new Error(`colormap table size must be an integer ≥ 2, got ${n}`);
  const table = new Uint8Array(4 * n);
  fillColormapTable(name, table);
  return table;
}
