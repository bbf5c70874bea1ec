import { errorToAPIResponse, InvalidArgumentError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createJsonCodec, DEFAULT_MAX_VALUE_BYTES } from '../src/index.js';

const codec = createJsonCodec();
const roundTrip = (v: unknown) => codec.decode(codec.encode(v));

describe('JSON codec', () => {
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
  });

  it('keeps undefined at the top level and in arrays, drops undefined object properties like JSON', () => {
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
    expect(roundTrip({ a: 1, b: undefined })).toStrictEqual({ a: 1 });
    expect(roundTrip(new Map([['k', undefined]]))).toEqual(new Map([['k', undefined]]));
  });

  it('keeps NaN and infinities, null and plain JSON', () => {
    expect(roundTrip([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])).toEqual([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
    ]);
    expect(roundTrip(null)).toBeNull();
    expect(roundTrip({ a: [1, 'two', true, null] })).toEqual({ a: [1, 'two', true, null] });
  });

  it('writes plain values as plain JSON (readable by anything, decoded without a reviver)', () => {
    expect(codec.encode({ a: 1, b: ['x'] })).toBe('{"a":1,"b":["x"]}');
    // Marked values carry a leading "~", so decoding needs no scan to choose the reviver path.
    expect(codec.encode(new Date(0))).toBe('~{"\\u0000t":"D","v":"1970-01-01T00:00:00.000Z"}');
    expect(roundTrip('~not a marker')).toBe('~not a marker');
    // A string that merely looks like a date stays a string.
    expect(roundTrip('1970-01-01T00:00:00.000Z')).toBe('1970-01-01T00:00:00.000Z');
  });

  it('refuses values over the limit with a typed error that carries size and limit', () => {
    const small = createJsonCodec({ maxBytes: 10 });
    expect(small.encode('12345678')).toBe('"12345678"'); // exactly 10 bytes
    const err = (() => {
      try {
        small.encode('€€€€'); // 4 × 3 bytes + quotes = 14 bytes, only 6 UTF-16 units
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(err).toMatchObject({ code: 'CACHE_VALUE_TOO_LARGE', context: { size: 14, limit: 10 } });
    expect(DEFAULT_MAX_VALUE_BYTES).toBe(1024 * 1024);
    expect(() => codec.encode('x'.repeat(DEFAULT_MAX_VALUE_BYTES))).toThrow(InvalidArgumentError);
  });

  it('renders refusals as a generic 500: the value came from server code, not from the client', () => {
    const err = (() => {
      try {
        createJsonCodec({ maxBytes: 10 }).encode({ secret: 'internal detail' });
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
    expect(() => codec.encode({ '\u0000t': 'D', v: 'x' })).toThrow(InvalidArgumentError);
  });
});
