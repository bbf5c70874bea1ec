// The root entry must stay light: supabase-js, @mentora/errors and @mentora/monitoring (the Logger)
// only. PGlite, PostgREST, jose and the service harness belong to @mentora/db/testing. Walks the
// static import graph of the sources.
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '..', '..', 'src');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm;

async function externalImports(entry: string): Promise<Set<string>> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = async (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(IMPORT)) {
      if (!specifier) continue;
      if (specifier.startsWith('.')) await visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else external.add(specifier);
    }
  };
  await visit(join(src, entry));
  return external;
}

describe('entry points', () => {
  it('the root entry imports only supabase-js, @mentora/errors and @mentora/monitoring', async () => {
    expect([...(await externalImports('index.ts'))].sort()).toEqual([
      '@mentora/errors',
      '@mentora/monitoring',
      '@supabase/supabase-js',
    ]);
  });

  it('the testing entry is where the harness comes in', async () => {
    expect(await externalImports('testing.ts')).toContain('@mentora/testing');
  });
});
