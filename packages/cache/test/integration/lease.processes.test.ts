import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uniqueNamespace } from '../support/helpers.js';
import { type RedisService, startRedis } from '../support/services.js';

const hooks = fileURLToPath(new URL('../support/fixtures/ts-hooks.mjs', import.meta.url));
const childScript = fileURLToPath(new URL('../support/fixtures/lease-child.ts', import.meta.url));

/** Called on every child message and every lease attempt seen: conditions over both are re-checked. */
const listeners = new Set<() => void>();
const notify = () => {
  for (const l of [...listeners]) l();
};

/** Resolves once `condition` holds (checked now and after every event). */
function when(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (condition()) {
        listeners.delete(check);
        resolve();
      }
    };
    listeners.add(check);
    check();
  });
}

interface Message {
  ready?: boolean;
  issued?: boolean;
  computing?: boolean;
  done?: boolean;
  computes?: number;
  values?: string[];
}

/** A real OS process running getOrCompute with a lease (test/support/fixtures/lease-child.ts). */
class Child {
  readonly proc: ChildProcess;
  readonly messages: Message[] = [];
  private readonly waiters: Array<() => void> = [];
  stderr = '';

  constructor(url: string, namespace: string, calls: number, leaseTtlMs: number) {
    this.proc = spawn(
      process.execPath,
      [
        '--experimental-transform-types',
        '--no-warnings',
        '--import',
        hooks,
        childScript,
        url,
        namespace,
        String(calls),
        String(leaseTtlMs),
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    this.proc.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    createInterface({ input: this.proc.stdout! }).on('line', (line) => {
      this.messages.push(JSON.parse(line) as Message);
      for (const w of this.waiters.splice(0)) w();
      notify();
    });
    this.proc.on('exit', () => {
      for (const w of this.waiters.splice(0)) w();
    });
  }

  has(check: (m: Message) => boolean): boolean {
    return this.messages.some(check);
  }

  /** Resolves once a message matches (rejects if the process exits first). */
  async next(check: (m: Message) => boolean): Promise<Message> {
    for (;;) {
      const m = this.messages.find(check);
      if (m) return m;
      if (this.proc.exitCode !== null || this.proc.signalCode !== null) {
        throw new Error(`child exited (${this.proc.exitCode ?? this.proc.signalCode}): ${this.stderr}`);
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  send(line: string): void {
    this.proc.stdin?.write(`${line}\n`);
  }
}

describe('getOrCompute with a lease, across two OS processes', () => {
  let redis: RedisService;
  let monitor: Redis;
  const children: Child[] = [];
  /** Client addresses that attempted a lease (SET … NX) on a key, from MONITOR. */
  const lockAttempts = new Map<string, Set<string>>();

  beforeAll(async () => {
    redis = await startRedis();
    const admin = new Redis(redis.url);
    monitor = await admin.monitor();
    admin.disconnect();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const [cmd, key] = args;
      if (cmd?.toLowerCase() === 'set' && key?.startsWith('~lock:') && args.includes('NX')) {
        const set = lockAttempts.get(key) ?? new Set<string>();
        set.add(source);
        lockAttempts.set(key, set);
        notify();
      }
    });
  });

  afterAll(async () => {
    for (const c of children) c.proc.kill('SIGKILL');
    monitor?.disconnect();
    await redis?.stop();
  });

  /** Resolves when `n` distinct connections have tried the lease, or `orElse` holds (a broken lease). */
  function lockAttemptsBy(n: number, orElse: () => boolean): Promise<void> {
    return when(() => Math.max(0, ...[...lockAttempts.values()].map((s) => s.size)) >= n || orElse());
  }

  async function start(namespace: string, leaseTtlMs: number): Promise<[Child, Child]> {
    const pair: [Child, Child] = [
      new Child(redis.url, namespace, 500, leaseTtlMs),
      new Child(redis.url, namespace, 500, leaseTtlMs),
    ];
    children.push(...pair);
    await Promise.all(pair.map((c) => c.next((m) => m.ready === true)));
    for (const c of pair) c.send('go');
    await Promise.all(pair.map((c) => c.next((m) => m.issued === true)));
    return pair;
  }

  it('computes once for 2 × 500 concurrent callers in two processes', async () => {
    const pair = await start(uniqueNamespace('lease2p'), 60_000);
    const bothComputing = () => pair.every((c) => c.has((m) => m.computing === true));
    // Release the compute only once both processes have tried the lease while it was held (or, with a
    // broken lease, once both compute), so the two really overlapped.
    await lockAttemptsBy(2, bothComputing);
    for (const c of pair) c.send('release');
    const done = await Promise.all(pair.map((c) => c.next((m) => m.done === true)));
    expect(done.map((d) => d.computes ?? 0).reduce((a, b) => a + b, 0)).toBe(1);
    const values = done.flatMap((d) => d.values ?? []);
    expect(new Set(values).size).toBe(1); // every one of the 1,000 callers got the one computed value
  });

  it('lets the other process compute when the lease holder dies mid-compute (the lease expires)', async () => {
    const pair = await start(uniqueNamespace('lease2p-crash'), 500);
    const holder = await Promise.race(pair.map((c) => c.next((m) => m.computing === true).then(() => c)));
    const other = pair.find((c) => c !== holder) as Child;
    await lockAttemptsBy(2, () => other.has((m) => m.computing === true));
    holder.proc.kill('SIGKILL'); // dies holding the lease, with no value stored
    await other.next((m) => m.computing === true); // takes over once the lease expires
    other.send('release');
    const done = await other.next((m) => m.done === true);
    expect(done.computes).toBe(1);
    expect(done.values).toEqual([JSON.stringify({ from: other.proc.pid })]);
  });
});
