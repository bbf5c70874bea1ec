import { createHmac, timingSafeEqual } from 'node:crypto';
import { ConflictError, InvalidArgumentError, UnauthorizedError, ValidationError } from '@mentora/errors';
import type { SecretValue } from './auth.js';
import { readBytes } from './body.js';

export interface VerifyWebhookOptions {
  /**
   * The signing secret. `whsec_<base64>` (Standard Webhooks) is base64-decoded; any other string
   * (Whop's `WHOP_WEBHOOK_SECRET`) is used as its UTF-8 bytes.
   */
  secret: SecretValue;
  /** How far `webhook-timestamp` may be from now, seconds (default 300). Older or newer → 401. */
  toleranceSeconds?: number;
  /** Largest accepted body (default 1 MiB). */
  maxBytes?: number;
  /** Clock (epoch ms, default Date.now). */
  now?: () => number;
}

export interface VerifiedWebhook<T = unknown> {
  /** The exact bytes that were signed, as text. */
  rawBody: string;
  /** `webhook-id`: the delivery id (stable across retries) — what the replay guard keys on. */
  id: string;
  /** `webhook-timestamp`, epoch seconds. */
  timestamp: number;
  /** The body parsed as JSON. */
  payload: T;
}

function secretKey(secret: SecretValue): Buffer {
  const value = typeof secret === 'string' ? secret : secret.reveal();
  if (typeof value !== 'string' || value.length === 0) {
    throw new InvalidArgumentError('verifyWebhook: secret is required', { argument: 'secret' });
  }
  if (value.startsWith('whsec_')) return Buffer.from(value.slice('whsec_'.length), 'base64');
  return Buffer.from(value, 'utf8');
}

function badSignature(code: string, message: string): UnauthorizedError {
  return new UnauthorizedError(message, { code });
}

/**
 * Verifies a Standard Webhooks delivery (the scheme Whop uses): `webhook-signature` holds one or more
 * space-separated `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<raw body>`. The body
 * is read as bytes and never re-serialised before the check. Missing headers → 400; a wrong signature
 * or a timestamp outside the tolerance → 401; the comparison is constant-time.
 */
export async function verifyWebhook<T = unknown>(
  request: Request,
  options: VerifyWebhookOptions,
): Promise<VerifiedWebhook<T>> {
  const key = secretKey(options.secret);
  const tolerance = options.toleranceSeconds ?? 300;
  const id = request.headers.get('webhook-id');
  const timestampText = request.headers.get('webhook-timestamp');
  const signatureHeader = request.headers.get('webhook-signature');
  if (!id || !timestampText || !signatureHeader) {
    await request.body?.cancel().catch(() => undefined);
    throw new ValidationError('Webhook signature headers are missing', {
      code: 'WEBHOOK_HEADERS_MISSING',
      issues: [
        ...(id ? [] : [{ path: 'headers.webhook-id', message: 'required' }]),
        ...(timestampText ? [] : [{ path: 'headers.webhook-timestamp', message: 'required' }]),
        ...(signatureHeader ? [] : [{ path: 'headers.webhook-signature', message: 'required' }]),
      ],
    });
  }
  if (id.length > 256) {
    throw new ValidationError('webhook-id is too long', { code: 'WEBHOOK_HEADERS_INVALID' });
  }
  if (!/^\d{1,12}$/.test(timestampText.trim())) {
    throw badSignature('WEBHOOK_TIMESTAMP_INVALID', 'webhook-timestamp is not a Unix timestamp');
  }
  const timestamp = Number(timestampText.trim());
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - timestamp) > tolerance) {
    throw badSignature('WEBHOOK_TIMESTAMP_STALE', 'The webhook timestamp is outside the tolerance');
  }
  const body = await readBytes(request, options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes });
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  let valid = false;
  for (const part of signatureHeader.split(' ')) {
    const comma = part.indexOf(',');
    if (comma < 0 || part.slice(0, comma) !== 'v1') continue;
    const given = Buffer.from(part.slice(comma + 1), 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) valid = true;
  }
  if (!valid) throw badSignature('WEBHOOK_SIGNATURE_INVALID', 'The webhook signature is invalid');

  let rawBody: string;
  let payload: T;
  try {
    rawBody = new TextDecoder('utf-8', { fatal: true }).decode(body);
    payload = JSON.parse(rawBody) as T;
  } catch (cause) {
    throw new ValidationError('The webhook body is not valid JSON', { code: 'MALFORMED_JSON', cause });
  }
  return { rawBody, id, timestamp, payload };
}

/** Signs a payload the way `verifyWebhook` checks it (tests, local tools): the three headers. */
export function signWebhook(
  secret: SecretValue,
  payload: { id: string; timestamp: number; body: string },
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  const signature = createHmac('sha256', secretKey(secret))
    .update(`${payload.id}.${payload.timestamp}.${payload.body}`)
    .digest('base64');
  return {
    'webhook-id': payload.id,
    'webhook-timestamp': String(payload.timestamp),
    'webhook-signature': `v1,${signature}`,
  };
}

/** Where a replay guard remembers delivery ids. */
export interface ReplayStore {
  /** Stores `key` for `ttlMs` unless present; resolves true when it was stored (first sighting). */
  setIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets `key`, so the next delivery with that id is taken again. */
  delete(key: string): Promise<void>;
}

export interface ReplayGuardOptions {
  /** How long an id is remembered (ms). Keep it ≥ the signature tolerance. */
  windowMs: number;
  /** Default: this process's memory (bounded by `maxEntries`). Use a Redis store with several processes. */
  store?: ReplayStore;
  /** Bound of the memory store (default 100 000 ids). */
  maxEntries?: number;
}

export interface ReplayGuard {
  /** Records `id`; throws ConflictError (409, `WEBHOOK_REPLAYED`) when it was seen within the window. */
  check(id: string): Promise<void>;
  /** Forgets `id` (its processing failed): the sender's retry of that delivery is then accepted. */
  release(id: string): Promise<void>;
  /**
   * `check(id)`, then `process()`; when `process` throws, the id is released before the error goes on,
   * so a delivery whose processing failed (a 503 while the database is down) is taken again on the
   * sender's retry instead of being refused as a replay and lost.
   */
  once<T>(id: string, process: () => Promise<T>): Promise<T>;
}

/** An in-process ReplayStore: ids with their expiry, swept on insert, oldest dropped beyond `maxEntries`. */
export function createMemoryReplayStore(
  options: { maxEntries?: number; now?: () => number } = {},
): ReplayStore {
  const maxEntries = options.maxEntries ?? 100_000;
  const now = options.now ?? Date.now;
  const seen = new Map<string, number>();
  return {
    async setIfAbsent(key, ttlMs) {
      const t = now();
      const expires = seen.get(key);
      if (expires !== undefined && expires > t) return false;
      seen.delete(key);
      if (seen.size >= maxEntries) {
        for (const [k, e] of seen) {
          if (e <= t || seen.size >= maxEntries) seen.delete(k);
          else break;
        }
      }
      seen.set(key, t + ttlMs);
      return true;
    },
    async delete(key) {
      seen.delete(key);
    },
  };
}

/**
 * Rejects a webhook delivery id seen before within `windowMs` (409). Together with the signature's
 * timestamp tolerance this bounds replays: an old delivery fails the timestamp check, a recent one
 * the id check.
 */
export function createReplayGuard(options: ReplayGuardOptions): ReplayGuard {
  const windowMs = options.windowMs;
  if (!(Number.isSafeInteger(windowMs) && windowMs > 0)) {
    throw new InvalidArgumentError(
      `createReplayGuard: windowMs must be a positive integer, got ${windowMs}`,
      {
        argument: 'windowMs',
      },
    );
  }
  const store =
    options.store ??
    createMemoryReplayStore(options.maxEntries === undefined ? {} : { maxEntries: options.maxEntries });
  const check = async (id: string): Promise<void> => {
    assertId(id);
    if (!(await store.setIfAbsent(id, windowMs))) {
      throw new ConflictError('This webhook delivery was already processed', {
        code: 'WEBHOOK_REPLAYED',
        context: { webhookId: id },
      });
    }
  };
  const release = async (id: string): Promise<void> => {
    assertId(id);
    await store.delete(id);
  };
  return {
    check,
    release,
    async once(id, process) {
      await check(id);
      try {
        return await process();
      } catch (error) {
        // The failure is what the sender hears about; a failed release (Redis down) only means the
        // retry is refused until the window ends, which the log of the original error already explains.
        await release(id).catch(() => {});
        throw error;
      }
    },
  };
}

function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new InvalidArgumentError('createReplayGuard: id must be a non-empty string', { argument: 'id' });
  }
}
