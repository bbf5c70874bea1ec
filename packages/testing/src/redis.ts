// Throwaway Redis servers and a Redis Cluster on loopback, for tests and `pnpm services`.
// Each instance keeps nothing on disk (`--save '' --appendonly no`) and lives in its own temp dir,
// so no run ever sees state from another.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ensureBinary, SYSTEM_PATH } from './binaries.ts';
import { isAddressInUse, withPortRetry } from './ports.ts';
import { type ManagedProcess, startProcess } from './process.ts';

const execFileAsync = promisify(execFile);

export interface RedisService {
  host: string;
  port: number;
  url: string;
  /** Kill the server but keep its port, to simulate an outage. */
  stopServer(): Promise<void>;
  /** Start it again on the same port (empty: nothing is persisted). */
  startServer(): Promise<void>;
  /** Stop the server and remove its temp dir. Idempotent. */
  stop(): Promise<void>;
}

export interface RedisClusterService {
  nodes: { host: string; port: number }[];
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const cli = await ensureBinary('redis-cli', 'redis-tools');
  // A hang guard: whatever listens on the port may accept and never answer.
  const { stdout } = await execFileAsync(cli, ['-h', HOST, '-p', String(port), ...args], { timeout: 10_000 });
  return stdout.trim();
}

/** Poll until `check` resolves true; a hang guard, not a timing assumption. */
async function waitFor(what: string, check: () => Promise<boolean>, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, HOST, () => srv.close(() => resolve(true)));
  });
}

/** A cluster node needs its port and port+10000 (the cluster bus) free, both below 65536. */
async function getFreeClusterPort(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('No free port pair for a Redis Cluster node');
}

/**
 * Starts redis-server behind the harness watchdog (see process.ts): if this process dies, however it
 * dies, the server and its temp dir go with it.
 */
async function spawnRedis(port: number, dir: string, extra: string[]): Promise<ManagedProcess> {
  const server = await ensureBinary('redis-server', 'redis-server');
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no', '--dir', dir];
  return startProcess({
    name: `redis-${port}`,
    command: server,
    args: [...args, ...extra],
    env: { PATH: SYSTEM_PATH },
    ready: async () => (await redisCli(port, 'ping').catch(() => '')) === 'PONG',
    removeWhenOrphaned: [dir],
    stopTimeoutMs: 5_000,
  });
}

async function killRedis(proc: ManagedProcess | undefined): Promise<void> {
  if (proc?.isRunning()) await proc.stop();
}

export interface StartRedisOptions {
  /** Listen on this port instead of a free one (no retry when it is taken). */
  port?: number;
}

/** Start one throwaway Redis on a free loopback port. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisService> {
  const dir = await mkdtemp(join(tmpdir(), 'mentora-redis-'));
  let port: number;
  let proc: ManagedProcess | undefined;
  try {
    // The free port can be taken between getFreePort() and Redis's bind: retry on a fresh one then.
    [port, proc] =
      options.port === undefined
        ? await withPortRetry(async (candidate) => [candidate, await spawnRedis(candidate, dir, [])] as const)
        : [options.port, await spawnRedis(options.port, dir, [])];
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    async stopServer() {
      await killRedis(proc);
      proc = undefined;
    },
    async startServer() {
      if (proc) return;
      proc = await spawnRedis(port, dir, []);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await killRedis(proc);
      proc = undefined;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Start a real Redis Cluster of `masters` primaries (no replicas) on free loopback ports. */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisClusterService> {
  const masters = options.masters ?? 3;
  const dir = await mkdtemp(join(tmpdir(), 'mentora-redis-cluster-'));
  const procs: ManagedProcess[] = [];
  const ports: number[] = [];
  const stopAll = async () => {
    await Promise.all(procs.map((p) => killRedis(p)));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      for (let attempt = 1; ; attempt++) {
        const port = await getFreeClusterPort();
        const extra = ['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`)];
        try {
          procs.push(await spawnRedis(port, dir, [...extra, '--cluster-node-timeout', '2000']));
          ports.push(port);
          break;
        } catch (error) {
          // Taken between the check and the bind (port or bus port): try another pair.
          if (!isAddressInUse(error) || attempt >= 5) throw error;
        }
      }
    }
    const cli = await ensureBinary('redis-cli', 'redis-tools');
    await execFileAsync(cli, [
      '--cluster',
      'create',
      ...ports.map((p) => `${HOST}:${p}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    // `--cluster create` returns once slots are assigned; every node must also agree the cluster is ok.
    for (const port of ports) {
      await waitFor(`cluster state ok on ${port}`, async () =>
        (await redisCli(port, 'cluster', 'info')).includes('cluster_state:ok'),
      );
    }
  } catch (err) {
    await stopAll();
    throw err;
  }
  let stopped = false;
  return {
    nodes: ports.map((port) => ({ host: HOST, port })),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll();
    },
  };
}
