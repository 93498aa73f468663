import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Physics tests run real simulations on the compiled kernel; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
