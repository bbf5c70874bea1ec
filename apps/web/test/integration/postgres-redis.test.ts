// The built app on real Postgres 15 + PostgREST, with its cache and rate limits on a real Redis (one
// shared connection): the API contract, the status page, and Redis failing under load.

import { join } from 'node:path';
import { type LocalSupabase, startLocalSupabase } from '@mentora/db/testing';
import { type ManagedProcess, type RedisService, startRedis } from '@mentora/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApi } from '../support/api-suite.ts';
import { artifactsDir, launchChromium } from '../support/browser.ts';
import { type EventApi, startEventApi } from '../support/event-api.ts';
import { createVisitor } from '../support/fixtures.ts';
import { jsonRequest } from '../support/http.ts';
import { waitForCharts } from '../support/status.ts';
import { startWeb } from '../support/web-server.ts';

let stack: LocalSupabase;
let redis: RedisService;
let events: EventApi;
let web: ManagedProcess;
let baseUrl: string;

beforeAll(async () => {
  [stack, redis, events] = await Promise.all([
    startLocalSupabase({ mode: 'postgres' }),
    startRedis(),
    startEventApi(),
  ]);
  ({ baseUrl, process: web } = await startWeb(stack, {
    INNGEST_BASE_URL: events.url,
    CACHE_DRIVER: 'redis',
    REDIS_URL: redis.url,
  }));
});

afterAll(async () => {
  await web?.stop();
  await Promise.all([stack?.stop(), redis?.stop(), events?.close()]);
});

async function health(): Promise<{
  code: number;
  body: { status: string; checks: Record<string, { status: string }> };
}> {
  const res = await fetch(`${baseUrl}/api/health`);
  return { code: res.status, body: await res.json() };
}

describeApi('Postgres + PostgREST + Redis', () => ({ stack, baseUrl, events }));

describe('Postgres + PostgREST + Redis: status page', () => {
  it('renders with data in Chromium', async () => {
    await waitForCharts(baseUrl, ['latency', 'violations', 'hit-rate']);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${baseUrl}/status`);
      expect(await page.getByTestId('overall').textContent()).toBe('healthy');
      expect(await page.getByTestId('chart-latency').locator('circle').count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(artifactsDir, 'status-postgres-redis.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe('Postgres + PostgREST + Redis: faults', () => {
  it('Redis stopped under load: no 5xx, limits hold on insurance, health degraded, recovery after', async () => {
    expect((await health()).body.status).toBe('healthy');
    const user = await createVisitor(stack);
    const statuses: number[] = [];
    let stop = false;
    // Background load from another caller while Redis goes away and comes back (0: no answer at all).
    const load = (async () => {
      while (!stop) {
        const res = await fetch(`${baseUrl}/api/plans`).catch(() => undefined);
        await res?.arrayBuffer().catch(() => undefined);
        statuses.push(res?.status ?? 0);
      }
    })();
    try {
      await redis.stopServer();
      try {
        // The report is memoised for a second: poll until it reflects the outage.
        let down = await health();
        while (down.body.status === 'healthy') {
          await new Promise((r) => setTimeout(r, 200));
          down = await health();
        }
        expect(down.code).toBe(200);
        expect(down.body).toMatchObject({
          status: 'degraded',
          checks: { database: { status: 'ok' }, cache: { status: 'error' } },
        });
        // The chat limit (basic: 10 per minute) is enforced in process while the shared store is down.
        const chat: number[] = [];
        for (let i = 0; i < 12; i++) {
          const res = await fetch(`${baseUrl}/api/chat`, jsonRequest({ message: `q${i}` }, user));
          await res.arrayBuffer();
          chat.push(res.status);
        }
        expect(chat.filter((s) => s >= 500)).toEqual([]);
        expect(chat.slice(0, 10).every((s) => s === 200)).toBe(true);
        expect(chat.slice(10)).toContain(429);
      } finally {
        await redis.startServer();
      }
      let status = '';
      while (status !== 'healthy') {
        status = (await health()).body.status;
        if (status !== 'healthy') await new Promise((r) => setTimeout(r, 200));
      }
    } finally {
      stop = true;
      await load;
    }
    expect(statuses.length).toBeGreaterThan(0);
    // Anonymous /api/plans is limited too (basic `api`: 100 per minute): 200 or 429, never 5xx or no answer.
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(web.isRunning()).toBe(true);
  });
});
