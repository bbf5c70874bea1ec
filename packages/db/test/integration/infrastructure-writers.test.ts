// The infrastructure writers and sinks against real Postgres 15 behind the real PostgREST, through
// supabase-js: rows arrive; with PostgREST stopped mid-run nothing blocks, failures are counted, and
// rows recorded after it is back arrive.
import { join } from 'node:path';
import { createMetrics, type Logger } from '@mentora/monitoring';
import { useSupabaseStack } from '@mentora/testing/vitest';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInfrastructureSinks,
  createInfrastructureWriters,
  createSupabaseClients,
  type SupabaseClients,
} from '../../src/index.js';

const supabaseDir = join(import.meta.dirname, '..', '..', '..', '..', 'supabase');
const stack = useSupabaseStack({ mode: 'postgres', migrationsDir: join(supabaseDir, 'migrations') });
let clients: SupabaseClients;
let db: pg.Client;

/** Collects what the writers log, so a test can see refused rows were reported. */
function memoryLogger(lines: { level: string; message: string; fields?: Record<string, unknown> }[]): Logger {
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    void lines.push({ level, message, ...(fields ? { fields } : {}) });
  const logger: Logger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
  };
  return logger;
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await db.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

beforeAll(async () => {
  clients = createSupabaseClients({
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
  });
  db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await clients?.close();
});

describe('createInfrastructureWriters + createMetrics', () => {
  it('writes every table in multi-row requests', async () => {
    const run = crypto.randomUUID();
    const metrics = createMetrics({
      writers: createInfrastructureWriters(clients),
      service: `svc-${run}`,
      batch: { maxBatchSize: 50, flushIntervalMs: 3_600_000 },
    });
    for (let i = 0; i < 120; i++) metrics.recordPerformance(`bench.${run}`, i, { tags: { i } });
    metrics.recordRequest({
      method: 'GET',
      path: `/api/${run}?token=x`,
      statusCode: 200,
      durationMs: 3,
      requestId: run,
    });
    metrics.recordAIUsage({
      provider: 'openai',
      model: 'gpt-4o-mini',
      operation: 'chat',
      inputTokens: 1_000_000,
      outputTokens: 0,
      requestId: run,
    });
    metrics.recordHealth({
      status: 'degraded',
      timestamp: new Date().toISOString(),
      checks: { cache: { status: 'error', latency: 3, code: 'TIMEOUT' } },
    });
    await metrics.close();
    expect(metrics.stats().tables.performanceMetrics).toMatchObject({ written: 120, failed: 0, dropped: 0 });
    expect(
      await count('select count(*) n from performance_metrics where metric_name = $1', [`bench.${run}`]),
    ).toBe(120);
    expect(
      await count('select count(*) n from api_request_logs where request_id = $1 and path = $2', [
        run,
        `/api/${run}`,
      ]),
    ).toBe(1);
    const { rows } = await db.query('select cost_usd::float8 cost from ai_api_usage where request_id = $1', [
      run,
    ]);
    expect(rows).toEqual([{ cost: 0.15 }]);
    const health = await db.query('select status, error from system_health_logs where service = $1', [
      `svc-${run}`,
    ]);
    expect(health.rows).toEqual([{ status: 'degraded', error: 'cache:TIMEOUT' }]);
  });

  it('a row the database refuses (a check constraint) is isolated; the rest of its batch is written', async () => {
    const run = crypto.randomUUID();
    const lines: Parameters<typeof memoryLogger>[0] = [];
    const writers = createInfrastructureWriters(clients, { logger: memoryLogger(lines) });
    const rows = Array.from({ length: 20 }, (_, i) => ({
      provider: 'openai',
      model: 'gpt-4o',
      operation: 'chat',
      input_tokens: i,
      // Row 7 breaks a check constraint (tokens are never negative): the whole insert is refused.
      output_tokens: i === 7 ? -1 : 0,
      cost_usd: 0,
      latency_ms: null,
      success: true,
      error_code: null,
      user_id: null,
      creator_id: null,
      request_id: run,
      created_at: new Date().toISOString(),
    }));
    await writers.aiApiUsage(rows);
    expect(await count('select count(*) n from ai_api_usage where request_id = $1', [run])).toBe(19);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ target: 'ai_api_usage', refused: 1, of: 20 }),
      }),
    ]);
  });

  it('PostgREST stopped mid-run: recording never blocks, failures are counted, rows after recovery arrive', async () => {
    const run = crypto.randomUUID();
    const metrics = createMetrics({
      writers: createInfrastructureWriters(clients, { retry: { attempts: 1 } }),
      batch: { maxBatchSize: 10, flushIntervalMs: 3_600_000, maxBuffered: 1_000 },
    });
    const record = (phase: string, n: number) => {
      let kept = 0;
      // Synchronous: nothing here waits for the database.
      for (let i = 0; i < n; i++) if (metrics.recordPerformance(`outage.${run}.${phase}`, i)) kept++;
      return kept;
    };

    expect(record('before', 30)).toBe(30);
    await metrics.flush();

    await stack.postgrest.stop();
    expect(record('during', 40)).toBe(40);
    await metrics.flush(); // resolves: the gateway answers 503 at once while PostgREST is down
    const during = metrics.stats().tables.performanceMetrics;
    expect(during).toMatchObject({ written: 30, failed: 40, buffered: 0, inFlight: 0 });

    await stack.postgrest.start();
    expect(record('after', 25)).toBe(25);
    await metrics.close();
    expect(metrics.stats().tables.performanceMetrics).toMatchObject({ written: 55, failed: 40, dropped: 0 });

    const byPhase = await db.query<{ metric_name: string; n: string }>(
      'select metric_name, count(*) n from performance_metrics where metric_name like $1 group by 1 order by 1',
      [`outage.${run}.%`],
    );
    expect(byPhase.rows.map((r) => [r.metric_name.split('.').at(-1), Number(r.n)])).toEqual([
      ['after', 25],
      ['before', 30],
    ]);
  });

  it('while PostgREST is down the buffer stays bounded: overflow is dropped and counted, not awaited', async () => {
    const metrics = createMetrics({
      writers: createInfrastructureWriters(clients, { retry: { attempts: 1 } }),
      batch: { maxBatchSize: 10, flushIntervalMs: 3_600_000, maxBuffered: 50 },
    });
    await stack.postgrest.stop();
    try {
      let kept = 0;
      for (let i = 0; i < 500; i++) if (metrics.recordPerformance('overflow', i)) kept++;
      // At most the buffer plus the batches in flight were taken; the rest was dropped on the spot.
      expect(kept).toBeLessThanOrEqual(50 + 2 * 10);
      expect(metrics.stats().tables.performanceMetrics?.dropped).toBe(500 - kept);
      await metrics.close();
      expect(metrics.stats().tables.performanceMetrics).toMatchObject({ written: 0, failed: kept });
    } finally {
      await stack.postgrest.start();
    }
  });
});

describe('createInfrastructureSinks', () => {
  it('violations: duplicates in one batch and across batches add up', async () => {
    const run = crypto.randomUUID();
    const sinks = createInfrastructureSinks({
      writers: createInfrastructureWriters(clients),
      batch: { maxBatchSize: 1_000, flushIntervalMs: 3_600_000 },
    });
    const windowStart = new Date('2026-01-01T00:00:00.000Z');
    const report = (identity: string, delta: number, at: number) =>
      sinks.rateLimitViolations.record({
        identity,
        identityType: 'user',
        endpoint: 'chat',
        plan: 'pro',
        limit: 10,
        window: '1 m',
        windowStart,
        delta,
        firstSeen: new Date(windowStart.getTime() + at),
        lastSeen: new Date(windowStart.getTime() + at + 5),
      });
    for (let i = 0; i < 1_000; i++) report(`${run}-${i}`, 1, 0);
    // The same rows again: with 1,000 rows per batch this flush writes two batches at once, which may
    // reach the database in either order; the earliest sighting must win either way.
    for (let i = 0; i < 1_000; i++) report(`${run}-${i}`, 2, 100);
    await sinks.flush();
    for (let i = 0; i < 1_000; i++) report(`${run}-${i}`, 4, 200); // a later batch
    await sinks.close();
    expect(sinks.stats().rateLimitViolations).toMatchObject({ written: 3_000, failed: 0, dropped: 0 });
    const { rows } = await db.query(
      `select count(*)::int identities, sum(violation_count)::int denials,
              min(first_seen_at) first, max(last_seen_at) last
         from rate_limit_violations where identifier like $1`,
      [`user:${run}-%`],
    );
    expect(rows[0]).toMatchObject({
      identities: 1_000,
      denials: 7_000,
      first: windowStart,
      last: new Date(windowStart.getTime() + 205),
    });
  });

  it('cache statistics rows are buffered and inserted', async () => {
    const namespace = `ns-${crypto.randomUUID()}`;
    const sinks = createInfrastructureSinks({ writers: createInfrastructureWriters(clients) });
    const period = { period_start: new Date(0).toISOString(), period_end: new Date(1_000).toISOString() };
    sinks.cacheStatistics([{ namespace, hits: 3, misses: 1, sets: 1, deletes: 0, errors: 0, ...period }]);
    sinks.cacheStatistics([{ namespace, hits: 1, misses: 1, sets: 0, deletes: 1, errors: 0, ...period }]);
    await sinks.close();
    const { rows } = await db.query(
      'select sum(hits)::int hits, sum(misses)::int misses from cache_statistics where namespace = $1',
      [namespace],
    );
    expect(rows[0]).toEqual({ hits: 4, misses: 2 });
  });

  it('record_rate_limit_violations is for the service role only', async () => {
    const { error } = await clients.anon().rpc('record_rate_limit_violations', { p_rows: [] });
    expect(error).not.toBeNull();
    const { rows } = await db.query(
      `select has_function_privilege('anon', 'public.record_rate_limit_violations(jsonb)', 'execute') anon,
              has_function_privilege('authenticated', 'public.record_rate_limit_violations(jsonb)', 'execute') authed,
              has_function_privilege('service_role', 'public.record_rate_limit_violations(jsonb)', 'execute') service`,
    );
    expect(rows[0]).toEqual({ anon: false, authed: false, service: true });
  });
});
