// A small server-rendered SVG line chart: no client JavaScript, no chart library, no external assets.
import type { Point } from './series';

export interface Series {
  name: string;
  color: string;
  points: readonly Point[];
}

const W = 640;
const H = 200;
const PAD = { left: 64, right: 24, top: 12, bottom: 28 };

function niceMax(value: number, integer: boolean): number {
  if (integer && value <= 4) return 4;
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * magnitude) return step * magnitude;
  return 10 * magnitude;
}

function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 16);
}

export function LineChart(props: {
  id: string;
  title: string;
  unit: string;
  series: readonly Series[];
  /** Window shown on the x axis, epoch ms. */
  from: number;
  to: number;
  /** Fixed y maximum (e.g. 100 for percentages); default: from the data. */
  yMax?: number;
  /** Counts: whole-number ticks. */
  integer?: boolean;
}) {
  const { id, title, unit, series, from, to } = props;
  const count = series.reduce((n, s) => n + s.points.length, 0);
  const yMax =
    props.yMax ??
    niceMax(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.v))), props.integer === true);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (t: number) => PAD.left + ((t - from) / Math.max(1, to - from)) * innerW;
  const y = (v: number) => PAD.top + innerH - (Math.min(v, yMax) / yMax) * innerH;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const xTicks = [0, 1, 2, 3, 4].map((i) => from + ((to - from) * i) / 4);
  return (
    <figure className="chart" data-testid={`chart-${id}`} data-points={count}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="legend">
          {series.map((s) => (
            <span key={s.name}>
              <i style={{ background: s.color }} /> {s.name}
            </span>
          ))}
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {ticks.map((v) => (
          <g key={`y${v}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} className="grid" />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" className="axis">
              {props.integer || Number.isInteger(v) ? Math.round(v) : v.toFixed(1)}
              {unit}
            </text>
          </g>
        ))}
        {xTicks.map((t, i) => (
          <text
            key={`x${t}`}
            x={x(t)}
            y={H - 8}
            textAnchor={i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}
            className="axis"
          >
            {clock(t)}
          </text>
        ))}
        {series.map((s) => (
          <g key={s.name}>
            {s.points.length > 1 && (
              <polyline
                fill="none"
                stroke={s.color}
                strokeWidth={2}
                points={s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ')}
              />
            )}
            {s.points.map((p) => (
              <circle key={p.t} cx={x(p.t)} cy={y(p.v)} r={3} fill={s.color}>
                <title>{`${s.name} ${clock(p.t)}: ${p.v.toFixed(1)}${unit}`}</title>
              </circle>
            ))}
          </g>
        ))}
        {count === 0 && (
          <text x={W / 2} y={H / 2} textAnchor="middle" className="empty">
            no data in this window yet
          </text>
        )}
      </svg>
    </figure>
  );
}
