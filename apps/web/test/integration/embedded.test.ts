// The built app (`next build` + `next start`) on the embedded stack (PGlite behind the real PostgREST,
// memory cache and limits: the defaults): the API contract, the status page in Chromium, the client
// bundle, PostgREST failing under it and a graceful stop under load.
import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEV_DEFAULTS } from '@mentora/config';
import { type LocalSupabase, startLocalSupabase } from '@mentora/db/testing';
import type { ManagedProcess } from '@mentora/testing';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApi } from '../support/api-suite.ts';
import { artifactsDir, launchChromium } from '../support/browser.ts';
import { type EventApi, startEventApi } from '../support/event-api.ts';
import { createCreator } from '../support/fixtures.ts';
import { bearer, expectProblem } from '../support/http.ts';
import { waitForCharts } from '../support/status.ts';
import { appDir, startWeb } from '../support/web-server.ts';

let stack: LocalSupabase;
let events: EventApi;
let web: ManagedProcess;
let baseUrl: string;

beforeAll(async () => {
  [stack, events] = await Promise.all([startLocalSupabase({ mode: 'embedded' }), startEventApi()]);
  ({ baseUrl, process: web } = await startWeb(stack, { INNGEST_BASE_URL: events.url }));
});

afterAll(async () => {
  await web?.stop();
  await Promise.all([stack?.stop(), events?.close()]);
});

describeApi('embedded stack', () => ({ stack, baseUrl, events }));

describe('embedded stack: status page', () => {
  it('renders health per dependency and charts from the infrastructure tables, in Chromium', async () => {
    // The API tests above produced requests, a rate-limit violation and cache lookups; their rows reach
    // the tables through the batching writers.
    const points = await waitForCharts(baseUrl, ['latency', 'violations', 'hit-rate']);
    expect(points.latency).toBeGreaterThan(0);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(`${baseUrl}/status`);
      expect(await page.locator('h1').textContent()).toBe('Mentora status');
      expect(await page.getByTestId('overall').textContent()).toBe('healthy');
      expect(await page.getByTestId('check-database').getAttribute('data-status')).toBe('ok');
      expect(await page.getByTestId('check-cache').getAttribute('data-status')).toBe('ok');
      for (const chart of ['latency', 'violations', 'hit-rate']) {
        const svg = page.getByTestId(`chart-${chart}`).locator('svg');
        expect(await svg.isVisible()).toBe(true);
        expect(await svg.locator('circle').count()).toBeGreaterThan(0);
      }
      // Rendered on the server: the page needs no script of its own.
      expect(await page.locator('script[src*="/app/status/"]').count()).toBe(0);
      await page.screenshot({ path: join(artifactsDir, 'status-embedded.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

describe('embedded stack: client bundle', () => {
  it('holds neither the service-role key nor the JWT secret', async () => {
    const secrets = [
      stack.serviceRoleKey,
      stack.jwtSecret,
      DEV_DEFAULTS.serviceRoleKey,
      DEV_DEFAULTS.jwtSecret,
    ];
    const dir = join(appDir, '.next', 'static');
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = await readFile(join(file.parentPath, file.name), 'utf8');
      for (const secret of secrets) expect(text.includes(secret), `${file.name}`).toBe(false);
    }
  });
});

describe('embedded stack: faults', () => {
  it('PostgREST down → health 503 and routes answer 503 problem+json; back to normal after', async () => {
    const creator = await createCreator(stack);
    expect((await fetch(`${baseUrl}/api/videos`, { headers: bearer(creator.token) })).status).toBe(200);
    await stack.postgrest.stop();
    try {
      const health = await fetch(`${baseUrl}/api/health`);
      expect(health.status).toBe(503);
      const text = await health.text();
      expect(JSON.parse(text)).toMatchObject({
        status: 'unhealthy',
        checks: { database: { status: 'error' } },
      });
      expect(text).not.toMatch(/ECONN|PGRST|fetch failed/);
      // The creator's plan is cached; the listing itself needs the database.
      await expectProblem(await fetch(`${baseUrl}/api/videos`, { headers: bearer(creator.token) }), 503);
      // A user whose plan is not cached: the plan lookup fails → 503 as well, not a 500.
      const stranger = await stack.signUserToken(randomUUID());
      await expectProblem(
        await fetch(`${baseUrl}/api/chat`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...bearer(stranger) },
          body: JSON.stringify({ message: 'anyone there?' }),
        }),
        503,
      );
      const status = await fetch(`${baseUrl}/status`);
      expect(status.status).toBe(200);
      expect(await status.text()).toContain('unhealthy');
    } finally {
      await stack.postgrest.start();
    }
    let code = 0;
    while (code !== 200) {
      code = (await fetch(`${baseUrl}/api/health`)).status;
      if (code !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect((await fetch(`${baseUrl}/api/videos`, { headers: bearer(creator.token) })).status).toBe(200);
  });

  // Last: it stops the server.
  it('SIGTERM under load: in-flight requests complete, new ones are refused, nothing buffered is lost', async () => {
    const creator = await createCreator(stack);
    const ids = Array.from({ length: 24 }, (_, i) => `sigterm-${i}-${randomUUID()}`);
    const answers = ids.map((id) =>
      fetch(`${baseUrl}/api/videos?limit=5`, {
        headers: { ...bearer(creator.token), 'x-request-id': id },
      }).then(
        async (res) => ({ id, status: res.status, body: await res.text() }),
        () => ({ id, status: 0, body: '' }), // connection refused once the server has exited
      ),
    );
    await Promise.race(answers);
    web.signal('SIGTERM');
    const results = await Promise.all(answers);
    const exit = await web.exited;
    expect(exit.code).toBe(0);
    // Every request the server took either completed (200) or was refused while draining (503); none failed.
    for (const r of results) expect([0, 200, 503]).toContain(r.status);
    const completed = results.filter((r) => r.status === 200).map((r) => r.id);
    expect(completed.length).toBeGreaterThan(0);
    // Their access-log rows were buffered in memory; the shutdown flushed them all.
    const admin = createClient(stack.url, stack.serviceRoleKey, { auth: { persistSession: false } });
    const { data, error } = await admin
      .from('api_request_logs')
      .select('request_id')
      .in('request_id', completed);
    expect(error).toBeNull();
    expect(new Set((data ?? []).map((r) => r.request_id))).toEqual(new Set(completed));
    // So were the cache statistics of this run.
    const stats = await admin.from('cache_statistics').select('hits, misses').like('namespace', '%web');
    expect((stats.data ?? []).reduce((n, r) => n + Number(r.hits) + Number(r.misses), 0)).toBeGreaterThan(0);
  });
});
