// Smoke for @mentora/redis, run in a consumer project against the published package. No Redis server is
// started here: a refused first connection must fail ready() promptly and close() must still return.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ConfigError, isMentoraError } from '@mentora/errors';
import { createRedisConnection } from '@mentora/redis';

// A URL that is not a Redis URL is refused at construction, never read as "localhost:6379".
assert.throws(
  () => createRedisConnection({ url: 'http://example.com' }),
  (error: unknown) => error instanceof ConfigError,
);
assert.throws(
  () => createRedisConnection({ nodes: [] }),
  (error: unknown) => error instanceof ConfigError,
);

// A free loopback port that nothing listens on.
const probe = createServer();
await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
const { port } = probe.address() as { port: number };
await new Promise<void>((resolve) => probe.close(() => resolve()));

const connection = createRedisConnection({ url: `redis://127.0.0.1:${port}`, connectTimeoutMs: 500 });
await assert.rejects(connection.ready(), (error: unknown) => isMentoraError(error) && error.status === 503);
await connection.close();
console.log('redis smoke ok');
