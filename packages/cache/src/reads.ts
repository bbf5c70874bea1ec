import type { CacheContext } from './context.js';
import { tagOfKey } from './keys.js';
import { unstamp, versionKeyOf } from './layout.js';
import type { CachePayload } from './types.js';

/** What a read found that is not a value (absent, stale or undecodable). */
export const MISS: unique symbol = Symbol('miss');

/** A scoped entry as read: its payload if written under the tag's current version, and that version. */
export interface ScopedRead {
  payload: CachePayload | null;
  version: string;
}

/** `get` and `ttl`, and the decoding every read path shares (also `getOrCompute`'s). */
export class Reads {
  private readonly cx: CacheContext;

  constructor(cx: CacheContext) {
    this.cx = cx;
  }

  get<T = unknown>(key: string): Promise<T | null> {
    const cx = this.cx;
    const held = cx.fromL1(key);
    if (held !== undefined) return Promise.resolve(held.value as T);
    const tag = tagOfKey(key);
    // The common case (unscoped key, no L1): one GET and one `then` with pre-bound handlers.
    if (tag === undefined && cx.coherence.l1 === undefined) {
      return cx.store.get(cx.prefix + key).then(this.onPlainRead, this.onReadFailure) as Promise<T | null>;
    }
    return this.load(key, tag) as Promise<T | null>;
  }

  private readonly onPlainRead = (payload: CachePayload | null): unknown => {
    const cx = this.cx;
    if (payload !== null) {
      try {
        const value = cx.codec.decode(payload);
        cx.counters.hits++;
        return value;
      } catch (err) {
        cx.failed('decode', err);
      }
    }
    cx.counters.misses++;
    return null;
  };

  private readonly onReadFailure = (err: unknown): null => {
    this.cx.failed('get', err);
    this.cx.counters.misses++;
    return null;
  };

  private async load(key: string, tag: string | undefined): Promise<unknown> {
    const cx = this.cx;
    const epoch = cx.coherence.epoch;
    let payload: CachePayload | null;
    try {
      payload =
        tag === undefined ? await cx.store.get(cx.prefix + key) : (await this.readScoped(key, tag)).payload;
    } catch (err) {
      cx.failed('get', err);
      cx.counters.misses++;
      return null;
    }
    const value = payload === null ? MISS : this.decodeHit(key, payload, tag, epoch);
    if (value === MISS) {
      cx.counters.misses++;
      return null;
    }
    return value;
  }

  /** Value and tag version in one round trip (one slot on a Cluster: the key carries the tag). */
  async readScoped(key: string, tag: string): Promise<ScopedRead> {
    const [raw, v] = await this.cx.store.getVersioned(this.cx.prefix + key, versionKeyOf(tag));
    const version = v ?? '0';
    return { payload: unstamp(raw, version), version };
  }

  /**
   * Decodes a stored payload read at `epoch`, counting the hit (unless the caller already counted a miss)
   * and keeping it in L1; MISS when it cannot be decoded.
   */
  decodeHit(
    key: string,
    payload: CachePayload,
    tag: string | undefined,
    epoch: number,
    countHit = true,
  ): unknown {
    const cx = this.cx;
    let value: unknown;
    try {
      value = cx.codec.decode(payload);
    } catch (err) {
      cx.failed('decode', err);
      return MISS;
    }
    if (countHit) cx.counters.hits++;
    cx.coherence.fill(key, value, 0, tag, payload.length, epoch);
    return value;
  }

  /** Seconds left: null when missing, Infinity when it never expires. Store failures are thrown. */
  async ttl(key: string): Promise<number | null> {
    let ms: number;
    try {
      ms = await this.cx.store.pttl(this.cx.prefix + key);
    } catch (err) {
      this.cx.failed('ttl', err);
      throw err;
    }
    if (ms === -2) return null;
    return ms === -1 ? Number.POSITIVE_INFINITY : ms / 1000;
  }
}
