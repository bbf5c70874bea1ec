import { getInfrastructure } from '../../src/infrastructure';
import { LineChart } from '../../src/status/chart';
import { loadStatus, WINDOW_MS } from '../../src/status/data';

// Rendered per request on the server: live figures, SVG charts, no client JavaScript.
export const dynamic = 'force-dynamic';
export const metadata = { title: 'Mentora status' };

const STATUS_COLOR = { healthy: '#1a7f37', degraded: '#b7791f', unhealthy: '#c0392b' } as const;
const CHECK_COLOR = { ok: '#1a7f37', error: '#c0392b' } as const;

const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; background: #f6f7f9; color: #1d2330; }
main { max-width: 1400px; margin: 0 auto; padding: 24px; }
header { display: flex; align-items: baseline; gap: 16px; flex-wrap: wrap; }
h1 { margin: 0; font-size: 24px; }
.badge { padding: 4px 12px; border-radius: 999px; color: white; font-weight: 600; text-transform: uppercase; font-size: 13px; letter-spacing: .04em; }
.muted { color: #667085; font-size: 13px; }
.checks { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; margin: 20px 0; }
.check { background: white; border-radius: 10px; padding: 14px 16px; box-shadow: 0 1px 2px rgba(16,24,40,.08); display: flex; gap: 12px; align-items: center; }
.dot { width: 14px; height: 14px; border-radius: 50%; flex: none; }
.check b { display: block; text-transform: capitalize; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
.chart { background: white; border-radius: 10px; padding: 12px 16px 8px; margin: 0; box-shadow: 0 1px 2px rgba(16,24,40,.08); }
.chart figcaption { display: flex; justify-content: space-between; font-weight: 600; margin-bottom: 4px; gap: 8px; flex-wrap: wrap; }
.legend { font-weight: 400; font-size: 12px; color: #475467; display: flex; gap: 12px; }
.legend i { display: inline-block; width: 10px; height: 10px; border-radius: 2px; }
.chart svg { width: 100%; height: auto; display: block; }
.grid { stroke: #eaecf0; }
.axis { fill: #667085; font-size: 11px; }
.empty { fill: #98a2b3; font-size: 14px; }
.summary { font-size: 13px; color: #475467; margin: 4px 0 0; }
.unavailable { color: #c0392b; font-size: 13px; }
`;

export default async function StatusPage() {
  const data = await loadStatus(getInfrastructure());
  const { health, from, to } = data;
  return (
    <main>
      <style>{CSS}</style>
      <header>
        <h1>Mentora status</h1>
        <span className="badge" data-testid="overall" style={{ background: STATUS_COLOR[health.status] }}>
          {health.status}
        </span>
        <span className="muted">
          checked {health.timestamp.slice(11, 19)} UTC · up to the last {WINDOW_MS / 60_000} minutes, per
          minute
        </span>
      </header>

      <section className="checks" aria-label="Dependencies">
        {Object.entries(health.checks).map(([name, check]) => (
          <div className="check" key={name} data-testid={`check-${name}`} data-status={check.status}>
            <span className="dot" style={{ background: CHECK_COLOR[check.status] }} />
            <span>
              <b>{name}</b>
              <span className="muted">
                {check.status === 'ok' ? 'up' : `down (${check.code ?? 'error'})`} ·{' '}
                {Math.round(check.latency)} ms
              </span>
            </span>
          </div>
        ))}
      </section>

      <section className="charts">
        <div>
          <LineChart
            id="latency"
            title="Request latency"
            unit=" ms"
            from={from}
            to={to}
            series={[
              { name: 'p50', color: '#2f6fdf', points: data.latency?.p50 ?? [] },
              { name: 'p95', color: '#e8590c', points: data.latency?.p95 ?? [] },
            ]}
          />
          {data.latency ? (
            <p className="summary">{data.latency.requests} requests logged</p>
          ) : (
            <p className="unavailable">request logs unavailable</p>
          )}
        </div>
        <div>
          <LineChart
            id="violations"
            title="Rate-limit violations"
            unit=""
            integer
            from={from}
            to={to}
            series={[{ name: 'rejected requests', color: '#c0392b', points: data.violations?.points ?? [] }]}
          />
          {data.violations ? (
            <p className="summary">
              {data.violations.total} rejected request{data.violations.total === 1 ? '' : 's'}
            </p>
          ) : (
            <p className="unavailable">violations unavailable</p>
          )}
        </div>
        <div>
          <LineChart
            id="hit-rate"
            title="Cache hit rate"
            unit="%"
            yMax={100}
            from={from}
            to={to}
            series={[{ name: 'hits / lookups', color: '#1a7f37', points: data.hitRate?.points ?? [] }]}
          />
          {data.hitRate ? (
            <p className="summary">
              {data.hitRate.overall === null
                ? 'no lookups yet'
                : `${data.hitRate.overall.toFixed(1)}% overall`}
            </p>
          ) : (
            <p className="unavailable">cache statistics unavailable</p>
          )}
        </div>
      </section>
    </main>
  );
}
