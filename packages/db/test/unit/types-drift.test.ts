// The committed database.types.ts and table-metadata.ts must be exactly what the migrations produce.
// Same check as `pnpm --filter @mentora/db check:types`, run with the tests so CI cannot skip it.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/typegen/generate.ts';

const packageDir = join(import.meta.dirname, '..', '..');

describe('generated database types', () => {
  it('match supabase/migrations (run `pnpm --filter @mentora/db gen:types` when this fails)', async () => {
    const generated = await generate(join(packageDir, '..', '..', 'supabase', 'migrations'));
    expect(await readFile(join(packageDir, 'src', 'database.types.ts'), 'utf8')).toBe(
      generated.databaseTypes,
    );
    expect(await readFile(join(packageDir, 'src', 'table-metadata.ts'), 'utf8')).toBe(
      generated.tableMetadata,
    );
  }, 60_000);
});
