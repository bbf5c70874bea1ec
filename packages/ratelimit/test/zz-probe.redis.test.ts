import { createStaticFeatureFlags } from '@mentora/config';
import { it } from 'vitest';
import { createRateLimiter } from '../src/index.ts';
import { createRedisStore } from '../src/redis.ts';
import { startRedis } from './services.ts';

it('probe', async () => {
  const server = await startRedis();
  const store = createRedisStore({ url: server.url });
  await store.ready();
  const rl = createRateLimiter({ store, flags: createStaticFeatureFlags(), keyPrefix: 'p' });
  for (let i = 0; i < 11; i++) await rl.checkRateLimit('x', 'chat');
  await server.stopServer();
  console.log('stopped', store.client.status);
  const t = Date.now();
  setTimeout(() => console.log('status after 3s', store.client.status), 3000);
  const e = await rl.resetLimit('x', 'videoUpload').then(
    () => 'resolved',
    (e) => e,
  );
  console.log('resetLimit during outage:', Date.now() - t, e);
  await rl.close();
  await store.close();
  await server.stop();
}, 20000);
