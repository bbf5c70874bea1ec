import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { defineConfig } from 'tsup';

const supabaseDir = join(import.meta.dirname, '..', '..', 'supabase');

export default defineConfig({
  entry: ['src/index.ts', 'src/testing.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node22',
  // import.meta.url in the CJS build of the testing entry (it locates the shipped SQL).
  shims: true,
  // @mentora/testing (the service harness) stays external: an optional peer, installed by those who
  // use the testing entry, with its own optional peers (PGlite, the PostgREST binary).
  // Ship the SQL with the testing entry, so startLocalSupabase() works outside this repository.
  async onSuccess() {
    await mkdir(join('dist', 'supabase'), { recursive: true });
    await cp(join(supabaseDir, 'migrations'), join('dist', 'supabase', 'migrations'), { recursive: true });
    await cp(join(supabaseDir, 'seed.sql'), join('dist', 'supabase', 'seed.sql'));
  },
});
