// Edge cases of the contract suite that users of such packages get burned by: values that collide with
// PostgREST's filter syntax, PostgREST's row cap, sort values outside the usual shapes (microseconds,
// infinity, NaN), writes a user may see but not make, and upserts that are not idempotent after all.
// Registered inside defineContractSuite, so they run on both stacks through supabase-js.
import { ForbiddenError, ServiceUnavailableError, ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import {
  createQueryBuilder,
  createSupabaseClients,
  type MentoraSupabaseClient,
  type Page,
  type SupabaseClients,
  type TableName,
} from '../../src/index.js';
import type { LocalSupabase } from '../../src/testing.js';
import { createFaultyFetch, createTenant, rejectionOf, withPg } from './fixtures.js';

export interface SuiteEnv {
  stack: LocalSupabase;
  clients: SupabaseClients;
  admin: MentoraSupabaseClient;
  asUser(userId: string): Promise<MentoraSupabaseClient>;
}

/** Strings that mean something in PostgREST's `or=(...)` and `in.(...)` syntax. */
const SYNTAX_VALUES = ['x', 'y', 'x","y', 'a"b', 'a\\b', 'a,\\', 'c,d', 'e(f)', 'g.h', 'or(id.gt.0)', ' sp '];

/** Walks every page of a list() call; returns the rows in the order they were served. */
async function walk<R>(
  fetchPage: (cursor: string | null) => Promise<Page<R>>,
): Promise<{ rows: R[]; pages: number }> {
  const rows: R[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page<R> = await fetchPage(cursor);
    expect(page.hasMore).toBe(page.nextCursor !== null);
    rows.push(...page.data);
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  return { rows, pages };
}

/** Ids of `table` in SQL's order (the reference every keyset walk must reproduce). */
async function sqlOrder(
  databaseUrl: string,
  sql: string,
  params: unknown[],
): Promise<{ id: string | number }[]> {
  return withPg(databaseUrl, async (pg) => (await pg.query<{ id: string | number }>(sql, params)).rows);
}

export function defineEdgeCases(env: () => SuiteEnv) {
  describe('filter values that look like PostgREST syntax', () => {
    it('IN matches exactly the given strings, whatever quotes, commas or backslashes they hold', async () => {
      const { admin } = env();
      const t = await createTenant(admin);
      const videos = createQueryBuilder(admin, 'videos');
      await videos.insertMany(
        SYNTAX_VALUES.map((title) => ({ creator_id: t.creatorId, title, video_url: 'https://v' })),
      );
      for (const value of SYNTAX_VALUES) {
        for (const filter of [[value], { op: 'in' as const, value: [value] }]) {
          const page = await videos.list({ filters: { creator_id: t.creatorId, title: filter } });
          expect(
            page.data.map((v) => v.title),
            `${JSON.stringify(value)} as ${JSON.stringify(filter)}`,
          ).toEqual([value]);
        }
        const eq = await videos.list({ filters: { creator_id: t.creatorId, title: value } });
        expect(eq.data.map((v) => v.title)).toEqual([value]);
      }
      const two = await videos.list({
        filters: { creator_id: t.creatorId, title: ['x","y', 'a,\\'] },
        orderBy: 'title',
      });
      expect(two.data.map((v) => v.title).sort()).toEqual(['a,\\', 'x","y'].sort());
      expect((await videos.list({ filters: { creator_id: t.creatorId, title: [] } })).data).toEqual([]);
      // Numbers and booleans go through the same quoting.
      const events = createQueryBuilder(admin, 'analytics_events');
      const [first, second] = await events.insertMany([{ event_type: 'in-num' }, { event_type: 'in-num' }]);
      const byId = await events.list({ filters: { id: [first!.id, second!.id, -1] } });
      expect(byId.data.map((e) => e.id)).toEqual([first!.id, second!.id]);
      const completed = await videos.list({
        filters: { creator_id: t.creatorId, processing_status: { op: 'in', value: ['completed'] } },
      });
      expect(completed.data.map((v) => v.id)).toEqual([t.completedVideoId]);
    });

    it('keyset pages over sort values full of syntax characters, with ties, in both directions', async () => {
      const { admin, stack } = env();
      const t = await createTenant(admin);
      const videos = createQueryBuilder(admin, 'videos');
      // Every value twice, so pages also cut through ties on the tricky values.
      const titles = [...SYNTAX_VALUES, ...SYNTAX_VALUES];
      await videos.insertMany(titles.map((title) => ({ creator_id: t.creatorId, title, video_url: 'u' })));
      for (const direction of ['asc', 'desc'] as const) {
        const expected = await sqlOrder(
          stack.databaseUrl,
          `select id from public.videos where creator_id = $1 order by title ${direction}, id ${direction}`,
          [t.creatorId],
        );
        const { rows } = await walk((cursor) =>
          videos.list({
            filters: { creator_id: t.creatorId },
            orderBy: 'title',
            orderDirection: direction,
            limit: 1,
            cursor,
          }),
        );
        expect(
          rows.map((r) => r.id),
          direction,
        ).toEqual(expected.map((r) => r.id));
      }
    });
  });

  describe('sort values outside the usual shapes', () => {
    it('timestamps one microsecond apart keep their order across pages (no Date rounding)', async () => {
      const { admin, stack } = env();
      const t = await createTenant(admin);
      const videos = createQueryBuilder(admin, 'videos');
      const stamps = ['.000001', '.000002', '.000002', '.000999', '.001', '.001001'].map(
        (fraction) => `2031-05-05T05:05:05${fraction}+00:00`,
      );
      await videos.insertMany(
        stamps.map((created_at, i) => ({
          creator_id: t.creatorId,
          title: `µs ${i}`,
          video_url: 'u',
          created_at,
        })),
      );
      for (const direction of ['asc', 'desc'] as const) {
        const expected = await sqlOrder(
          stack.databaseUrl,
          `select id from public.videos where creator_id = $1 and title like 'µs %'
            order by created_at ${direction}, id ${direction}`,
          [t.creatorId],
        );
        const { rows } = await walk((cursor) =>
          videos.list({
            filters: { creator_id: t.creatorId, title: { op: 'like', value: 'µs %' } },
            orderBy: 'created_at',
            orderDirection: direction,
            limit: 1,
            cursor,
          }),
        );
        expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));
      }
    });

    it("infinite timestamps and NaN/Infinity floats are valid cursor values, not 'tampered'", async () => {
      const { admin, stack } = env();
      const t = await createTenant(admin);
      const metric = `edge-${crypto.randomUUID()}`;
      await withPg(stack.databaseUrl, async (pg) => {
        await pg.query(`update public.videos set processed_at = 'infinity' where creator_id = $1`, [
          t.creatorId,
        ]);
        await pg.query(
          `insert into public.videos (creator_id, title, video_url, processed_at)
           values ($1, 'old', 'u', '-infinity'), ($1, 'bc', 'u', '0044-03-15 10:00:00+00 BC'),
                  ($1, 'far', 'u', '10000-01-01 00:00:00+00'), ($1, 'none', 'u', null)`,
          [t.creatorId],
        );
        await pg.query(
          `insert into public.performance_metrics (metric_name, value)
           values ($1, 'NaN'), ($1, 'NaN'), ($1, 'Infinity'), ($1, '-Infinity'), ($1, 1.5)`,
          [metric],
        );
      });
      const cases: [TableName, string, Record<string, unknown>, string][] = [
        ['videos', 'processed_at', { creator_id: t.creatorId }, 'creator_id = $1'],
        ['performance_metrics', 'value', { metric_name: metric }, 'metric_name = $1'],
      ];
      for (const [table, orderBy, filters, where] of cases) {
        for (const direction of ['asc', 'desc'] as const) {
          const nulls = direction === 'asc' ? 'nulls last' : 'nulls first';
          const expected = await sqlOrder(
            stack.databaseUrl,
            `select id from public.${table} where ${where}
              order by ${orderBy} ${direction} ${nulls}, id ${direction}`,
            [Object.values(filters)[0]],
          );
          const { rows } = await walk((cursor) =>
            createQueryBuilder(admin, table).list({
              filters: filters as never,
              orderBy: orderBy as never,
              orderDirection: direction,
              limit: 1,
              cursor,
            }),
          );
          expect(
            rows.map((r) => String((r as { id: string | number }).id)),
            `${table}.${orderBy} ${direction}`,
          ).toEqual(expected.map((r) => String(r.id))); // pg returns int8 as a string
        }
      }
    });
    it('long text sort values page while they fit a URL, and fail clearly (not as tampered) beyond', async () => {
      const { admin, stack } = env();
      const t = await createTenant(admin);
      const videos = createQueryBuilder(admin, 'videos');
      const list = (title: string, cursor: string | null) =>
        videos.list({
          filters: { creator_id: t.creatorId, title: { op: 'like', value: `${title} %` } },
          orderBy: 'description',
          orderDirection: 'desc',
          limit: 1,
          cursor,
          select: ['id'],
        });
      // 2000 characters: longer than any title, well within what PostgREST's URL can carry.
      await videos.insertMany(
        ['a', 'b', 'b', 'c'].map((c, i) => ({
          creator_id: t.creatorId,
          title: `long ${i}`,
          video_url: 'u',
          description: `${c}x`.repeat(1_000),
        })),
      );
      const expected = await sqlOrder(
        stack.databaseUrl,
        `select id from public.videos where creator_id = $1 and title like 'long %'
          order by description desc nulls first, id desc`,
        [t.creatorId],
      );
      const { rows } = await walk((cursor) => list('long', cursor));
      expect(rows.map((r) => r.id)).toEqual(expected.map((r) => r.id));

      // A value too long to be sent back as a filter: the page that would need it as a cursor says so,
      // instead of handing out a cursor the next request rejects as tampered. (4,000 characters: within
      // the 5,000 a description may hold, about 13,000 once percent-encoded for a URL.)
      await videos.insertMany(
        ['a', 'b'].map((c, i) => ({
          creator_id: t.creatorId,
          title: `huge ${i}`,
          video_url: 'u',
          description: `${c}"é,`.repeat(1_000),
        })),
      );
      const error = await rejectionOf(list('huge', null));
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues).toEqual([
        expect.objectContaining({ code: 'sort_value_too_long', pointer: '#/orderBy' }),
      ]);
    });
  });

  describe("PostgREST's row cap (max_rows, 1000 as on Supabase)", () => {
    it('the largest page still reports the rows after it: every row exactly once', async () => {
      const { admin } = env();
      const eventType = `cap-${crypto.randomUUID()}`;
      await createQueryBuilder(admin, 'analytics_events').insertMany(
        Array.from({ length: 1_500 }, () => ({ event_type: eventType })),
        { returning: 'minimal' },
      );
      // The stack caps responses as Supabase does (startLocalSupabase's maxRows, default 1000).
      const bare = await admin.from('analytics_events').select('id').eq('event_type', eventType);
      expect(bare.data).toHaveLength(1_000);
      const events = createQueryBuilder(admin, 'analytics_events');
      const { rows } = await walk((cursor) =>
        events.list({ filters: { event_type: eventType }, limit: 5_000, cursor, select: ['id'] }),
      );
      expect(rows).toHaveLength(1_500);
      expect(new Set(rows.map((r) => r.id)).size).toBe(1_500);
    });
  });

  describe('writes a user may see but not make', () => {
    it('a student updating a video they can read is Forbidden, not a version conflict', async () => {
      const { admin, asUser } = env();
      const t = await createTenant(admin);
      const videos = createQueryBuilder(await asUser(t.studentUserId), 'videos');
      expect((await videos.getById(t.completedVideoId))?.version).toBe(1);
      // A ConflictError here would send a client into a re-read-and-retry loop that can never succeed.
      const locked = await rejectionOf(
        videos.update(t.completedVideoId, { title: 'hijacked' }, { expectedVersion: 1 }),
      );
      expect(locked).toBeInstanceOf(ForbiddenError);
      expect(await rejectionOf(videos.update(t.completedVideoId, { title: 'hijacked' }))).toBeInstanceOf(
        ForbiddenError,
      );
      expect((await createQueryBuilder(admin, 'videos').getById(t.completedVideoId))?.title).toBe(
        'Completed',
      );
    });

    it('a reviewed submission is read-only for its student', async () => {
      const { admin, asUser } = env();
      const t = await createTenant(admin);
      const submission = await createQueryBuilder(admin, 'project_submissions').insert({
        student_id: t.studentId,
        project_id: crypto.randomUUID(),
        title: 'final',
        status: 'reviewed',
      });
      const mine = createQueryBuilder(await asUser(t.studentUserId), 'project_submissions');
      expect((await mine.getById(submission.id))?.status).toBe('reviewed');
      expect(
        await rejectionOf(mine.update(submission.id, { title: 'edited' }, { expectedVersion: 1 })),
      ).toBeInstanceOf(ForbiddenError);
    });
  });

  describe('rows that point at other users', () => {
    it('analytics events cannot be attributed to another creator, student or video', async () => {
      const { admin, asUser } = env();
      const t = await createTenant(admin);
      const other = await createTenant(admin);
      const events = createQueryBuilder(await asUser(t.studentUserId), 'analytics_events');
      // Their own event, about their creator's readable video: fine.
      await events.insert({
        user_id: t.studentUserId,
        student_id: t.studentId,
        creator_id: t.creatorId,
        video_id: t.completedVideoId,
        event_type: 'video_started',
      });
      for (const forged of [
        { creator_id: other.creatorId },
        { student_id: other.studentId },
        { video_id: other.completedVideoId },
        { video_id: t.pendingVideoId },
      ]) {
        expect(
          await rejectionOf(events.insert({ user_id: t.studentUserId, event_type: 'forged', ...forged })),
          JSON.stringify(forged),
        ).toBeInstanceOf(ForbiddenError);
      }
      // What the other creator's dashboard reads stays clean.
      const theirs = createQueryBuilder(await asUser(other.creatorUserId), 'analytics_events');
      expect((await theirs.list({ filters: { event_type: 'forged' } })).data).toEqual([]);
    });

    it('chat sessions and quiz attempts only reference videos the student can read', async () => {
      const { admin, asUser } = env();
      const t = await createTenant(admin);
      const other = await createTenant(admin);
      const student = await asUser(t.studentUserId);
      const sessions = createQueryBuilder(student, 'chat_sessions');
      await sessions.insert({
        student_id: t.studentId,
        creator_id: t.creatorId,
        video_id: t.completedVideoId,
      });
      for (const videoId of [other.completedVideoId, t.pendingVideoId]) {
        expect(
          await rejectionOf(
            sessions.insert({ student_id: t.studentId, creator_id: t.creatorId, video_id: videoId }),
          ),
        ).toBeInstanceOf(ForbiddenError);
        expect(
          await rejectionOf(
            createQueryBuilder(student, 'quiz_attempts').insert({
              student_id: t.studentId,
              quiz_id: crypto.randomUUID(),
              video_id: videoId,
            }),
          ),
        ).toBeInstanceOf(ForbiddenError);
      }
    });
  });

  describe('upsert retries', () => {
    it('rows without their conflict key are plain inserts: a lost answer is not repeated', async () => {
      const { stack } = env();
      const faulty = createFaultyFetch();
      const clients = createSupabaseClients({
        url: stack.url,
        anonKey: stack.anonKey,
        serviceRoleKey: stack.serviceRoleKey,
        fetch: faulty.fetch,
      });
      try {
        const functionId = `upsert-${crypto.randomUUID()}`;
        faulty.failNext(
          (method, url) => method === 'POST' && new URL(url).pathname === '/rest/v1/job_queue',
          'lose-response',
        );
        // No `id`: the primary key comes from its DEFAULT, so ON CONFLICT can never match a retry.
        const error = await rejectionOf(
          createQueryBuilder(clients.admin(), 'job_queue').upsert([
            { function_id: functionId, event_name: 'e' },
          ]),
        );
        expect(error).toBeInstanceOf(ServiceUnavailableError);
        expect((error as ServiceUnavailableError).context).toMatchObject({ outcome: 'unknown' });
        const count = await withPg(stack.databaseUrl, async (pg) => {
          const { rows } = await pg.query<{ n: number }>(
            'select count(*)::int as n from public.job_queue where function_id = $1',
            [functionId],
          );
          return rows[0]?.n;
        });
        expect(count).toBe(1);
      } finally {
        await clients.close();
      }
    });
  });
}
