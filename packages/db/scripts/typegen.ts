// The generated files of this package, from supabase/migrations:
// - src/database.types.ts: exactly what `supabase gen types typescript` prints (postgres-meta, the
//   CLI's generator and version, via @mentora/supabase-tools);
// - src/table-metadata.ts: the query builder's runtime column allowlist (see table-metadata.ts below).
// Both read an in-process PGlite with pgvector and Supabase's roles, so the vector parts
// (video_chunks.embedding, match_video_chunks) are included as on Supabase. No Docker, no network.

import { generateTypescriptTypes } from '@mentora/supabase-tools';
import { applyMigrations, pgliteRunner, startPglite, supabaseRolesSql } from '@mentora/testing';
import { readTableMetadata, renderTableMetadata } from './table-metadata.ts';

export interface GeneratedFiles {
  databaseTypes: string;
  tableMetadata: string;
}

export async function generate(migrationsDir: string): Promise<GeneratedFiles> {
  const pglite = await startPglite({ pgvector: true });
  try {
    const run = pgliteRunner(pglite.db);
    await run(supabaseRolesSql(), 'Supabase roles');
    await applyMigrations(run, migrationsDir);
    const databaseTypes = await generateTypescriptTypes({ databaseUrl: pglite.url });
    const tableMetadata = renderTableMetadata(await readTableMetadata(pglite.db));
    return { databaseTypes, tableMetadata };
  } finally {
    await pglite.stop();
  }
}
