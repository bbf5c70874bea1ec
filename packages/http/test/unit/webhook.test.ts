import { createHmac } from 'node:crypto';
import { ConflictError, ServiceUnavailableError, UnauthorizedError, ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createMemoryReplayStore, createReplayGuard, signWebhook, verifyWebhook } from '../../src/index.js';

const SECRET = 'whop-webhook-secret-for-tests';
const now = () => 1_800_000_000_000;
const ts = Math.floor(now() / 1000);

function delivery(body: string, headers: Record<string, string>): Request {
  return new Request('http://t/api/webhooks/whop', {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

describe('verifyWebhook', () => {
  it('accepts a correctly signed delivery and returns the raw body, id, timestamp and payload', async () => {
    const body = '{"action":"membership.went_valid","data":{"id":"mem_1"}}';
    const headers = signWebhook(SECRET, { id: 'msg_1', timestamp: ts, body });
    const v = await verifyWebhook(delivery(body, headers), { secret: SECRET, now });
    expect(v).toEqual({ rawBody: body, id: 'msg_1', timestamp: ts, payload: JSON.parse(body) });
  });

  it('matches the Standard Webhooks scheme (whsec_ secrets, several signatures)', async () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef');
    const secret = `whsec_${key.toString('base64')}`;
    const body = '{"a":1}';
    const sig = createHmac('sha256', key).update(`msg_2.${ts}.${body}`).digest('base64');
    const v = await verifyWebhook(
      delivery(body, {
        'webhook-id': 'msg_2',
        'webhook-timestamp': String(ts),
        'webhook-signature': `v1,AAAA v2,xyz v1,${sig}`,
      }),
      { secret, now },
    );
    expect(v.id).toBe('msg_2');
    // A Secret-like object works too.
    const again = await verifyWebhook(
      delivery(body, {
        'webhook-id': 'msg_2',
        'webhook-timestamp': String(ts),
        'webhook-signature': `v1,${sig}`,
      }),
      { secret: { reveal: () => secret }, now },
    );
    expect(again.payload).toEqual({ a: 1 });
  });

  it('401 for a wrong signature, a tampered body, another secret, or a stale / future timestamp', async () => {
    const body = '{"a":1}';
    const good = signWebhook(SECRET, { id: 'msg_3', timestamp: ts, body });
    const cases: Array<[Request, string]> = [
      [delivery('{"a":2}', good), 'WEBHOOK_SIGNATURE_INVALID'],
      [delivery(body, { ...good, 'webhook-signature': 'v1,bm9wZQ==' }), 'WEBHOOK_SIGNATURE_INVALID'],
      [delivery(body, { ...good, 'webhook-signature': 'garbage' }), 'WEBHOOK_SIGNATURE_INVALID'],
      [
        delivery(body, signWebhook('another-secret', { id: 'msg_3', timestamp: ts, body })),
        'WEBHOOK_SIGNATURE_INVALID',
      ],
      [delivery(body, { ...good, 'webhook-id': 'msg_other' }), 'WEBHOOK_SIGNATURE_INVALID'],
      [
        delivery(body, signWebhook(SECRET, { id: 'msg_3', timestamp: ts - 301, body })),
        'WEBHOOK_TIMESTAMP_STALE',
      ],
      [
        delivery(body, signWebhook(SECRET, { id: 'msg_3', timestamp: ts + 301, body })),
        'WEBHOOK_TIMESTAMP_STALE',
      ],
      [delivery(body, { ...good, 'webhook-timestamp': '17e8' }), 'WEBHOOK_TIMESTAMP_INVALID'],
    ];
    for (const [request, code] of cases) {
      const error = await verifyWebhook(request, { secret: SECRET, now }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, code).toBeInstanceOf(UnauthorizedError);
      expect((error as UnauthorizedError).code).toBe(code);
    }
  });

  it('400 for missing headers and for a signed body that is not JSON', async () => {
    await expect(verifyWebhook(delivery('{}', {}), { secret: SECRET, now })).rejects.toBeInstanceOf(
      ValidationError,
    );
    const body = 'not json';
    const e = await verifyWebhook(delivery(body, signWebhook(SECRET, { id: 'm', timestamp: ts, body })), {
      secret: SECRET,
      now,
    }).catch((x: unknown) => x);
    expect((e as ValidationError).code).toBe('MALFORMED_JSON');
  });
});

describe('createReplayGuard', () => {
  it('rejects an id seen within the window with 409, accepts it again after', async () => {
    let t = 0;
    const guard = createReplayGuard({ windowMs: 1000, store: createMemoryReplayStore({ now: () => t }) });
    await guard.check('msg_1');
    const e = await guard.check('msg_1').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConflictError);
    expect((e as ConflictError).status).toBe(409);
    expect((e as ConflictError).code).toBe('WEBHOOK_REPLAYED');
    await guard.check('msg_2');
    t = 1001;
    await guard.check('msg_1');
  });

  it('once(): a delivery whose processing failed is taken again on retry; a processed one is not', async () => {
    const guard = createReplayGuard({ windowMs: 60_000 });
    const outage = new ServiceUnavailableError('database down');
    await expect(guard.once('msg_1', () => Promise.reject(outage))).rejects.toBe(outage);
    // The sender retries the same delivery: it is processed this time, exactly once.
    let applied = 0;
    await expect(guard.once('msg_1', async () => ++applied)).resolves.toBe(1);
    const replay = await guard.once('msg_1', async () => ++applied).catch((x: unknown) => x);
    expect(replay).toBeInstanceOf(ConflictError);
    expect(applied).toBe(1);
  });

  it('the memory store stays bounded', async () => {
    const store = createMemoryReplayStore({ maxEntries: 10, now: () => 0 });
    for (let i = 0; i < 100; i++) expect(await store.setIfAbsent(`id-${i}`, 60_000)).toBe(true);
    // The newest are remembered.
    expect(await store.setIfAbsent('id-99', 60_000)).toBe(false);
  });
});
