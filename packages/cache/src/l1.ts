/** One decoded value held in process. */
export interface L1Entry {
  value: unknown;
  expiresAt: number;
  tag: string | undefined;
  /** Recency stamp: see `L1Cache.get`. */
  seq: number;
}

/**
 * The in-process tier: decoded values with a short TTL, bounded by `maxEntries`, evicting the least
 * recently used. Values are shared, not copied: treat what the cache returns as immutable.
 */
export class L1Cache {
  private readonly map = new Map<string, L1Entry>();
  private seq = 0;
  private readonly refreshAge: number;

  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
  ) {
    this.refreshAge = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this.map.size;
  }

  /**
   * The live entry, or undefined. Recency is refreshed (delete + re-insert at the young end) only once an
   * entry has aged past half the capacity, so a hot entry costs one Map lookup per hit, and an entry
   * that is still hit never reaches the eviction end.
   */
  get(key: string): L1Entry | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= Date.now()) {
      this.map.delete(key);
      return undefined;
    }
    if (this.seq - e.seq > this.refreshAge) {
      this.map.delete(key);
      e.seq = ++this.seq;
      this.map.set(key, e);
    }
    return e;
  }

  set(key: string, value: unknown, ttlMs: number, tag: string | undefined): void {
    // An entry never outlives its store TTL (0 = none) nor the L1 TTL.
    const life = ttlMs > 0 && ttlMs < this.ttlMs ? ttlMs : this.ttlMs;
    this.map.delete(key);
    this.map.set(key, { value, expiresAt: Date.now() + life, tag, seq: ++this.seq });
    if (this.map.size > this.maxEntries) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  delete(key: string): void {
    this.map.delete(key);
  }

  deleteTags(tags: readonly string[]): void {
    for (const [key, e] of this.map) {
      if (e.tag !== undefined && tags.includes(e.tag)) this.map.delete(key);
    }
  }

  deleteMatching(re: RegExp): void {
    for (const key of this.map.keys()) if (re.test(key)) this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
