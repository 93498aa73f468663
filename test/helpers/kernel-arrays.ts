// Test helper: a bare kernel instance with arrays placed in its memory by hand, for testing the
// kernel functions directly (without the Simulation host).
import { instantiateKernel, type KernelExports } from '../../src/core/kernel.js';

export interface KernelArrays {
  kernel: KernelExports;
  /** Allocates n f32 values (16-byte aligned) and returns their pointer and a view. */
  allocate(n: number): { pointer: number; view: Float32Array };
}

export async function kernelWithArrays(totalFloats: number): Promise<KernelArrays> {
  const kernel = await instantiateKernel();
  let cursor = Math.ceil(kernel.heapBase() / 16) * 16;
  const bytes = cursor + 4 * totalFloats + 16 * 64;
  const pages = Math.ceil(bytes / 65536) - kernel.memory.buffer.byteLength / 65536;
  if (pages > 0) kernel.memory.grow(pages);
  return {
    kernel,
    allocate(n: number) {
      const pointer = cursor;
      cursor = Math.ceil((cursor + 4 * n) / 16) * 16;
      return { pointer, view: new Float32Array(kernel.memory.buffer, pointer, n) };
    },
  };
}

/** A deterministic pseudo-random generator (mulberry32) so failures reproduce. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
