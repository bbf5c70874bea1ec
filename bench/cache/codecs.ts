// Codec candidates for @mentora/cache, measured on the bench's values: encoded size, encode and decode time
// in process, whether each round-trips what the contract suite checks, and the hit path through Redis
// (GET + decode) against a raw GET. Used by run.ts (section "Codec"); the figures chose the default codec.
import { isDeepStrictEqual } from 'node:util';
import { Encoder } from 'cbor-x';
import type { Redis } from 'ioredis';
import { Packr } from 'msgpackr';
// The hand-written JSON codec the cache used before, kept here only as the baseline of this comparison.
import { createJsonCodec } from './json-codec.ts';

export interface Candidate {
  name: string;
  /** Whether the store reads this codec's values as bytes (GET → Buffer) or as text. */
  binary: boolean;
  encode(value: unknown): Uint8Array | string;
  decode(payload: Uint8Array | string): unknown;
}

const json = createJsonCodec();
const cbor = new Encoder({ useRecords: false });
// Records (msgpackr's default) are what tells a Map from an object; without shared structures each value
// carries its own record definitions, so a reader in another process can decode it.
const msgpackRecords = new Packr({ useBigIntExtension: true, moreTypes: true });
// Plain maps: faster, but a Map comes back as an object (listed for reference, not a candidate).
const msgpackPlain = new Packr({ useBigIntExtension: true, moreTypes: true, useRecords: false });

export const CANDIDATES: Candidate[] = [
  {
    name: 'hand-written JSON codec (text)',
    binary: false,
    encode: (v) => json.encode(v),
    decode: (p) => json.decode(p as string),
  },
  {
    name: 'cbor-x (CBOR, no records)',
    binary: true,
    encode: (v) => cbor.encode(v),
    decode: (p) => cbor.decode(p as Buffer),
  },
  {
    name: 'msgpackr (records, BigInt extension)',
    binary: true,
    encode: (v) => msgpackRecords.pack(v),
    decode: (p) => msgpackRecords.unpack(p as Buffer),
  },
  {
    name: 'msgpackr (no records: Map reads back as an object)',
    binary: true,
    encode: (v) => msgpackPlain.pack(v),
    decode: (p) => msgpackPlain.unpack(p as Buffer),
  },
];

/** What the cache contract suite round-trips (packages/cache/test/support/contract.ts and the codec tests). */
export const CONTRACT_VALUES: Record<string, unknown> = {
  'Date, Set, Map with a BigInt, NaN, -Infinity, undefined in an array, unicode': {
    when: new Date('2026-11-21T10:00:00.000Z'),
    tags: new Set(['a', 'b']),
    byId: new Map<string, unknown>([['x', { n: 1n << 70n }]]),
    list: [1, undefined, Number.NaN, Number.NEGATIVE_INFINITY],
    text: 'héllo 👋',
  },
  'invalid Date, Map with non-string keys, nested Set': {
    invalid: new Date(Number.NaN),
    m: new Map<unknown, unknown>([
      ['k', new Set([1n, new Date(0)])],
      [2, { deep: new Map([['x', -(2n ** 80n)]]) }],
    ]),
  },
  'undefined at the top level': undefined,
  null: null,
  'nested arrays with undefined': [[undefined], { list: [undefined, new Date(0)] }],
};

/** Names of the contract values a candidate does not read back exactly. */
export function roundTripFailures(c: Candidate): string[] {
  const failed: string[] = [];
  for (const [name, value] of Object.entries(CONTRACT_VALUES)) {
    try {
      if (!isDeepStrictEqual(c.decode(c.encode(value)), value)) failed.push(name);
    } catch {
      failed.push(name);
    }
  }
  return failed;
}

/** Median ns per call of `fn` over `rounds` rounds of `n` calls. */
export function nsPerCall(fn: () => unknown, n: number, rounds: number): number {
  for (let i = 0; i < n; i++) fn(); // JIT
  const xs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    xs.push(Number(process.hrtime.bigint() - start) / n);
  }
  xs.sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] as number;
}

export function byteLength(payload: Uint8Array | string): number {
  return typeof payload === 'string' ? Buffer.byteLength(payload) : payload.byteLength;
}

/** The hit path of a cache with this codec: one GET (text or bytes) and a decode. */
export function hitPath(client: Redis, key: string, c: Candidate): () => Promise<unknown> {
  return c.binary
    ? async () => c.decode((await client.getBuffer(key)) as Buffer)
    : async () => c.decode((await client.get(key)) as string);
}
