// Smoke for @mentora/db, run in a consumer project against the published package: the testing entry
// starts the embedded stack from the SQL shipped in the package, the root entry queries it.
import assert from 'node:assert/strict';
import { checkDatabaseHealth, createQueryBuilder, createSupabaseClients } from '@mentora/db';
import { startLocalSupabase } from '@mentora/db/testing';
import { ValidationError } from '@mentora/errors';

const local = await startLocalSupabase({ mode: 'embedded' });
const db = createSupabaseClients({
  url: local.url,
  anonKey: local.anonKey,
  serviceRoleKey: local.serviceRoleKey,
});
try {
  assert.equal((await checkDatabaseHealth(db.anon())).healthy, true);

  // A seeded creator (supabase/seed.sql) sees their own videos through RLS, and only theirs.
  const ada = '00000000-0000-4000-a000-000000000001';
  const videos = createQueryBuilder(db.forUser(await local.signUserToken(ada)), 'videos');
  const page = await videos.list({ orderBy: 'created_at', orderDirection: 'desc', limit: 10 });
  assert.equal(page.data.length, 3);
  assert.ok(page.data.every((video) => video.creator_id === '10000000-0000-4000-a000-000000000001'));

  // Unknown columns are refused before any request.
  await assert.rejects(
    videos.list({ filters: { ['no_such_column' as 'title']: 'x' } }),
    (error: unknown) => error instanceof ValidationError,
  );
  console.log(`db smoke ok (embedded stack started in ${local.startupMs} ms)`);
} finally {
  await db.close();
  await local.stop();
}
