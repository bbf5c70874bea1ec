// The real @sentry/node SDK against a local envelope endpoint: what leaves the process is checked,
// not what we hoped to hand the SDK.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Secret } from '@mentora/config';
import { NotFoundError, ServiceUnavailableError, ValidationError } from '@mentora/errors';
import * as Sentry from '@sentry/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ErrorReporter, runWithContext } from '../../src/index.js';
import { initSentry } from '../../src/sentry/index.js';
import { type ReceivedEnvelope, startEnvelopeServer } from '../../src/testing/index.js';
import { deferred } from '../support/deferred.js';

const SECRET = 'sk_live_SENTRY_SCRUB_0123456789';
const SERVICE_KEY = new Secret('eyJ-service-role-key-for-scrub-tests');

let ingest: Awaited<ReturnType<typeof startEnvelopeServer>>;
let reporter: ErrorReporter;
let app: Server;
let appUrl: string;

function eventFor(id: string | undefined): Record<string, unknown> {
  const event = ingest.events().find((e) => e.event_id === id);
  if (!event) throw new Error(`no event ${id} among ${ingest.events().length}`);
  return event;
}

function envelopeOf(id: string | undefined): ReceivedEnvelope {
  const envelope = ingest.envelopes.find((e) => e.items.some((i) => i.payload.event_id === id));
  if (!envelope) throw new Error(`no envelope for ${id}`);
  return envelope;
}

beforeAll(async () => {
  ingest = await startEnvelopeServer();
  reporter = initSentry({
    dsn: ingest.dsn,
    environment: 'staging',
    release: 'mentora@1.2.3',
    redact: { secrets: [SECRET, SERVICE_KEY] },
  });
  // An app server in this process: Sentry's HTTP integration attaches the incoming request to events.
  app = createServer((req, res) => {
    const id = reporter.captureException(new Error(`handler failed for ${req.url}`), {
      extra: { forwarded: req.headers['x-debug'] },
    });
    res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ id: id ?? null }));
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => app.close(() => resolve()));
  await reporter.close(2_000);
  await ingest.close();
});

describe('initSentry with the real SDK', () => {
  it('sends the error with environment, release, user, ids as tags and the request context, scrubbed', async () => {
    Sentry.addBreadcrumb({
      category: 'auth',
      message: `token refresh with ${SECRET}`,
      data: { apiKey: 'abc', url: `https://api.test/v1?access_token=${SECRET}&page=2` },
    });
    console.log(`noise ${SECRET}`);
    console.warn(`warning mentions ${SERVICE_KEY.reveal()}`);
    const id = await runWithContext(
      { requestId: 'req-42', route: '/api/chat', method: 'POST', userId: 'ctx-user' },
      async () =>
        reporter.captureException(
          new ServiceUnavailableError(`upstream rejected key ${SECRET}`, {
            service: 'ai',
            cause: new Error(`cause with ${SERVICE_KEY.reveal()}`),
          }),
          {
            userId: 'user-1',
            creatorId: 'creator-1',
            membershipId: 'member-1',
            tags: { feature: 'chat' },
            extra: { password: 'hunter2', note: `echo ${SECRET}`, nested: { authorization: 'Bearer abc' } },
          },
        ),
    );
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(await reporter.flush(5_000)).toBe(true);
    const event = eventFor(id);
    const raw = envelopeOf(id).raw;
    for (const leaked of [SECRET, SERVICE_KEY.reveal(), 'hunter2', 'Bearer abc'])
      expect(raw).not.toContain(leaked);
    expect(event).toMatchObject({
      environment: 'staging',
      release: 'mentora@1.2.3',
      user: { id: 'user-1' },
      tags: {
        request_id: 'req-42',
        route: '/api/chat',
        method: 'POST',
        creator_id: 'creator-1',
        membership_id: 'member-1',
        feature: 'chat',
      },
      extra: { password: '[redacted]', note: 'echo [redacted]', nested: { authorization: '[redacted]' } },
    });
    const values = (event.exception as { values: { type: string; value: string }[] }).values;
    expect(values.map((v) => v.value)).toEqual(
      expect.arrayContaining(['upstream rejected key [redacted]', 'cause with [redacted]']),
    );
    const crumbs = event.breadcrumbs as {
      category?: string;
      message?: string;
      data?: Record<string, unknown>;
    }[];
    const auth = crumbs.find((b) => b.category === 'auth');
    expect(auth).toMatchObject({
      message: 'token refresh with [redacted]',
      data: { apiKey: '[redacted]', url: 'https://api.test/v1?access_token=[redacted]&page=2' },
    });
    expect(crumbs.some((b) => b.category === 'console' && String(b.message).startsWith('noise'))).toBe(false);
    expect(
      crumbs.find((b) => b.category === 'console' && String(b.message).startsWith('warning'))?.message,
    ).toBe('warning mentions [redacted]');
  });

  it('interleaved requests each report their own request id and user (tags read at capture time)', async () => {
    const turns = [deferred(), deferred(), deferred()];
    const run = (requestId: string, userId: string, waitFor: number, release: number) =>
      runWithContext({ requestId, userId }, async () => {
        await turns[waitFor]?.promise;
        Sentry.addBreadcrumb({ category: 'step', message: `in ${requestId}` });
        const id = reporter.captureException(new Error(`failure in ${requestId}`));
        turns[release]?.resolve();
        return id;
      });
    // A starts, B captures while A is suspended, then A captures: the contexts interleave.
    const a = run('req-A', 'user-A', 1, 2);
    const b = run('req-B', 'user-B', 0, 1);
    turns[0]?.resolve();
    const [idA, idB] = await Promise.all([a, b]);
    expect(await reporter.flush(5_000)).toBe(true);
    expect(eventFor(idA)).toMatchObject({ tags: { request_id: 'req-A' }, user: { id: 'user-A' } });
    expect(eventFor(idB)).toMatchObject({ tags: { request_id: 'req-B' }, user: { id: 'user-B' } });
  });

  it('scrubs the incoming request the SDK attaches: headers, cookies, query string, URL', async () => {
    const res = await fetch(`${appUrl}/api/videos?token=abc123&page=2&apikey=${SECRET}`, {
      headers: {
        authorization: `Bearer ${SECRET}`,
        cookie: `sb-access-token=${SECRET}; theme=dark`,
        'x-api-key': SECRET,
        'x-session-id': 'session-value-1',
        'x-debug': `upstream said ${SERVICE_KEY.reveal()}`,
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
      },
    });
    const { id } = (await res.json()) as { id: string };
    expect(await reporter.flush(5_000)).toBe(true);
    const event = eventFor(id);
    const raw = envelopeOf(id).raw;
    for (const leaked of [SECRET, SERVICE_KEY.reveal(), 'abc123', 'session-value-1'])
      expect(raw).not.toContain(leaked);
    const request = event.request as {
      url: string;
      query_string?: unknown;
      headers: Record<string, string>;
      cookies?: unknown;
    };
    expect(request.url).toContain('/api/videos');
    expect(request.headers['user-agent']).toContain('Firefox');
    expect(request.headers['x-debug']).toBe('upstream said [redacted]');
    expect(event.extra).toEqual({ forwarded: 'upstream said [redacted]' });
    expect(JSON.stringify(request.query_string ?? request.url)).toContain('page=2');
  });

  it('does not report 4xx MentoraErrors, nor errors from bots; 5xx and plain errors are reported', async () => {
    const before = ingest.events().length;
    expect(reporter.captureException(new NotFoundError('no such video'))).toBeUndefined();
    expect(reporter.captureException(new ValidationError('bad input'))).toBeUndefined();
    const bot = await runWithContext({ userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1)' }, async () =>
      reporter.captureException(new Error('from a bot')),
    );
    expect(bot).toBeUndefined();
    // A bot's request reaching the app: the SDK's own request data carries its user agent.
    const botRes = await fetch(`${appUrl}/crawl`, {
      headers: { 'user-agent': 'Mozilla/5.0 (compatible; bingbot/2.0)' },
    });
    const { id: botId } = (await botRes.json()) as { id: string };
    const marker = reporter.captureException(new Error('marker after the ignored ones'));
    expect(await reporter.flush(5_000)).toBe(true);
    const messages = ingest
      .events()
      .slice(before)
      .map((e) => (e.exception as { values: { value: string }[] }).values.at(-1)?.value);
    expect(messages).toEqual(['marker after the ignored ones']);
    expect(ingest.events().some((e) => e.event_id === botId)).toBe(false);
    expect(eventFor(marker)).toBeDefined();
  });

  it('traces (spans streamed at sample rate 1.0 outside production) are scrubbed too', async () => {
    // A configured secret where Sentry cannot know it is one: a plain query value and a path segment.
    await fetch(`${appUrl}/traced/${SECRET}?apikey=${SECRET}&q=${SECRET}&page=3`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(await reporter.flush(5_000)).toBe(true);
    const spans = ingest.envelopes.flatMap((e) => e.items.filter((i) => i.header.type === 'span'));
    expect(spans.length).toBeGreaterThan(0);
    const text = spans.map((s) => JSON.stringify(s.payload)).join('\n');
    expect(text).toContain('/traced');
    expect(text).not.toContain(SECRET);
    expect(ingest.envelopes.map((e) => e.raw).join('\n')).not.toContain(SECRET);
  });
});
