// store.close() while Redis is down: shutdown must finish, not wait for a server that is gone.
import { createStaticFeatureFlags } from '@mentora/config';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRateLimiter } from '../../src/index.ts';
import { createRedisStore } from '../../src/redis.ts';
import { until } from '../support/contract.ts';
import { recordingLogger } from '../support/logger.ts';
import { startRedis } from '../support/services.ts';

const quiet = recordingLogger().logger;

let server: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

it('closes a client it created while Redis is down and the client is between reconnect attempts', async () => {
  const store = createRedisStore({
    url: server.url,
    redisOptions: { retryStrategy: () => 60_000 },
    logger: quiet,
  });
  await store.ready();
  const rl = createRateLimiter({
    store,
    flags: createStaticFeatureFlags(),
    namespace: 'close-down',
    logger: quiet,
  });
  expect((await rl.checkRateLimit('u', 'chat')).allowed).toBe(true);
  await server.stopServer();
  await until(
    'the client to wait for its next reconnect attempt',
    async () => store.connection.client.status === 'reconnecting',
  );
  // Without a bound, ioredis never emits 'end' here (no socket left to close) and this never settles:
  // the test then fails on its hang-guard timeout.
  await rl.close();
  await store.close();
  expect(store.connection.client.status).not.toBe('ready');
}, 20_000);
