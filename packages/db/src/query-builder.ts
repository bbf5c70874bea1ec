import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@mentora/errors';
import type { Logger } from '@mentora/monitoring';
import { fitsInFilter, isSortable, isValidColumnValue } from './column-values.js';
import { type CursorCodec, createCursorCodec } from './cursor.js';
import { type ExecuteSettings, execute } from './execute.js';
import {
  assertColumn,
  canonicalConditions,
  type Filters,
  inList,
  type NormalizedCondition,
  normalizeFilters,
  quoteLogicValue,
  type Scalar,
} from './filters.js';
import { defaultDbLogger, type QueryEvent } from './logger.js';
import type { TableMetadata } from './metadata-types.js';
import type { PostgrestResult } from './postgrest-failure.js';
import { type RetryOptions, resolveRetry } from './retry.js';
import { TABLE_METADATA } from './table-metadata.js';
import type {
  AnySupabaseClient,
  ColumnName,
  FunctionArgs,
  FunctionName,
  FunctionReturns,
  Insert,
  Row,
  TableName,
  Update,
} from './types.js';

export interface QueryBuilderOptions {
  /**
   * Budget per request to PostgREST, retries and backoff included. Default 10 000 ms. An operation that
   * sends several requests gives each its own budget: every batch of insertMany()/upsert(), and the one
   * follow-up read update() makes when nothing matched.
   */
  timeoutMs?: number;
  /** Transient-failure retries (default 3 attempts, 100 ms base, 2 s cap, full jitter). */
  retry?: RetryOptions;
  /** list() page size when none is given. Default 50. */
  defaultLimit?: number;
  /** list() limits above this are capped to it. Default 1000. */
  maxLimit?: number;
  /**
   * The server's row cap per response: PostgREST's `db-max-rows`, Supabase's `[api] max_rows` (1000 on
   * hosted Supabase and in supabase/config.toml). list() asks for one row more than the page to learn
   * whether another page exists; if the server cut that row off, the last page would look like the end
   * and the rest of the table would silently go missing. So pages hold at most `serverMaxRows - 1`
   * rows. Default 1000; `null` when the server has no cap.
   */
  serverMaxRows?: number | null;
  /** insertMany()/upsert() rows per request. Default 500. */
  batchSize?: number;
  /**
   * Signs cursors with HMAC-SHA256 so they cannot be forged or edited (>= 16 bytes). Without it cursors
   * carry an unkeyed checksum: edits are still detected, forgery is not. Use the same secret on every
   * instance that serves the same API.
   */
  cursorSecret?: string | Uint8Array;
  /** Where retries and failures are logged (default: the shared default logger, warnings and errors on stderr). */
  logger?: Logger;
  /** Called after every database call (success or failure) with its duration, for metrics. */
  onQuery?: (event: QueryEvent) => void;
  /** Overrides the generated column metadata (tables created outside supabase/migrations). */
  metadata?: TableMetadata;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface ListOptions<T extends TableName, S extends ColumnName<T>> extends CallOptions {
  filters?: Filters<Row<T>>;
  /** Sort column (checked against the table). Default: the primary key. */
  orderBy?: ColumnName<T>;
  orderDirection?: 'asc' | 'desc';
  /** 1..maxLimit; larger values are capped. */
  limit?: number;
  /** `nextCursor` of the previous page of the same query. */
  cursor?: string | null;
  /** Columns to return (default all). The sort column and primary key are always fetched too. */
  select?: readonly S[];
}

export interface Page<R> {
  data: R[];
  /** Pass to the next list() call; null on the last page. */
  nextCursor: string | null;
  hasMore: boolean;
}

export interface InsertManyOptions extends CallOptions {
  batchSize?: number;
  /** 'representation' (default) returns the inserted rows; 'minimal' returns none (faster). */
  returning?: 'representation' | 'minimal';
}

export interface UpdateOptions extends CallOptions {
  /**
   * Optimistic lock: the update applies only if the row's `version` still equals this; it then
   * becomes expectedVersion + 1 in the same statement. A lost race is a ConflictError.
   */
  expectedVersion?: number;
}

export interface UpsertOptions extends CallOptions {
  /** Conflict target columns (default the primary key). */
  onConflict?: readonly string[];
  /** Keep existing rows untouched instead of merging (INSERT ... ON CONFLICT DO NOTHING). */
  ignoreDuplicates?: boolean;
  batchSize?: number;
}

export interface RpcOptions extends CallOptions {
  /**
   * Whether calling the function twice is harmless. Only then is it retried after a failure that may
   * have reached Postgres. Default false (cleanup and aggregate functions are idempotent: pass true).
   */
  idempotent?: boolean;
  /** Call with GET (read-only STABLE/IMMUTABLE functions); always retried as a read. */
  get?: boolean;
}

export interface TableQuery<T extends TableName> {
  readonly table: T;
  getById(
    id: NonNullable<Row<T>[ColumnName<T>]> | string | number,
    options?: CallOptions & { select?: readonly ColumnName<T>[] },
  ): Promise<Row<T> | null>;
  list<S extends ColumnName<T> = ColumnName<T>>(options?: ListOptions<T, S>): Promise<Page<Pick<Row<T>, S>>>;
  insertMany(rows: readonly Insert<T>[], options?: InsertManyOptions): Promise<Row<T>[]>;
  insert(row: Insert<T>, options?: CallOptions): Promise<Row<T>>;
  update(id: string | number, patch: Omit<Update<T>, 'version'>, options?: UpdateOptions): Promise<Row<T>>;
  upsert(rows: readonly Insert<T>[], options?: UpsertOptions): Promise<Row<T>[]>;
  /** Deletes by primary key; returns the deleted row, or null when there was none (or RLS hides it). */
  delete(id: string | number, options?: CallOptions): Promise<Row<T> | null>;
  rpc<F extends FunctionName>(
    fn: F,
    args?: FunctionArgs<F>,
    options?: RpcOptions,
  ): Promise<FunctionReturns<F>>;
}

/** The seeds' name for the object createQueryBuilder() returns. */
export type QueryBuilder<T extends TableName> = TableQuery<T>;

type Loose = Record<string, unknown>;
// The untyped supabase-js surface: filters are applied dynamically from validated column names.
// biome-ignore lint/suspicious/noExplicitAny: supabase-js builder generics cannot follow dynamic columns
type AnyBuilder = any;

interface Context {
  client: AnySupabaseClient;
  table: string;
  meta: TableMetadata;
  settings: ExecuteSettings;
  codec: CursorCodec;
  defaultLimit: number;
  maxLimit: number;
  batchSize: number;
}

function resolveMetadata(table: string, override: TableMetadata | undefined): TableMetadata {
  const meta = override ?? (TABLE_METADATA as Record<string, TableMetadata>)[table];
  if (!meta) {
    throw new ValidationError(`Unknown table "${table}"`, {
      issues: [
        { path: 'table', message: `"${table}" is not in the generated schema`, code: 'unknown_table' },
      ],
    });
  }
  return meta;
}

function requirePrimaryKey(ctx: Context): string {
  if (!ctx.meta.primaryKey) {
    throw new ValidationError(`Table "${ctx.table}" has no single-column primary key`, {
      issues: [
        { path: 'table', message: 'operation needs a single-column primary key', code: 'no_primary_key' },
      ],
    });
  }
  return ctx.meta.primaryKey;
}

function assertKey(ctx: Context, pk: string, id: unknown): void {
  const column = ctx.meta.columns[pk];
  if (!column || !isValidColumnValue({ ...column, nullable: false }, id)) {
    throw new ValidationError(`Invalid ${ctx.table}.${pk}`, {
      issues: [{ path: pk, message: `not a valid ${column?.type ?? 'key'} value`, code: 'invalid_id' }],
    });
  }
}

function selectList(ctx: Context, columns: readonly string[] | undefined, required: string[] = []): string {
  if (!columns || columns.length === 0) return '*';
  for (const c of columns) assertColumn(ctx.table, ctx.meta, c, 'select');
  return [...new Set([...columns, ...required])].join(',');
}

function assertRows(ctx: Context, rows: readonly unknown[], what: string): void {
  if (!Array.isArray(rows)) {
    throw new ValidationError(`${what} expects an array of rows`, {
      issues: [{ path: 'rows', message: 'expected an array', code: 'invalid_rows' }],
    });
  }
  rows.forEach((row, index) => {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new ValidationError(`${what}: row ${index} is not an object`, {
        issues: [{ path: ['rows', index], message: 'expected an object', code: 'invalid_rows' }],
      });
    }
    for (const column of Object.keys(row))
      assertColumn(ctx.table, ctx.meta, column, `rows.${index}.${column}`);
  });
}

function applyConditions(query: AnyBuilder, conditions: NormalizedCondition[]): AnyBuilder {
  let q = query;
  for (const c of conditions) {
    // supabase-js's .in() quotes a value only when it contains `,()` and never escapes `"` or `\`, so
    // ['x","y'] would become the two values x and y. Every value goes through our quoting instead.
    if (c.op === 'in' && Array.isArray(c.value)) q = q.filter(c.column, 'in', inList(c.value));
    else q = q[c.op](c.column, c.value);
  }
  return q;
}

function limitOf(ctx: Context, limit: unknown): number {
  if (limit === undefined) return ctx.defaultLimit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw new ValidationError('limit must be an integer >= 1', {
      issues: [{ path: 'limit', message: 'expected an integer >= 1', code: 'invalid_limit' }],
    });
  }
  return Math.min(limit, ctx.maxLimit);
}

/**
 * Keyset condition for "rows after (sortValue, id)" in the sort order, tie-broken on the primary key.
 * Nulls sort last ascending and first descending (Postgres' defaults, which we also request explicitly).
 * The redundant range filter (`col >= v`, `col <= v`) lets Postgres start an index scan at the cursor
 * instead of filtering from the first row; the `or` then drops the ties already returned.
 */
function applyKeyset(
  query: AnyBuilder,
  column: string,
  pk: string,
  ascending: boolean,
  nullable: boolean,
  sort: Scalar | null,
  id: Scalar,
): AnyBuilder {
  const after = ascending ? 'gt' : 'lt';
  const qid = quoteLogicValue(id);
  if (column === pk) return query[after](pk, id);
  if (sort === null) {
    // Only reachable on nullable columns (cursor values are type-checked).
    return ascending
      ? query.is(column, null)[after](pk, id)
      : query.or(`${column}.not.is.null,and(${column}.is.null,${pk}.${after}.${qid})`);
  }
  const qv = quoteLogicValue(sort);
  const ties = `${column}.${after}.${qv},and(${column}.eq.${qv},${pk}.${after}.${qid})`;
  if (ascending && nullable) return query.or(`${ties},${column}.is.null`);
  return query[ascending ? 'gte' : 'lte'](column, sort).or(ties);
}

/** The row exists and this client may read it, but its update policy does not let it change the row. */
function notUpdatable(table: string, id: string | number): ForbiddenError {
  return new ForbiddenError(`${table} ${id} cannot be updated by this client`, {
    context: { table, id: String(id), reason: 'not_updatable' },
  });
}

function toRows<R>(result: PostgrestResult<unknown>): R[] {
  return Array.isArray(result.data) ? (result.data as R[]) : [];
}

/**
 * Typed table access on top of supabase-js: validated columns, keyset pagination, batched inserts,
 * optimistic locking, retries for transient failures only, typed errors.
 *
 * The client decides who is asking (a user's client applies RLS, the admin client bypasses it); the
 * builder never creates or closes clients.
 */
export function createQueryBuilder<T extends TableName>(
  client: AnySupabaseClient,
  table: T,
  options: QueryBuilderOptions = {},
): TableQuery<T> {
  const serverMaxRows = options.serverMaxRows === undefined ? 1_000 : options.serverMaxRows;
  if (serverMaxRows !== null && (!Number.isInteger(serverMaxRows) || serverMaxRows < 2)) {
    throw new RangeError('serverMaxRows must be an integer >= 2, or null');
  }
  if (options.maxLimit !== undefined && (!Number.isInteger(options.maxLimit) || options.maxLimit < 1)) {
    throw new RangeError('maxLimit must be an integer >= 1');
  }
  const maxLimit = Math.min(options.maxLimit ?? 1_000, serverMaxRows === null ? Infinity : serverMaxRows - 1);
  const ctx: Context = {
    client,
    table,
    meta: resolveMetadata(table, options.metadata),
    settings: {
      retry: resolveRetry(options.retry),
      timeoutMs: options.timeoutMs ?? 10_000,
      logger: options.logger ?? defaultDbLogger(),
      ...(options.onQuery ? { onQuery: options.onQuery } : {}),
    },
    codec: createCursorCodec(options.cursorSecret === undefined ? {} : { secret: options.cursorSecret }),
    defaultLimit: Math.min(options.defaultLimit ?? 50, maxLimit),
    maxLimit,
    batchSize: options.batchSize ?? 500,
  };
  // Every request switches supabase-js's own retry off (.retry(false)): it retries GETs with 1-4 s
  // sleeps, which would multiply with ours and overrun the operation's timeout.
  const from = (): AnyBuilder => ctx.client.from(ctx.table);

  async function readById(id: unknown, columns: string, signal?: AbortSignal): Promise<Loose | null> {
    const pk = requirePrimaryKey(ctx);
    const { result } = await execute<unknown>(ctx.settings, {
      target: ctx.table,
      operation: 'getById',
      idempotent: true,
      ...(signal ? { signal } : {}),
      run: (s) => from().select(columns).eq(pk, id).limit(1).abortSignal(s).retry(false),
    });
    return toRows<Loose>(result)[0] ?? null;
  }

  async function writeBatches(
    rows: readonly Loose[],
    operation: 'insertMany' | 'upsert',
    batchSize: number,
    build: (batch: Loose[]) => AnyBuilder,
    idempotent: boolean,
    signal: AbortSignal | undefined,
  ): Promise<Loose[]> {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new ValidationError('batchSize must be an integer >= 1', {
        issues: [{ path: 'batchSize', message: 'expected an integer >= 1', code: 'invalid_batch_size' }],
      });
    }
    const out: Loose[] = [];
    for (let start = 0; start < rows.length; start += batchSize) {
      const batch = rows.slice(start, start + batchSize) as Loose[];
      try {
        const { result } = await execute<unknown>(ctx.settings, {
          target: ctx.table,
          operation,
          idempotent,
          ...(signal ? { signal } : {}),
          run: (s) => build(batch).abortSignal(s).retry(false),
        });
        out.push(...toRows<Loose>(result));
      } catch (error) {
        // Batches before this one are committed (each request is its own transaction): say how far we got.
        if (error && typeof error === 'object' && 'context' in error) {
          Object.assign((error as { context: Record<string, unknown> }).context, {
            committedRows: start,
            failedBatchStart: start,
            failedBatchSize: batch.length,
          });
        }
        throw error;
      }
    }
    return out;
  }

  const api: TableQuery<T> = {
    table,

    async getById(id, opts = {}) {
      const pk = requirePrimaryKey(ctx);
      assertKey(ctx, pk, id);
      return (await readById(id, selectList(ctx, opts.select), opts.signal)) as Row<T> | null;
    },

    async list<S extends ColumnName<T> = ColumnName<T>>(
      opts: ListOptions<T, S> = {},
    ): Promise<Page<Pick<Row<T>, S>>> {
      const pk = requirePrimaryKey(ctx);
      const orderBy: string = opts.orderBy ?? pk;
      assertColumn(ctx.table, ctx.meta, orderBy, 'orderBy');
      const sortColumn = ctx.meta.columns[orderBy];
      if (!sortColumn || !isSortable(sortColumn)) {
        throw new ValidationError(`Cannot order ${ctx.table} by "${orderBy}"`, {
          issues: [
            {
              path: 'orderBy',
              message: `columns of type ${sortColumn?.type} cannot be ordered`,
              code: 'unsortable',
            },
          ],
        });
      }
      const direction = opts.orderDirection ?? 'asc';
      if (direction !== 'asc' && direction !== 'desc') {
        throw new ValidationError('orderDirection must be "asc" or "desc"', {
          issues: [
            { path: 'orderDirection', message: 'expected "asc" or "desc"', code: 'invalid_direction' },
          ],
        });
      }
      const ascending = direction === 'asc';
      const limit = limitOf(ctx, opts.limit);
      const conditions = normalizeFilters(ctx.table, ctx.meta, opts.filters);
      const columns = selectList(ctx, opts.select, [orderBy, pk]);
      const scope = JSON.stringify([ctx.table, orderBy, direction, canonicalConditions(conditions)]);

      let position: { sort: Scalar | null; id: Scalar } | undefined;
      if (opts.cursor !== undefined && opts.cursor !== null) {
        const key = await ctx.codec.decode(opts.cursor, scope);
        const pkColumn = ctx.meta.columns[pk];
        const sortOk = orderBy === pk ? key.sort === key.id : isValidColumnValue(sortColumn, key.sort);
        if (!pkColumn || !isValidColumnValue({ ...pkColumn, nullable: false }, key.id) || !sortOk) {
          throw new ValidationError('Invalid pagination cursor', {
            issues: [
              { path: 'cursor', message: 'cursor values do not match the table', code: 'invalid_cursor' },
            ],
          });
        }
        position = { sort: key.sort as Scalar | null, id: key.id as Scalar };
      }

      const { result } = await execute<unknown>(ctx.settings, {
        target: ctx.table,
        operation: 'list',
        idempotent: true,
        ...(opts.signal ? { signal: opts.signal } : {}),
        run: (s) => {
          let q = applyConditions(from().select(columns), conditions);
          if (position)
            q = applyKeyset(q, orderBy, pk, ascending, sortColumn.nullable, position.sort, position.id);
          q = q.order(orderBy, { ascending, nullsFirst: !ascending });
          if (orderBy !== pk) q = q.order(pk, { ascending });
          // One extra row says whether another page exists, without a count query.
          return q
            .limit(limit + 1)
            .abortSignal(s)
            .retry(false);
        },
      });
      const rows = toRows<Loose>(result);
      const hasMore = rows.length > limit;
      const data = hasMore ? rows.slice(0, limit) : rows;
      const last = data[data.length - 1];
      const sort = last?.[orderBy] ?? null;
      if (hasMore && !fitsInFilter(sort)) {
        // The next page would have to send this value back in the URL, which no gateway accepts. Say so
        // now rather than hand out a cursor that the next request would reject as tampered.
        throw new ValidationError(`Cannot paginate ${ctx.table} by "${orderBy}": a value is too long`, {
          issues: [
            {
              path: 'orderBy',
              message: `a row's ${orderBy} is too long to continue from; order by a shorter column`,
              code: 'sort_value_too_long',
            },
          ],
        });
      }
      const nextCursor = hasMore && last ? await ctx.codec.encode({ sort, id: last[pk] }, scope) : null;
      return { data: data as Pick<Row<T>, S>[], nextCursor, hasMore };
    },

    async insertMany(rows, opts = {}) {
      assertRows(ctx, rows, 'insertMany');
      const returning = opts.returning ?? 'representation';
      // Plain INSERT: not idempotent, so it is repeated only when the failure proves it never ran.
      return (await writeBatches(
        rows as readonly Loose[],
        'insertMany',
        opts.batchSize ?? ctx.batchSize,
        (batch) => {
          // defaultToNull: false -> PostgREST fills columns a row omits with their DEFAULT, not NULL.
          const q = from().insert(batch, { defaultToNull: false });
          return returning === 'representation' ? q.select() : q;
        },
        false,
        opts.signal,
      )) as Row<T>[];
    },

    async insert(row, opts = {}) {
      const [inserted] = await api.insertMany([row], opts);
      return inserted as Row<T>;
    },

    async update(id, patch, opts = {}) {
      const pk = requirePrimaryKey(ctx);
      assertKey(ctx, pk, id);
      assertRows(ctx, [patch], 'update');
      const keys = Object.keys(patch as object);
      if (keys.includes('version') || keys.includes(pk)) {
        throw new ValidationError(`update cannot set "${keys.includes('version') ? 'version' : pk}"`, {
          issues: [
            {
              path: 'patch',
              message: 'version and the primary key are managed by the database',
              code: 'readonly_column',
            },
          ],
        });
      }
      const expected = opts.expectedVersion;
      if (expected === undefined) {
        const { result } = await execute<unknown>(ctx.settings, {
          target: ctx.table,
          operation: 'update',
          idempotent: false,
          ...(opts.signal ? { signal: opts.signal } : {}),
          run: (s) => from().update(patch).eq(pk, id).select().abortSignal(s).retry(false),
        });
        const [row] = toRows<Row<T>>(result);
        if (row) return row;
        // Nothing matched: gone, or visible to this client without being updatable by it.
        if (!(await readById(id, pk, opts.signal)))
          throw new NotFoundError(`${ctx.table} ${id} not found`, { resource: ctx.table, id: String(id) });
        throw notUpdatable(ctx.table, id);
      }

      if (!ctx.meta.versioned) {
        throw new ValidationError(`${ctx.table} has no version column for optimistic locking`, {
          issues: [{ path: 'expectedVersion', message: 'table is not versioned', code: 'not_versioned' }],
        });
      }
      if (!Number.isSafeInteger(expected) || expected < 1) {
        throw new ValidationError('expectedVersion must be a positive integer', {
          issues: [
            { path: 'expectedVersion', message: 'expected a positive integer', code: 'invalid_version' },
          ],
        });
      }
      // One atomic compare-and-set: PATCH ... WHERE id = $id AND version = $expected SET version = expected + 1.
      // Repeating it is harmless (a second run matches no row), so it is retried like a read.
      const { result, earlierAttemptMayHaveApplied } = await execute<unknown>(ctx.settings, {
        target: ctx.table,
        operation: 'update',
        idempotent: true,
        ...(opts.signal ? { signal: opts.signal } : {}),
        run: (s) =>
          from()
            .update({ ...(patch as Loose), version: expected + 1 })
            .eq(pk, id)
            .eq('version', expected)
            .select()
            .abortSignal(s)
            .retry(false),
      });
      const [row] = toRows<Row<T>>(result);
      if (row) return row;

      // Nothing matched: the row is gone (or invisible to this client), or someone else won the race.
      const current = await readById(id, '*', opts.signal);
      if (!current)
        throw new NotFoundError(`${ctx.table} ${id} not found`, { resource: ctx.table, id: String(id) });
      // An earlier attempt may have applied before its answer was lost: if the row is exactly what our
      // write produces, that write was ours.
      if (
        earlierAttemptMayHaveApplied &&
        current.version === expected + 1 &&
        keys.every((k) => JSON.stringify(current[k]) === JSON.stringify((patch as Loose)[k]))
      ) {
        return current as Row<T>;
      }
      // Still at the version we expected, yet the compare-and-set matched nothing: RLS lets this client
      // read the row but not update it. A ConflictError would send the caller into a re-read-and-retry
      // loop that can never succeed.
      if (current.version === expected) throw notUpdatable(ctx.table, id);
      throw new ConflictError(`${ctx.table} ${id} was modified concurrently`, {
        context: {
          table: ctx.table,
          id: String(id),
          expectedVersion: expected,
          actualVersion: current.version,
        },
      });
    },

    async upsert(rows, opts = {}) {
      assertRows(ctx, rows, 'upsert');
      const target = opts.onConflict ?? [requirePrimaryKey(ctx)];
      for (const c of target) assertColumn(ctx.table, ctx.meta, c, 'onConflict');
      // INSERT ... ON CONFLICT with the same values is idempotent only when every row carries its whole
      // conflict target: a row whose key comes from a DEFAULT (gen_random_uuid(), identity) or is NULL
      // never conflicts, so repeating the request would insert it twice. Such batches are retried only
      // when the failure proves the first attempt never ran, like any insert.
      const keyed = (rows as readonly Loose[]).every((row) =>
        target.every((c) => row[c] !== undefined && row[c] !== null),
      );
      return (await writeBatches(
        rows as readonly Loose[],
        'upsert',
        opts.batchSize ?? ctx.batchSize,
        (batch) =>
          from()
            .upsert(batch, {
              onConflict: target.join(','),
              ignoreDuplicates: opts.ignoreDuplicates ?? false,
              defaultToNull: false,
            })
            .select(),
        keyed,
        opts.signal,
      )) as Row<T>[];
    },

    async delete(id, opts = {}) {
      const pk = requirePrimaryKey(ctx);
      assertKey(ctx, pk, id);
      const { result } = await execute<unknown>(ctx.settings, {
        target: ctx.table,
        operation: 'delete',
        idempotent: true,
        ...(opts.signal ? { signal: opts.signal } : {}),
        run: (s) => from().delete().eq(pk, id).select().abortSignal(s).retry(false),
      });
      return (toRows<Row<T>>(result)[0] ?? null) as Row<T> | null;
    },

    rpc(fn, args, opts = {}) {
      return callRpcWith(ctx.client, ctx.settings, fn, args, opts);
    },
  };
  return api;
}

async function callRpcWith<F extends FunctionName>(
  client: AnySupabaseClient,
  settings: ExecuteSettings,
  fn: F,
  args: FunctionArgs<F> | undefined,
  opts: RpcOptions,
): Promise<FunctionReturns<F>> {
  if (typeof fn !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(fn)) {
    throw new ValidationError('Invalid function name', {
      issues: [{ path: 'fn', message: 'expected an SQL identifier', code: 'invalid_function' }],
    });
  }
  const { result } = await execute<unknown>(settings, {
    target: `rpc:${fn}`,
    operation: 'rpc',
    idempotent: opts.get === true || opts.idempotent === true,
    ...(opts.signal ? { signal: opts.signal } : {}),
    run: (s) =>
      (client as AnyBuilder)
        .rpc(fn, args ?? {}, opts.get ? { get: true } : {})
        .abortSignal(s)
        .retry(false),
  });
  return result.data as FunctionReturns<F>;
}

export interface RpcClientOptions {
  timeoutMs?: number;
  retry?: RetryOptions;
  /** Where retries and failures are logged (default: the shared default logger, warnings and errors on stderr). */
  logger?: Logger;
  onQuery?: (event: QueryEvent) => void;
}

/** Calls a Postgres function through PostgREST with the same retry policy and typed errors. */
export function callRpc<F extends FunctionName>(
  client: AnySupabaseClient,
  fn: F,
  args?: FunctionArgs<F>,
  options: RpcOptions & RpcClientOptions = {},
): Promise<FunctionReturns<F>> {
  const settings: ExecuteSettings = {
    retry: resolveRetry(options.retry),
    timeoutMs: options.timeoutMs ?? 10_000,
    logger: options.logger ?? defaultDbLogger(),
    ...(options.onQuery ? { onQuery: options.onQuery } : {}),
  };
  return callRpcWith(client, settings, fn, args, options);
}
