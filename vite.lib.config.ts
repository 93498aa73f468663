import { defineConfig } from 'vite';

// `npm run build:lib`: the <ecs-sim> element (ecs-sim.js) and the core API (core.js) as ES modules
// for any static host, with the simulation worker and the kernel (kernel.wasm) beside them, loaded
// relative to the module (new URL(…, import.meta.url)): no inline scripts, no blob: or data: URLs,
// so they run under a strict Content-Security-Policy. three.js is bundled and tree-shaken.
export default defineConfig({
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist/lib',
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: '',
    // Never inline the kernel or the worker as data: URLs (a strict CSP forbids them).
    assetsInlineLimit: 0,
    // three.js is most of the element; its size is checked in test/browser/element.test.ts.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      input: { 'ecs-sim': 'src/element/index.ts', core: 'src/core/index.ts' },
      preserveEntrySignatures: 'strict',
      output: {
        entryFileNames: '[name].js',
        chunkFileNames: 'chunks/[name]-[hash].js',
        assetFileNames: '[name][extname]',
      },
    },
  },
  worker: {
    format: 'es',
    rolldownOptions: { output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: '[name][extname]' } },
  },
});
