import { defineConfig } from 'vitest/config';

// Measurements, not tests: run with `npm run bench:browser`; they print numbers for the README.
export default defineConfig({
  test: { include: ['bench/**/*.bench-test.ts'], environment: 'node', testTimeout: 600_000, hookTimeout: 120_000 },
});
