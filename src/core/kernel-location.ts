// Where the kernel binary is: build/kernel.wasm, relative to this module (the same depth in src/
// and dist/), which bundlers copy beside the bundle. The single-file library build replaces this
// module with kernel-location.inline.ts.

/** URL of the kernel binary (file: in Node, http(s): in browsers). */
export const DEFAULT_KERNEL_URL = new URL('../../build/kernel.wasm', import.meta.url);
