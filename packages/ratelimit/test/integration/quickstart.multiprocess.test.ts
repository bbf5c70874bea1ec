// Processes started together, each running the README's quick start and sending its traffic at once:
// between them they admit exactly the limit. A process that decided its first checks with the insurance
// limiter while still connecting (and never recorded them in Redis) let each process admit the full limit.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startRedis, startRedisCluster } from '../support/services.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('../support/fixtures/quickstart-child.ts', import.meta.url));
const PROCESSES = 4;
const CHECKS_EACH = 10; // the basic plan's chat limit is 10 per minute: each process alone could take it all

async function startedTogether(target: string): Promise<{ allowed: number; storeErrors: number }[]> {
  const user = `user-${randomUUID()}`;
  const outputs = await Promise.all(
    Array.from({ length: PROCESSES }, () =>
      run(process.execPath, [CHILD, target, user, String(CHECKS_EACH)]),
    ),
  );
  return outputs.map((o) => JSON.parse(o.stdout) as { allowed: number; storeErrors: number });
}

describe(`${PROCESSES} processes started at once, quick start as written`, () => {
  it('admit exactly the limit between them on one Redis (url from loadConfig: a Secret)', async () => {
    const redis = await startRedis();
    try {
      const results = await startedTogether(redis.url);
      expect(results.reduce((n, r) => n + r.allowed, 0)).toBe(10);
      // Every check was decided by Redis: none by a process's own insurance limiter.
      expect(results.map((r) => r.storeErrors)).toEqual(Array.from({ length: PROCESSES }, () => 0));
    } finally {
      await redis.stop();
    }
  }, 120_000);

  it('admit exactly the limit between them on a 3-master Redis Cluster (nodes)', async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    try {
      const results = await startedTogether(JSON.stringify(cluster.nodes));
      expect(results.reduce((n, r) => n + r.allowed, 0)).toBe(10);
      expect(results.map((r) => r.storeErrors)).toEqual(Array.from({ length: PROCESSES }, () => 0));
    } finally {
      await cluster.stop();
    }
  }, 120_000);
});
