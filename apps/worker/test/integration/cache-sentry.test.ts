// The worker process with its shared layers: membership changes invalidate the cache the web app reads
// (one Redis connection, real Redis), and a run that fails for good is reported to Sentry once, through
// the real @sentry/node SDK posting envelopes over HTTP to a local endpoint.
import { randomUUID } from 'node:crypto';
import { createCache } from '@mentora/cache';
import { CacheKeys, CacheKeyTTL } from '@mentora/cache/mentora';
import { createRedisStore } from '@mentora/cache/redis';
import { DEV_DEFAULTS } from '@mentora/config';
import { createLocalRunner } from '@mentora/jobs/testing';
import { type EnvelopeServer, startEnvelopeServer } from '@mentora/monitoring/testing';
import { getFreePort } from '@mentora/testing';
import { useRedis, useSupabaseStack } from '@mentora/testing/vitest';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWorker, migrationsDir } from '../support/launch.ts';

const SIGNING_KEY = DEV_DEFAULTS.inngestSigningKey;
const KEY_PREFIX = 'worker-test:';
const stack = useSupabaseStack({ mode: 'embedded', migrationsDir });
const redis = useRedis();

/** A worker process on a free port, its event API served by a local runner (which must exist first). */
async function startWorker(env: Record<string, string>) {
  const port = await getFreePort();
  const runner = createLocalRunner({ url: `http://127.0.0.1:${port}/api/inngest`, signingKey: SIGNING_KEY });
  const eventApi = await runner.listen();
  const worker = await launchWorker(stack, port, {
    env: { INNGEST_BASE_URL: eventApi, CACHE_DRIVER: 'redis', ...env },
  });
  return { runner, worker };
}

describe('worker with CACHE_DRIVER=redis', () => {
  it('membership/updated drops the cached plan the web app wrote (same Redis, one connection)', async () => {
    const { runner, worker } = await startWorker({ REDIS_URL: redis.url, CACHE_KEY_PREFIX: KEY_PREFIX });
    // What the web app does: its own cache (its own namespace) on the same Redis and key prefix.
    const store = createRedisStore({ url: redis.url, keyPrefix: KEY_PREFIX });
    const web = createCache({ store, namespace: 'web' });
    try {
      await runner.start();
      const userId = randomUUID();
      const other = randomUUID();
      expect(await web.set(CacheKeys.userPlan(userId), 'pro', CacheKeyTTL.userPlan)).toBe(true);
      expect(await web.set(CacheKeys.userPlan(other), 'basic', CacheKeyTTL.userPlan)).toBe(true);
      expect(await web.get(CacheKeys.userPlan(userId))).toBe('pro');

      await runner.send({ name: 'membership/updated', data: { userId } });
      await runner.waitForIdle();
      const [run] = runner.runs({ functionId: 'membership-updated' });
      expect(run?.status, JSON.stringify(run?.error)).toBe('completed');

      expect(await web.get(CacheKeys.userPlan(userId))).toBeNull();
      expect(await web.get(CacheKeys.userPlan(other))).toBe('basic');
    } finally {
      await web.close();
      await store.close();
      await runner.close();
      await worker.stop();
    }
  });
});

describe('worker with SENTRY_DSN', () => {
  let sentry: EnvelopeServer;
  beforeAll(async () => {
    sentry = await startEnvelopeServer();
  });
  afterAll(async () => {
    await sentry?.close();
  });

  it('reports a run to Sentry once, on its final failed attempt (Redis unreachable: 6 attempts)', async () => {
    const deadRedis = await getFreePort(); // nothing listens there: every invalidation fails (503)
    const { runner, worker } = await startWorker({
      REDIS_URL: `redis://127.0.0.1:${deadRedis}`,
      SENTRY_DSN: sentry.dsn,
      LOG_LEVEL: 'error',
    });
    let stopped = false;
    try {
      await runner.start();
      const userId = randomUUID();
      await runner.send({ name: 'membership/updated', data: { userId } });
      await runner.waitForIdle();
      const [run] = runner.runs({ functionId: 'membership-updated' });
      expect(run?.status).toBe('failed');
      expect(run?.history.filter((e) => e.type === 'step-retry')).toHaveLength(5); // retries: 5

      // Graceful shutdown flushes what the SDK still holds.
      await worker.stop();
      stopped = true;
      expect((await worker.exited).code).toBe(0);

      const events = sentry.events();
      expect(events).toHaveLength(1);
      const [event] = events as Array<{
        tags?: Record<string, string>;
        extra?: Record<string, unknown>;
        exception?: { values?: Array<{ type?: string }> };
      }>;
      expect(event?.tags).toMatchObject({
        functionId: 'membership-updated',
        code: 'SERVICE_UNAVAILABLE',
      });
      expect(event?.extra).toMatchObject({ runId: run?.runId });

      // The failure is also in job_queue, with the same attempt count.
      const admin = createClient(stack.url, stack.serviceRoleKey, { auth: { persistSession: false } });
      const { data } = await admin
        .from('job_queue')
        .select('status, attempts')
        .eq('run_id', run?.runId as string);
      expect(data).toEqual([{ status: 'failed', attempts: 6 }]);

      // The run's outcome was buffered by the metrics writer and written by the graceful shutdown.
      const { data: outcomes } = await admin
        .from('performance_metrics')
        .select('tags')
        .eq('metric_name', 'job.run')
        .eq('tags->>functionId', 'membership-updated')
        .eq('tags->>outcome', 'failed');
      expect(outcomes).toEqual([{ tags: expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }) }]);
    } finally {
      await runner.close();
      if (!stopped) await worker.stop();
    }
  });
});
