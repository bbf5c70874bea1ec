import { createLogThrottle } from '@mentora/monitoring';
import { type RedisCommands, type RedisConnection, type RedisOp, withTimeout } from '@mentora/redis';
import type { Cluster, Redis } from 'ioredis';
import type { InvalidationBus, InvalidationHandler } from '../types.js';

/**
 * Invalidation messages over Redis pub/sub. Publishing goes through the connection like any command;
 * subscribing uses a subscriber connection of its own (a connection in subscribe mode cannot send other
 * commands). On a Cluster a plain PUBLISH reaches every node, so one subscriber on any node hears all of
 * them. When the subscriber loses its connection, messages may be lost: handlers then get `null` (forget
 * everything), on the drop and again once it is back.
 */
export class RedisInvalidationBus implements InvalidationBus {
  private sub: RedisCommands | undefined;
  private starting: Promise<void> | undefined;
  private readonly handlers = new Set<InvalidationHandler>();
  private connectedOnce = false;
  private readonly connection: RedisConnection;
  private readonly publisher: RedisOp;
  /** The channel in Redis: after the connection's key prefix. */
  readonly channel: string;
  private readonly timeoutMs: number;
  private readonly onError: (what: string, err: unknown) => void;

  constructor(connection: RedisConnection, channel: string) {
    this.connection = connection;
    this.publisher = connection.op('publish');
    this.channel = connection.keyPrefix + channel;
    // SUBSCRIBE waits for the subscriber's own first connection: give it more than one command's time.
    this.timeoutMs = Math.max(connection.commandTimeoutMs, 5_000);
    const throttled = createLogThrottle(connection.logger);
    this.onError = (what, err) =>
      throttled('warn', what, `Redis ${what} error`, {
        service: connection.kind,
        error: err instanceof Error ? err.message : String(err),
      });
  }

  async publish(message: string): Promise<void> {
    await this.publisher.call('publish', [this.channel, message]);
  }

  async subscribe(handler: InvalidationHandler): Promise<() => Promise<void>> {
    this.handlers.add(handler);
    try {
      this.starting ??= this.start();
      await this.starting;
    } catch (err) {
      this.handlers.delete(handler);
      throw err;
    }
    return async () => {
      this.handlers.delete(handler);
      if (this.handlers.size === 0) this.stop();
    };
  }

  private async start(): Promise<void> {
    // Our own connection, with an offline queue so SUBSCRIBE waits for the connection instead of
    // failing; it only ever queues SUBSCRIBE commands.
    const source = this.connection.client;
    const sub = (source.isCluster
      ? (source as Cluster).duplicate([], { enableOfflineQueue: true, lazyConnect: false })
      : (source as Redis).duplicate({
          enableOfflineQueue: true,
          lazyConnect: false,
        })) as unknown as RedisCommands;
    this.sub = sub;
    sub.on('error', (err: Error) => this.onError('subscriber', err));
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.dispatch(message);
    });
    sub.on('ready', () => {
      if (this.connectedOnce) this.dispatch(null);
      this.connectedOnce = true;
    });
    sub.on('close', () => {
      if (this.connectedOnce) this.dispatch(null);
    });
    try {
      await withTimeout(sub.subscribe(this.channel), this.timeoutMs);
      this.connectedOnce = true;
    } catch (err) {
      this.stop();
      throw err;
    }
  }

  private dispatch(message: string | null): void {
    for (const h of this.handlers) {
      try {
        h(message);
      } catch (err) {
        this.onError('invalidation handler', err);
      }
    }
  }

  private stop(): void {
    const sub = this.sub;
    this.sub = undefined;
    this.starting = undefined;
    this.connectedOnce = false;
    sub?.disconnect();
  }

  close(): void {
    this.handlers.clear();
    this.stop();
  }
}
