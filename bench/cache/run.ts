// Cache benchmarks: @mentora/cache vs raw ioredis GET and vs bentocache, on one throwaway Redis.
//   pnpm --filter @mentora/cache build && pnpm --filter @mentora/bench bench:cache
// Writes bench/reports/cache.md. Redis round trips are noisy on loopback, so every figure is a median
// over interleaved rounds (the variants of a table take turns, in rotating order) and compared as ratios
// within the same run.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { type Cache, createCache } from '@mentora/cache';
import { createRedisStore } from '@mentora/cache/redis';
import type { Logger } from '@mentora/monitoring';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { byteLength, CANDIDATES, CONTRACT_VALUES, hitPath, nsPerCall, roundTripFailures } from './codecs.ts';
import { startRedis } from './services.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 61);
const REDIS_OPS = Number(process.env.BENCH_OPS ?? 1_500);
const MEMORY_OPS = Number(process.env.BENCH_MEMORY_OPS ?? 50_000);
const STAMPEDE_RUNS = 7;
const STAMPEDE_CALLERS = 1_000;

const PAYLOAD = {
  id: 'video-123',
  title: 'Intro to caching',
  durationSec: 742,
  tags: ['redis', 'cache'],
  updatedAt: '2026-11-21T10:00:00.000Z',
};
const PAYLOAD_JSON = JSON.stringify(PAYLOAD);
const silent: Logger = { error() {}, warn() {}, info() {}, debug() {}, child: () => silent };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Average ns per awaited call over `ops` sequential calls. */
async function timeSequential(ops: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / ops;
}

interface Row {
  name: string;
  ns: number;
  opsPerSec: number;
  /** Throughput relative to the table's baseline (baseline time / variant time), from the medians. */
  throughput: number;
  /** Median over rounds of the same ratio within each round. */
  perRound: number;
}

/** Runs every variant `ops` times per round, rounds interleaved in rotating order, after a warm-up. */
async function interleaved(
  variants: Record<string, (i: number) => Promise<unknown>>,
  ops: number,
  baseline: string,
  baselineSamples?: number[],
): Promise<{ rows: Row[]; samples: Map<string, number[]> }> {
  const names = Object.keys(variants);
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const name of names) await timeSequential(Math.min(ops, 2_000), variants[name]!); // JIT, scripts
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      samples.get(name)!.push(await timeSequential(ops, variants[name]!));
    }
  }
  const base = baselineSamples ?? samples.get(baseline)!;
  const baseMedian = median(base);
  const rows = names.map((name) => {
    const xs = samples.get(name)!;
    return {
      name,
      ns: median(xs),
      opsPerSec: 1e9 / median(xs),
      throughput: baseMedian / median(xs),
      perRound: median(xs.map((x, i) => (base[i] as number) / x)),
    };
  });
  return { rows, samples };
}

async function commandCount(admin: Redis): Promise<number> {
  return Number(/total_commands_processed:(\d+)/.exec(await admin.info('stats'))?.[1]);
}

/** Redis commands per call of `fn` over `ops` calls (INFO's own call subtracted). */
async function commandsPerCall(
  admin: Redis,
  ops: number,
  fn: (i: number) => Promise<unknown>,
): Promise<number> {
  const before = await commandCount(admin);
  for (let i = 0; i < ops; i++) await fn(i);
  return (await commandCount(admin)) - before - 1;
}

const loadBefore = loadavg()[0] ?? 0;
const server = await startRedis();
const client = new Redis(server.url); // default ioredis client, shared by raw GET, @mentora/cache and bentocache
const admin = new Redis(server.url);
const caches: Cache[] = [];
let timedRawRef: Redis | undefined;
const bento = new BentoCache({
  default: 'redis',
  stores: {
    redis: bentostore().useL2Layer(redisDriver({ connection: client })),
    tiered: bentostore()
      .useL1Layer(memoryDriver({ maxItems: 10_000 }))
      .useL2Layer(redisDriver({ connection: client })),
  },
});
try {
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';
  const givenStore = createRedisStore({ client, logger: silent });
  const ownedStore = createRedisStore({ url: server.url, logger: silent }); // a client the store creates
  await Promise.all([givenStore.ready(), ownedStore.ready()]);
  // Reference only: what ioredis's own per-command timer costs.
  const timedRaw = new Redis(server.url, { commandTimeout: 1000 });
  timedRawRef = timedRaw;
  const mk = (options: Partial<Parameters<typeof createCache>[0]> = {}) => {
    const c = createCache({ store: givenStore, namespace: 'bench', logger: silent, ...options });
    caches.push(c);
    return c;
  };
  const cache = mk();
  const cacheOwned = mk({ store: ownedStore });
  const cacheL1 = mk({ l1: { maxEntries: 10_000, ttlMs: 3_600_000 } });
  await cacheL1.ready();
  const bRedis = bento.use('redis');
  const bTiered = bento.use('tiered');

  await client.set('raw:hit', PAYLOAD_JSON);
  await cache.set('hit', PAYLOAD, 3600);
  const compute = async () => PAYLOAD;
  await bRedis.getOrSet({ key: 'hit', factory: compute, ttl: '1h' });
  await bTiered.getOrSet({ key: 'hit-tiered', factory: compute, ttl: '1h' });
  await cacheL1.getOrCompute('hit', compute, 3600);

  // --- 1. Redis-tier hit vs raw GET ------------------------------------------------------------------------
  const redisHits = await interleaved(
    {
      'raw ioredis GET': () => client.get('raw:hit'),
      'raw ioredis GET + JSON.parse': async () => JSON.parse((await client.get('raw:hit')) as string),
      'raw ioredis GET, client with ioredis commandTimeout (reference)': () => timedRaw.get('raw:hit'),
      'cache.get (given client)': () => cache.get('hit'),
      'cache.getOrCompute hit (given client)': () => cache.getOrCompute('hit', compute, 3600),
      'cache.get (client created by the store)': () => cacheOwned.get('hit'),
      'bentocache getOrSet hit (Redis only)': () =>
        bRedis.getOrSet({ key: 'hit', factory: compute, ttl: '1h' }),
    },
    REDIS_OPS,
    'raw ioredis GET',
  );
  // --- 1b. The same with a short string value (the decode is trivial: what remains is the cache itself) ----
  await client.set('raw:small', JSON.stringify('active'));
  await cache.set('small', 'active', 3600);
  await bRedis.getOrSet({ key: 'small', factory: async () => 'active', ttl: '1h' });
  const smallHits = await interleaved(
    {
      'raw ioredis GET (string)': () => client.get('raw:small'),
      'cache.get (string)': () => cache.get('small'),
      'cache.getOrCompute hit (string)': () => cache.getOrCompute('small', compute, 3600),
      'bentocache getOrSet hit (string, Redis only)': () =>
        bRedis.getOrSet({ key: 'small', factory: async () => 'active', ttl: '1h' }),
    },
    REDIS_OPS,
    'raw ioredis GET (string)',
  );

  const rawSamples = redisHits.samples.get('raw ioredis GET')!;
  const rawMedianNs = median(rawSamples);

  // --- 2. Memory tier ------------------------------------------------------------------------------------
  // The baseline is the raw GET median measured above (same run); in-memory variants need far more ops.
  const memoryHits = await interleaved(
    {
      'cache.get, L1 hit': () => cacheL1.get('hit'),
      'cache.getOrCompute, L1 hit': () => cacheL1.getOrCompute('hit', compute, 3600),
      'bentocache getOrSet hit (memory + Redis)': () =>
        bTiered.getOrSet({ key: 'hit-tiered', factory: compute, ttl: '1h' }),
    },
    MEMORY_OPS,
    '',
    Array.from({ length: ROUNDS }, () => rawMedianNs),
  );

  // --- 3. Misses: getOrSet on fresh keys (GET miss, compute, SET) -------------------------------------------
  let missRound = 0;
  const missPrefix = () => `${missRound++}`;
  const misses = await interleaved(
    {
      'cache.getOrCompute miss': (() => {
        let p = missPrefix();
        return (i: number) => {
          if (i === 0) p = missPrefix();
          return cache.getOrCompute(`miss:${p}:${i}`, compute, 60);
        };
      })(),
      'bentocache getOrSet miss (Redis only)': (() => {
        let p = missPrefix();
        return (i: number) => {
          if (i === 0) p = missPrefix();
          return bRedis.getOrSet({ key: `bmiss:${p}:${i}`, factory: compute, ttl: '1m' });
        };
      })(),
    },
    REDIS_OPS / 2,
    'bentocache getOrSet miss (Redis only)',
  );

  // --- 4. Commands per call --------------------------------------------------------------------------------
  const cmds = {
    'cache.get hit': await commandsPerCall(admin, 1000, () => cache.get('hit')),
    'cache.getOrCompute hit': await commandsPerCall(admin, 1000, () =>
      cache.getOrCompute('hit', compute, 3600),
    ),
    'cache.get, L1 hit': await commandsPerCall(admin, 1000, () => cacheL1.get('hit')),
    'bentocache getOrSet hit (Redis only)': await commandsPerCall(admin, 1000, () =>
      bRedis.getOrSet({ key: 'hit', factory: compute, ttl: '1h' }),
    ),
    'bentocache getOrSet hit (memory + Redis)': await commandsPerCall(admin, 1000, () =>
      bTiered.getOrSet({ key: 'hit-tiered', factory: compute, ttl: '1h' }),
    ),
  };

  // --- 5. Stampede: 1,000 concurrent getOrCompute on one cold key ------------------------------------------
  const stampede = async (
    run: (key: string, fn: () => Promise<unknown>) => Promise<unknown>,
    tag: string,
  ) => {
    const computes: number[] = [];
    const times: number[] = [];
    for (let r = 0; r < STAMPEDE_RUNS; r++) {
      let n = 0;
      const slowCompute = async () => {
        n++;
        await new Promise((res) => setTimeout(res, 20)); // a database query
        return PAYLOAD;
      };
      const key = `stampede:${tag}:${r}`;
      const start = process.hrtime.bigint();
      await Promise.all(Array.from({ length: STAMPEDE_CALLERS }, () => run(key, slowCompute)));
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      computes.push(n);
    }
    return { computes, ms: median(times) };
  };
  // Two cache instances on two Redis connections in this process, sharing the lease (the real two-process
  // case is covered by packages/cache/test: see its lease tests).
  const peerStore = createRedisStore({ url: server.url, logger: silent });
  await peerStore.ready();
  const peer = mk({ store: peerStore });
  const stampedes = {
    '@mentora/cache getOrCompute (one process)': await stampede(
      (key, fn) => cache.getOrCompute(key, fn, 60),
      'one',
    ),
    '@mentora/cache getOrCompute, lease, 2 instances (2 connections) × 500': await stampede(
      (key, fn) =>
        Math.random() < 0.5
          ? cache.getOrCompute(key, fn, 60, { lease: true })
          : peer.getOrCompute(key, fn, 60, { lease: true }),
      'lease',
    ),
    'bentocache getOrSet (Redis only)': await stampede(
      (key, fn) => bRedis.getOrSet({ key, factory: fn, ttl: '1m' }),
      'bento',
    ),
  };

  // --- 6. Codecs: what each candidate round-trips, sizes, encode/decode, and the hit path through Redis -------
  const codecRows = CANDIDATES.map((c) => {
    const payload = c.encode(PAYLOAD);
    const small = c.encode('active');
    const rich = c.encode(Object.values(CONTRACT_VALUES)[0]);
    return {
      name: c.name,
      failures: roundTripFailures(c),
      size: byteLength(payload),
      smallSize: byteLength(small),
      richSize: byteLength(rich),
      encodeNs: nsPerCall(() => c.encode(PAYLOAD), 20_000, 15),
      decodeNs: nsPerCall(() => c.decode(payload), 20_000, 15),
      decodeRichNs: nsPerCall(() => c.decode(rich), 20_000, 15),
    };
  });
  const codecHitVariants: Record<string, (i: number) => Promise<unknown>> = {
    'raw ioredis GET': () => client.get('raw:hit'),
  };
  for (const [i, c] of CANDIDATES.entries()) {
    const encoded = c.encode(PAYLOAD);
    await client.set(`codec:${i}`, typeof encoded === 'string' ? encoded : Buffer.from(encoded));
    codecHitVariants[`GET + ${c.name}`] = hitPath(client, `codec:${i}`, c);
  }
  const codecHits = await interleaved(codecHitVariants, REDIS_OPS, 'raw ioredis GET');

  // --- Report ----------------------------------------------------------------------------------------------
  const fmt = (n: number, d = 2) => n.toFixed(d);
  const ops = (n: number) => Math.round(n).toLocaleString('en-US');
  const table = (rows: Row[], baseLabel: string) =>
    `| variant | median µs/op | ops/s | throughput vs ${baseLabel} | per-round |\n|---|---:|---:|---:|---:|\n${rows
      .map(
        (r) =>
          `| ${r.name} | ${fmt(r.ns / 1000, 3)} | ${ops(r.opsPerSec)} | ${fmt(r.throughput, 3)}× | ${fmt(r.perRound, 3)}× |`,
      )
      .join('\n')}`;
  const byName = (rows: Row[], name: string) => rows.find((r) => r.name === name)!;
  const redisHit = byName(redisHits.rows, 'cache.get (given client)');
  const redisHitGoc = byName(redisHits.rows, 'cache.getOrCompute hit (given client)');
  const ownedHit = byName(redisHits.rows, 'cache.get (client created by the store)');
  const l1Hit = byName(memoryHits.rows, 'cache.get, L1 hit');
  const l1Goc = byName(memoryHits.rows, 'cache.getOrCompute, L1 hit');
  const bentoTiered = byName(memoryHits.rows, 'bentocache getOrSet hit (memory + Redis)');
  const bentoRedis = byName(redisHits.rows, 'bentocache getOrSet hit (Redis only)');
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const low = (r: Row) => Math.min(r.throughput, r.perRound);
  const smallGet = byName(smallHits.rows, 'cache.get (string)');
  const smallGoc = byName(smallHits.rows, 'cache.getOrCompute hit (string)');

  const report = `# @mentora/cache benchmark

Generated by \`pnpm --filter @mentora/bench bench:cache\` (bench/cache/run.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version},
Redis ${redisVersion} on loopback (throwaway instance from @mentora/testing); ioredis and bentocache 1.6.1 from the
workspace. Every variant shares one Redis; raw GET, \`cache\` (given client) and bentocache share one default ioredis client.
Value: a ${PAYLOAD_JSON.length}-byte JSON object. Load average (1 min) before / after the run: ${loadBefore.toFixed(2)} /
${(loadavg()[0] ?? 0).toFixed(2)} (the machine is shared: figures move between runs, ratios within a run are what count).

Method: each variant runs its calls awaited one at a time; ${ROUNDS} rounds, the variants of a table interleaved in
rotating order after a warm-up; figures are medians over rounds. "Throughput vs raw GET" is the raw GET median
time divided by the variant's median time (higher is better); "per-round" is the median of that ratio computed
within each round (robust to drift across the run).

## Targets

"Lower estimate" is the smaller of the two ratios (median-of-medians and per-round); a target counts as met only
if that one meets it.

| target | median ratio | per-round ratio | lower estimate | |
|---|---:|---:|---:|---|
| Redis-tier hit ≥ 0.95× raw ioredis GET throughput (\`cache.get\`) | ${fmt(redisHit.throughput, 3)}× | ${fmt(redisHit.perRound, 3)}× | ${fmt(low(redisHit), 3)}× | ${met(low(redisHit) >= 0.95)} |
| … \`cache.getOrCompute\` hit | ${fmt(redisHitGoc.throughput, 3)}× | ${fmt(redisHitGoc.perRound, 3)}× | ${fmt(low(redisHitGoc), 3)}× | ${met(low(redisHitGoc) >= 0.95)} |
| … \`cache.get\`, client created by the store | ${fmt(ownedHit.throughput, 3)}× | ${fmt(ownedHit.perRound, 3)}× | ${fmt(low(ownedHit), 3)}× | ${met(low(ownedHit) >= 0.95)} |
| … \`cache.get\`, short string value (table 1b) | ${fmt(smallGet.throughput, 3)}× | ${fmt(smallGet.perRound, 3)}× | ${fmt(low(smallGet), 3)}× | ${met(low(smallGet) >= 0.95)} |
| … \`cache.getOrCompute\`, short string value | ${fmt(smallGoc.throughput, 3)}× | ${fmt(smallGoc.perRound, 3)}× | ${fmt(low(smallGoc), 3)}× | ${met(low(smallGoc) >= 0.95)} |
| Memory-tier (L1) hit ≥ 20× raw GET (\`cache.get\`) | ${fmt(l1Hit.throughput, 1)}× | ${fmt(l1Hit.perRound, 1)}× | ${fmt(low(l1Hit), 1)}× | ${met(low(l1Hit) >= 20)} |
| … and more than twice bentocache's tiered hit | ${fmt(l1Hit.throughput / bentoTiered.throughput, 2)}× bentocache | | | ${met(l1Hit.throughput > 2 * bentoTiered.throughput)} |

## 1. Redis-tier hit vs raw ioredis GET (${REDIS_OPS.toLocaleString('en-US')} calls per variant per round)

${table(redisHits.rows, 'raw GET')}

The \`cache.*\` rows read the value's bytes and decode them (CBOR, the default codec; see section 6); the raw
GET row reads the JSON text and does not decode it, the "+ JSON.parse" row does: the difference between those
two rows is the decode every cache pays. Every \`cache.*\` command is under a deadline
(default 1 s) enforced by the store's watchdog: one interval timer for all in-flight commands, a late one
rejected directly, instead of ioredis's \`commandTimeout\` timer per command, whose cost the reference row shows.
Store-created client vs given client: ${fmt(ownedHit.throughput, 3)}× vs ${fmt(redisHit.throughput, 3)}× raw GET.

## 1b. The same with a short string value (\`"active"\`, ${REDIS_OPS.toLocaleString('en-US')} calls per variant per round)

With a trivial decode, what is left is the cache's own cost: breaker check, deadline tracking, key prefix,
counters.

${table(smallHits.rows, 'raw GET')}

## 2. Memory tier (L1) hit (${MEMORY_OPS.toLocaleString('en-US')} calls per variant per round), vs the raw GET median above

${table(memoryHits.rows, 'raw GET')}

\`cache.getOrCompute\` L1 hit: ${fmt(l1Goc.throughput, 1)}×; bentocache memory + Redis: ${fmt(bentoTiered.throughput, 1)}×;
bentocache Redis only: ${fmt(bentoRedis.throughput, 3)}× (table 1).

## 3. Miss path: get-or-set on fresh keys (${(REDIS_OPS / 2).toLocaleString('en-US')} calls per variant per round)

${table(misses.rows, 'bentocache miss')}

## 4. Redis commands per call (from \`INFO stats\`, 1,000 calls each)

| call | commands per call |
|---|---:|
${Object.entries(cmds)
  .map(([k, v]) => `| ${k} | ${fmt(v / 1000, 3)} |`)
  .join('\n')}

## 5. Stampede: ${STAMPEDE_CALLERS.toLocaleString('en-US')} concurrent callers on one cold key (compute takes 20 ms), ${STAMPEDE_RUNS} runs

| variant | computes per run | median ms for all callers |
|---|---|---:|
${Object.entries(stampedes)
  .map(([k, v]) => `| ${k} | ${v.computes.join(', ')} | ${fmt(v.ms, 1)} |`)
  .join('\n')}

## 6. Codec

The candidates on the bench's values: the ${PAYLOAD_JSON.length}-byte object above, the short string, and the contract suite's
richest value (Date, Set, Map with a BigInt, NaN, -Infinity, undefined in an array, unicode). "Round-trips"
counts the contract's values (packages/cache/test/support/contract.ts and codec tests) that read back exactly. Encode and
decode are in-process medians (ns per call, ${'15'} rounds of 20,000); the hit path is GET (text or bytes, as the
codec's store would read it) + decode, interleaved with a raw GET (${REDIS_OPS.toLocaleString('en-US')} calls per round).

| codec | round-trips | bytes (object / string / rich) | encode ns | decode ns (object / rich) |
|---|---|---:|---:|---:|
${codecRows
  .map(
    (r) =>
      `| ${r.name} | ${r.failures.length === 0 ? 'all' : `fails: ${r.failures.join('; ')}`} | ${r.size} / ${r.smallSize} / ${r.richSize} | ${fmt(r.encodeNs, 0)} | ${fmt(r.decodeNs, 0)} / ${fmt(r.decodeRichNs, 0)} |`,
  )
  .join('\n')}

${table(codecHits.rows, 'raw GET')}

Raw GET median in this run: ${fmt(rawMedianNs / 1000, 3)} µs (${ops(1e9 / rawMedianNs)} ops/s).
`;
  const out = fileURLToPath(new URL('../reports/cache.md', import.meta.url));
  await writeFile(out, report);
  process.stdout.write(`${report}\nwritten to ${out}\n`);
  await peerStore.close().catch(() => {});
  await givenStore.close();
  await ownedStore.close();
} finally {
  for (const c of caches) await c.close();
  await bento.disconnectAll().catch(() => {});
  client.disconnect();
  admin.disconnect();
  timedRawRef?.disconnect();
  await server.stop();
}
