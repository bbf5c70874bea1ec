// The database-backed plan on the embedded Supabase stack (PGlite behind the real PostgREST), cached in a
// real Redis shared by two "processes": a plan change plus invalidateMembership in one process is seen
// by the other on its next request.
import { join } from 'node:path';
import { createCache } from '@mentora/cache';
import { CacheInvalidator } from '@mentora/cache/mentora';
import { createRedisStore as createCacheRedisStore } from '@mentora/cache/redis';
import { createSupabaseClients, type SupabaseClients } from '@mentora/db';
import { createMemoryStore as createMemoryLimitStore, createRateLimiter } from '@mentora/ratelimit';
import { createRedisConnection, type RedisConnection } from '@mentora/redis';
import { useRedis, useSupabaseStack } from '@mentora/testing/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWithInfrastructure, requireFeature } from '../../src/index.js';
import { createDatabaseFeatureFlags } from '../../src/supabase.js';
import { recordingLogger } from '../support/recorders.js';

const migrationsDir = join(import.meta.dirname, '..', '..', '..', '..', 'supabase', 'migrations');
const stack = useSupabaseStack({ mode: 'embedded', migrationsDir });
const redis = useRedis();
let clients: SupabaseClients;
let connection: RedisConnection;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  clients = createSupabaseClients({
    url: stack.url,
    anonKey: stack.anonKey,
    serviceRoleKey: stack.serviceRoleKey,
  });
  connection = createRedisConnection({ url: redis.url, logger: recordingLogger().logger });
  await connection.ready();
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await connection?.close();
  await clients?.close();
});

/** One app process: its own cache instance on the shared Redis, its own flags provider. */
function appProcess(namespace: string) {
  const { logger } = recordingLogger();
  const cache = createCache({ store: createCacheRedisStore({ connection }), namespace, logger });
  closers.push(() => cache.close());
  const flags = createDatabaseFeatureFlags({ db: clients.admin(), cache, logger });
  return { cache, flags, logger };
}

async function seedMember(plan: string): Promise<{ userId: string; creatorId: string }> {
  const userId = crypto.randomUUID();
  const creatorId = crypto.randomUUID();
  await stack.runSql(`
    insert into public.creators (id, user_id, name, email) values ('${creatorId}', '${crypto.randomUUID()}', 'Creator', 'c@example.com');
    insert into public.students (user_id, creator_id, name, email, plan, whop_membership_id)
      values ('${userId}', '${creatorId}', 'Student', 's@example.com', '${plan}', 'mem_${userId.slice(0, 8)}');
  `);
  return { userId, creatorId };
}

describe('createDatabaseFeatureFlags', () => {
  it('reads the highest plan of the membership rows, default basic without any', async () => {
    const { flags } = appProcess(`ff-${crypto.randomUUID().slice(0, 8)}`);
    const { userId, creatorId } = await seedMember('pro');
    expect(await flags.getUserPlan(userId)).toBe('pro');
    expect(await flags.isEnabled('quiz_generation', { userId })).toBe(true);
    expect(await flags.isEnabled('api_access', { userId })).toBe(false);
    expect(await flags.getUserPlan(crypto.randomUUID())).toBe('basic');

    // A second membership on a higher plan wins.
    const other = crypto.randomUUID();
    await stack.runSql(`
      insert into public.creators (id, user_id, name, email) values ('${other}', '${crypto.randomUUID()}', 'C2', 'c2@example.com');
      insert into public.students (user_id, creator_id, name, email, plan) values ('${userId}', '${other}', 'S', 's@example.com', 'enterprise');
    `);
    await flags.invalidate(userId);
    expect(await flags.getUserPlan(userId)).toBe('enterprise');
    void creatorId;
  });

  it('a plan change takes effect on the next request once the membership is invalidated (another process)', async () => {
    const namespace = `ff-${crypto.randomUUID().slice(0, 8)}`;
    const web = appProcess(namespace);
    const worker = appProcess(namespace);
    const { userId } = await seedMember('basic');
    const { logger } = recordingLogger();
    const rateLimiter = createRateLimiter({ store: createMemoryLimitStore(), flags: web.flags, logger });
    closers.push(() => rateLimiter.close());
    const withInfrastructure = createWithInfrastructure({
      logger,
      flags: web.flags,
      rateLimiter,
      auth: { jwtSecret: stack.jwtSecret },
    });
    const POST = withInfrastructure(
      (_req, ctx) => {
        requireFeature(ctx, 'quiz_generation');
        return { plan: ctx.plan };
      },
      { rateLimit: { enabled: true, endpoint: 'quizGeneration' } },
    );
    const request = async () =>
      POST(
        new Request('http://t/api/quizzes', {
          method: 'POST',
          headers: { authorization: `Bearer ${await stack.signUserToken(userId)}` },
        }),
      );

    const before = await request();
    expect(before.status).toBe(403);
    expect(await before.json()).toMatchObject({ requiredPlan: 'pro', currentPlan: 'basic' });

    // The billing webhook updates the row; the cached plan still answers until invalidated.
    await stack.runSql(`update public.students set plan = 'pro' where user_id = '${userId}'`);
    expect((await request()).status).toBe(403);

    // The worker's membership-updated job invalidates through its own cache instance.
    await new CacheInvalidator(worker.cache).invalidateMembership(userId);
    const after = await request();
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ plan: 'pro' });
    expect(after.headers.get('x-ratelimit-limit')).toBe('15');
  });

  it('PostgREST down: the plan lookup answers 503 problem+json (bounded), and recovers when it is back', async () => {
    const { flags, logger } = appProcess(`ff-${crypto.randomUUID().slice(0, 8)}`);
    const { userId } = await seedMember('pro');
    const GET = createWithInfrastructure({
      logger,
      flags,
      auth: { jwtSecret: stack.jwtSecret },
      flagsTimeoutMs: 1_000,
    })((_req, ctx) => ({ plan: ctx.plan }));
    const request = async () =>
      GET(
        new Request('http://t/me', {
          headers: { authorization: `Bearer ${await stack.signUserToken(userId)}` },
        }),
      );
    await stack.postgrest.stop();
    try {
      const down = await request();
      expect(down.status).toBe(503);
      expect(down.headers.get('content-type')).toBe('application/problem+json');
      expect(await down.json()).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    } finally {
      await stack.postgrest.start();
    }
    await stack.reloadSchema();
    const up = await request();
    expect(up.status).toBe(200);
    expect(await up.json()).toEqual({ plan: 'pro' });
  });
});
