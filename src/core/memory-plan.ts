// Where each kernel array lives in WebAssembly memory, planned before anything is allocated.

import type { ResolvedConfig, Vector3 } from './config.js';

/**
 * Which diffusion kernel runs. uniform: one α and λ, 12 bytes/voxel (the field and two stage
 * registers, one of which holds the field's compensation between steps) and three planes of scratch; heterogeneous: per-voxel
 * α and λ with precomputed face coefficients, 28 bytes/voxel (those three, 1/α and three face
 * coefficients) and the same three planes; reference: the plain scalar kernel the others are tested against (f64 arithmetic,
 * face coefficients recomputed from per-voxel α and κ, 24 bytes/voxel). Glial buffering uses the
 * stage register that is free between steps, so it needs no memory of its own.
 */
export type KernelPath = 'uniform' | 'heterogeneous' | 'reference';

/** wasm32 memory holds at most 65 536 pages of 64 KiB; keep one page for the kernel's own data. */
export const MAX_KERNEL_MEMORY_BYTES = 65535 * 65536;
const STATIC_DATA_BYTES = 65536;

/** Byte offsets of the kernel arrays (0 where the path has no such array). */
export interface MemoryLayout {
  /** The field (excess over baseline, f32). */
  u: number;
  /**
   * The two stage registers of the RKL2 super-step (src/core/rkl2.ts). Between steps one of them
   * holds the compensation (the rounding error of each voxel's f32 value) and the other is free.
   */
  registers: [number, number];
  /** The fast stages' ring of three planes of w (3·nx·ny f32), 0 on the reference path. */
  planes: number;
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

/** Places the arrays of a path from base (bytes) on, each 16-byte aligned (SIMD loads). */
export function planLayout(size: Vector3, path: KernelPath, base: number): MemoryLayout {
  const n = size[0] * size[1] * size[2];
  const boundaryCount = 2 * (size[1] * size[2] + size[0] * size[2] + size[0] * size[1]);
  let cursor = align16(base);
  const take = (count: number): number => {
    const at = cursor;
    cursor = align16(cursor + 4 * count);
    return at;
  };
  const layout: MemoryLayout = {
    u: take(n), registers: [take(n), take(n)], planes: 0,
    inverseAlpha: 0, gx: 0, gy: 0, gz: 0, boundary: 0, alpha: 0, kappa: 0, end: 0,
  };
  if (path !== 'reference') layout.planes = take(3 * size[0] * size[1]);
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
export function kernelMemoryBytes(size: Vector3, path: KernelPath): number {
  return planLayout(size, path, STATIC_DATA_BYTES).end;
}

function align16(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}
