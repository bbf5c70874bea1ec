import { isSecret, REDACTED, SENSITIVE_KEY_PATTERN, type Secret } from '@mentora/config';

export interface RedactionOptions {
  /** Keys masked wherever they appear. Default: passwords, tokens, secrets, cookies, API keys, DSNs… */
  keys?: RegExp | false;
  /** Key paths masked, dotted, `*` for one segment and `**` for any number: `['req.headers.x-api-key']`. */
  paths?: readonly string[];
  /**
   * Secret values masked wherever they appear inside a string (a token echoed in an upstream error
   * message, a URL with a key in its query). `Secret`s are revealed once, here, to know what to mask.
   * Values shorter than 8 characters are ignored: masking them would garble ordinary text.
   */
  secrets?: Iterable<string | Secret<unknown> | undefined>;
  /** The replacement (default `[redacted]`). */
  mask?: string;
}

/** Turns any value into a JSON-safe copy with secrets masked and errors serialized. Never throws. */
export type Redactor = (value: unknown) => unknown;

const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;
const MAX_DEPTH = 12;
const MIN_SECRET_LENGTH = 8;

function secretStrings(input: RedactionOptions['secrets']): string[] {
  const out = new Set<string>();
  for (const s of input ?? []) {
    const value = isSecret(s) ? s.reveal() : s;
    if (typeof value === 'string' && value.trim().length >= MIN_SECRET_LENGTH) out.add(value.trim());
  }
  // Longest first, so a secret that contains another is masked whole.
  return [...out].sort((a, b) => b.length - a.length);
}

function matchPath(pattern: readonly string[], path: readonly string[], pi = 0, si = 0): boolean {
  if (pi === pattern.length) return si === path.length;
  const seg = pattern[pi];
  if (seg === '**') {
    for (let k = si; k <= path.length; k++) if (matchPath(pattern, path, pi + 1, k)) return true;
    return false;
  }
  if (si === path.length) return false;
  return (seg === '*' || seg === path[si]) && matchPath(pattern, path, pi + 1, si + 1);
}

/**
 * Builds the redaction rules once; the returned function applies them to one value (a log line's
 * fields, a Sentry event). Errors become `{ name, message, stack, code, status, retryable, context,
 * cause }` with the whole cause chain, redacted like everything else.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  const mask = options.mask ?? REDACTED;
  const keys = options.keys === false ? undefined : (options.keys ?? SENSITIVE_KEY_PATTERN);
  const patterns = (options.paths ?? []).map((p) => p.split('.'));
  const secrets = secretStrings(options.secrets);

  const redactString = (s: string): string => {
    let out = s.includes('://') ? s.replace(URL_PASSWORD, '$1redacted@') : s;
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(mask);
    return out;
  };

  const walk = (v: unknown, path: string[] | undefined, seen: Set<object>, depth: number): unknown => {
    switch (typeof v) {
      case 'string':
        return redactString(v);
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'boolean':
        return v;
      case 'bigint':
        return v.toString();
      case 'undefined':
      case 'function':
      case 'symbol':
        return undefined;
    }
    if (v === null) return null;
    if (isSecret(v)) return mask;
    const obj = v as object;
    if (seen.has(obj)) return '[Circular]';
    if (depth > MAX_DEPTH) return '[MaxDepth]';
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (obj instanceof URL) return redactString(obj.href);
    seen.add(obj);
    try {
      if (obj instanceof Error) return errorFields(obj, path, seen, depth);
      if (Array.isArray(obj))
        return obj.map((item, i) => visit(item, path && [...path, String(i)], String(i), seen, depth));
      if (obj instanceof Map || obj instanceof Headers || obj instanceof URLSearchParams) {
        const entries: Record<string, unknown> = {};
        for (const [k, item] of obj.entries()) entries[String(k)] = item;
        return fields(entries, path, seen, depth);
      }
      if (obj instanceof Set) return walk([...obj], path, seen, depth);
      if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
        return walk((obj as { toJSON(): unknown }).toJSON(), path, seen, depth + 1);
      }
      return fields(obj as Record<string, unknown>, path, seen, depth);
    } finally {
      seen.delete(obj);
    }
  };

  const visit = (v: unknown, path: string[] | undefined, key: string, seen: Set<object>, depth: number) => {
    if (v === undefined || v === null) return v;
    // Whatever its shape: `set-cookie` is an array, a `token` may be an object of tokens.
    if (keys?.test(key)) return mask;
    if (path && patterns.some((p) => matchPath(p, path))) return mask;
    return walk(v, path, seen, depth + 1);
  };

  const fields = (
    obj: Record<string, unknown>,
    path: string[] | undefined,
    seen: Set<object>,
    depth: number,
  ) => {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) {
      const item = visit(obj[k], path && [...path, k], k, seen, depth);
      if (item !== undefined) out[k] = item;
    }
    return out;
  };

  const errorFields = (err: Error, path: string[] | undefined, seen: Set<object>, depth: number) => {
    const out: Record<string, unknown> = {
      name: String(err.name),
      message: redactString(String(err.message)),
    };
    if (typeof err.stack === 'string') out.stack = redactString(err.stack);
    for (const k of Object.keys(err)) {
      if (k === 'stack' || k === 'cause' || k in out) continue;
      const item = visit(
        (err as unknown as Record<string, unknown>)[k],
        path && [...path, k],
        k,
        seen,
        depth,
      );
      if (item !== undefined) out[k] = item;
    }
    if (err.cause !== undefined) out.cause = walk(err.cause, path && [...path, 'cause'], seen, depth + 1);
    if (err instanceof AggregateError)
      out.errors = walk(err.errors, path && [...path, 'errors'], seen, depth + 1);
    return out;
  };

  // Paths are only tracked when some pattern needs them: the common line pays for no arrays.
  const tracksPaths = patterns.length > 0;
  return (value) => walk(value, tracksPaths ? [] : undefined, new Set(), 0);
}
