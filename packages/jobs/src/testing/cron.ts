// A five-field cron matcher (minute hour day-of-month month day-of-week, UTC) for the runner's optional
// clock: `*`, numbers, `a-b` ranges, `*/n` and `a-b/n` steps and comma lists. Names (MON, JAN) and
// Inngest's `TZ=` prefix are not supported and fail to parse.
import { InvalidArgumentError } from '@mentora/errors';

const FIELDS = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
] as const;

function parseField(text: string, min: number, max: number): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new InvalidArgumentError(`unsupported cron field "${text}"`, { argument: 'cron' });
    const from = m[1] === '*' ? min : Number(m[2]);
    const to = m[1] === '*' ? max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < min || to > max || from > to || step < 1) {
      throw new InvalidArgumentError(`cron field "${text}" is out of range ${min}-${max}`, {
        argument: 'cron',
      });
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** A predicate telling whether a UTC minute matches the expression. */
export function parseCron(expression: string): (date: Date) => boolean {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new InvalidArgumentError(`cron "${expression}" must have 5 fields`, { argument: 'cron' });
  const [minute, hour, dom, month, dow] = parts.map((p, i) =>
    parseField(p, ...(FIELDS[i] as readonly [number, number])),
  );
  const domAny = parts[2] === '*';
  const dowAny = parts[4] === '*';
  return (date) => {
    const weekday = date.getUTCDay();
    const dayOk =
      domAny || dowAny
        ? (dom as Set<number>).has(date.getUTCDate()) &&
          ((dow as Set<number>).has(weekday) || (weekday === 0 && (dow as Set<number>).has(7)))
        : (dom as Set<number>).has(date.getUTCDate()) ||
          (dow as Set<number>).has(weekday) ||
          (weekday === 0 && (dow as Set<number>).has(7));
    return (
      (minute as Set<number>).has(date.getUTCMinutes()) &&
      (hour as Set<number>).has(date.getUTCHours()) &&
      (month as Set<number>).has(date.getUTCMonth() + 1) &&
      dayOk
    );
  };
}
