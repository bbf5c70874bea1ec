// The hand-written JSON codec @mentora/cache used before its binary codec, kept as the baseline of the codec
// comparison in codecs.ts (not used by the package any more).
import { InvalidArgumentError } from '@mentora/errors';

interface TextCodec {
  encode(value: unknown): string;
  decode(text: string): unknown;
}

const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

/**
 * Values JSON cannot carry are written as `{"\u0000t": <type>, "v": <payload>}` (the key starts with a
 * NUL so it cannot be confused with ordinary data), and a text that contains any such marker is stored
 * with a leading `~` (never the first character of JSON). `decode` therefore decides in O(1): plain JSON
 * takes the bare `JSON.parse` fast path, with no reviver and no scan of the text.
 */
const MARK = '\u0000t';
const MARKED_PREFIX = '~';
const MARKED_PREFIX_CODE = 126;

/** Set while one synchronous `JSON.stringify` runs: whether it emitted a marker. */
let markerEmitted = false;

class Marker {
  constructor(type: string, v: unknown) {
    markerEmitted = true;
    (this as Record<string, unknown>)[MARK] = type;
    (this as Record<string, unknown>).v = v;
  }
}

function reservedKeyError(): InvalidArgumentError {
  return new InvalidArgumentError('Cache values cannot contain the reserved object key "\\u0000t"', {
    code: 'CACHE_VALUE_NOT_SERIALIZABLE',
    argument: 'value',
  });
}

// `this` is the holder, so `this[key]` is the value *before* `toJSON` (a Date, not its string).
function replacer(this: unknown, key: string, value: unknown): unknown {
  if (key === MARK && !(this instanceof Marker)) throw reservedKeyError();
  const raw = (this as Record<string, unknown>)[key];
  switch (typeof raw) {
    case 'object':
      if (raw === null) return null;
      if (raw instanceof Date) {
        const t = raw.getTime();
        return new Marker('D', Number.isNaN(t) ? null : raw.toISOString());
      }
      if (raw instanceof Map) return new Marker('M', Array.from(raw));
      if (raw instanceof Set) return new Marker('S', Array.from(raw));
      return value;
    case 'bigint':
      return new Marker('B', raw.toString());
    case 'number':
      return Number.isFinite(raw) ? value : new Marker('N', String(raw));
    case 'undefined':
      // JSON drops undefined object properties (kept that way: `{a: undefined}` reads back as `{}`);
      // at the top level and in arrays (also Map/Set entries) it is kept, so positions survive.
      return key === '' || Array.isArray(this) ? new Marker('U', 0) : undefined;
    default:
      return value;
  }
}

/**
 * Set while one `JSON.parse` runs once an undefined marker was revived. A reviver that returns undefined
 * deletes the element, leaving a hole (skipped by map/forEach/filter), so arrays are then given their
 * undefined elements back; JSON itself never has holes, so every hole is one of ours.
 */
let undefinedRevived = false;

function reviver(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (undefinedRevived && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!(i in value)) value[i] = undefined;
    return value;
  }
  if (!Object.hasOwn(value, MARK)) return value;
  const m = value as { [MARK]: string; v: unknown };
  switch (m[MARK]) {
    case 'D':
      return new Date(m.v === null ? Number.NaN : (m.v as string));
    case 'M':
      return new Map(m.v as [unknown, unknown][]);
    case 'S':
      return new Set(m.v as unknown[]);
    case 'B':
      return BigInt(m.v as string);
    case 'N':
      return Number(m.v);
    case 'U':
      undefinedRevived = true;
      return undefined;
    default:
      return value;
  }
}

export interface JsonCodecOptions {
  /** Largest encoded value in UTF-8 bytes; bigger values throw `CACHE_VALUE_TOO_LARGE`. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * The default codec: JSON that round-trips Date (also invalid ones), Map, Set, BigInt, NaN/±Infinity and
 * undefined at the top level or in arrays; undefined object properties are dropped, as JSON does.
 */
export function createJsonCodec(options: JsonCodecOptions = {}): TextCodec {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_VALUE_BYTES;
  // A UTF-16 code unit is at most 3 UTF-8 bytes, so short strings skip the byte count entirely.
  const safeLength = Math.floor(maxBytes / 3);
  return {
    encode(value: unknown): string {
      let text: string | undefined;
      markerEmitted = false;
      try {
        text = JSON.stringify(value, replacer);
      } catch (err) {
        if (err instanceof InvalidArgumentError) throw err;
        throw new InvalidArgumentError(`Cache value is not serializable: ${(err as Error).message}`, {
          code: 'CACHE_VALUE_NOT_SERIALIZABLE',
          argument: 'value',
          cause: err,
        });
      }
      if (text === undefined) {
        throw new InvalidArgumentError(`Cache value is not serializable: ${typeof value}`, {
          code: 'CACHE_VALUE_NOT_SERIALIZABLE',
          argument: 'value',
        });
      }
      const out = markerEmitted ? MARKED_PREFIX + text : text;
      if (out.length > safeLength) {
        const size = Buffer.byteLength(out, 'utf8');
        if (size > maxBytes) {
          throw new InvalidArgumentError(
            `Cache value is ${size} bytes, over the limit of ${maxBytes} bytes`,
            {
              code: 'CACHE_VALUE_TOO_LARGE',
              argument: 'value',
              context: { size, limit: maxBytes },
            },
          );
        }
      }
      return out;
    },
    decode(text: string): unknown {
      if (text.charCodeAt(0) !== MARKED_PREFIX_CODE) return JSON.parse(text);
      undefinedRevived = false;
      return JSON.parse(text.slice(1), reviver);
    },
  };
}
