import { defineConfig } from 'tsup';

export default defineConfig({
  // The root entry is the core (no ioredis import); the Redis store lives on the `./redis` subpath.
  entry: { index: 'src/index.ts', redis: 'src/redis/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  external: ['ioredis', '@mentora/redis'],
});
