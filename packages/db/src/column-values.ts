import { quoteLogicValue } from './filters.js';
import type { ColumnMetadata } from './metadata-types.js';

/** Types with a total order PostgREST can sort and compare through query parameters. */
const SORTABLE = new Set([
  'uuid',
  'text',
  'varchar',
  'bpchar',
  'citext',
  'int2',
  'int4',
  'int8',
  'float4',
  'float8',
  'numeric',
  'bool',
  'timestamptz',
  'timestamp',
  'date',
  'time',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * What PostgREST returns for date/time columns, e.g. 2025-10-20T10:00:00.123456+00:00, and what else
 * Postgres stores there: `infinity`/`-infinity`, years past 9999, and BC dates (`0044-03-15 BC`).
 * A cursor taken from such a row is genuine and must decode.
 */
const TEMPORAL =
  /^(?:-?infinity|\d{4,}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2}(?::?\d{2})?)?)?)?(?: BC)?)$/;
const TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$/;
/** Numbers as JSON strings (numeric beyond double precision), and the non-finite floats Postgres emits as strings. */
const NUMERIC = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|NaN|-?Infinity)$/;

/**
 * Longest sort value a keyset cursor may carry, measured as it travels: quoted and percent-encoded in
 * the PostgREST URL, where the next page's filter repeats it up to three times. Gateways refuse request
 * lines past 8-16 KB (nginx, Kong, Node's http server), so a longer value could never be sent back.
 */
export const MAX_SORT_VALUE_URL_LENGTH = 2_048;

/** Whether `value` can be sent back to PostgREST as a keyset filter value (see above). */
export function fitsInFilter(value: unknown): boolean {
  if (typeof value !== 'string') return true;
  // Percent-encoded, one UTF-16 unit takes at most 9 characters (3 UTF-8 bytes; `"` becomes %5C%22).
  if (value.length * 9 + 6 <= MAX_SORT_VALUE_URL_LENGTH) return true;
  if (value.length > MAX_SORT_VALUE_URL_LENGTH) return false;
  return encodeURIComponent(quoteLogicValue(value)).length <= MAX_SORT_VALUE_URL_LENGTH;
}

export function isSortable(column: ColumnMetadata): boolean {
  return SORTABLE.has(column.type);
}

/**
 * Whether `value` is something this column can hold, as PostgREST serialises it to JSON. Used to
 * reject decoded cursor values before they reach a filter.
 */
export function isValidColumnValue(column: ColumnMetadata, value: unknown): boolean {
  if (value === null) return column.nullable;
  switch (column.type) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'int2':
    case 'int4':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'int8':
      return (
        (typeof value === 'number' && Number.isSafeInteger(value)) ||
        (typeof value === 'string' && /^-?\d+$/.test(value))
      );
    case 'float4':
    case 'float8':
    case 'numeric':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && NUMERIC.test(value))
      );
    case 'bool':
      return typeof value === 'boolean';
    case 'timestamptz':
    case 'timestamp':
    case 'date':
      return typeof value === 'string' && TEMPORAL.test(value);
    case 'time':
      return typeof value === 'string' && TIME.test(value);
    default:
      return typeof value === 'string' && fitsInFilter(value);
  }
}
