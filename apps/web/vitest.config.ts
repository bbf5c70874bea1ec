import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // One file at a time: each starts its own stack and server on a 2-core machine.
    fileParallelism: false,
    // Hang guards only: starting the stack, `next start` and Chromium on a loaded 2-core machine.
    hookTimeout: 180_000,
    testTimeout: 60_000,
  },
});
