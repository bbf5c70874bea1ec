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
  /** The shared outcome (set right after registration, before anything can join). */
  promise: Promise<T> | undefined;
}

/** The flights in progress, one per key: single-flight within this process. */
export class Flights {
  private readonly map = new Map<string, Flight>();

  get(key: string): Flight | undefined {
    return this.map.get(key);
  }

  start(flight: Flight): void {
    this.map.set(flight.key, flight);
  }

  /** Removes a finished flight, unless an invalidation already replaced it with a newer one. */
  end(flight: Flight): void {
    if (this.map.get(flight.key) === flight) this.map.delete(flight.key);
  }

  /**
   * Called synchronously before an invalidating write is sent: running computes of the key may hold
   * pre-write data, so they must not store it (their write, if already sent, lands first on the key's
   * connection and is overwritten), and callers from now on start a fresh compute.
   */
  supersede(key: string): void {
    const f = this.map.get(key);
    if (f !== undefined) {
      f.superseded = true;
      this.map.delete(key);
    }
  }

  supersedeWhere(match: (f: Flight) => boolean): void {
    if (this.map.size === 0) return;
    for (const [key, f] of this.map) {
      if (match(f)) {
        f.superseded = true;
        this.map.delete(key);
      }
    }
  }
}
