// The single-file library build (vite.lib.config.ts, ecs-sim.single.js) uses this module instead
// of kernel-location.ts: the kernel binary travels inside the bundle as a data: URL, decoded by
// compileKernel without a fetch.
/// <reference types="vite/client" />
import kernelDataUrl from '../../build/kernel.wasm?inline';

/** The kernel binary as a data: URL. */
export const DEFAULT_KERNEL_URL = new URL(kernelDataUrl);
