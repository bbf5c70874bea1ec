import type { MentoraError } from '@mentora/errors';
import type { Redis } from 'ioredis';
import { type BreakerOptions, CircuitBreaker } from './breaker.ts';
import { commands, type RedisCommands } from './client.ts';
import { DeadlineWatch } from './deadline.ts';
import { circuitOpen, commandFailure, isAvailabilityFailure } from './failure.ts';
import type { RedisClient } from './options.ts';
import { CommandTimeoutError } from './timeout.ts';

export interface GuardOptions {
  client: RedisClient;
  service: 'redis' | 'redis-cluster';
  commandTimeoutMs: number;
  connectTimeoutMs: number;
  breaker: BreakerOptions | undefined;
  onBreakerChange: (state: CircuitBreaker['state'], cause?: unknown) => void;
}

/**
 * What every command of a connection goes through: the breaker, the wait for the first connection, the
 * deadline watchdog, and the typed failure. One per connection, so every package on it sees one state
 * (a cache and a rate limiter sharing a connection open and close one circuit).
 */
export class Guard {
  readonly client: RedisClient;
  readonly c: RedisCommands;
  readonly service: 'redis' | 'redis-cluster';
  readonly breaker: CircuitBreaker;
  /** The watchdog; undefined when a given client's own `commandTimeout` already bounds every command. */
  readonly deadlines: DeadlineWatch | undefined;
  /** Whether hot commands are built here (not through ioredis's auto-pipelining path). */
  readonly ownCommands: boolean;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly onOk = <T>(value: T): T => {
    this.breaker.success();
    return value;
  };
  readonly onSuccess = (): void => this.breaker.success();
  /** True once the client has been ready at least once. */
  everReady: boolean;
  /**
   * True once the first connection is no longer worth waiting for (its attempt failed, the connect
   * timeout passed, or the connection was closed): from then on a disconnected client fails at once.
   */
  startupOver = false;
  #startupDeadline: number;
  #first: Promise<void> | undefined;

  constructor(options: GuardOptions) {
    this.client = options.client;
    this.c = commands(options.client);
    this.service = options.service;
    this.commandTimeoutMs = options.commandTimeoutMs;
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.breaker = new CircuitBreaker(options.breaker ?? {}, options.onBreakerChange);
    // A standalone client with its own commandTimeout (≤ ours) is bounded already; otherwise (and always on
    // a Cluster, whose redirections and cluster-down retries add to any node timeout) the watchdog bounds.
    const own = options.client.isCluster ? undefined : (options.client as Redis).options.commandTimeout;
    this.deadlines =
      typeof own === 'number' && own > 0 && own <= this.commandTimeoutMs
        ? undefined
        : new DeadlineWatch(this.commandTimeoutMs);
    const clientOptions = options.client.options as { enableAutoPipelining?: boolean };
    this.ownCommands = this.deadlines !== undefined && clientOptions.enableAutoPipelining !== true;
    this.everReady = this.c.status === 'ready';
    this.#startupDeadline = Date.now() + this.connectTimeoutMs;
  }

  /** Reports a failure to the breaker and returns the typed error to reject with. */
  failure(op: string, err: unknown): MentoraError {
    // The server answered (a wrong type, a script error): it is available; the error is the caller's.
    if (isAvailabilityFailure(err)) this.breaker.failure(err);
    else this.breaker.success();
    return commandFailure(op, this.service, err);
  }

  circuitOpen(op: string): MentoraError {
    return circuitOpen(op, this.service, this.breaker.retryInMs());
  }

  /**
   * The client is not connected. Before the first connection, wait for it (bounded) and then send: a
   * process that just started must not decide (or fail) everything locally while it connects. After it,
   * fail now: a client with an offline queue (ioredis's default, so any client we are given) would hold
   * the command for the whole outage and replay it on reconnect, over newer data.
   */
  notReady<T>(op: string, send: () => Promise<T>): Promise<T> {
    if (!this.everReady && !this.startupOver) {
      return this.firstConnection().then(send, (err: unknown) => {
        throw this.failure(op, err);
      });
    }
    return Promise.reject(
      this.failure(op, new Error(`Redis connection is ${this.c.status}; not queueing the command`)),
    );
  }

  /**
   * Resolves once the client is connected for the first time; rejects once the first connection is not
   * worth waiting for: its attempt failed, or the connect timeout (counted from the connection's creation,
   * or from the moment a lazy client is asked to connect) passed.
   */
  firstConnection(): Promise<void> {
    if (this.everReady || this.c.status === 'ready') {
      this.everReady = true;
      return Promise.resolve();
    }
    if (this.startupOver) return Promise.reject(new Error(`Redis connection is ${this.c.status}`));
    if (this.c.status === 'wait') {
      // A lazily created client connects on demand: this is the demand.
      this.#startupDeadline = Date.now() + this.connectTimeoutMs;
      this.c.connect().catch(() => {});
    }
    this.#first ??= new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.c.off('ready', onReady);
        this.c.off('close', onClose);
        this.#first = undefined;
        if (err === undefined) {
          this.everReady = true;
          resolve();
        } else {
          this.startupOver = true;
          reject(err);
        }
      };
      const onReady = () => done();
      // ioredis emits 'close' when an attempt fails (refused, reset): Redis is down, not slow.
      const onClose = () => done(new Error('the first connection attempt to Redis failed'));
      const timer = setTimeout(
        () => done(new CommandTimeoutError(this.connectTimeoutMs)),
        Math.max(0, this.#startupDeadline - Date.now()),
      );
      timer.unref();
      this.c.once('ready', onReady);
      this.c.once('close', onClose);
    });
    return this.#first;
  }

  /** Marks the connection closed: nothing waits for a first connection any more. */
  stop(): void {
    this.startupOver = true;
    this.deadlines?.stop();
  }
}
