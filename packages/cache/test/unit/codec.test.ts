import { errorToAPIResponse, InvalidArgumentError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createCborCodec, DEFAULT_MAX_VALUE_BYTES } from '../../src/index.js';

const codec = createCborCodec();
const roundTrip = (v: unknown) => codec.decode(codec.encode(v));

describe('CBOR codec', () => {
  it('round-trips Date, Map, Set and BigInt, nested in each other', () => {
    const value = {
      at: new Date('2026-01-02T03:04:05.678Z'),
      invalid: new Date(Number.NaN),
      m: new Map<unknown, unknown>([
        ['k', new Set([1n, new Date(0)])],
        [2, { deep: new Map([['x', -(2n ** 80n)]]) }],
      ]),
      s: new Set(['a', { b: [new Date(1)] }]),
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(back.invalid).toBeInstanceOf(Date);
    expect(Number.isNaN(back.invalid.getTime())).toBe(true);
    expect([...(back.m.get('k') as Set<unknown>)][0]).toBe(1n);
    expect(back.m.get(2)).toEqual({ deep: new Map([['x', -(2n ** 80n)]]) }); // a non-string key stays a number
  });

  it('keeps undefined everywhere: at the top level, in arrays (elements, not holes) and as a property', () => {
    expect(roundTrip(undefined)).toBeUndefined();
    const arr = roundTrip([1, undefined, 3]) as unknown[];
    expect(arr).toHaveLength(3);
    expect(arr[1]).toBeUndefined();
    // An element, not a hole: holes are skipped by map/forEach/filter, so [1, undefined, 3].map(f) would
    // not call f for it and would read back differently.
    expect(1 in arr).toBe(true);
    expect(arr.map((x) => x ?? 0)).toStrictEqual([1, 0, 3]);
    expect(roundTrip([[undefined], { list: [undefined, new Date(0)] }])).toStrictEqual([
      [undefined],
      { list: [undefined, new Date(0)] },
    ]);
    expect(roundTrip({ a: 1, b: undefined })).toStrictEqual({ a: 1, b: undefined });
    expect(roundTrip(new Map([['k', undefined]]))).toEqual(new Map([['k', undefined]]));
  });

  it('keeps NaN and infinities, null, unicode and plain JSON-like values', () => {
    expect(roundTrip([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip('héllo 👋')).toBe('héllo 👋');
    // A string that merely looks like a date stays a string.
    expect(roundTrip('1970-01-01T00:00:00.000Z')).toBe('1970-01-01T00:00:00.000Z');
    expect(roundTrip({ a: [1, 'two', true, null, 2 ** 53 - 1, -1.5] })).toEqual({
      a: [1, 'two', true, null, 2 ** 53 - 1, -1.5],
    });
  });

  it('reads nothing it did not write: a counter, a JSON string or garbage throws (the cache counts a miss)', () => {
    // CBOR would decode the counter "3" as the integer -20: without the self-described tag it is refused.
    for (const foreign of ['3', '"v"', '', 'OK']) expect(() => codec.decode(Buffer.from(foreign))).toThrow();
    const good = codec.encode({ a: 1 });
    expect(() => codec.decode(good.subarray(0, good.length - 1))).toThrow(); // truncated
  });

  it('refuses values over the limit with a typed error that carries size and limit', () => {
    const small = createCborCodec({ maxBytes: 12 });
    const fits = small.encode('12345678'); // 3 (tag) + 1 (header) + 8
    expect(fits.byteLength).toBe(12);
    const err = (() => {
      try {
        small.encode('€€€'); // 3 × 3 bytes: 13 with tag and header, though only 3 UTF-16 units
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ code: 'CACHE_VALUE_TOO_LARGE', context: { size: 13, limit: 12 } });
    expect(DEFAULT_MAX_VALUE_BYTES).toBe(1024 * 1024);
    expect(() => codec.encode('x'.repeat(DEFAULT_MAX_VALUE_BYTES))).toThrow(InvalidArgumentError);
  });

  it('renders refusals as a generic 500: the value came from server code, not from the client', () => {
    const err = (() => {
      try {
        createCborCodec({ maxBytes: 10 }).encode({ secret: 'internal detail' });
      } catch (e) {
        return e;
      }
    })();
    const problem = errorToAPIResponse(err);
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('bytes');
  });

  it('refuses what it cannot represent with an InvalidArgumentError', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => codec.encode(cyclic)).toThrow(InvalidArgumentError);
    expect(() => codec.encode(() => 1)).toThrow(InvalidArgumentError);
    expect(() => codec.encode({ f: Symbol('s') })).toThrow(InvalidArgumentError);
  });
});
