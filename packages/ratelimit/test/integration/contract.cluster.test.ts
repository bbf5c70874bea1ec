import { createRedisConnection, type RedisConnection } from '@mentora/redis';
import { Cluster } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisStore } from '../../src/redis.ts';
import { rateLimitContract } from '../support/contract.ts';
import { recordingLogger } from '../support/logger.ts';
import { startRedisCluster } from '../support/services.ts';

let cluster: Awaited<ReturnType<typeof startRedisCluster>>;
let client: Cluster;
let connection: RedisConnection;

beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
  client = new Cluster(cluster.nodes, { redisOptions: { maxRetriesPerRequest: 1 } });
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve);
    client.once('error', reject);
  });
  connection = createRedisConnection({ client, logger: recordingLogger().logger });
}, 60_000);

afterAll(async () => {
  await connection?.close();
  client?.disconnect();
  await cluster?.stop();
});

rateLimitContract('redis cluster (3 masters)', () => ({
  store: (options) => createRedisStore({ connection, ...options }),
}));

it('spreads the limiters keys over several masters (no hash-tag funnel)', async () => {
  const masters = client.nodes('master');
  expect(masters).toHaveLength(3);
  const sizes = await Promise.all(masters.map((node) => node.dbsize()));
  expect(sizes.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
});
