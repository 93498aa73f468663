// A 256×1 RGBA lookup texture of one of the shared colormaps, sampled linearly by the shaders.
import { ClampToEdgeWrapping, DataTexture, LinearFilter, NoColorSpace, RGBAFormat, UnsignedByteType } from 'three';
import { COLORMAP_ANCHORS, type ColormapName, type RGB, interpolateAnchors } from '../core/colormaps.js';

const WIDTH = 256;
const _rgb: RGB = [0, 0, 0];

export class ColormapTexture extends DataTexture {
  name: ColormapName;

  constructor(name: ColormapName = 'viridis') {
    super(new Uint8Array(4 * WIDTH), WIDTH, 1, RGBAFormat, UnsignedByteType);
    this.name = name;
    // The table holds display values: shaders write them out unconverted.
    this.colorSpace = NoColorSpace;
    this.magFilter = LinearFilter;
    this.minFilter = LinearFilter;
    this.wrapS = ClampToEdgeWrapping;
    this.wrapT = ClampToEdgeWrapping;
    this.generateMipmaps = false;
    this.setColormap(name);
  }

  /** Refills the table in place (no allocation) and schedules the upload. */
  setColormap(name: ColormapName): void {
    const anchors = COLORMAP_ANCHORS[name];
    if (!anchors) throw new Error(`unknown colormap "${String(name)}"`);
    this.name = name;
    const data = this.image.data as Uint8Array;
    for (let i = 0; i < WIDTH; i++) {
      interpolateAnchors(anchors, i / (WIDTH - 1), _rgb);
      data[4 * i] = _rgb[0];
      data[4 * i + 1] = _rgb[1];
      data[4 * i + 2] = _rgb[2];
      data[4 * i + 3] = 255;
    }
    this.needsUpdate = true;
  }
}
