import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Relative asset paths: the built site works from any folder of any static host, offline.
  base: './',
  build: {
    outDir: 'dist/web', emptyOutDir: true, target: 'es2022',
    // The simulator, the iframe page for embedding, and the embedding docs.
    rolldownOptions: { input: { main: 'index.html', embed: 'embed.html', docs: 'docs.html' } },
  },
  worker: { format: 'es' },
  test: {
    environment: 'node',
    // Physics tests run real simulations on the compiled kernel; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'node', include: ['test/**/*.test.ts'], exclude: ['test/browser/**'] } },
      // Real Chromium: found or installed once, and only when a browser test runs.
      { extends: true, test: { name: 'browser', include: ['test/browser/**/*.test.ts'], globalSetup: ['test/helpers/chromium-setup.ts'] } },
    ],
  },
});
