/** One decoded value held in process. */
export interface L1Entry {
  value: unknown;
  expiresAt: number;
  tag: string | undefined;
  /** What the entry counts against `maxBytes`: its encoded size (and its key's). */
  bytes: number;
  /** Recency stamp: see `L1Cache.get`. */
  seq: number;
}

/**
 * The in-process tier: decoded values with a short TTL, bounded by an entry count AND a byte budget,
 * evicting the least recently used. A value's size is what its encoding weighs (the payload the store
 * keeps), known for free on every fill; the decoded object is usually larger, by a roughly constant factor.
 * Values are shared, not copied: treat what the cache returns as immutable.
 */
export class L1Cache {
  private readonly map = new Map<string, L1Entry>();
  private seq = 0;
  private bytes = 0;
  private readonly refreshAge: number;
  readonly maxEntries: number;
  readonly maxBytes: number;
  readonly ttlMs: number;

  constructor(maxEntries: number, maxBytes: number, ttlMs: number) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
    this.ttlMs = ttlMs;
    this.refreshAge = Math.max(1, Math.floor(maxEntries / 2));
  }

  get size(): number {
    return this.map.size;
  }

  /** Bytes held (encoded sizes of the live entries and their keys). */
  get byteSize(): number {
    return this.bytes;
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
      this.remove(key, e);
      return undefined;
    }
    if (this.seq - e.seq > this.refreshAge) {
      this.map.delete(key);
      e.seq = ++this.seq;
      this.map.set(key, e);
    }
    return e;
  }

  /** Keeps a value of `size` encoded bytes; one that alone exceeds the budget is not kept at all. */
  set(key: string, value: unknown, ttlMs: number, tag: string | undefined, size: number): void {
    const bytes = size + key.length;
    const old = this.map.get(key);
    if (old !== undefined) this.remove(key, old);
    if (bytes > this.maxBytes) return;
    // An entry never outlives its store TTL (0 = none) nor the L1 TTL.
    const life = ttlMs > 0 && ttlMs < this.ttlMs ? ttlMs : this.ttlMs;
    this.map.set(key, { value, expiresAt: Date.now() + life, tag, bytes, seq: ++this.seq });
    this.bytes += bytes;
    while (this.map.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldestKey, oldest] = this.map.entries().next().value as [string, L1Entry];
      this.remove(oldestKey, oldest);
    }
  }

  delete(key: string): void {
    const e = this.map.get(key);
    if (e !== undefined) this.remove(key, e);
  }

  deleteTags(tags: readonly string[]): void {
    for (const [key, e] of this.map) {
      if (e.tag !== undefined && tags.includes(e.tag)) this.remove(key, e);
    }
  }

  deleteMatching(re: RegExp): void {
    for (const [key, e] of this.map) if (re.test(key)) this.remove(key, e);
  }

  clear(): void {
    this.map.clear();
    this.bytes = 0;
  }

  private remove(key: string, e: L1Entry): void {
    this.map.delete(key);
    this.bytes -= e.bytes;
  }
}
