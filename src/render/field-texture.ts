// The scalar field as an R8 (normalised) 3D texture: one byte per voxel, the value mapped linearly
// through a window [min, max] onto 0…255. Voxel (i, j, k) is texel (i, j, k), so the texture's
// texel centres are the voxel centres and linear filtering interpolates between them.
import { ClampToEdgeWrapping, Data3DTexture, LinearFilter, RedFormat, UnsignedByteType } from 'three';

export class FieldTexture extends Data3DTexture {
  readonly nx: number;
  readonly ny: number;
  readonly nz: number;
  readonly voxels: number;
  /** The bytes uploaded to the GPU, reused by every update. */
  readonly bytes: Uint8Array;
  windowMin = 0;
  windowMax = 1;
  /** The last field given to update(), kept (not copied) so a new window can be applied to it. */
  private values: Float32Array | null = null;

  constructor(nx: number, ny: number, nz: number) {
    const bytes = new Uint8Array(nx * ny * nz);
    super(bytes, nx, ny, nz);
    this.nx = nx;
    this.ny = ny;
    this.nz = nz;
    this.voxels = nx * ny * nz;
    this.bytes = bytes;
    this.format = RedFormat;
    this.type = UnsignedByteType;
    this.magFilter = LinearFilter;
    this.minFilter = LinearFilter;
    this.wrapS = ClampToEdgeWrapping;
    this.wrapT = ClampToEdgeWrapping;
    this.wrapR = ClampToEdgeWrapping;
    this.generateMipmaps = false;
    this.unpackAlignment = 1;
    this.needsUpdate = true;
  }

  /** Maps `values` (index i + nx (j + ny k)) through the window into the texture. */
  update(values: Float32Array): void {
    if (values.length !== this.voxels) {
      throw new Error(`field has ${values.length} values, the grid ${this.nx}×${this.ny}×${this.nz} has ${this.voxels} voxels`);
    }
    this.values = values;
    this.remap();
  }

  /** Sets the value range that spans 0…255 and re-maps the last field. */
  setWindow(min: number, max: number): void {
    if (!Number.isFinite(min) || !Number.isFinite(max)) throw new Error(`window must be finite, got [${min}, ${max}]`);
    this.windowMin = min;
    this.windowMax = max;
    if (this.values !== null && this.values.length === this.voxels) this.remap();
  }

  private remap(): void {
    const values = this.values as Float32Array, bytes = this.bytes;
    const min = this.windowMin, span = this.windowMax - min;
    const scale = 255 / (span > 0 ? span : Number.MIN_VALUE);
    for (let i = 0, n = this.voxels; i < n; i++) {
      // +0.5 rounds on the truncating byte store; NaN fails both tests and becomes 0.
      const b = (values[i] - min) * scale + 0.5;
      bytes[i] = b >= 255 ? 255 : b > 0 ? b : 0;
    }
    this.needsUpdate = true;
  }
}
