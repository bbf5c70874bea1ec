import { InvalidArgumentError, ServiceUnavailableError } from '@mentora/errors';
import { createDefaultLogger, createLogThrottle, type Logger } from '@mentora/monitoring';
import type { BreakerState } from './breaker.ts';
import { createClient, masters, type RedisCommands } from './client.ts';
import { RedisErrorCode } from './failure.ts';
import { Guard } from './guard.ts';
import { RedisOp } from './op.ts';
import type { RedisClient, RedisConnectionOptions } from './options.ts';
import { withTimeout } from './timeout.ts';
import { checkKeyPrefix, positiveMs, resolveSource } from './validate.ts';

/** Outcome of a health probe: every master answered PING (or why not), and how long it took. */
export interface RedisHealth {
  healthy: boolean;
  /** Round trip of the probe in ms. */
  latency: number;
  error?: string;
  /** The circuit after the probe (a successful probe closes an open circuit). */
  breaker: BreakerState;
}

/** One Redis or Redis Cluster connection, shared by every package that talks to that Redis. */
export interface RedisConnection {
  readonly client: RedisClient;
  readonly kind: 'redis' | 'redis-cluster';
  /** Prepended to every key and channel by the packages on this connection. */
  readonly keyPrefix: string;
  /** Whether `close()` closes the client (the connection created it from `url` / `nodes`). */
  readonly ownsClient: boolean;
  readonly logger: Logger;
  readonly commandTimeoutMs: number;
  readonly breakerState: BreakerState;
  /** The guarded command runner of one operation (its name is `context.op` of the errors). Build once. */
  op(name: string): RedisOp;
  /** The master connections (the one server, or each Cluster master): for SCAN and probes. */
  masters(): RedisCommands[];
  /** Resolves once connected; rejects with `ServiceUnavailableError` REDIS_NOT_READY after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** PINGs every master, through the breaker's accounting but not its gate: how an open circuit sees recovery. */
  health(): Promise<RedisHealth>;
  /** Stops the watchdog; closes the client if the connection created it. Bounded, even while reconnecting. */
  close(): Promise<void>;
}

const SERVICE_LOGGER = '@mentora/redis';

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

class Connection implements RedisConnection {
  readonly client: RedisClient;
  readonly kind: 'redis' | 'redis-cluster';
  readonly keyPrefix: string;
  readonly ownsClient: boolean;
  readonly logger: Logger;
  readonly commandTimeoutMs: number;
  readonly #guard: Guard;
  readonly #probe: RedisOp;
  /**
   * A (re)connection passed ioredis's ready check, a round trip to the server: that is a successful probe,
   * so an open circuit closes now instead of failing calls for the rest of its cool-down.
   */
  readonly #onReady = () => {
    this.#guard.everReady = true;
    this.#guard.breaker.success();
  };
  readonly #onError: (err: Error) => void;
  #closing: Promise<void> | undefined;

  constructor(options: RedisConnectionOptions) {
    const source = resolveSource(options);
    this.keyPrefix = checkKeyPrefix(options.keyPrefix);
    this.commandTimeoutMs = positiveMs(options.commandTimeoutMs, 1_000, 'commandTimeoutMs');
    const connectTimeoutMs = positiveMs(options.connectTimeoutMs, 2_000, 'connectTimeoutMs');
    this.logger = options.logger ?? createDefaultLogger(SERVICE_LOGGER);
    if (source.kind === 'client') {
      const own = (options.client as RedisClient).options as { keyPrefix?: string };
      if (own.keyPrefix) {
        // ioredis would prefix commands but not SCAN patterns, so pattern deletes would miss every key.
        throw new InvalidArgumentError(
          'a client with an ioredis keyPrefix cannot be shared: pass keyPrefix to createRedisConnection instead',
          { argument: 'client' },
        );
      }
      this.client = options.client as RedisClient;
      this.ownsClient = false;
    } else {
      this.client = createClient(source, options, connectTimeoutMs);
      this.ownsClient = true;
    }
    this.kind = this.client.isCluster ? 'redis-cluster' : 'redis';
    const throttled = createLogThrottle(this.logger);
    this.#guard = new Guard({
      client: this.client,
      service: this.kind,
      commandTimeoutMs: this.commandTimeoutMs,
      connectTimeoutMs,
      breaker: options.breaker,
      onBreakerChange: (state, cause) => {
        const fields = { service: this.kind, error: cause instanceof Error ? cause.message : undefined };
        if (state === 'open') this.logger.error('Redis circuit opened: failing fast', fields);
        else if (state === 'closed') this.logger.info('Redis circuit closed: commands flow again', fields);
        else this.logger.debug('Redis circuit half-open: one probe goes through', fields);
      },
    });
    this.#probe = new RedisOp(this.#guard, 'ping');
    this.client.on('ready', this.#onReady);
    this.#onError = (err: Error) =>
      throttled('warn', 'connection', 'Redis connection error', { service: this.kind, error: err.message });
    // Only on a client we created: a given client's owner decides what its errors do.
    if (this.ownsClient) this.client.on('error', this.#onError);
  }

  get breakerState(): BreakerState {
    return this.#guard.breaker.state;
  }

  op(name: string): RedisOp {
    return new RedisOp(this.#guard, name);
  }

  masters(): RedisCommands[] {
    return masters(this.client);
  }

  ready(timeoutMs = this.#guard.connectTimeoutMs): Promise<void> {
    const c = this.#guard.c;
    if (c.status === 'ready') return Promise.resolve();
    if (this.#closing !== undefined) return Promise.reject(this.#notReady(timeoutMs, 'closed'));
    if (c.status === 'wait') c.connect().catch(() => {});
    return new Promise<void>((resolve, reject) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        c.off('ready', onReady);
        reject(this.#notReady(timeoutMs, c.status));
      }, timeoutMs);
      timer.unref();
      c.once('ready', onReady);
    });
  }

  #notReady(timeoutMs: number, status: string): ServiceUnavailableError {
    return new ServiceUnavailableError('Redis did not become ready', {
      code: RedisErrorCode.NOT_READY,
      service: this.kind,
      context: { timeoutMs, status },
    });
  }

  async health(): Promise<RedisHealth> {
    const start = performance.now();
    const g = this.#guard;
    try {
      // Within the first connection's grace period, a probe waits for it like any command.
      if (!g.everReady)
        await g.firstConnection().catch((err: unknown) => Promise.reject(this.#probe.failure(err)));
      await Promise.all(
        this.masters().map((node) =>
          // A disconnected node is unhealthy now; a PING handed to it could sit in an offline queue.
          node.status !== 'ready'
            ? Promise.reject(this.#probe.failure(new Error(`Redis connection is ${node.status}`)))
            : this.#probe.watch(withTimeout(node.ping(), this.commandTimeoutMs)),
        ),
      );
      return { healthy: true, latency: round2(performance.now() - start), breaker: g.breaker.state };
    } catch (err) {
      return {
        healthy: false,
        latency: round2(performance.now() - start),
        error: err instanceof Error ? err.message : String(err),
        breaker: g.breaker.state,
      };
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    this.#guard.stop();
    this.client.off('ready', this.#onReady);
    if (!this.ownsClient) return;
    const c = this.#guard.c;
    try {
      await closeClient(c, this.commandTimeoutMs);
    } finally {
      c.off('error', this.#onError);
      // Late errors of a socket being torn down must not reach a process without an 'error' listener.
      c.on('error', () => {});
    }
  }
}

/** Longest wait for ioredis's 'end' once a client was told to go. */
const CLOSE_WAIT_MS = 2_000;

/**
 * Closes a client we created, bounded whatever its state: QUIT when connected (in-flight commands finish),
 * a plain disconnect otherwise. A client between reconnect attempts has no socket left, so ioredis never
 * emits 'end' for it: disconnect() cancels the pending attempt, and that is all closing needs.
 */
async function closeClient(c: RedisCommands, timeoutMs: number): Promise<void> {
  if (c.status === 'end') return;
  const ended = new Promise<void>((resolve) => c.once('end', () => resolve()));
  if (c.status === 'ready') {
    try {
      await withTimeout(c.quit(), timeoutMs);
      await withTimeout(ended, timeoutMs);
      return;
    } catch {
      // A silent server (QUIT unanswered): fall through to a hard disconnect.
    }
  }
  const reconnecting = c.status === 'reconnecting';
  c.disconnect();
  if (reconnecting || c.status === 'end') return;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const backstop = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, CLOSE_WAIT_MS);
  });
  await Promise.race([ended, backstop]);
  clearTimeout(timer);
}

/**
 * A connection to one Redis (`url`, a `Secret` is fine) or a Redis Cluster (`nodes`), or a wrapper of a
 * client you created (`client`, never closed here). Invalid URLs or node lists are a ConfigError now,
 * not a silent connection to localhost later.
 */
export function createRedisConnection(options: RedisConnectionOptions): RedisConnection {
  return new Connection(options);
}
