// A 256×1 RGBA lookup texture of one of the shared colormaps, sampled linearly by the shaders.
import { ClampToEdgeWrapping, DataTexture, LinearFilter, NoColorSpace, RGBAFormat, UnsignedByteType } from 'three';
import { fillColormapTable, type ColormapName } from '../core/colormaps.js';

const WIDTH = 256;

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
    fillColormapTable(name, this.image.data as Uint8Array);
    this.name = name;
    this.needsUpdate = true;
  }
}
