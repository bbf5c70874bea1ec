import { ValidationError } from '@mentora/errors';
import type { TableMetadata } from './metadata-types.js';

export type ComparisonOperator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte';

/** One condition on a column. A column may take one condition or an array of them (AND). */
export type FilterCondition<V> =
  | { op: ComparisonOperator; value: NonNullable<V> }
  | { op: 'like' | 'ilike'; value: string }
  | { op: 'in'; value: readonly NonNullable<V>[] }
  | { op: 'is'; value: null | boolean };

/**
 * `{ column: value }` means equality, `null` means IS NULL, an array of values means IN, and
 * `{ op, value }` (or an array of them) anything else.
 */
export type Filters<R> = {
  [K in keyof R]?:
    | R[K]
    | readonly NonNullable<R[K]>[]
    | FilterCondition<R[K]>
    | readonly FilterCondition<R[K]>[];
};

export type Scalar = string | number | boolean;

/** A validated condition, ready to become a supabase-js filter call. */
export interface NormalizedCondition {
  column: string;
  op: ComparisonOperator | 'like' | 'ilike' | 'in' | 'is';
  value: Scalar | null | Scalar[];
}

const OPERATORS = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'in', 'is']);

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function filterError(column: string, message: string): ValidationError {
  return new ValidationError(`Invalid filter on "${column}": ${message}`, {
    issues: [{ path: ['filters', column], message, code: 'invalid_filter' }],
  });
}

/** Throws ValidationError unless `column` is a real column of the table. */
export function assertColumn(
  table: string,
  meta: TableMetadata,
  column: unknown,
  path: string,
): asserts column is string {
  if (typeof column !== 'string' || !Object.hasOwn(meta.columns, column)) {
    throw new ValidationError(`Unknown column ${JSON.stringify(column)} for table "${table}"`, {
      issues: [{ path, message: `"${String(column)}" is not a column of ${table}`, code: 'unknown_column' }],
    });
  }
}

function normalizeCondition(column: string, condition: unknown): NormalizedCondition {
  if (condition === null) return { column, op: 'is', value: null };
  if (isScalar(condition)) return { column, op: 'eq', value: condition };
  if (typeof condition !== 'object') throw filterError(column, 'unsupported value type');
  const { op, value } = condition as { op?: unknown; value?: unknown };
  if (typeof op !== 'string' || !OPERATORS.has(op))
    throw filterError(column, `unknown operator ${String(op)}`);
  switch (op) {
    case 'in':
      if (!Array.isArray(value) || !value.every(isScalar))
        throw filterError(column, '"in" takes an array of values');
      return { column, op, value: [...value] };
    case 'is':
      if (value !== null && typeof value !== 'boolean')
        throw filterError(column, '"is" takes null, true or false');
      return { column, op, value };
    case 'like':
    case 'ilike':
      if (typeof value !== 'string') throw filterError(column, `"${op}" takes a string pattern`);
      return { column, op, value };
    default:
      if (!isScalar(value)) throw filterError(column, `"${op}" takes a string, number or boolean`);
      return { column, op: op as ComparisonOperator, value };
  }
}

/** Validates every column name against the table and every value's shape; returns flat conditions. */
export function normalizeFilters(
  table: string,
  meta: TableMetadata,
  filters: unknown,
): NormalizedCondition[] {
  if (filters === undefined || filters === null) return [];
  if (typeof filters !== 'object' || Array.isArray(filters)) {
    throw new ValidationError('filters must be an object of column conditions', {
      issues: [{ path: 'filters', message: 'expected an object', code: 'invalid_filter' }],
    });
  }
  const out: NormalizedCondition[] = [];
  for (const [column, spec] of Object.entries(filters as Record<string, unknown>)) {
    assertColumn(table, meta, column, `filters.${column}`);
    if (spec === undefined) continue;
    if (Array.isArray(spec)) {
      if (spec.every(isScalar)) out.push({ column, op: 'in', value: [...spec] });
      else for (const c of spec) out.push(normalizeCondition(column, c));
    } else {
      out.push(normalizeCondition(column, spec));
    }
  }
  return out;
}

/** Stable text of the conditions, so the same query always yields the same cursor scope. */
export function canonicalConditions(conditions: NormalizedCondition[]): string {
  return JSON.stringify(
    [...conditions]
      .map((c) => [c.column, c.op, c.value] as const)
      .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

/** A value inside PostgREST's logic-tree syntax (`or=(...)`): double-quoted, `\` and `"` escaped. */
export function quoteLogicValue(value: Scalar): string {
  return `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** The `(...)` list of PostgREST's `in` operator, every value quoted so none can split or close it. */
export function inList(values: readonly Scalar[]): string {
  return `(${values.map(quoteLogicValue).join(',')})`;
}
