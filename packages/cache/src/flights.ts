/**
 * One `getOrCompute` of one key, from the first read to the stored value: the per-call context every step
 * of the compute path takes (instead of a dozen positional arguments), and what concurrent callers of the
 * same key share while it runs.
 */
export interface Flight<T = unknown> {
  /** The key as the caller gave it (L1 and flights are keyed by it). */
  readonly key: string;
  /** The key in the store (`<namespace>|<key>`). */
  readonly storeKey: string;
  /** The key's invalidation scope (its hash tag), if any. */
  readonly tag: string | undefined;
  readonly compute: () => T | Promise<T>;
  readonly ttlMs: number;
  /** Whether to hold the cross-process lease while computing. */
  readonly lease: boolean;
  /** The invalidation epoch when the call started: a value from before a later bump never fills L1. */
  readonly epoch: number;
  /** The tag's version seen before computing: the write is skipped if it changed meanwhile. */
  version: string | null;
  /** False once the store failed during this flight: the value is then not written back. */
  storeUp: boolean;
  /**
   * Set when the key was invalidated (set, delete, deletePattern, tag, or a remote message) while the
   * compute ran: its value may be from before that write, so it is not stored, and later callers no
   * longer join this flight.
   */
  superseded: boolean;
  /** Whether callers asking for the key now join this flight (it is registered and has not ended). */
  current: boolean;
  /** The shared outcome (set right after registration, before anything can join). */
  promise: Promise<T> | undefined;
}

/**
 * The flights in progress, one per key: single-flight within this process. Every `getOrCompute` registers
 * one, so this is on the hit path: an ended flight is only marked, and left in the map to be overwritten by
 * the key's next flight (an update in place), instead of a delete and a re-insert per call, which measured as
 * the costliest step of a hit. Ended entries are swept once the map has doubled since the last sweep.
 */
export class Flights {
  private readonly map = new Map<string, Flight>();
  private sweepAt = 1024;

  /** Entries held, ended ones not yet swept included. */
  get size(): number {
    return this.map.size;
  }

  /** The flight callers of `key` join now, if any. */
  get(key: string): Flight | undefined {
    const f = this.map.get(key);
    return f?.current === true ? f : undefined;
  }

  start(flight: Flight): void {
    flight.current = true;
    this.map.set(flight.key, flight);
    if (this.map.size >= this.sweepAt) this.sweep();
  }

  /** A finished flight stops being joined (unless an invalidation already replaced it). */
  end(flight: Flight): void {
    if (flight.current) {
      flight.current = false;
      flight.promise = undefined; // what it resolved to is its callers' now, not the registry's
    }
  }

  /**
   * Called synchronously before an invalidating write is sent: running computes of the key may hold
   * pre-write data, so they must not store it (their write, if already sent, lands first on the key's
   * connection and is overwritten), and callers from now on start a fresh compute.
   */
  supersede(key: string): void {
    const f = this.map.get(key);
    if (f?.current === true) this.drop(f);
  }

  supersedeWhere(match: (f: Flight) => boolean): void {
    for (const f of this.map.values()) if (f.current && match(f)) this.drop(f);
  }

  private drop(f: Flight): void {
    f.superseded = true;
    f.current = false;
    f.promise = undefined;
    this.map.delete(f.key);
  }

  private sweep(): void {
    for (const [key, f] of this.map) if (!f.current) this.map.delete(key);
    this.sweepAt = Math.max(1024, this.map.size * 2);
  }
}
