import { InvalidArgumentError } from '@mentora/errors';
import type { CacheContext } from './context.js';
import { globToRegExp } from './glob.js';
import { escapeGlob, tagOfKey } from './keys.js';
import { checkTag, versionKeyOf } from './layout.js';
import { ttlSecondsToMs } from './ttl.js';

/**
 * Writes and invalidations. Each one first supersedes the computes of what it touches (their values may
 * predate it), then writes, then drops this instance's L1 copies, then announces it to the others.
 */
export class Writes {
  private readonly cx: CacheContext;
  private readonly broadcastSets: boolean;

  constructor(cx: CacheContext, broadcastSets: boolean) {
    this.cx = cx;
    this.broadcastSets = broadcastSets;
  }

  async set(key: string, value: unknown, ttlSeconds?: number): Promise<boolean> {
    const cx = this.cx;
    const ttlMs = ttlSecondsToMs(ttlSeconds ?? cx.defaultTtlSeconds);
    const payload = cx.codec.encode(value);
    cx.counters.sets++;
    const storeKey = cx.prefix + key;
    const tag = tagOfKey(key);
    cx.flights.supersede(key);
    let ok = true;
    try {
      if (tag === undefined) await cx.store.set(storeKey, payload, ttlMs);
      else await cx.store.setVersioned(storeKey, versionKeyOf(tag), payload, ttlMs, null);
    } catch (err) {
      cx.failed('set', err);
      ok = false;
    }
    cx.coherence.droppedKey(key);
    if (this.broadcastSets) cx.coherence.announceKey(key);
    return ok;
  }

  async delete(key: string): Promise<boolean> {
    const cx = this.cx;
    cx.counters.deletes++;
    cx.flights.supersede(key);
    let existed: boolean;
    try {
      existed = await cx.store.delete(cx.prefix + key);
    } catch (err) {
      cx.failed('delete', err);
      throw err;
    } finally {
      cx.coherence.droppedKey(key);
    }
    cx.coherence.announceKey(key);
    return existed;
  }

  async increment(key: string, windowSeconds: number): Promise<number> {
    const windowMs = ttlSecondsToMs(windowSeconds, 'windowSeconds');
    if (windowMs === 0) {
      throw new InvalidArgumentError('windowSeconds must be finite', {
        code: 'CACHE_INVALID_TTL',
        argument: 'windowSeconds',
        context: { value: windowSeconds },
      });
    }
    try {
      return await this.cx.store.increment(this.cx.prefix + key, windowMs);
    } catch (err) {
      this.cx.failed('increment', err);
      throw err;
    }
  }

  async deletePattern(pattern: string): Promise<number> {
    const cx = this.cx;
    if (typeof pattern !== 'string' || pattern.length === 0) {
      throw new InvalidArgumentError('deletePattern needs a non-empty glob', {
        code: 'CACHE_INVALID_PATTERN',
        argument: 'pattern',
      });
    }
    cx.counters.deletes++;
    const re = globToRegExp(pattern);
    cx.flights.supersedeWhere((f) => re.test(f.key));
    let count: number;
    try {
      count = await cx.store.deletePattern(escapeGlob(cx.prefix) + pattern);
    } catch (err) {
      cx.failed('deletePattern', err);
      throw err;
    } finally {
      cx.coherence.droppedMatching(re);
    }
    cx.coherence.announcePattern(pattern);
    return count;
  }

  async invalidateTags(tags: readonly string[]): Promise<void> {
    const cx = this.cx;
    for (const tag of tags) checkTag(tag);
    if (tags.length === 0) return;
    cx.counters.deletes++;
    cx.flights.supersedeWhere((f) => f.tag !== undefined && tags.includes(f.tag));
    try {
      // One INCR per tag: each is a single-key command, so a Cluster routes each to its own slot.
      await Promise.all(tags.map((tag) => cx.store.bumpVersion(versionKeyOf(tag))));
    } catch (err) {
      cx.failed('invalidateTags', err);
      throw err;
    } finally {
      cx.coherence.droppedTags(tags);
    }
    cx.coherence.announceTags(tags);
  }
}
