import { createHash } from 'node:crypto';

/** `count` deterministic bytes derived from `seed` (SHA-256 in counter mode). */
export function seededBytes(seed: string, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let block = 0, offset = 0; offset < count; block++) {
    const digest = createHash('sha256').update(`${block}:${seed}`).digest();
    out.set(digest.subarray(0, Math.min(digest.length, count - offset)), offset);
    offset += digest.length;
  }
  return out;
}
