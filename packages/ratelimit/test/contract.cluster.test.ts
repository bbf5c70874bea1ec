import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisStore } from '../src/redis.ts';
import { rateLimitContract } from './contract.ts';
import { startRedisCluster } from './services.ts';

let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
}, 60_000);

afterAll(async () => {
  client?.disconnect();
  await cluster?.stop();
});

rateLimitContract('redis cluster (3 masters)', () => ({
  store: (options) => createRedisStore({ client, ...options }),
}));

it('spreads the limiters keys over several masters (no hash-tag funnel)', async () => {
  const masters = client.nodes('master');
  expect(masters).toHaveLength(3);
  const sizes = await Promise.all(masters.map((node) => node.dbsize()));
  expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
});
