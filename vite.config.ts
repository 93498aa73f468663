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
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Physics tests run real simulations on the compiled kernel; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
