// startLocalSupabase's postgres mode on a database it is given (instead of a throwaway server), and its
// row cap option. The throwaway and embedded modes run the whole contract suite (postgres/embedded.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDatabaseHealth, createQueryBuilder, createSupabaseClients } from '../src/index.js';
import { type LocalSupabase, startLocalSupabase } from '../src/testing.js';
import { withPg } from './contract/fixtures.js';

const SEEDED_STUDENT = '00000000-0000-4000-a000-000000000011';

describe('startLocalSupabase({ mode: "postgres", databaseUrl })', () => {
  let owner: LocalSupabase;
  let givenUrl: string;

  beforeAll(async () => {
    // A server we do not own from the given stack's point of view: a second database on it.
    owner = await startLocalSupabase({ mode: 'postgres', seed: false });
    await withPg(owner.databaseUrl, (pg) => pg.query('create database given'));
    const url = new URL(owner.databaseUrl);
    url.pathname = '/given';
    givenUrl = url.toString();
  }, 120_000);

  afterAll(() => owner?.stop(), 60_000);

  it('applies the migrations and seed there, serves it with RLS, and leaves the server running', async () => {
    const stack = await startLocalSupabase({ mode: 'postgres', databaseUrl: givenUrl, maxRows: null });
    const clients = createSupabaseClients({
      url: stack.url,
      anonKey: stack.anonKey,
      serviceRoleKey: stack.serviceRoleKey,
    });
    try {
      expect(stack.postgres).toBeUndefined(); // not ours to stop or restart
      expect(await checkDatabaseHealth(clients.anon())).toMatchObject({ healthy: true });
      const student = clients.forUser(await stack.signUserToken(SEEDED_STUDENT));
      const titles = (await createQueryBuilder(student, 'videos').list()).data.map((v) => v.title);
      expect(titles.sort()).toEqual(['Bernoulli numbers, step by step', 'Notes on the Analytical Engine']);

      // maxRows: null -> no row cap (the default caps at 1000 like Supabase; edge-cases test that one).
      await withPg(givenUrl, (pg) =>
        pg.query(
          `insert into public.analytics_events (event_type) select 'uncapped' from generate_series(1, 1001)`,
        ),
      );
      const all = await clients.admin().from('analytics_events').select('id').eq('event_type', 'uncapped');
      expect(all.data).toHaveLength(1_001);
    } finally {
      await clients.close();
      await stack.stop();
    }
    const left = await withPg(givenUrl, async (pg) => {
      const { rows } = await pg.query<{ n: number }>('select count(*)::int as n from public.creators');
      return rows[0]?.n;
    });
    expect(left).toBeGreaterThan(0);
  }, 120_000);
});
