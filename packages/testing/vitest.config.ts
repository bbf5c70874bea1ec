import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Hang guards only: no test relies on these to pass.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
