import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Hang guards only: no test depends on how fast anything is.
  test: { include: ['test/**/*.test.ts'], hookTimeout: 180_000, testTimeout: 90_000 },
});
