import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Facts about the unit of work in progress (an HTTP request, a job run) that every log line, metric and
 * error report made during it should carry, from any package, without being passed around.
 */
export interface RequestContext {
  requestId?: string;
  userId?: string;
  route?: string;
  method?: string;
  /** Inngest run id of the job being executed. */
  jobRunId?: string;
  /** Job function id. */
  functionId?: string;
  [field: string]: unknown;
}

// One store per process, shared by every copy of this package (ESM and CJS builds, two installed
// versions): a context set by the HTTP layer must be visible to the logger the database package was
// given, whichever build each of them loaded. The store holds no state of its own outside a run.
const STORE_KEY = Symbol.for('mentora.monitoring.requestContext');
type Holder = { [STORE_KEY]?: AsyncLocalStorage<RequestContext> };

function store(): AsyncLocalStorage<RequestContext> {
  const holder = globalThis as Holder;
  holder[STORE_KEY] ??= new AsyncLocalStorage<RequestContext>();
  return holder[STORE_KEY];
}

/**
 * Runs `fn` with `context` merged over the current one (inner fields win); everything `fn` awaits,
 * schedules or logs sees it. Returns what `fn` returns.
 */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  const outer = store().getStore();
  return store().run(outer ? { ...outer, ...context } : { ...context }, fn);
}

/** The context of the work in progress, or undefined outside any `runWithContext`. */
export function getContext(): Readonly<RequestContext> | undefined {
  return store().getStore();
}

/**
 * Adds fields to the current context (e.g. the user id once authentication has run), visible to
 * everything that runs later in the same unit of work. Returns false outside any context.
 */
export function setContextFields(fields: RequestContext): boolean {
  const current = store().getStore();
  if (!current) return false;
  Object.assign(current, fields);
  return true;
}
