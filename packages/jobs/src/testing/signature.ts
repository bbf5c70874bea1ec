import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** The key text HMAC uses: the signing key without its `signkey-<env>-` prefix. */
function keyMaterial(signingKey: string): string {
  return signingKey.replace(/^signkey-[\w]+-/, '');
}

/**
 * The `X-Inngest-Signature` value Inngest sends with a request: `t=<unix seconds>&s=<hex>`, the HMAC-SHA256
 * of the canonical JSON of the body (or the raw text when the body is not JSON) followed by `t`.
 */
export function signPayload(
  body: unknown,
  signingKey: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const text = typeof body === 'string' ? body : canonicalJson(body);
  const mac = createHmac('sha256', keyMaterial(signingKey))
    .update(text)
    .update(String(nowSeconds))
    .digest('hex');
  return `t=${nowSeconds}&s=${mac}`;
}

/**
 * Checks a signature made over `body` (a response's raw text, or a parsed request body): true when it
 * was made with `signingKey` less than `maxAgeSeconds` ago (or ahead).
 */
export function verifySignature(
  header: string | null | undefined,
  body: unknown,
  signingKey: string,
  maxAgeSeconds = 300,
): boolean {
  if (!header) return false;
  const params = new URLSearchParams(header);
  const t = Number(params.get('t'));
  const s = params.get('s') ?? '';
  if (!Number.isInteger(t) || !/^[0-9a-f]{64}$/.test(s)) return false;
  if (Math.abs(Date.now() / 1000 - t) > maxAgeSeconds) return false;
  const expected = signPayload(body, signingKey, t).split('&s=')[1] as string;
  return timingSafeEqual(Buffer.from(expected, 'hex'), Buffer.from(s, 'hex'));
}
