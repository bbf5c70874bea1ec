// Turns infrastructure rows into per-minute series for the status page. Pure functions: the page reads
// the rows, these bucket them.

export interface Point {
  /** Start of the bucket, epoch ms. */
  t: number;
  v: number;
}

export const BUCKET_MS = 60_000;

export function bucketOf(iso: string): number {
  const t = Date.parse(iso);
  return Math.floor(t / BUCKET_MS) * BUCKET_MS;
}

/** The q-quantile (0..1) of sorted values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

function groupBy<R>(rows: readonly R[], at: (row: R) => string): Map<number, R[]> {
  const groups = new Map<number, R[]>();
  for (const row of rows) {
    const b = bucketOf(at(row));
    if (!Number.isFinite(b)) continue;
    const list = groups.get(b);
    if (list) list.push(row);
    else groups.set(b, [row]);
  }
  return groups;
}

const byTime = (a: Point, b: Point) => a.t - b.t;

export function latencySeries(rows: readonly { created_at: string; duration_ms: number }[]): {
  p50: Point[];
  p95: Point[];
  requests: number;
} {
  const p50: Point[] = [];
  const p95: Point[] = [];
  for (const [t, group] of groupBy(rows, (r) => r.created_at)) {
    const sorted = group.map((r) => Number(r.duration_ms)).sort((a, b) => a - b);
    p50.push({ t, v: quantile(sorted, 0.5) });
    p95.push({ t, v: quantile(sorted, 0.95) });
  }
  return { p50: p50.sort(byTime), p95: p95.sort(byTime), requests: rows.length };
}

export function violationSeries(rows: readonly { last_seen_at: string; violation_count: number }[]): {
  points: Point[];
  total: number;
} {
  const points: Point[] = [];
  let total = 0;
  for (const [t, group] of groupBy(rows, (r) => r.last_seen_at)) {
    const v = group.reduce((n, r) => n + Number(r.violation_count), 0);
    total += v;
    points.push({ t, v });
  }
  return { points: points.sort(byTime), total };
}

export function hitRateSeries(rows: readonly { period_end: string; hits: number; misses: number }[]): {
  points: Point[];
  overall: number | null;
} {
  const points: Point[] = [];
  let hits = 0;
  let lookups = 0;
  for (const [t, group] of groupBy(rows, (r) => r.period_end)) {
    const h = group.reduce((n, r) => n + Number(r.hits), 0);
    const l = h + group.reduce((n, r) => n + Number(r.misses), 0);
    hits += h;
    lookups += l;
    if (l > 0) points.push({ t, v: (100 * h) / l });
  }
  return { points: points.sort(byTime), overall: lookups > 0 ? (100 * hits) / lookups : null };
}
