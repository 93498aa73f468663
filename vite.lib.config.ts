import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';

// `npm run build:lib` runs this twice.
//
// Default mode: the <ecs-sim> element (ecs-sim.js) and the core API (core.js) as ES modules for any
// static host, with the simulation worker and the kernel (kernel.wasm) beside them, loaded relative
// to the module (new URL(…, import.meta.url)): no inline scripts, no blob: or data: URLs, so they
// run under a strict Content-Security-Policy. three.js is bundled and tree-shaken.
//
// --mode single: ecs-sim.single.js, the element in one file, with the worker and the kernel inside
// it (the worker then starts from a blob: URL, so the CSP needs worker-src blob:).

const INLINE_KERNEL = '\0ecs-sim-kernel-data-url';

/**
 * In the single-file build, each module with an `.inline.ts` sibling is replaced by that sibling,
 * and `…/kernel.wasm?inline` becomes the kernel as a base64 data: URL.
 */
function inlineSiblings(): Plugin {
  return {
    name: 'ecs-sim-inline-siblings',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source.endsWith('/kernel.wasm?inline')) return INLINE_KERNEL;
      if (!importer || !/\/(kernel-location|create-worker)\.js$/.test(source)) return null;
      return resolve(dirname(importer), source.replace(/\.js$/, '.inline.ts'));
    },
    load(id) {
      if (id !== INLINE_KERNEL) return null;
      const base64 = readFileSync(resolve(import.meta.dirname, 'build/kernel.wasm')).toString('base64');
      return `export default ${JSON.stringify(`data:application/wasm;base64,${base64}`)};`;
    },
  };
}

export default defineConfig(({ mode }) => {
  const single = mode === 'single';
  return {
    base: './',
    publicDir: false,
    plugins: single ? [inlineSiblings()] : [],
    build: {
      outDir: 'dist/lib',
      // The single-file build adds its file to the folder the default build has just written.
      emptyOutDir: !single,
      target: 'es2022',
      assetsDir: '',
      // The default build never inlines the kernel or the worker as data: URLs (a strict CSP forbids them).
      assetsInlineLimit: single ? undefined : 0,
      // three.js is most of the element; its size is checked in test/browser/element.test.ts.
      chunkSizeWarningLimit: 700,
      rolldownOptions: {
        input: single ? { 'ecs-sim.single': 'src/element/index.ts' } : { 'ecs-sim': 'src/element/index.ts', core: 'src/core/index.ts' },
        preserveEntrySignatures: 'strict',
        output: {
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          assetFileNames: '[name][extname]',
          ...(single ? { codeSplitting: false } : {}),
        },
      },
    },
    worker: {
      format: 'es',
      plugins: () => (single ? [inlineSiblings()] : []),
      rolldownOptions: { output: { entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', assetFileNames: '[name][extname]' } },
    },
  };
});
