// The built app served by the real `next start` (memory cache and limits, the defaults), against the
// embedded Supabase stack, driven over HTTP and in a real Chromium.
import { type LocalSupabase, startLocalSupabase } from '@mentora/db/testing';
import { ensureBinary, type ManagedProcess } from '@mentora/testing';
import { createClient } from '@supabase/supabase-js';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeb } from './web-server.ts';

let stack: LocalSupabase;
let web: ManagedProcess;
let baseUrl: string;

beforeAll(async () => {
  stack = await startLocalSupabase({ mode: 'embedded' });
  ({ baseUrl, process: web } = await startWeb(stack));
});

afterAll(async () => {
  await web?.stop();
  await stack?.stop();
});

describe('web app on the embedded stack', () => {
  it('reports healthy with database and cache checks', async () => {
    const res = await fetch(`${baseUrl}/api/health`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      status: 'healthy',
      checks: { database: { status: 'ok' }, cache: { status: 'ok' } },
    });
    expect(typeof body.checks.database.latency).toBe('number');
  });

  it('reports unhealthy (503) while PostgREST is down, and healthy again after it returns', async () => {
    await stack.postgrest.stop();
    try {
      const down = await fetch(`${baseUrl}/api/health`);
      expect(down.status).toBe(503);
      const text = await down.text();
      // A stable code, never the upstream's own words (HTTP statuses, PostgREST codes, messages).
      expect(JSON.parse(text).checks.database).toEqual({
        status: 'error',
        latency: expect.any(Number),
        code: 'DATABASE_UNREACHABLE',
      });
      expect(text).not.toMatch(/HTTP \d|PGRST|unreachable|ECONN/);
    } finally {
      await stack.postgrest.start();
    }
    const up = await fetch(`${baseUrl}/api/health`);
    expect(up.status).toBe(200);
  });

  it('serves the plan table through the cache (chat/basic is 10 per minute, enterprise unlimited)', async () => {
    const first = await (await fetch(`${baseUrl}/api/plans`)).json();
    const second = await (await fetch(`${baseUrl}/api/plans`)).json();
    expect(second).toEqual(first);
    const byTier = Object.fromEntries(first.plans.map((p: { tier: string }) => [p.tier, p]));
    expect(byTier.basic.limits.chat).toBe('10 per 1 m');
    expect(byTier.enterprise.limits.chat).toBe('unlimited');
  });

  it('renders the home page in Chromium and follows the health link', async () => {
    const executablePath = await ensureBinary('chromium', 'chromium');
    const browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(baseUrl);
      expect(await page.locator('h1').textContent()).toBe('Mentora');
      await page.click('a[href="/api/health"]');
      await page.waitForURL(`${baseUrl}/api/health`);
      expect(JSON.parse((await page.locator('body').textContent()) ?? '{}').status).toBe('healthy');
    } finally {
      await browser.close();
    }
  });

  // Last: it stops the server. SIGTERM must flush what was buffered (here the cache statistics of the
  // /api/plans requests above) before the process exits.
  it('flushes cache statistics to cache_statistics on SIGTERM', async () => {
    await web.stop();
    const admin = createClient(stack.url, stack.serviceRoleKey, { auth: { persistSession: false } });
    const { data, error } = await admin.from('cache_statistics').select('namespace, hits, misses');
    expect(error).toBeNull();
    const webRows = (data ?? []).filter((row) => row.namespace.endsWith('web'));
    expect(webRows.reduce((n, row) => n + Number(row.hits), 0)).toBeGreaterThanOrEqual(1);
    expect(webRows.reduce((n, row) => n + Number(row.misses), 0)).toBeGreaterThanOrEqual(1);
  });
});
