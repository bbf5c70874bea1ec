import { defineConfig } from 'tsup';

export default defineConfig({
  // The root entry is the core (no ioredis import); the Redis store lives on the `./redis` subpath and
  // Mentora's own keys and invalidation operations on `./mentora`.
  entry: { index: 'src/index.ts', redis: 'src/redis/index.ts', mentora: 'src/mentora/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  external: ['ioredis', '@mentora/redis'],
});
