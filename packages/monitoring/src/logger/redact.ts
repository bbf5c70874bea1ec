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

/**
 * The rules of one `createRedactor` call, in the pieces the logger's hot path uses separately (it
 * checks a top-level key, then serializes a primitive without walking anything).
 */
export interface CompiledRedaction {
  readonly mask: string;
  /** True when path rules exist (values must then be walked with their path). */
  readonly tracksPaths: boolean;
  /** Whether a value under `key` is masked whole, whatever it is. Cached per key. */
  sensitiveKey(key: string): boolean;
  /** Whether a value at `path` is masked by a path rule. */
  maskedPath(path: readonly string[]): boolean;
  /** A string with URL passwords, values of sensitive `name=value` pairs and configured secret values masked. */
  string(value: string): string;
  /** The JSON-safe, masked copy of a value found under `path` (its key already checked). */
  value(value: unknown, path?: string[]): unknown;
  /** The whole value, from its root. */
  redact: Redactor;
}

// `scheme://user:password@` anywhere in a string.
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;
// `name=value` in a URL query (`?a=1&token=x`) or in free text (`host=db password=x`, a libpq
// connection string): the value is masked when the name is a sensitive key.
const KEY_VALUE = /(^|[?&;,\s])([^=&#;,\s]+)=([^&#;,\s]*)/g;
const MAX_DEPTH = 12;
const MIN_SECRET_LENGTH = 8;
const KEY_CACHE_LIMIT = 4_096;

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

/** Reads a property that may be a throwing getter (or a revoked Proxy) without throwing. */
function read(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return '[unreadable]';
  }
}

/**
 * Builds the rules once. Everything a log line or an error report carries goes through them: keys
 * matching `keys` and values at `paths` are masked whole (objects and arrays included), `Secret`s are
 * masked, and strings lose URL passwords, the values of sensitive `name=value` pairs (`?token=…`,
 * `password=…`) and configured secret values. Errors become `{ name, message, stack, code, status, retryable, context, cause }` with the
 * whole cause chain (and AggregateError's `errors`), redacted like everything else.
 */
export function compileRedaction(options: RedactionOptions = {}): CompiledRedaction {
  const mask = options.mask ?? REDACTED;
  const keys = options.keys === false ? undefined : (options.keys ?? SENSITIVE_KEY_PATTERN);
  const patterns = (options.paths ?? []).map((p) => p.split('.'));
  const secrets = secretStrings(options.secrets);
  const tracksPaths = patterns.length > 0;
  // Keys repeat endlessly (userId, route, durationMs): remember each answer instead of running the
  // pattern again. Bounded, so keys made from data cannot grow it without limit.
  const keyCache = new Map<string, boolean>();

  const sensitiveKey = (key: string): boolean => {
    if (keys === undefined) return false;
    const cached = keyCache.get(key);
    if (cached !== undefined) return cached;
    keys.lastIndex = 0;
    const hit = keys.test(key);
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.clear();
    keyCache.set(key, hit);
    return hit;
  };

  const maskedPath = (path: readonly string[]): boolean => {
    for (const p of patterns) if (matchPath(p, path)) return true;
    return false;
  };

  const maskPair = (all: string, sep: string, name: string, value: string): string =>
    value !== '' && sensitiveKey(decodeName(name)) ? `${sep}${name}=${mask}` : all;

  const string = (s: string): string => {
    let out = s;
    if (out.includes('://')) out = out.replace(URL_PASSWORD, '$1redacted@');
    if (out.includes('=')) out = out.replace(KEY_VALUE, maskPair);
    for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(mask);
    return out;
  };

  const walk = (v: unknown, path: string[] | undefined, seen: Set<object>, depth: number): unknown => {
    switch (typeof v) {
      case 'string':
        return string(v);
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
    const obj = v as object;
    if (seen.has(obj)) return '[Circular]';
    if (depth > MAX_DEPTH) return '[MaxDepth]';
    try {
      return object(obj, path, seen, depth);
    } catch {
      // A revoked Proxy, a hostile getter on a built-in: this value is lost, the rest of the line is not.
      return '[unserializable]';
    }
  };

  const object = (obj: object, path: string[] | undefined, seen: Set<object>, depth: number): unknown => {
    if (isSecret(obj)) return mask;
    if (obj instanceof Date) return Number.isNaN(obj.getTime()) ? null : obj.toISOString();
    if (obj instanceof URL) return string(obj.href);
    // Bytes are never useful in a log line and can be megabytes long.
    if (ArrayBuffer.isView(obj)) return `[${obj.constructor.name} ${obj.byteLength} bytes]`;
    if (obj instanceof ArrayBuffer) return `[ArrayBuffer ${obj.byteLength} bytes]`;
    seen.add(obj);
    try {
      if (obj instanceof Error) return errorFields(obj, path, seen, depth);
      if (Array.isArray(obj)) {
        const out: unknown[] = new Array(obj.length);
        for (let i = 0; i < obj.length; i++) {
          const item = visit(read(obj, String(i)), path && [...path, String(i)], String(i), seen, depth);
          out[i] = item === undefined ? null : item;
        }
        return out;
      }
      if (obj instanceof Map || obj instanceof Headers || obj instanceof URLSearchParams) {
        const entries: Record<string, unknown> = {};
        for (const [k, item] of obj.entries()) entries[String(k)] = item;
        return fields(entries, path, seen, depth);
      }
      if (obj instanceof Set) return walk([...obj], path, seen, depth);
      const toJSON = read(obj, 'toJSON');
      if (typeof toJSON === 'function') {
        let json: unknown;
        try {
          json = toJSON.call(obj);
        } catch {
          return '[unserializable]';
        }
        return walk(json, path, seen, depth + 1);
      }
      return fields(obj as Record<string, unknown>, path, seen, depth);
    } finally {
      seen.delete(obj);
    }
  };

  const visit = (v: unknown, path: string[] | undefined, key: string, seen: Set<object>, depth: number) => {
    if (v === undefined || v === null) return v;
    // Whatever its shape: `set-cookie` is an array, a `token` may be an object of tokens.
    if (sensitiveKey(key)) return mask;
    if (path && maskedPath(path)) return mask;
    return walk(v, path, seen, depth + 1);
  };

  const fields = (obj: object, path: string[] | undefined, seen: Set<object>, depth: number) => {
    const out: Record<string, unknown> = {};
    let own: string[];
    try {
      own = Object.keys(obj);
    } catch {
      return '[unserializable]';
    }
    for (const k of own) {
      const item = visit(read(obj, k), path && [...path, k], k, seen, depth);
      if (item !== undefined) out[k] = item;
    }
    return out;
  };

  const errorFields = (err: Error, path: string[] | undefined, seen: Set<object>, depth: number) => {
    const out: Record<string, unknown> = {
      name: String(read(err, 'name')),
      message: string(String(read(err, 'message'))),
    };
    const stack = read(err, 'stack');
    if (typeof stack === 'string') out.stack = string(stack);
    // Own enumerable fields: MentoraError's code, status, retryable, expose and context; Node's errno,
    // syscall…; PostgREST's details and hint.
    let own: string[] = [];
    try {
      own = Object.keys(err);
    } catch {}
    for (const k of own) {
      if (k === 'stack' || k === 'cause' || k in out) continue;
      const item = visit(read(err, k), path && [...path, k], k, seen, depth);
      if (item !== undefined) out[k] = item;
    }
    const cause = read(err, 'cause');
    if (cause !== undefined) out.cause = walk(cause, path && [...path, 'cause'], seen, depth + 1);
    if (err instanceof AggregateError)
      out.errors = walk(err.errors, path && [...path, 'errors'], seen, depth + 1);
    return out;
  };

  const value = (v: unknown, path?: string[]): unknown => {
    try {
      return walk(v, tracksPaths ? (path ?? []) : undefined, new Set(), 0);
    } catch {
      return '[unserializable]';
    }
  };

  return {
    mask,
    tracksPaths,
    sensitiveKey,
    maskedPath,
    string,
    value,
    redact: (v) => value(v, []),
  };
}

function decodeName(name: string): string {
  if (!name.includes('%')) return name;
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * Builds the redaction rules once; the returned function applies them to one value (a log line's
 * fields, a Sentry event) and returns a JSON-safe copy. The input is never modified.
 */
export function createRedactor(options: RedactionOptions = {}): Redactor {
  return compileRedaction(options).redact;
}
