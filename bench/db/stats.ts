/** Median of a list of numbers (the bench reports medians of repeated runs). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Mean time per call of `fn`, over `iterations` sequential calls, in milliseconds. */
export async function timePerCall(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await fn();
  return (performance.now() - start) / iterations;
}

/**
 * Runs every case `rounds` times, interleaved (A B C A B C ...) so drift on a shared 2-core machine
 * hits all cases alike; returns each case's median of its per-round means.
 */
export async function interleave(
  cases: Record<string, () => Promise<number>>,
  rounds: number,
): Promise<Record<string, { median: number; runs: number[] }>> {
  const runs: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(cases)) runs[name]?.push(await run());
  }
  return Object.fromEntries(Object.entries(runs).map(([k, v]) => [k, { median: median(v), runs: v }]));
}

export const fmt = (ms: number) => (ms < 10 ? ms.toFixed(3) : ms < 100 ? ms.toFixed(2) : ms.toFixed(1));
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
