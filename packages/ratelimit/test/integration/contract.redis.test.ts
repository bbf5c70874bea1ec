import { createRedisConnection, type RedisConnection } from '@mentora/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisStore } from '../../src/redis.ts';
import { rateLimitContract } from '../support/contract.ts';
import { recordingLogger } from '../support/logger.ts';
import { startRedis } from '../support/services.ts';

let server: Awaited<ReturnType<typeof startRedis>>;
let client: Redis;
let connection: RedisConnection;

beforeAll(async () => {
  server = await startRedis();
  client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  // One connection shared by every store of the suite, as an app shares one between its packages.
  connection = createRedisConnection({ client, logger: recordingLogger().logger });
  await connection.ready();
});

afterAll(async () => {
  await connection?.close();
  client?.disconnect();
  await server?.stop();
});

rateLimitContract('redis', () => ({ store: (options) => createRedisStore({ connection, ...options }) }));
