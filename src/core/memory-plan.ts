// Where each kernel array lives in WebAssembly memory, planned before anything is allocated.

import type { ResolvedConfig, Vector3 } from './config.js';

/**
 * Which diffusion kernel runs. uniform: one α and λ, updated in place, 8 bytes/voxel (field and
 * compensation; one spare plane replaces the double buffer); heterogeneous: per-voxel α and λ with
 * precomputed face coefficients, 24 bytes/voxel (field, compensation, 1/α and three face coefficients);
 * reference: the plain scalar kernel the others are tested against (out of place, 24 bytes/voxel).
 * Glial buffering adds a 4 bytes/voxel scratch array on every path.
 */
export type KernelPath = 'uniform' | 'heterogeneous' | 'reference';

/** wasm32 memory holds at most 65 536 pages of 64 KiB; keep one page for the kernel's own data. */
export const MAX_KERNEL_MEMORY_BYTES = 65535 * 65536;
const STATIC_DATA_BYTES = 65536;

/** Byte offsets of the kernel arrays (0 where the path has no such array). */
export interface MemoryLayout {
  /**
   * The field (excess over baseline, f32). On the fast paths this array has one spare plane
   * (nx·ny f32) and the field sits at u or u + one plane, alternately (the kernels step in place,
   * shifted by one plane; assembly/diffusion_uniform.ts).
   */
  u: number;
  /** Compensation: the rounding error of each voxel's f32 value. */
  low: number;
  /** The reference kernel's output field (it works out of place), 0 on the fast paths. */
  out: number;
  /** One f32 per voxel for glial buffering, 0 without it. */
  scratch: number;
  inverseAlpha: number;
  gx: number;
  gy: number;
  gz: number;
  boundary: number;
  alpha: number;
  kappa: number;
  /** First byte past the last array. */
  end: number;
}

/** The path 'auto' means: uniform without regions, heterogeneous with them. */
export function chooseKernelPath(config: ResolvedConfig, requested: KernelPath | 'auto'): KernelPath {
  if (requested === 'auto') return config.tissue.regions.length === 0 ? 'uniform' : 'heterogeneous';
  if (requested === 'uniform' && config.tissue.regions.length > 0) {
    throw new Error('the uniform kernel cannot run tissue with regions; use "heterogeneous" or "auto"');
  }
  return requested;
}

/** What the layout must hold besides the diffusion kernel's own arrays. */
export interface LayoutOptions {
  /** Glial buffering is on: it needs one f32 of scratch per voxel. */
  glia?: boolean;
}

/** Places the arrays of a path from base (bytes) on, each 16-byte aligned (SIMD loads). */
export function planLayout(size: Vector3, path: KernelPath, base: number, options: LayoutOptions = {}): MemoryLayout {
  const n = size[0] * size[1] * size[2];
  const boundaryCount = 2 * (size[1] * size[2] + size[0] * size[2] + size[0] * size[1]);
  let cursor = align16(base);
  const take = (count: number): number => {
    const at = cursor;
    cursor = align16(cursor + 4 * count);
    return at;
  };
  const layout: MemoryLayout = {
    u: take(path === 'reference' ? n : n + size[0] * size[1]), low: take(n), out: 0, scratch: 0,
    inverseAlpha: 0, gx: 0, gy: 0, gz: 0, boundary: 0, alpha: 0, kappa: 0, end: 0,
  };
  if (path === 'reference') layout.out = take(n);
  if (options.glia) layout.scratch = take(n);
  if (path === 'heterogeneous') {
    layout.inverseAlpha = take(n);
    layout.gx = take(n);
    layout.gy = take(n);
    layout.gz = take(n);
    layout.boundary = take(boundaryCount);
  } else if (path === 'reference') {
    layout.inverseAlpha = take(n);
    layout.alpha = take(n);
    layout.kappa = take(n);
  }
  layout.end = cursor;
  return layout;
}

/** Bytes of WebAssembly memory a grid needs on a path, static data included. */
export function kernelMemoryBytes(size: Vector3, path: KernelPath, options: LayoutOptions = {}): number {
  return planLayout(size, path, STATIC_DATA_BYTES, options).end;
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
