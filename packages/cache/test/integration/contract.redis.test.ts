import { createRedisStore } from '../../src/redis/index.js';
import { describeCacheContract } from '../support/contract.js';
import { captureLogger } from '../support/helpers.js';
import { startRedis } from '../support/services.js';

describeCacheContract('redis', async () => {
  const redis = await startRedis();
  // Two stores with their own connections: two processes on one Redis.
  const store = createRedisStore({ url: redis.url, logger: captureLogger() });
  const peer = createRedisStore({ url: redis.url, logger: captureLogger() });
  return {
    store,
    peer,
    async close() {
      await Promise.all([store.close(), peer.close()]);
      await redis.stop();
    },
  };
});
