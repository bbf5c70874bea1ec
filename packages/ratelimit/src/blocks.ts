import type { ViolationAggregate } from './violations.ts';

export interface Block {
  /** Epoch ms until which the store would deny any request of this identity. */
  until: number;
  /** Violation aggregate the fast path bumps (no key building on the hot path). */
  agg: ViolationAggregate | undefined;
}

/**
 * Identities recently denied, answered from memory until the store said they may retry — the idea of
 * rate-limiter-flexible's inMemoryBlockOnConsumed, with the exact per-key duration the store returned.
 * Bounded: at `max` entries expired ones are swept, then the oldest dropped (dropping only costs a
 * store round trip later, never correctness).
 */
export class BlockList {
  readonly #max: number;
  readonly #blocks = new Map<string, Block>();
  #nextSweep = 0;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string): Block | undefined {
    return this.#blocks.get(key);
  }

  set(key: string, block: Block, now: number): void {
    if (this.#blocks.size >= this.#max && !this.#blocks.has(key)) {
      // A full sweep is O(n): at most once a second, otherwise just drop the oldest.
      if (now >= this.#nextSweep) {
        this.#nextSweep = now + 1000;
        for (const [k, b] of this.#blocks) if (b.until <= now) this.#blocks.delete(k);
      }
      if (this.#blocks.size >= this.#max) {
        const oldest = this.#blocks.keys().next().value;
        if (oldest !== undefined) this.#blocks.delete(oldest);
      }
    }
    this.#blocks.set(key, block);
  }

  delete(key: string): void {
    this.#blocks.delete(key);
  }

  clear(): void {
    this.#blocks.clear();
  }

  get size(): number {
    return this.#blocks.size;
  }
}
