import { ValidationError } from '@mentora/errors';

/**
 * Opaque keyset cursors: `<payload>.<tag>`, both base64url. The payload is `{"v":1,"k":[sortValue, id]}`
 * (the last row's sort value and primary key). The tag binds the payload to the query it came from
 * (table, order, direction, filters) so a cursor cannot be replayed against another query:
 * - with a secret: HMAC-SHA256(secret, scope + payload), truncated to 128 bits, so a cursor cannot be
 *   forged or edited;
 * - without one: SHA-256(scope + payload), truncated, which catches edited, truncated or mixed-up
 *   cursors (a determined client could recompute it, but a cursor is no security boundary: RLS is).
 * Anything that does not decode, verify and type-check is a ValidationError (400), never a 500.
 * Web Crypto only, so the same code runs in Node, edge runtimes and browsers.
 */

const VERSION = 1;
const TAG_BYTES = 16;
/**
 * Above any cursor list() hands out (its sort value is bounded by MAX_SORT_VALUE_URL_LENGTH); refuses
 * megabyte strings before any decoding work.
 */
export const MAX_CURSOR_LENGTH = 16_384;

export interface CursorKey {
  /** The sort column's value of the last row returned (or the primary key when sorting by it). */
  sort: unknown;
  /** The last row's primary key (tie-break). */
  id: unknown;
}

export interface CursorCodec {
  encode(key: CursorKey, scope: string): Promise<string>;
  /** Returns the key, or throws ValidationError. Type checks of the values are the caller's job. */
  decode(cursor: unknown, scope: string): Promise<CursorKey>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function invalid(reason: string): ValidationError {
  return new ValidationError('Invalid pagination cursor', {
    issues: [{ path: 'cursor', message: reason, code: 'invalid_cursor' }],
  });
}

/** Constant-time comparison: the tag check must not leak how many leading bytes matched. */
function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

export function createCursorCodec(options: { secret?: string | Uint8Array } = {}): CursorCodec {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) throw new Error('@mentora/db cursors need Web Crypto (globalThis.crypto.subtle)');
  const secret = typeof options.secret === 'string' ? encoder.encode(options.secret) : options.secret;
  if (secret !== undefined && secret.length < 16) {
    throw new RangeError('cursorSecret must be at least 16 bytes');
  }
  // Imported once per codec (per query builder), not per call.
  const hmacKey = secret
    ? subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
        'sign',
      ])
    : undefined;

  async function tagOf(scope: string, payload: string): Promise<Uint8Array> {
    const data = encoder.encode(`${scope}\n${payload}`);
    const digest = hmacKey
      ? await subtle.sign('HMAC', await hmacKey, data)
      : await subtle.digest('SHA-256', data);
    return new Uint8Array(digest).subarray(0, TAG_BYTES);
  }

  return {
    async encode(key, scope) {
      const payload = toBase64Url(encoder.encode(JSON.stringify({ v: VERSION, k: [key.sort, key.id] })));
      return `${payload}.${toBase64Url(await tagOf(scope, payload))}`;
    },

    async decode(cursor, scope) {
      if (typeof cursor !== 'string' || cursor.length === 0)
        throw invalid('cursor must be a non-empty string');
      if (cursor.length > MAX_CURSOR_LENGTH) throw invalid('cursor is too long');
      const parts = cursor.split('.');
      if (parts.length !== 2) throw invalid('malformed cursor');
      const [payload = '', tagText = ''] = parts;
      let tag: Uint8Array;
      let json: unknown;
      try {
        tag = fromBase64Url(tagText);
        json = JSON.parse(decoder.decode(fromBase64Url(payload)));
      } catch {
        throw invalid('malformed cursor');
      }
      if (!equalBytes(tag, await tagOf(scope, payload))) {
        throw invalid('cursor was modified or belongs to a different query');
      }
      if (
        typeof json !== 'object' ||
        json === null ||
        (json as { v?: unknown }).v !== VERSION ||
        !Array.isArray((json as { k?: unknown }).k) ||
        (json as { k: unknown[] }).k.length !== 2
      ) {
        throw invalid('unsupported cursor');
      }
      const [sort, id] = (json as { k: [unknown, unknown] }).k;
      return { sort, id };
    },
  };
}
