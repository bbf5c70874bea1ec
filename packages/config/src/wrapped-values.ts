// What a NEXT_PUBLIC_ value may hide: the guard must see a secret whether the value is the secret
// itself or wraps it (quotes, JSON, a sentence, base64, percent-encoding), because a bundler inlines
// the whole string into browser code either way.

/** Longest value scanned (env values are short; this bounds the work for a pathological one). */
const MAX_SCANNED = 64 * 1024;
/** How many decoding layers are peeled (base64 of JSON of a token is two). */
const MAX_DEPTH = 3;

/** Decodes a base64 or base64url run to text, or undefined when it is not printable UTF-8 text. */
function decodeBase64Text(run: string): string | undefined {
  const b64 = run.replace(/=+$/, '').replace(/-/g, '+').replace(/_/g, '/');
  if (b64.length % 4 === 1) return undefined;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
  } catch {
    return undefined;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: binary data decodes to control characters
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : text;
}

/**
 * The texts to scan for one value: the value, and what its percent-encoding and every base64 /
 * base64url run in it decode to, recursively (a few layers deep).
 */
export function decodedViews(value: string): string[] {
  const views: string[] = [];
  const seen = new Set<string>();
  const visit = (text: string, depth: number) => {
    if (seen.has(text) || views.length >= 256) return;
    seen.add(text);
    views.push(text);
    if (depth >= MAX_DEPTH) return;
    if (/%[0-9A-Fa-f]{2}/.test(text)) {
      try {
        visit(decodeURIComponent(text), depth + 1);
      } catch {
        // Not valid percent-encoding: nothing to peel.
      }
    }
    for (const run of text.match(/[A-Za-z0-9+/_-]{16,}={0,2}/g) ?? []) {
      const decoded = decodeBase64Text(run);
      if (decoded !== undefined && decoded.length >= 8) visit(decoded, depth + 1);
    }
  };
  visit(value.slice(0, MAX_SCANNED), 0);
  return views;
}

function decodeJsonObject(part: string): Record<string, unknown> | undefined {
  const text = decodeBase64Text(part);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export interface FoundJwt {
  token: string;
  /** The `role` claim, when the payload has a string one. */
  role: string | undefined;
}

/**
 * Every JWT (compact JWS: a JSON header with `alg`, a JSON payload, a signature that may be empty)
 * anywhere in `text`. Three dot-separated base64url parts without such a header are not JWTs
 * (a Mapbox public token `pk.<base64>.<sig>`, say).
 */
export function findJwts(text: string): FoundJwt[] {
  const found: FoundJwt[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g)) {
    const [header, payload] = match[0].split('.') as [string, string];
    const head = decodeJsonObject(header);
    if (typeof head?.alg !== 'string') continue;
    const claims = decodeJsonObject(payload);
    if (!claims) continue;
    found.push({ token: match[0], role: typeof claims.role === 'string' ? claims.role : undefined });
  }
  return found;
}
