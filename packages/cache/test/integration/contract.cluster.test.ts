import { createRedisStore } from '../../src/redis/index.js';
import { describeCacheContract } from '../support/contract.js';
import { captureLogger } from '../support/helpers.js';
import { startRedisCluster } from '../support/services.js';

describeCacheContract('redis cluster (3 masters)', async () => {
  const cluster = await startRedisCluster({ masters: 3 });
  const store = createRedisStore({ nodes: cluster.nodes, logger: captureLogger() });
  const peer = createRedisStore({ nodes: cluster.nodes, logger: captureLogger() });
  return {
    store,
    peer,
    async close() {
      await Promise.all([store.close(), peer.close()]);
      await cluster.stop();
    },
  };
});
