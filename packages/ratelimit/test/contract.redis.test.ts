import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { createRedisStore } from '../src/redis.ts';
import { rateLimitContract } from './contract.ts';
import { startRedis } from './services.ts';

let server: Awaited<ReturnType<typeof startRedis>>;
let client: Redis;

beforeAll(async () => {
  server = await startRedis();
  client = new Redis(server.url, { maxRetriesPerRequest: 1 });
  await createRedisStore({ client }).ready();
});

afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

rateLimitContract('redis', () => ({ store: (options) => createRedisStore({ client, ...options }) }));
