/** What every masked value prints as. */
export const REDACTED = '[redacted]';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * A value that must never be printed: `toString`, `toJSON`, template literals, `util.inspect` and
 * `console.log` all show `[redacted]`. Call `.reveal()` where the real value is needed (a client
 * constructor), and nowhere else.
 */
export class Secret<T = string> {
  readonly #value: T;
  /** Name of the variable it came from (safe to log). */
  readonly label: string | undefined;

  constructor(value: T, label?: string) {
    this.#value = value;
    this.label = label;
    Object.freeze(this);
  }

  /** The real value. Never log it. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.toPrimitive](): string {
    return REDACTED;
  }

  [INSPECT](): string {
    return this.label ? `Secret<${this.label}>(${REDACTED})` : `Secret(${REDACTED})`;
  }

  get [Symbol.toStringTag](): string {
    return 'Secret';
  }
}

/** True for a `Secret` from any copy of this package. */
export function isSecret(value: unknown): value is Secret<unknown> {
  return (
    value instanceof Secret ||
    (typeof value === 'object' &&
      value !== null &&
      Object.prototype.toString.call(value) === '[object Secret]' &&
      typeof (value as { reveal?: unknown }).reveal === 'function')
  );
}

/** Mask the password (and a username-only credential) of a URL; anything unparsable is masked whole. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password && !u.username) return url;
    if (u.password) u.password = 'redacted';
    else u.username = 'redacted';
    return u.toString();
  } catch {
    return REDACTED;
  }
}

/**
 * Keys whose values are masked wherever they appear (logs, error reports): passwords, tokens, secrets,
 * authorization and cookie headers, API / private / signing / event / service-role keys, credentials,
 * session ids, JWTs and DSNs. Shared with @mentora/monitoring so logs and Sentry apply the same rules.
 */
export const SENSITIVE_KEY_PATTERN: RegExp =
  /passw(or)?d|passphrase|^pass$|secret|token$|authorization|cookie|api[-_]?key|private[-_]?key|service[-_]?role|signing[-_]?key|event[-_]?key|credential|session[-_]?id|^jwt$|^dsn$|_dsn$/i;

/** `scheme://user:password@` anywhere in a string. */
const URL_PASSWORD = /([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;

export interface RedactOptions {
  /**
   * Key paths to mask, dotted, `*` for one segment and `**` for any number:
   * `['headers.authorization', 'user.*.ssn', '**.password']`.
   */
  paths?: readonly string[];
  /** Keys whose values are masked wherever they appear; `false` turns the default pattern off. */
  keys?: RegExp | false;
  /** The replacement (default `[redacted]`). */
  mask?: string;
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

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * A copy of `value` that is safe to log: `Secret`s, whole values under sensitive keys (password, token,
 * secret, authorization, cookie, api key, service role…, arrays and objects included), values at the given
 * key paths, and passwords inside URLs are masked. Maps, Sets, fetch `Headers`, `URLSearchParams` and `URL`s
 * are looked into. The input is not modified.
 */
export function redact<T>(value: T, options: RedactOptions = {}): T {
  const mask = options.mask ?? REDACTED;
  const keys = options.keys === false ? undefined : (options.keys ?? SENSITIVE_KEY_PATTERN);
  const patterns = (options.paths ?? []).map((p) => p.split('.'));
  const seen = new WeakSet<object>();

  const walk = (v: unknown, path: string[]): unknown => {
    if (isSecret(v)) return mask;
    if (typeof v === 'string') return v.includes('://') ? v.replace(URL_PASSWORD, '$1redacted@') : v;
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) return '[Circular]';
    if (Array.isArray(v)) {
      seen.add(v);
      const out = v.map((item, i) => visit(item, [...path, String(i)], String(i)));
      seen.delete(v);
      return out;
    }
    if (!isPlainObject(v)) {
      if (v instanceof Error) {
        return { name: v.name, message: walk(v.message, [...path, 'message']) };
      }
      if (v instanceof URL) return redactUrl(v.href);
      // Key/value containers that loggers print in full (fetch Headers hold authorization and cookies).
      if (v instanceof Map || v instanceof Headers || v instanceof URLSearchParams) {
        const entries: [string, unknown][] = [];
        for (const [k, item] of v.entries()) entries.push([String(k), item]);
        seen.add(v);
        const out = walk(Object.fromEntries(entries), path);
        seen.delete(v);
        return out;
      }
      if (v instanceof Set) {
        seen.add(v);
        const out = walk([...v], path);
        seen.delete(v);
        return out;
      }
      return v;
    }
    seen.add(v);
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v)) out[k] = visit(item, [...path, k], k);
    seen.delete(v);
    return out;
  };

  const visit = (v: unknown, path: string[], key: string): unknown => {
    if (v === undefined || v === null) return v;
    // Whatever its shape: `set-cookie` is an array, a `token` may be an object of tokens.
    if (keys?.test(key)) return mask;
    if (patterns.some((p) => matchPath(p, path))) return mask;
    return walk(v, path);
  };

  return walk(value, []) as T;
}
