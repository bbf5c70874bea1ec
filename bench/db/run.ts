// @mentora/db benchmarks, on the postgres stack (real Postgres 15 + the real PostgREST + gateway):
//   1. keyset page 1000 vs page 1 on a 1M-row table through PostgREST (OFFSET as the foil);
//   2. insertMany of 10k rows through PostgREST vs one COPY of the same rows;
//   3. getById through the package vs the bare supabase-js call.
// Usage: pnpm --filter @mentora/db build && pnpm --filter @mentora/bench bench:db
// Writes bench/reports/db.md. Figures are medians of interleaved rounds; compare ratios, not absolutes.
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createQueryBuilder, createSupabaseClients, type Page } from '@mentora/db';
import { startLocalSupabase } from '@mentora/db/testing';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { fmt, interleave, ratio, timePerCall } from './stats.ts';

const ROWS = Number(process.env.MENTORA_BENCH_ROWS ?? 1_000_000);
const PAGE_SIZE = 50;
const DEEP_PAGE = 1_000;
const ROUNDS = Number(process.env.MENTORA_BENCH_ROUNDS ?? 7);
const INSERT_ROWS = 10_000;

const log = (message: string) => console.log(`[bench:db] ${message}`);

const stack = await startLocalSupabase({ mode: 'postgres', seed: false });
log(`postgres stack up in ${stack.startupMs} ms`);
const db = new pg.Client({ connectionString: stack.databaseUrl });
await db.connect();
const clients = createSupabaseClients({
  url: stack.url,
  anonKey: stack.anonKey,
  serviceRoleKey: stack.serviceRoleKey,
});
const admin = clients.admin();

try {
  // ---------------------------------------------------------------------------------------------
  // Data: one creator with ROWS videos; created_at repeats every 10 rows so pages cut through ties.
  // ---------------------------------------------------------------------------------------------
  const fillStart = performance.now();
  const creatorId = (
    await db.query<{ id: string }>(
      `insert into public.creators (user_id, name, email) values (gen_random_uuid(), 'Bench', 'bench@example.com') returning id`,
    )
  ).rows[0]?.id as string;
  await db.query(
    `insert into public.videos (creator_id, title, video_url, processing_status, created_at)
     select $1, 'video ' || n, 'https://videos.example.com/' || n, 'completed',
            timestamptz '2030-01-01' + ((n / 10) * interval '1 second')
     from generate_series(1, $2::int) as n`,
    [creatorId, ROWS],
  );
  await db.query('vacuum analyze public.videos');
  log(`${ROWS} videos inserted and analyzed in ${Math.round(performance.now() - fillStart)} ms`);

  const videos = createQueryBuilder(admin, 'videos', { timeoutMs: 60_000 });
  const listOptions = {
    filters: { creator_id: creatorId },
    orderBy: 'created_at' as const,
    orderDirection: 'desc' as const,
    limit: PAGE_SIZE,
  };

  // Walk to page 1000 once (also proves the walk is complete and duplicate-free).
  let cursor: string | null = null;
  const walked = new Set<string>();
  for (let page = 1; page < DEEP_PAGE; page++) {
    const result: Page<{ id: string }> = await videos.list({ ...listOptions, cursor, select: ['id'] });
    for (const row of result.data) walked.add(row.id);
    cursor = result.nextCursor;
  }
  if (walked.size !== (DEEP_PAGE - 1) * PAGE_SIZE || !cursor)
    throw new Error('keyset walk lost or repeated rows');
  const deepCursor = cursor;
  const bareOffsetPage = async (page: number) => {
    const r = await admin
      .from('videos')
      .select('*')
      .eq('creator_id', creatorId)
      .order('created_at', { ascending: false })
      .order('id', { ascending: false })
      .range((page - 1) * PAGE_SIZE, page * PAGE_SIZE - 1);
    if (r.error || r.data.length !== PAGE_SIZE) throw new Error(`offset page failed: ${r.error?.message}`);
  };
  const keysetPage = (c: string | null) =>
    videos.list({ ...listOptions, cursor: c }).then((r) => {
      if (r.data.length !== PAGE_SIZE) throw new Error('short keyset page');
    });

  // Warm-up: connections, plans, caches.
  for (let i = 0; i < 20; i++) {
    await keysetPage(null);
    await keysetPage(deepCursor);
    await bareOffsetPage(DEEP_PAGE);
  }
  const ITER = 30;
  const pages = await interleave(
    {
      keysetPage1: () => timePerCall(() => keysetPage(null), ITER),
      keysetPage1000: () => timePerCall(() => keysetPage(deepCursor), ITER),
      offsetPage1: () => timePerCall(() => bareOffsetPage(1), ITER),
      offsetPage1000: () => timePerCall(() => bareOffsetPage(DEEP_PAGE), ITER),
    },
    ROUNDS,
  );
  log(
    `pages: ${JSON.stringify(Object.fromEntries(Object.entries(pages).map(([k, v]) => [k, fmt(v.median)])))}`,
  );

  const plan = await db.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, costs off, timing off, summary off)
     select * from public.videos where creator_id = $1 and created_at <= $2
       and (created_at < $2 or (created_at = $2 and id < $3))
     order by created_at desc nulls first, id desc limit 51`,
    [creatorId, '2030-01-01T01:23:15+00', 'ffffffff-ffff-4fff-bfff-ffffffffffff'],
  );

  // ---------------------------------------------------------------------------------------------
  // insertMany (PostgREST, batches of 500) vs one COPY, 10k analytics events each.
  // ---------------------------------------------------------------------------------------------
  const events = createQueryBuilder(admin, 'analytics_events', { timeoutMs: 120_000 });
  const eventRows = (tag: string) =>
    Array.from({ length: INSERT_ROWS }, (_, i) => ({
      creator_id: creatorId,
      event_type: 'bench_event',
      properties: { i, tag },
      session_id: `s${i % 100}`,
    }));
  const copyRows = async (tag: string) => {
    const rows = eventRows(tag);
    const copyText = (s: string) =>
      s.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n');
    const text = rows.map(
      (r) => `${r.creator_id}\t${r.event_type}\t${copyText(JSON.stringify(r.properties))}\t${r.session_id}\n`,
    );
    const start = performance.now();
    const sql = 'copy public.analytics_events (creator_id, event_type, properties, session_id) from stdin';
    // pg's types do not know COPY streams: query() returns the stream it was given.
    const sink = db.query(copyFrom(sql) as unknown as pg.Submittable) as unknown as Writable;
    await pipeline(Readable.from(text), sink);
    return performance.now() - start;
  };
  const insertManyRun = async (tag: string, returning: 'minimal' | 'representation') => {
    const rows = eventRows(tag);
    const start = performance.now();
    await events.insertMany(rows, { returning });
    return performance.now() - start;
  };
  await copyRows('warm');
  await insertManyRun('warm', 'minimal');
  let round = 0;
  const inserts = await interleave(
    {
      copy: () => copyRows(`copy-${round}`),
      insertManyMinimal: () => insertManyRun(`min-${round}`, 'minimal'),
      insertManyRepresentation: () => insertManyRun(`rep-${round++}`, 'representation'),
    },
    ROUNDS,
  );
  const inserted = await db.query<{ n: number }>(
    `select count(*)::int as n from public.analytics_events where event_type = 'bench_event'`,
  );
  const expectedInserted = INSERT_ROWS * (2 + 3 * ROUNDS);
  if (inserted.rows[0]?.n !== expectedInserted) {
    throw new Error(`expected ${expectedInserted} inserted events, found ${inserted.rows[0]?.n}`);
  }
  log(
    `inserts: ${JSON.stringify(Object.fromEntries(Object.entries(inserts).map(([k, v]) => [k, fmt(v.median)])))}`,
  );

  // ---------------------------------------------------------------------------------------------
  // getById: package vs bare supabase-js, same client, same row.
  // ---------------------------------------------------------------------------------------------
  const someId = (await db.query<{ id: string }>('select id from public.videos limit 1 offset 5000')).rows[0]
    ?.id as string;
  const viaPackage = () =>
    videos.getById(someId).then((r) => {
      if (!r) throw new Error('missing row');
    });
  const bare = async () => {
    const r = await admin.from('videos').select('*').eq('id', someId).maybeSingle();
    if (r.error || !r.data) throw new Error('missing row');
  };
  for (let i = 0; i < 200; i++) {
    await viaPackage();
    await bare();
  }
  const GET_ITER = 200;
  const gets = await interleave(
    {
      bareSupabaseJs: () => timePerCall(bare, GET_ITER),
      mentoraGetById: () => timePerCall(viaPackage, GET_ITER),
    },
    ROUNDS * 2,
  );
  log(
    `getById: ${JSON.stringify(Object.fromEntries(Object.entries(gets).map(([k, v]) => [k, fmt(v.median)])))}`,
  );

  // ---------------------------------------------------------------------------------------------
  // Report
  // ---------------------------------------------------------------------------------------------
  const m = (r: Record<string, { median: number }>, k: string) => r[k]?.median ?? Number.NaN;
  const report = `# @mentora/db benchmarks

Generated by \`pnpm --filter @mentora/db build && pnpm --filter @mentora/bench bench:db\` on ${new Date().toISOString().slice(0, 10)}
(${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}). Stack: PostgreSQL 15 (Debian, fsync off)
behind PostgREST 12.0.2 and the local /rest/v1 gateway, all on loopback, started by \`startLocalSupabase({ mode: 'postgres' })\`
in ${stack.startupMs} ms. Every figure is the median over ${ROUNDS} interleaved rounds (getById: ${ROUNDS * 2}); compare
the ratios, which come from one run.

## 1. Keyset vs OFFSET on ${ROWS.toLocaleString('en')} rows through PostgREST

\`videos\` of one creator, \`list({ filters: { creator_id }, orderBy: 'created_at', orderDirection: 'desc', limit: ${PAGE_SIZE} })\`;
\`created_at\` repeats every 10 rows, so every page boundary falls inside a tie (the primary key breaks it).
Page ${DEEP_PAGE} starts after row ${((DEEP_PAGE - 1) * PAGE_SIZE).toLocaleString('en')}. The OFFSET foil is the bare supabase-js
\`.range()\` over the same order. Index: \`idx_videos_creator_created (creator_id, created_at desc, id desc)\`.

| request | ms per page (median) | vs page 1 |
|---|---:|---:|
| keyset page 1 (\`@mentora/db\` list) | ${fmt(m(pages, 'keysetPage1'))} | 1.00× |
| keyset page ${DEEP_PAGE} (\`@mentora/db\` list + cursor) | ${fmt(m(pages, 'keysetPage1000'))} | **${ratio(m(pages, 'keysetPage1000'), m(pages, 'keysetPage1'))}** (target ≤ 1.5×) |
| OFFSET page 1 (bare supabase-js \`.range\`) | ${fmt(m(pages, 'offsetPage1'))} | ${ratio(m(pages, 'offsetPage1'), m(pages, 'keysetPage1'))} |
| OFFSET page ${DEEP_PAGE} (bare supabase-js \`.range\`) | ${fmt(m(pages, 'offsetPage1000'))} | ${ratio(m(pages, 'offsetPage1000'), m(pages, 'keysetPage1'))} |

The keyset query PostgREST runs (plan for a cursor deep in the table): an index scan that starts at the cursor.

\`\`\`
${plan.rows.map((r) => r['QUERY PLAN']).join('\n')}
\`\`\`

## 2. insertMany of ${INSERT_ROWS.toLocaleString('en')} rows vs one COPY

\`analytics_events\` (identity key, JSONB properties, BRIN + partial indexes). \`insertMany\` sends batches of 500 rows,
one POST each (${INSERT_ROWS / 500} requests); COPY streams the same rows over one connection with \`pg-copy-streams\`.

| method | ms for ${INSERT_ROWS.toLocaleString('en')} rows (median) | vs COPY |
|---|---:|---:|
| COPY (pg-copy-streams) | ${fmt(m(inserts, 'copy'))} | 1.00× |
| \`insertMany(rows, { returning: 'minimal' })\` | ${fmt(m(inserts, 'insertManyMinimal'))} | **${ratio(m(inserts, 'insertManyMinimal'), m(inserts, 'copy'))}** (target ≤ 3×) |
| \`insertMany(rows)\` (returns the rows) | ${fmt(m(inserts, 'insertManyRepresentation'))} | ${ratio(m(inserts, 'insertManyRepresentation'), m(inserts, 'copy'))} |

All ${expectedInserted.toLocaleString('en')} rows written by the bench were counted afterwards: none lost, none duplicated.

## 3. getById: package vs bare supabase-js

Same admin client, same row, ${GET_ITER} sequential calls per round.

| call | ms per call (median) | vs bare |
|---|---:|---:|
| \`supabase.from('videos').select('*').eq('id', id).maybeSingle()\` | ${fmt(m(gets, 'bareSupabaseJs'))} | 1.00× |
| \`createQueryBuilder(supabase, 'videos').getById(id)\` | ${fmt(m(gets, 'mentoraGetById'))} | **${ratio(m(gets, 'mentoraGetById'), m(gets, 'bareSupabaseJs'))}** (target ≤ 1.10×) |

The package adds key validation, a per-call deadline (AbortSignal) and error mapping; its retry loop costs
nothing on success.
`;
  const out = join(import.meta.dirname, '..', 'reports', 'db.md');
  await writeFile(out, report);
  log(`report written to ${out}`);
} finally {
  await db.end();
  await clients.close();
  await stack.stop();
}
