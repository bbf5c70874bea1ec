import { describe, expect, it } from 'vitest';
import { hitRateSeries, latencySeries, quantile, violationSeries } from '../../src/status/series.ts';

describe('status page series', () => {
  it('takes nearest-rank quantiles', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(quantile(sorted, 0.5)).toBe(5);
    expect(quantile(sorted, 0.95)).toBe(10);
    expect(quantile([], 0.5)).toBe(0);
  });

  it('buckets request latency per minute into p50 and p95, oldest first', () => {
    const rows = [
      { created_at: '2026-12-02T10:01:30Z', duration_ms: 30 },
      { created_at: '2026-12-02T10:00:10Z', duration_ms: 10 },
      { created_at: '2026-12-02T10:00:20Z', duration_ms: 20 },
      { created_at: '2026-12-02T10:00:50Z', duration_ms: 100 },
    ];
    const { p50, p95, requests } = latencySeries(rows);
    expect(requests).toBe(4);
    expect(p50.map((p) => p.v)).toEqual([20, 30]);
    expect(p95.map((p) => p.v)).toEqual([100, 30]);
    expect(p50[0]?.t).toBe(Date.parse('2026-12-02T10:00:00Z'));
  });

  it('sums violations and computes the hit rate per minute', () => {
    const v = violationSeries([
      { last_seen_at: '2026-12-02T10:00:01Z', violation_count: 3 },
      { last_seen_at: '2026-12-02T10:00:59Z', violation_count: 2 },
    ]);
    expect(v).toEqual({ points: [{ t: Date.parse('2026-12-02T10:00:00Z'), v: 5 }], total: 5 });
    const h = hitRateSeries([
      { period_end: '2026-12-02T10:00:15Z', hits: 3, misses: 1 },
      { period_end: '2026-12-02T10:00:30Z', hits: 1, misses: 3 },
      { period_end: '2026-12-02T10:01:00Z', hits: 0, misses: 0 },
    ]);
    expect(h.points).toEqual([{ t: Date.parse('2026-12-02T10:00:00Z'), v: 50 }]);
    expect(h.overall).toBe(50);
  });
});
