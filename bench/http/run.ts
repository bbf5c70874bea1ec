// withInfrastructure through `next start` on loopback: requests per second of the same route bare and
// wrapped (the ratio is the figure), and the wrapper's added latency per request at p50 / p99.
//   pnpm turbo run build --filter=./packages/* && pnpm --filter @mentora/bench bench:http
// Builds bench/http/app once (`next build`; BENCH_SKIP_BUILD=1 reuses an existing build), serves it with
// `next start`, and writes bench/reports/http.md. The load generator shares the machine with the server,
// as it does for every variant; the variants take turns, in rotating order, and every figure is a
// median over rounds, compared as ratios within one run.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Agent, get } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getFreePort, startProcess } from '@mentora/testing';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const LATENCY_REQUESTS = Number(process.env.BENCH_LATENCY_REQUESTS ?? 1_000);

const appDir = fileURLToPath(new URL('./app', import.meta.url));
const nextBin = join(appDir, '..', '..', 'node_modules', 'next', 'dist', 'bin', 'next');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
const percentile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;

/**
 * CPU time (ms) used so far by the server: `next start` and every process under it, from /proc (Linux).
 * CPU per request is what the wrapper adds; unlike requests per second it does not move with what
 * other processes on the machine are doing.
 */
function serverCpuMs(rootPid: number): number {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // exited meanwhile
    }
  }
  let ticks = 0;
  for (const [pid, used] of cpu) {
    for (let p: number | undefined = pid; p !== undefined && p > 1; p = parents.get(p)) {
      if (p === rootPid) {
        ticks += used;
        break;
      }
    }
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

const env = {
  PATH: process.env.PATH,
  NEXT_TELEMETRY_DISABLED: '1',
  // Production logging: one JSON access-log line per request at info (to the process log file).
  MENTORA_ENV: 'test',
  LOG_LEVEL: 'info',
};

if (!(process.env.BENCH_SKIP_BUILD === '1' && existsSync(join(appDir, '.next', 'BUILD_ID')))) {
  console.info('[bench:http] next build…');
  const build = spawnSync(process.execPath, [nextBin, 'build'], { cwd: appDir, env, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`next build failed (${build.status})`);
}

const port = await getFreePort();
const server = await startProcess({
  name: 'bench-next-start',
  command: process.execPath,
  args: [nextBin, 'start', '--port', String(port), '--hostname', '127.0.0.1'],
  cwd: appDir,
  env,
  ready: async () => (await fetch(`http://127.0.0.1:${port}/bare`).catch(() => undefined))?.ok === true,
});

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
let failures = 0;

let resets = 0;

function request(path: string, retried = false): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent }, (res) => {
      if (res.statusCode !== 200) failures++;
      res.resume();
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The keep-alive race: the server closed an idle socket as the client reused it. Retried once, as
      // HTTP clients do for idempotent requests, and counted in the report.
      if (!retried && req.reusedSocket && error.code === 'ECONNRESET') {
        resets++;
        resolve(request(path, true));
      } else reject(error);
    });
  });
}

/** CONCURRENCY keep-alive loops for SECONDS: completed requests per second, server CPU ms per request. */
async function throughput(path: string): Promise<{ rps: number; cpuMs: number }> {
  const deadline = performance.now() + SECONDS * 1000;
  let done = 0;
  const started = performance.now();
  const cpuStart = serverCpuMs(server.pid);
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        await request(path);
        done++;
      }
    }),
  );
  const rps = done / ((performance.now() - started) / 1000);
  return { rps, cpuMs: (serverCpuMs(server.pid) - cpuStart) / done };
}

/** One request at a time: each request's round-trip time (ms). */
async function latencies(path: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await request(path);
    out.push(performance.now() - t);
  }
  return out;
}

try {
  // Warm-up: JIT, Next's route compilation caches, the wrapper's lazily built dependencies.
  for (const path of ['/bare', '/wrapped']) {
    await latencies(path, 500);
    await throughput(path);
  }

  type Variant = 'bare' | 'wrapped' | 'wrapped-quiet';
  const VARIANTS: readonly Variant[] = ['bare', 'wrapped', 'wrapped-quiet'];
  const perVariant = <T>(make: () => T) =>
    Object.fromEntries(VARIANTS.map((v) => [v, make()])) as Record<Variant, T>;
  const rps = perVariant<number[]>(() => []);
  const cpu = perVariant<number[]>(() => []);
  const lat = perVariant<number[]>(() => []);
  // Per round, against bare: requests per second (wrapped / bare) and CPU per request (bare / wrapped).
  const ratios = perVariant<number[]>(() => []);
  const cpuRatios = perVariant<number[]>(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    // The variants take turns, the order rotating every round.
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length] as Variant);
    const r = perVariant(() => 0);
    const c = perVariant(() => 0);
    for (const v of order) {
      const m = await throughput(`/${v}`);
      r[v] = m.rps;
      c[v] = m.cpuMs;
      rps[v].push(m.rps);
      cpu[v].push(m.cpuMs);
    }
    for (const v of VARIANTS) {
      ratios[v].push(r[v] / r.bare);
      cpuRatios[v].push(c.bare / c[v]);
    }
    for (const v of order) lat[v].push(...(await latencies(`/${v}`, LATENCY_REQUESTS)));
    console.info(
      `[bench:http] round ${round + 1}/${ROUNDS}: ${VARIANTS.map((v) => `${v} ${r[v].toFixed(0)} req/s ${c[v].toFixed(3)} ms CPU/req`).join(', ')}`,
    );
  }
  if (failures > 0) throw new Error(`${failures} responses were not 200`);

  const sorted = perVariant<number[]>(() => []);
  for (const v of VARIANTS) sorted[v] = [...lat[v]].sort((a, b) => a - b);
  const p = (v: Variant, q: number) => percentile(sorted[v], q);
  const ratio = median(ratios.wrapped);
  const cpuRatio = median(cpuRatios.wrapped);
  const spread = (xs: number[]) => `${fmt(Math.min(...xs) * 100, 0)}–${fmt(Math.max(...xs) * 100, 0)} %`;
  const fmt = (x: number, d = 0) => x.toFixed(d);
  const report = `# @mentora/http benchmark: withInfrastructure through \`next start\`

Command (from the repository root):

\`\`\`sh
pnpm turbo run build --filter=./packages/* && pnpm --filter @mentora/bench bench:http
\`\`\`

Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(
      ' / ',
    )} at the end of the run; Node ${process.version}; Next.js production server (\`next start\`) on
127.0.0.1; the load generator (node:http, keep-alive) on the same machine. ${ROUNDS} rounds; the routes
take turns in rotating order; medians over rounds.

The routes of \`bench/http/app\` answer the same \`Response.json({ ok: true })\`; \`/wrapped\` goes through
\`withInfrastructure\` composed as in apps/web: request id, client identity (no trusted proxy), plan from
FeatureFlags, a real rate-limit check (memory store, a limit never reached) with its response headers,
one JSON access-log line at info, an api_request_logs row buffered by the metrics batch writer (its
database write is replaced by a no-op: it happens off the request path), problem+json mapping. Requests
carry no token (a token adds one HS256 verification).

## Throughput (${CONCURRENCY} concurrent keep-alive connections, ${SECONDS} s per route per round)

| route | req/s (median) | server CPU per request (ms, median) |
| --- | ---: | ---: |
| bare | ${fmt(median(rps.bare))} | ${fmt(median(cpu.bare), 3)} |
| withInfrastructure | ${fmt(median(rps.wrapped))} | ${fmt(median(cpu.wrapped), 3)} |
| withInfrastructure, \`logging: false\` | ${fmt(median(rps['wrapped-quiet']))} | ${fmt(median(cpu['wrapped-quiet']), 3)} |
| **withInfrastructure / bare** | **${fmt(ratio * 100, 1)} %** of the requests per second | **${fmt(cpuRatio * 100, 1)} %** (bare CPU / wrapped CPU) |
| without the access log / bare | ${fmt(median(ratios['wrapped-quiet']) * 100, 1)} % | ${fmt(median(cpuRatios['wrapped-quiet']) * 100, 1)} % |

Target: ≥ 85 %. Per-round ratios (withInfrastructure / bare) of requests per second: ${ratios.wrapped.map((x) => `${fmt(x * 100, 0)} %`).join(', ')}
(spread ${spread(ratios.wrapped)}); of CPU per request: ${cpuRatios.wrapped.map((x) => `${fmt(x * 100, 0)} %`).join(', ')}
(spread ${spread(cpuRatios.wrapped)}). Requests per second move with everything else running on the machine;
the server's own CPU time per request (from /proc, \`next start\` and its children) does not, so when the
load average is well above the core count, the CPU ratio is the figure to read. Keep-alive resets
retried: ${resets}.

## Latency per request (one request at a time, ${LATENCY_REQUESTS} per route per round, ${sorted.bare.length} in all)

| route | p50 (ms) | p99 (ms) |
| --- | ---: | ---: |
| bare | ${fmt(p('bare', 0.5), 3)} | ${fmt(p('bare', 0.99), 3)} |
| withInfrastructure | ${fmt(p('wrapped', 0.5), 3)} | ${fmt(p('wrapped', 0.99), 3)} |
| withInfrastructure, \`logging: false\` | ${fmt(p('wrapped-quiet', 0.5), 3)} | ${fmt(p('wrapped-quiet', 0.99), 3)} |
| **added by the wrapper** | **${fmt(p('wrapped', 0.5) - p('bare', 0.5), 3)}** | **${fmt(p('wrapped', 0.99) - p('bare', 0.99), 3)}** |
`;
  const out = fileURLToPath(new URL('../reports/http.md', import.meta.url));
  await writeFile(out, report);
  console.info(report);
} finally {
  agent.destroy();
  await server.stop();
}
