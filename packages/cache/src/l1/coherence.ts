import { randomUUID } from 'node:crypto';
import type { Flights } from '../flights.js';
import { globToRegExp } from '../glob.js';
import type { InvalidationEvent } from '../options.js';
import type { InvalidationBus } from '../types.js';
import type { L1Cache } from './l1.js';

/** An invalidation as it travels between instances. */
interface WireMessage {
  /** Origin: the publishing cache instance. */
  o: string;
  k: 'key' | 'pattern' | 'tags';
  n?: string;
  v: string | string[];
}

export interface CoherenceOptions {
  /** The configured L1 tier, if any. */
  tier: L1Cache | undefined;
  bus: InvalidationBus | undefined;
  namespace: string;
  flights: Flights;
  onInvalidation: ((event: InvalidationEvent) => void) | undefined;
  failed: (op: string, err: unknown) => void;
}

/**
 * Keeps this instance's L1 coherent with every other instance: announces local invalidations on the bus,
 * applies remote ones (to L1 and to running computes), and keeps L1 off whenever messages cannot reach it.
 */
export class L1Coherence {
  /**
   * The L1 in use: the configured tier while invalidation messages can reach it, else undefined (no L1, a
   * failed subscription until a retry succeeds, after close). An L1 nobody can invalidate would serve stale
   * values for its whole TTL.
   */
  l1: L1Cache | undefined;
  /**
   * Bumped by every invalidation seen here (local or remote). A read that started before a bump must not
   * fill L1 with what it read: that value may be the one just invalidated.
   */
  epoch = 0;
  private readonly tier: L1Cache | undefined;
  private readonly bus: InvalidationBus | undefined;
  private readonly namespace: string;
  private readonly flights: Flights;
  private readonly onInvalidation: ((event: InvalidationEvent) => void) | undefined;
  private readonly failed: (op: string, err: unknown) => void;
  private readonly id = randomUUID();
  /** The latest subscription attempt (retried while it fails). */
  private subscription: Promise<(() => Promise<void>) | undefined>;
  private resubscribeTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;

  constructor(options: CoherenceOptions) {
    this.tier = options.tier;
    this.bus = options.bus;
    this.namespace = options.namespace;
    this.flights = options.flights;
    this.onInvalidation = options.onInvalidation;
    this.failed = options.failed;
    this.l1 = options.tier;
    // Only an L1 needs to hear other instances' invalidations.
    this.subscription = this.tier === undefined ? Promise.resolve(undefined) : this.subscribe(0);
  }

  /** Keeps a value read or computed at `epoch` in L1, unless something was invalidated since. */
  fill(
    key: string,
    value: unknown,
    ttlMs: number,
    tag: string | undefined,
    size: number,
    epoch: number,
  ): void {
    if (this.l1 !== undefined && epoch === this.epoch) this.l1.set(key, value, ttlMs, tag, size);
  }

  // Local invalidations: this instance wrote; drop its copies (announcing is separate: after the write).

  droppedKey(key: string): void {
    this.epoch++;
    this.l1?.delete(key);
  }

  droppedMatching(re: RegExp): void {
    this.epoch++;
    this.l1?.deleteMatching(re);
  }

  droppedTags(tags: readonly string[]): void {
    this.epoch++;
    this.l1?.deleteTags(tags);
  }

  /** Tells other instances; sent after the write has landed, so a receiver that re-reads sees it. */
  announceKey(key: string): void {
    this.announce({ o: this.id, k: 'key', n: this.namespace, v: key });
  }

  announcePattern(pattern: string): void {
    this.announce({ o: this.id, k: 'pattern', n: this.namespace, v: pattern });
  }

  announceTags(tags: readonly string[]): void {
    this.announce({ o: this.id, k: 'tags', v: [...tags] });
  }

  /** Publishes without holding the caller; a failure is logged and counted. */
  private announce(message: WireMessage): void {
    this.bus?.publish(JSON.stringify(message)).catch((err: unknown) => this.failed('publish', err));
  }

  private onMessage(message: string | null): void {
    const l1 = this.l1;
    if (l1 === undefined) return;
    if (message === null) {
      // Messages may have been lost while the subscriber was away: forget everything.
      this.epoch++;
      l1.clear();
      this.flights.supersedeWhere(() => true);
      this.onInvalidation?.({ kind: 'reset' });
      return;
    }
    let m: WireMessage;
    try {
      m = JSON.parse(message) as WireMessage;
    } catch {
      return;
    }
    if (m.o === this.id) return;
    let event: InvalidationEvent;
    if (m.k === 'tags' && Array.isArray(m.v)) {
      const tags = m.v;
      l1.deleteTags(tags);
      this.flights.supersedeWhere((f) => f.tag !== undefined && tags.includes(f.tag));
      event = { kind: 'tags', tags };
    } else if (m.n !== this.namespace || typeof m.v !== 'string') {
      return;
    } else if (m.k === 'key') {
      l1.delete(m.v);
      this.flights.supersede(m.v);
      event = { kind: 'key', namespace: m.n, key: m.v };
    } else if (m.k === 'pattern') {
      const re = globToRegExp(m.v);
      l1.deleteMatching(re);
      this.flights.supersedeWhere((f) => re.test(f.key));
      event = { kind: 'pattern', namespace: m.n, pattern: m.v };
    } else {
      return;
    }
    this.epoch++;
    this.onInvalidation?.(event);
  }

  /** Resolves once invalidation messages are subscribed (immediately without L1). */
  async ready(): Promise<void> {
    await this.subscription;
  }

  /**
   * Subscribes to invalidation messages. While that fails (the store was down at start), L1 is off and
   * the subscription is retried with backoff: a cache created during an outage becomes coherent, and
   * gets its L1 back, once the bus is reachable.
   */
  private subscribe(attempt: number): Promise<(() => Promise<void>) | undefined> {
    const bus = this.bus as InvalidationBus;
    return bus
      .subscribe((message) => this.onMessage(message))
      .then(
        (unsubscribe) => {
          if (!this.closed) this.l1 = this.tier;
          return unsubscribe;
        },
        (err: unknown) => {
          this.failed('subscribe', err);
          this.epoch++;
          this.l1?.clear();
          this.l1 = undefined;
          if (!this.closed) {
            const timer = setTimeout(
              () => {
                this.resubscribeTimer = undefined;
                if (!this.closed) this.subscription = this.subscribe(attempt + 1);
              },
              Math.min(500 * 2 ** attempt, 30_000),
            );
            timer.unref();
            this.resubscribeTimer = timer;
          }
          return undefined;
        },
      );
  }

  /**
   * Stops listening. Calls after close still work (shutdown races with late requests), but straight from
   * the store: an L1 that stops hearing other instances' invalidations would serve stale values.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.l1?.clear();
    this.l1 = undefined;
    if (this.resubscribeTimer !== undefined) clearTimeout(this.resubscribeTimer);
    const unsubscribe = await this.subscription;
    if (unsubscribe) {
      try {
        await unsubscribe();
      } catch (err) {
        this.failed('unsubscribe', err);
      }
    }
  }
}
