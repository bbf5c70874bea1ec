import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards only: no test depends on how fast anything is.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
