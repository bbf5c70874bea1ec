// Rate-limit benchmarks: @mentora/ratelimit vs raw rate-limiter-flexible on one throwaway Redis.
//   pnpm --filter @mentora/ratelimit build && pnpm --filter @mentora/bench bench:ratelimit
// Writes bench/reports/ratelimit.md. Redis round trips are noisy on loopback, so every figure is a
// median over interleaved rounds (the variants take turns, in rotating order) and compared as ratios.
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createStaticFeatureFlags } from '@mentora/config';
import { createRateLimiter, type RateLimiter } from '@mentora/ratelimit';
import { createRedisStore } from '@mentora/ratelimit/redis';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { startRedis } from './services.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const OPS_PER_ROUND = Number(process.env.BENCH_OPS ?? 3_000);
const BLOCKED_OPS = Number(process.env.BENCH_BLOCKED_OPS ?? 2_000_000);
const BLOCKED_ROUNDS = 5;
const HUGE = 1_000_000_000; // a limit the bench never reaches: every check is a full store round trip
// Sliding limits below 2^25 take the packed script (the one every real plan uses); HUGE takes the wide one.
const NEVER_REACHED_SLIDING = 10_000_000;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** Average ns per awaited call over `ops` sequential calls. */
async function timeSequential(ops: number, fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await fn();
  return Number(process.hrtime.bigint() - start) / ops;
}

async function commandsProcessed(admin: Redis): Promise<number> {
  const info = await admin.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1]);
}

/** Redis commands issued while `fn` runs (INFO's own call subtracted). */
async function countCommands(admin: Redis, fn: () => Promise<void>): Promise<number> {
  const before = await commandsProcessed(admin);
  await fn();
  const after = await commandsProcessed(admin);
  return after - before - 1;
}

const loadAtStart = loadavg()[0] ?? 0;
const server = await startRedis();
const client = new Redis(server.url);
const admin = new Redis(server.url);
const flags = createStaticFeatureFlags({ plans: { 'flag-user': 'basic' } });
const limiters: RateLimiter[] = [];
try {
  const store = createRedisStore({ client });
  await store.ready();
  const redisVersion = /redis_version:(\S+)/.exec(await admin.info('server'))?.[1] ?? '?';

  // --- Check vs raw consume -----------------------------------------------------------------------------
  const raw = new RateLimiterRedis({ storeClient: client, keyPrefix: 'raw', points: HUGE, duration: 3600 });
  const rl = createRateLimiter({
    store,
    flags,
    namespace: 'mentora',
    plans: {
      basic: {
        rateLimits: {
          videoUpload: { limit: HUGE },
          chat: { limit: NEVER_REACHED_SLIDING },
          api: { limit: HUGE },
        },
      },
    },
  });
  limiters.push(rl);
  // Same sliding script, but the window clock comes from this process instead of Redis TIME.
  const rlLocalClock = createRateLimiter({
    store: createRedisStore({ client, clock: Date.now }),
    flags,
    namespace: 'mentora-local-clock',
    plans: { basic: { rateLimits: { chat: { limit: NEVER_REACHED_SLIDING } } } },
  });
  limiters.push(rlLocalClock);
  const variants: Record<string, () => Promise<unknown>> = {
    'raw rate-limiter-flexible consume (fixed)': () => raw.consume('bench-user'),
    'checkRateLimit fixed window (videoUpload, plan given)': () =>
      rl.checkRateLimit('bench-user', 'videoUpload', 'basic'),
    'checkRateLimit fixed window, plan via FeatureFlags': () => rl.checkRateLimit('flag-user', 'videoUpload'),
    'checkRateLimit sliding window (chat, plan given)': () =>
      rl.checkRateLimit('bench-user', 'chat', 'basic'),
    'checkRateLimit sliding window, process clock (`clock: Date.now`)': () =>
      rlLocalClock.checkRateLimit('bench-user', 'chat', 'basic'),
    'checkRateLimit sliding window, limit >= 2^25 (wide script)': () =>
      rl.checkRateLimit('bench-user', 'api', 'basic'),
  };
  const names = Object.keys(variants);
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (const name of names) await timeSequential(500, variants[name]!); // warm-up: JIT, scripts loaded
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!; // rotate who goes first
      samples.get(name)!.push(await timeSequential(OPS_PER_ROUND, variants[name]!));
    }
  }
  const rawName = names[0]!;
  const rawSamples = samples.get(rawName)!;
  const rawMedian = median(rawSamples);
  const rows = names.map((name) => {
    const xs = samples.get(name)!;
    const perRoundRatio = median(xs.map((x, i) => x / (rawSamples[i] as number)));
    return {
      name,
      us: median(xs) / 1000,
      opsPerSec: 1e9 / median(xs),
      ratio: median(xs) / rawMedian,
      perRoundRatio,
    };
  });

  const loadAtChecksEnd = loadavg()[0] ?? 0;

  // --- Server-side script cost -----------------------------------------------------------------------------
  async function serverUsPerCall(fn: () => Promise<unknown>): Promise<number> {
    await admin.config('RESETSTAT');
    for (let i = 0; i < 10_000; i++) await fn();
    const info = await admin.info('commandstats');
    return Number(/cmdstat_evalsha:.*usec_per_call=([\d.]+)/.exec(info)?.[1]);
  }
  const serverUs = {
    fixed: await serverUsPerCall(variants[names[0]!]!),
    sliding: await serverUsPerCall(variants[names[3]!]!),
    slidingLocal: await serverUsPerCall(variants[names[4]!]!),
    wide: await serverUsPerCall(variants[names[5]!]!),
  };

  // --- Blocked fast path ----------------------------------------------------------------------------------
  const blocked = createRateLimiter({ store, flags, namespace: 'blocked' });
  limiters.push(blocked);
  for (let i = 0; i < 11; i++) await blocked.checkRateLimit('attacker', 'chat', 'basic');
  const rawBlocked = new RateLimiterRedis({
    storeClient: client,
    keyPrefix: 'raw-blocked',
    points: 10,
    duration: 60,
    inMemoryBlockOnConsumed: 10,
    inMemoryBlockDuration: 60,
  });
  for (let i = 0; i < 11; i++) await rawBlocked.consume('attacker').catch(() => {});
  const blockedRuns: number[] = [];
  const rawBlockedRuns: number[] = [];
  let deniedSeen = 0;
  const blockedCommands = await countCommands(admin, async () => {
    for (let r = 0; r < BLOCKED_ROUNDS; r++) {
      blockedRuns.push(
        await timeSequential(BLOCKED_OPS, async () => {
          const res = await blocked.checkRateLimit('attacker', 'chat', 'basic');
          if (!res.allowed) deniedSeen++;
        }),
      );
    }
  });
  const rawBlockedCommands = await countCommands(admin, async () => {
    for (let r = 0; r < BLOCKED_ROUNDS; r++) {
      rawBlockedRuns.push(
        await timeSequential(BLOCKED_OPS, () => rawBlocked.consume('attacker').catch(() => {})),
      );
    }
  });
  if (deniedSeen !== BLOCKED_OPS * BLOCKED_ROUNDS)
    throw new Error('blocked identity was not denied every time');
  const blockedOps = 1e9 / median(blockedRuns);
  const rawBlockedOps = 1e9 / median(rawBlockedRuns);

  // --- Report ----------------------------------------------------------------------------------------------
  const check = rows[1]!;
  const sliding = rows[3]!;
  const slidingLocal = rows[4]!;
  const wide = rows[5]!;
  const fmt = (n: number, d = 2) => n.toFixed(d);
  const kops = (n: number) => `${Math.round(n).toLocaleString('en-US')}`;
  const report = `# @mentora/ratelimit benchmark

Generated by \`pnpm --filter @mentora/bench bench:ratelimit\` (bench/ratelimit/run.ts) on ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version},
Redis ${redisVersion} on loopback (throwaway instance), ioredis + rate-limiter-flexible from the workspace catalog.

## Check vs raw rate-limiter-flexible \`consume\`

Each variant runs ${OPS_PER_ROUND.toLocaleString('en-US')} checks awaited one at a time, per round; ${ROUNDS} rounds, the
variants interleaved in rotating order after a warm-up. "per-round ratio" is the median over rounds of
(variant time ÷ raw time in the same round): pairing within a round cancels the load drift of a shared
2-core machine, so it is the figure the targets are judged on. The unpaired "ratio of medians" is shown for
reference. The limit is never reached, so every check is one Redis round trip (EVALSHA).

| variant | median µs/check | checks/s | per-round ratio vs raw | ratio of medians |
|---|---:|---:|---:|---:|
${rows.map((r) => `| ${r.name} | ${fmt(r.us)} | ${kops(r.opsPerSec)} | ${fmt(r.perRoundRatio, 3)} | ${fmt(r.ratio, 3)} |`).join('\n')}

Target: a rate-limit check ≤ 1.10× raw \`consume\` time.

- Fixed window — the same algorithm and script as the raw \`consume\`, so this is the wrapper's cost:
  **${fmt(check.perRoundRatio, 3)}×** (${check.perRoundRatio <= 1.1 ? 'met' : 'NOT met'}).
- Sliding window (chat, auth, api): **${fmt(sliding.perRoundRatio, 3)}×** (${sliding.perRoundRatio <= 1.1 ? 'met' : 'NOT met'}); with the process clock
  **${fmt(slidingLocal.perRoundRatio, 3)}×**. One round trip; inside Redis the packed script (every limit below 2^25, so
  every catalog rule) admits a request in a window that already has a count with \`TIME\` and one \`HINCRBY\`
  whose reply carries both windows' counts, and answers with one integer instead of a Lua table (see
  packages/ratelimit/src/sliding-lua.ts). The wrapper's own overhead is the same as for the fixed window.
- Sliding window with a limit of 2^25 or more (the wide script: \`TIME\`, \`HMGET\` of three fields, \`HINCRBY\`, a table
  reply — the layout every sliding limit used before): **${fmt(wide.perRoundRatio, 3)}×**, for reference; no catalog rule
  is that large.

Server-side cost per EVALSHA (\`INFO commandstats\` usec_per_call, 10,000 calls each, measured separately in this
run): rate-limiter-flexible's fixed-window script ${fmt(serverUs.fixed)} µs; our packed sliding-window script
${fmt(serverUs.sliding)} µs with the Redis clock (\`TIME\`), ${fmt(serverUs.slidingLocal)} µs with the process clock; the wide
script ${fmt(serverUs.wide)} µs. Per-script costs of the building blocks (an empty script, one \`redis.call\`, a table
reply) can be measured with \`node ratelimit/lua-variants.ts\` in bench/.

1-minute load average: ${loadAtStart.toFixed(2)} when the run started, ${loadAtChecksEnd.toFixed(2)} after the check rounds
(a 2-core machine shared with other work; ratios are paired within rounds for that reason).

## Blocked identity (fast path)

An identity over its limit is answered from process memory until the store said it may retry.
${BLOCKED_ROUNDS} runs × ${BLOCKED_OPS.toLocaleString('en-US')} checks awaited one at a time; median.

| variant | checks/s | Redis commands during the runs |
|---|---:|---:|
| \`checkRateLimit\` on a blocked identity | ${kops(blockedOps)} | ${blockedCommands} |
| raw rate-limiter-flexible \`consume\` with \`inMemoryBlockOnConsumed\` | ${kops(rawBlockedOps)} | ${rawBlockedCommands} |

Target: ≥ 1.2M checks/s with no Redis command → **${kops(blockedOps)} checks/s, ${blockedCommands} commands**
(${blockedOps >= 1_200_000 && blockedCommands === 0 ? 'met' : 'NOT met'}). Commands are counted from \`INFO stats\`
\`total_commands_processed\` before and after (the INFO call itself subtracted). This path is pure CPU, so
its absolute figure moves with other load on the machine (1-minute load average when the run started:
${loadAtStart.toFixed(2)}); rate-limiter-flexible's own in-memory block, measured in the same run, is the yardstick.
`;
  const out = fileURLToPath(new URL('../reports/ratelimit.md', import.meta.url));
  await writeFile(out, report);
  process.stdout.write(`${report}\nwritten to ${out}\n`);
} finally {
  for (const l of limiters) await l.close();
  client.disconnect();
  admin.disconnect();
  await server.stop();
}
