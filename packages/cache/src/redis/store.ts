import { MentoraError, ServiceUnavailableError } from '@mentora/errors';
import { Cluster, type ClusterOptions, Command, Redis, type RedisOptions } from 'ioredis';
import { type CacheLogger, type CacheStore, consoleLogger, type InvalidationHandler } from '../types.js';
import { type BreakerOptions, type BreakerState, CircuitBreaker } from './breaker.js';
import { InvalidationBus } from './bus.js';
import { backoff, type Commands, commands, masters, type RedisClient } from './client.js';
import { DeadlineWatch } from './deadline.js';
import { INCREMENT, isNoScript, type LuaScript, RELEASE_LOCK, SET_VERSIONED } from './scripts.js';
import { CommandTimeoutError, withTimeout } from './timeout.js';

interface CommonOptions {
  /**
   * Upper bound on any one command (and on waiting for the first connection): a command without a reply
   * fails after 1× to 1.25× this. Default 1,000 ms.
   */
  commandTimeoutMs?: number;
  breaker?: BreakerOptions;
  /** Pub/sub channel of invalidation messages. Default 'mentora:cache:invalidate'. */
  channel?: string;
  /** SCAN batch size of `deletePattern`. Default 1,000. */
  scanCount?: number;
  logger?: CacheLogger;
}

export interface RedisStoreClientOptions extends CommonOptions {
  /** An existing client (Redis or Cluster). The store never closes it: whoever created it does. */
  client: RedisClient;
}

export interface RedisStoreUrlOptions extends CommonOptions {
  /** `redis://…`: the store creates, owns and closes a client. */
  url: string;
  /** Merged over the store's safe defaults (no offline queue, command timeout, backoff). */
  redisOptions?: RedisOptions;
}

export interface RedisStoreClusterOptions extends CommonOptions {
  /** Startup nodes of a Redis Cluster: the store creates, owns and closes a Cluster client. */
  nodes: ReadonlyArray<{ host: string; port: number }>;
  clusterOptions?: ClusterOptions;
  /** Options of each node connection. */
  redisOptions?: RedisOptions;
}

export type RedisStoreOptions = RedisStoreClientOptions | RedisStoreUrlOptions | RedisStoreClusterOptions;

export interface RedisCacheStore extends CacheStore {
  readonly client: RedisClient;
  /** Whether close() closes the client (the store created it). */
  readonly ownsClient: boolean;
  readonly breakerState: BreakerState;
}

/** Server answers that still mean "not available right now" (the rest are answers: no breaker failure). */
const UNAVAILABLE_REPLY = /^(CLUSTERDOWN|LOADING|TRYAGAIN|MASTERDOWN|BUSY|NOREPLICAS|READONLY)/;

function isAvailabilityFailure(err: unknown): boolean {
  if (err instanceof Error && err.name === 'ReplyError') return UNAVAILABLE_REPLY.test(err.message);
  return true;
}

function createClient(
  options: RedisStoreUrlOptions | RedisStoreClusterOptions,
  timeoutMs: number,
): RedisClient {
  // Fail fast instead of queueing while disconnected (an unbounded offline queue is how an outage turns
  // into memory growth and minutes-late commands), and reconnect with capped, jittered backoff. Every
  // command is bounded by the store's own deadline watchdog rather than ioredis's `commandTimeout`: same
  // bound, but no timer per command (ioredis's costs ~10 % of a GET on loopback, see bench/reports/cache.md).
  const nodeDefaults: RedisOptions = {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: Math.max(timeoutMs, 2_000),
    retryStrategy: backoff,
  };
  if ('nodes' in options) {
    return new Cluster([...options.nodes], {
      enableOfflineQueue: false,
      clusterRetryStrategy: backoff,
      retryDelayOnClusterDown: 100,
      maxRedirections: 4,
      ...options.clusterOptions,
      redisOptions: { ...nodeDefaults, ...options.clusterOptions?.redisOptions, ...options.redisOptions },
    });
  }
  return new Redis(options.url, { ...nodeDefaults, ...options.redisOptions });
}

const OPS = [
  'get',
  'getVersioned',
  'set',
  'setVersioned',
  'bumpVersion',
  'delete',
  'increment',
  'deletePattern',
  'pttl',
  'lock',
  'ping',
  'publish',
] as const;
type Op = (typeof OPS)[number];

class RedisStore implements RedisCacheStore {
  readonly kind: string;
  readonly client: RedisClient;
  readonly ownsClient: boolean;
  private readonly c: Commands;
  private readonly breaker: CircuitBreaker;
  /** Our per-command deadlines; undefined when the client enforces its own `commandTimeout`. */
  private readonly deadlines: DeadlineWatch | undefined;
  /**
   * With our own deadlines, hot reads build the ioredis Command themselves so the watchdog can fail a
   * late one directly: the caller gets ioredis's promise, no wrapper. (Not with auto-pipelining, which
   * sends commands through its own path.)
   */
  private readonly ownCommands: boolean;
  private readonly commandOptions: { replyEncoding: 'utf8'; keyPrefix?: string };
  private readonly timeoutMs: number;
  private readonly scanCount: number;
  private readonly logger: CacheLogger;
  private readonly bus: InvalidationBus;
  private readonly channel: string;
  /** Per operation, pre-built (no closure per call): turn a failure into the typed error, or throw it. */
  private readonly errorOf: Record<Op, (err: unknown) => unknown>;
  private readonly fail: Record<Op, (err: unknown) => never>;
  private readonly onOk = <T>(value: T): T => {
    this.breaker.success();
    return value;
  };
  private readonly onSuccess = () => this.breaker.success();
  private readonly onReady = () => {
    this.everReady = true;
  };
  private readonly onClientError = (err: Error) => this.logThrottled('Redis connection error', err);
  private everReady: boolean;
  private firstReady: Promise<void> | undefined;
  private lastLogAt = 0;
  private closed = false;

  constructor(options: RedisStoreOptions) {
    this.timeoutMs = options.commandTimeoutMs ?? 1_000;
    this.scanCount = options.scanCount ?? 1_000;
    this.logger = options.logger ?? consoleLogger;
    this.channel = options.channel ?? 'mentora:cache:invalidate';
    if ('client' in options) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      this.client = createClient(options, this.timeoutMs);
      this.ownsClient = true;
      // Only on our own client: a given client's owner decides how its errors are handled.
      this.client.on('error', this.onClientError);
    }
    this.c = commands(this.client);
    this.kind = this.client.isCluster ? 'redis-cluster' : 'redis';
    // A given standalone client with its own commandTimeout already bounds every command; otherwise (and
    // always on a Cluster, whose redirections and cluster-down retries add to any node timeout) the
    // store enforces its own deadline.
    const own = this.client.isCluster ? undefined : (this.client as Redis).options.commandTimeout;
    this.deadlines =
      typeof own === 'number' && own > 0 && own <= this.timeoutMs
        ? undefined
        : new DeadlineWatch(this.timeoutMs);
    const clientOptions = this.client.options as { enableAutoPipelining?: boolean; keyPrefix?: string };
    this.ownCommands = this.deadlines !== undefined && clientOptions.enableAutoPipelining !== true;
    this.commandOptions =
      clientOptions.keyPrefix === undefined
        ? { replyEncoding: 'utf8' }
        : { replyEncoding: 'utf8', keyPrefix: clientOptions.keyPrefix };
    this.everReady = this.c.status === 'ready';
    this.c.on('ready', this.onReady);
    this.breaker = new CircuitBreaker(options.breaker ?? {}, (state, cause) => {
      const meta = { store: this.kind, state, error: cause instanceof Error ? cause.message : undefined };
      if (state === 'open') this.logger.error('Cache store circuit opened: failing fast', meta);
      else this.logger.warn(`Cache store circuit ${state}`, meta);
    });
    this.errorOf = Object.fromEntries(
      OPS.map((op) => [op, (err: unknown) => this.failure(op, err)]),
    ) as Record<Op, (err: unknown) => unknown>;
    this.fail = Object.fromEntries(
      OPS.map((op) => [
        op,
        (err: unknown) => {
          throw this.failure(op, err);
        },
      ]),
    ) as Record<Op, (err: unknown) => never>;
    this.bus = new InvalidationBus(this.client, this.channel, Math.max(this.timeoutMs, 5_000), (what, err) =>
      this.logThrottled(`Redis ${what} error`, err),
    );
  }

  get breakerState(): BreakerState {
    return this.breaker.state;
  }

  // ----------------------------------------------------------------------------------------------------
  // Guarding: breaker → first-connection wait → deadline → outcome reported to the breaker
  // ----------------------------------------------------------------------------------------------------

  private watch<T>(p: Promise<T>, op: Op): Promise<T> {
    const d = this.deadlines;
    return d === undefined ? p.then(this.onOk, this.fail[op]) : d.watch(p, this.onSuccess, this.errorOf[op]);
  }

  /** Runs `send` through the breaker and the deadline. The hot path allocates only the closure. */
  private run<T>(op: Op, send: () => Promise<T>): Promise<T> {
    if (!this.breaker.allow()) return this.rejectOpen(op);
    if (this.c.status !== 'ready') return this.notReady(op, send);
    return this.watch(send(), op);
  }

  /**
   * Not connected. Before the first connection, wait for it (bounded). After it, fail now: a client with
   * an offline queue (ioredis's default, so any client we are given) would queue the command for the whole
   * outage and replay it on reconnect, a `set` the caller was told had failed overwriting newer data.
   */
  private notReady<T>(op: Op, send: () => Promise<T>): Promise<T> {
    if (!this.everReady) return this.afterFirstReady(op, send);
    return Promise.reject(
      this.failure(op, new Error(`Redis connection is ${this.c.status}; not queueing the command`)),
    );
  }

  private rejectOpen<T>(op: Op): Promise<T> {
    return Promise.reject(
      new ServiceUnavailableError('Cache store unavailable (circuit open); failing fast', {
        code: 'CACHE_CIRCUIT_OPEN',
        service: this.kind,
        retryAfter: Math.ceil(this.breaker.retryInMs() / 1000),
        context: { op },
      }),
    );
  }

  /** Before the first connection, wait for it (bounded) rather than fail with "stream isn't writeable". */
  private async afterFirstReady<T>(op: Op, send: () => Promise<T>): Promise<T> {
    try {
      await this.waitFirstReady();
    } catch (err) {
      this.fail[op](err);
    }
    return this.watch(send(), op);
  }

  private waitFirstReady(): Promise<void> {
    const status = this.c.status;
    if (this.everReady || status === 'ready') {
      this.everReady = true;
      return Promise.resolve();
    }
    // A lazy client connects on its first command: send it.
    if (status === 'wait') return Promise.resolve();
    this.firstReady ??= new Promise<void>((resolve) => this.c.once('ready', () => resolve()));
    return withTimeout(this.firstReady, this.timeoutMs);
  }

  /** Reports the failure to the breaker and returns the typed error to reject with. */
  private failure(op: Op, err: unknown): MentoraError {
    const message = err instanceof Error ? err.message : String(err);
    if (!isAvailabilityFailure(err)) {
      // The server answered (a wrong type, a script error): it is available; this is a usage error.
      this.breaker.success();
      return new MentoraError(`Redis ${op} failed: ${message}`, {
        code: 'CACHE_STORE_ERROR',
        cause: err,
        context: { op, store: this.kind },
      });
    }
    this.breaker.failure(err);
    const timeout = err instanceof CommandTimeoutError;
    return new ServiceUnavailableError(`Cache store ${op} failed: ${message}`, {
      code: timeout ? 'CACHE_TIMEOUT' : 'CACHE_STORE_UNAVAILABLE',
      service: this.kind,
      cause: err,
      context: { op },
    });
  }

  private logThrottled(message: string, err: unknown): void {
    const now = Date.now();
    if (now - this.lastLogAt < 1_000) return;
    this.lastLogAt = now;
    this.logger.warn(message, { store: this.kind, error: err instanceof Error ? err.message : String(err) });
  }

  /** EVALSHA, falling back to EVAL when the server lost its script cache (SCRIPT FLUSH, restart). */
  private async script(s: LuaScript, args: (string | number)[]): Promise<unknown> {
    try {
      return await this.c.evalsha(s.sha, s.numberOfKeys, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return this.c.eval(s.source, s.numberOfKeys, ...args);
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // CacheStore
  // ----------------------------------------------------------------------------------------------------

  async ready(): Promise<void> {
    try {
      await this.waitFirstReady();
    } catch (err) {
      throw this.failure('ping', err);
    }
  }

  get(key: string): Promise<string | null> {
    // The hot path: breaker check, one GET, one `then`. No closure.
    if (!this.breaker.allow()) return this.rejectOpen('get');
    if (this.c.status !== 'ready') return this.notReady('get', () => this.c.get(key));
    if (this.ownCommands) return this.sendTracked(new Command('get', [key], this.commandOptions), 'get');
    return this.watch(this.c.get(key), 'get');
  }

  /** Sends a command we built, under the watchdog; one `then` with pre-built handlers. */
  private sendTracked<T>(command: Command, op: Op): Promise<T> {
    this.client.sendCommand(command);
    (this.deadlines as DeadlineWatch).track(command);
    return command.promise.then(this.onOk, this.fail[op]);
  }

  getVersioned(key: string, versionKey: string): Promise<[string | null, string | null]> {
    if (!this.breaker.allow()) return this.rejectOpen('getVersioned');
    const send = () => this.c.mget(key, versionKey) as Promise<[string | null, string | null]>;
    if (this.c.status !== 'ready') return this.notReady('getVersioned', send);
    if (this.ownCommands) {
      return this.sendTracked(new Command('mget', [key, versionKey], this.commandOptions), 'getVersioned');
    }
    return this.watch(send(), 'getVersioned');
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.run('set', () => (ttlMs > 0 ? this.c.set(key, value, 'PX', ttlMs) : this.c.set(key, value)));
  }

  async setVersioned(
    key: string,
    versionKey: string,
    value: string,
    ttlMs: number,
    expectedVersion: string | null,
  ): Promise<boolean> {
    const r = await this.run('setVersioned', () =>
      this.script(SET_VERSIONED, [key, versionKey, value, ttlMs, expectedVersion ?? '']),
    );
    return r === 1;
  }

  async bumpVersion(versionKey: string): Promise<string> {
    return String(await this.run('bumpVersion', () => this.c.incr(versionKey)));
  }

  async delete(key: string): Promise<boolean> {
    return (await this.run('delete', () => this.c.unlink(key))) > 0;
  }

  async increment(key: string, windowMs: number): Promise<number> {
    return Number(await this.run('increment', () => this.script(INCREMENT, [key, windowMs])));
  }

  pttl(key: string): Promise<number> {
    return this.run('pttl', () => this.c.pttl(key));
  }

  async acquireLock(key: string, token: string, ttlMs: number): Promise<boolean> {
    return (await this.run('lock', () => this.c.set(key, token, 'PX', ttlMs, 'NX'))) === 'OK';
  }

  async releaseLock(key: string, token: string): Promise<void> {
    await this.run('lock', () => this.script(RELEASE_LOCK, [key, token]));
  }

  /** SCAN every master (never KEYS) and UNLINK each batch. */
  async deletePattern(pattern: string): Promise<number> {
    if (!this.breaker.allow()) return this.rejectOpen('deletePattern');
    if (this.c.status !== 'ready') return this.notReady('deletePattern', () => Promise.resolve(0));
    const counts = await Promise.all(masters(this.client).map((node) => this.scanAndUnlink(node, pattern)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private async scanAndUnlink(node: Commands, pattern: string): Promise<number> {
    let cursor = '0';
    let deleted = 0;
    do {
      const [next, keys] = await this.watch(
        node.scan(cursor, 'MATCH', pattern, 'COUNT', this.scanCount),
        'deletePattern',
      );
      cursor = next;
      if (keys.length === 0) continue;
      if (this.client.isCluster) {
        // One UNLINK per key in one pipeline: keys of one node span many slots, and a multi-key
        // UNLINK across slots is a CROSSSLOT error.
        const pipe = node.pipeline();
        for (const k of keys) pipe.unlink(k);
        const results = (await this.watch(pipe.exec(), 'deletePattern')) ?? [];
        for (const [err, n] of results) {
          if (err) this.fail.deletePattern(err);
          deleted += Number(n);
        }
      } else {
        deleted += await this.watch(node.unlink(...keys), 'deletePattern');
      }
    } while (cursor !== '0');
    return deleted;
  }

  /** Probes every master, through the breaker's accounting but not its gate: it is how we see recovery. */
  async ping(): Promise<void> {
    const nodes = this.client.isCluster ? masters(this.client) : [this.c];
    if (nodes.length === 0) nodes.push(this.c);
    await Promise.all(
      nodes.map((n) =>
        // A disconnected node is unhealthy now; a PING handed to it would sit in an offline queue.
        this.everReady && n.status !== 'ready'
          ? Promise.reject(this.failure('ping', new Error(`Redis connection is ${n.status}`)))
          : this.watch(withTimeout(n.ping(), this.timeoutMs), 'ping'),
      ),
    );
  }

  async publishInvalidation(message: string): Promise<void> {
    await this.run('publish', () => this.c.publish(this.channel, message));
  }

  subscribeInvalidations(handler: InvalidationHandler): Promise<() => Promise<void>> {
    return this.bus.subscribe(handler);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.bus.close();
    this.deadlines?.stop();
    this.c.off('ready', this.onReady);
    if (!this.ownsClient) return;
    // Resolve once the connection is really gone, so a caller's shutdown sequence can rely on it.
    const ended = new Promise<void>((resolve) => this.c.once('end', () => resolve()));
    try {
      await withTimeout(this.c.quit(), this.timeoutMs);
      await withTimeout(ended, this.timeoutMs);
    } catch {
      this.c.disconnect();
    }
  }
}

/**
 * A cache store on Redis or Redis Cluster. Give it a client (`{ client }`, never closed by the store)
 * or connection options (`{ url }` / `{ nodes }`, created with safe defaults and closed on close()).
 */
export function createRedisStore(options: RedisStoreOptions): RedisCacheStore {
  return new RedisStore(options);
}
