import { InvalidArgumentError } from '@mentora/errors';
import { Encoder, Tag } from 'cbor-x';
import type { CachePayload } from './types.js';

/** Turns values into the bytes the stores keep, and back. Injectable through `createCache({ codec })`. */
export interface CacheCodec {
  encode(value: unknown): CachePayload;
  /** Throws on anything it did not write: the cache then treats the entry as a miss. */
  decode(payload: CachePayload): unknown;
}

export const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;

export interface CborCodecOptions {
  /** Largest encoded value in bytes; bigger values throw `CACHE_VALUE_TOO_LARGE`. Default 1 MiB. */
  maxBytes?: number;
}

/**
 * CBOR's "self-described CBOR" tag (RFC 8949 §3.4.6), written in front of every value: three bytes that no
 * counter, lock token or other application's string starts with, so such a value reads as a miss instead of
 * decoding into something wrong ("3", a counter, is the CBOR integer -20).
 */
const SELF_DESCRIBED = 55799;
const MAGIC_0 = 0xd9;
const MAGIC_1 = 0xd9;
const MAGIC_2 = 0xf7;

function notSerializable(err: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`Cache value is not serializable: ${(err as Error).message}`, {
    code: 'CACHE_VALUE_NOT_SERIALIZABLE',
    argument: 'value',
    cause: err,
  });
}

/**
 * The default codec: CBOR (RFC 8949) through cbor-x, which round-trips Date (invalid ones too), Map, Set,
 * BigInt of any size, NaN, ±Infinity, `undefined` (at the top level, in arrays and as an object property),
 * typed arrays, RegExp and Error natively, with no reviver pass. Objects are plain CBOR maps (no records),
 * so every value is self-contained and any process can read it. Chosen over msgpackr and the former
 * hand-written JSON codec by the figures in bench/reports/cache.md.
 */
export function createCborCodec(options: CborCodecOptions = {}): CacheCodec {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_VALUE_BYTES;
  const cbor = new Encoder({ useRecords: false });
  return {
    encode(value: unknown): CachePayload {
      let bytes: CachePayload;
      try {
        bytes = cbor.encode(new Tag(value, SELF_DESCRIBED));
      } catch (err) {
        // A function, a symbol, a cycle (RangeError: the stack).
        throw notSerializable(err);
      }
      if (bytes.byteLength > maxBytes) {
        throw new InvalidArgumentError(
          `Cache value is ${bytes.byteLength} bytes, over the limit of ${maxBytes} bytes`,
          {
            code: 'CACHE_VALUE_TOO_LARGE',
            argument: 'value',
            context: { size: bytes.byteLength, limit: maxBytes },
          },
        );
      }
      return bytes;
    },
    decode(payload: CachePayload): unknown {
      if (payload[0] !== MAGIC_0 || payload[1] !== MAGIC_1 || payload[2] !== MAGIC_2) {
        throw new Error('not a value written by the cache codec');
      }
      const value = cbor.decode(payload);
      // cbor-x unwraps the tag, except around `undefined` (its "no value" for a tag it passes on).
      return value instanceof Tag ? value.value : value;
    },
  };
}
