import { defineConfig } from 'tsup';

export default defineConfig({
  // The Sentry adapter is its own entry: the root entry must never load @sentry/node.
  entry: { index: 'src/index.ts', sentry: 'src/sentry/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
});
