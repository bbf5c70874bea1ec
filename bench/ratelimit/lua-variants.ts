// Server-side cost of the rate-limit scripts and of their building blocks, in Redis itself
// (INFO commandstats usec_per_call of EVALSHA), interleaved rounds, median. Not part of the report run:
//   cd bench && node ratelimit/lua-variants.ts      (ROUNDS=7, N=20000 calls per script and round)
// It is how the packed sliding script was chosen: each redis.call costs ≈ 0.6 µs, a table reply ≈ 0.4 µs,
// an empty script with four arguments ≈ 0.7 µs, against ≈ 2.5 µs for rate-limiter-flexible's whole script.
import { Redis } from 'ioredis';
// Internals, not the package's public API: read from its source.
import { SLIDING_WINDOW_LUA, SLIDING_WINDOW_WIDE_LUA } from '../../packages/ratelimit/src/sliding-lua.ts';
import { startRedis } from './services.ts';

const N = Number(process.env.N ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const D = 60_000;
const SERVER_CLOCK = [1, D, 10_000_000, ''];

// rate-limiter-flexible 11.4's fixed-window script, as RateLimiterRedis sends it.
const RLF_FIXED = `redis.call('set', KEYS[1], 0, 'EX', ARGV[2], 'NX')
local consumed = redis.call('incrby', KEYS[1], ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if ttl == -1 then
  redis.call('expire', KEYS[1], ARGV[2])
  ttl = 1000 * ARGV[2]
end
return {consumed, ttl}`;

const variants: Record<string, { lua: string; args: () => (string | number)[] }> = {
  'rate-limiter-flexible fixed': { lua: RLF_FIXED, args: () => [1, 3600, 1_000_000_000, 3600] },
  'sliding packed, TIME': { lua: SLIDING_WINDOW_LUA, args: () => SERVER_CLOCK },
  'sliding packed, clock arg': { lua: SLIDING_WINDOW_LUA, args: () => [1, D, 10_000_000, Date.now()] },
  'sliding wide, TIME': { lua: SLIDING_WINDOW_WIDE_LUA, args: () => [1, D, 1_000_000_000, ''] },
  'empty (return 1)': { lua: 'return 1', args: () => SERVER_CLOCK },
  'one TIME call': { lua: "redis.call('TIME') return 1", args: () => SERVER_CLOCK },
  'one HINCRBY call': { lua: "redis.call('HINCRBY', KEYS[1], 'c', 1) return 1", args: () => SERVER_CLOCK },
  'table reply {1, 2}': { lua: 'return {1, 2}', args: () => SERVER_CLOCK },
};

const server = await startRedis();
const r = new Redis(server.url);
try {
  const names = Object.keys(variants);
  const shas = new Map<string, string>();
  for (const name of names) shas.set(name, (await r.script('LOAD', variants[name]!.lua)) as string);
  const samples = new Map<string, number[]>(names.map((n) => [n, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      await r.config('RESETSTAT');
      for (let i = 0; i < N; i += 100) {
        const batch = r.pipeline();
        for (let j = 0; j < 100; j++)
          batch.evalsha(shas.get(name)!, 1, `k:${name}`, ...variants[name]!.args());
        for (const [error] of (await batch.exec()) ?? []) if (error) throw error;
      }
      const info = (await r.info('commandstats')) as string;
      samples.get(name)!.push(Number(/cmdstat_evalsha:.*usec_per_call=([\d.]+)/.exec(info)?.[1]));
    }
  }
  for (const name of names) {
    const xs = [...samples.get(name)!].sort((a, b) => a - b);
    process.stdout.write(`${name.padEnd(30)} ${xs[Math.floor(xs.length / 2)]!.toFixed(2)} µs/call\n`);
  }
} finally {
  r.disconnect();
  await server.stop();
}
