// A local stand-in for the Inngest executor: it drives a served Inngest endpoint over the real HTTP
// protocol (signed requests, the step loop with memoized state, retries, onFailure) and acts as the event
// API the SDK sends to. For development and tests only: nothing is durable and no flow control applies.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidArgumentError } from '@mentora/errors';
import { createDefaultLogger, type Logger } from '@mentora/monitoring';
import { parseCron } from './cron.js';
import { signPayload, verifySignature } from './signature.js';

/** An event as the runner stores and delivers it. */
export interface RunnerEvent {
  name: string;
  data: Record<string, unknown>;
  id: string;
  ts: number;
  [key: string]: unknown;
}

export type RunStatus = 'running' | 'completed' | 'failed';

/** One thing that happened in a run, in order. */
export interface RunHistoryEntry {
  type:
    | 'step-completed'
    | 'step-retry'
    | 'step-failed'
    | 'sleep-skipped'
    | 'wait-for-event-timed-out'
    | 'function-retry'
    | 'request-failed'
    | 'completed'
    | 'failed';
  stepId?: string;
  name?: string;
  attempt: number;
  /** The delay the runner applied (or skipped) before the next attempt. */
  delayMs?: number;
  /** Whether the answer asked for no retry. */
  noRetry?: boolean;
  error?: unknown;
}

export interface RunRecord {
  runId: string;
  /** Function id without the app prefix (`process-video`). */
  functionId: string;
  event: RunnerEvent;
  status: RunStatus;
  output?: unknown;
  error?: unknown;
  /** Requests sent to the endpoint for this run. */
  requests: number;
  history: RunHistoryEntry[];
  /** Settles when the run completed or failed. */
  readonly done: Promise<RunRecord>;
}

interface FunctionTrigger {
  event?: string;
  expression?: string;
  cron?: string;
}

interface FunctionConfig {
  id: string;
  name?: string;
  triggers: FunctionTrigger[];
  steps?: Record<string, { retries?: { attempts?: number } }>;
}

interface StepOp {
  id: string;
  op: string;
  name?: string;
  displayName?: string;
  data?: unknown;
  error?: unknown;
  opts?: Record<string, unknown>;
}

/** How the runner waits before a retry: it gets the delay Inngest would apply. */
export type WaitFn = (
  ms: number,
  info: { runId: string; functionId: string; attempt: number },
) => Promise<void>;

export interface LocalRunnerOptions {
  /** The served endpoint, e.g. `http://127.0.0.1:3001/api/inngest`. */
  url: string;
  /** The endpoint's signing key (cloud mode). Omit for an endpoint in dev mode (unsigned requests). */
  signingKey?: string | { reveal(): string };
  /** Inngest app id (function ids are `<appId>-<id>`). Default `mentora`. */
  appId?: string;
  /**
   * Retry delays: `'skip'` (default) fast-forwards them (the delay is still computed and recorded in the
   * run's history), `'real'` waits for them, or a function of your own (tests use one to hold a retry
   * until they are ready).
   */
  wait?: 'skip' | 'real' | WaitFn;
  /** Delay before retry `attempt` (1-based) when the answer names none. Default: 1 s doubling, at most 5 min. */
  backoff?: (attempt: number) => number;
  /** Event API server: where the SDK's `send` and `step.sendEvent` post (`baseUrl` of the client). */
  eventApi?: { host?: string; port?: number };
  /** Fire cron functions by the wall clock (UTC, checked every minute). Default false: `fireCron` only. */
  schedule?: boolean;
  /** Most requests one run may make before it is failed (a guard against loops). Default 1000. */
  maxRequestsPerRun?: number;
  logger?: Logger;
  fetch?: typeof fetch;
}

export interface LocalRunner {
  /** Base URL of the event API (ends with `/`): pass it as the jobs client's `baseUrl`. */
  readonly eventApiUrl: string;
  /** Starts the event API only and returns its URL (when the client must exist before the endpoint serves). */
  listen(): Promise<string>;
  /** Starts the event API (if not yet) and syncs the function list from the endpoint. */
  start(): Promise<void>;
  /** Reads the function list again (an in-band sync, signed like Inngest's). */
  sync(): Promise<string[]>;
  /** Delivers events as if they were sent to the event API; returns their ids. */
  send(events: EventInput | readonly EventInput[]): Promise<{ ids: string[] }>;
  /** Starts a run of a cron function now (its `inngest/scheduled.timer` event). */
  fireCron(functionId: string): Promise<RunRecord>;
  /** Resolves once no run is in progress, including runs started by events sent meanwhile. */
  waitForIdle(): Promise<void>;
  /** Every run so far, oldest first. */
  runs(filter?: { functionId?: string; eventName?: string; status?: RunStatus }): RunRecord[];
  /** The functions the endpoint serves (ids without the app prefix). */
  functions(): string[];
  /** Stops the event API and the schedule; runs in progress finish against the endpoint. */
  close(): Promise<void>;
}

export interface EventInput {
  name: string;
  data?: Record<string, unknown>;
  id?: string;
  ts?: number;
  [key: string]: unknown;
}

const FAILED_EVENT = 'inngest/function.failed';
const CRON_EVENT = 'inngest/scheduled.timer';
const DEFAULT_RETRIES = 3;

function defaultBackoff(attempt: number): number {
  return Math.min(300_000, 1_000 * 2 ** Math.max(0, attempt - 1));
}

/** `retry-after` is seconds or an HTTP/ISO date; returns milliseconds, or undefined when absent or unusable. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    return text;
  }
}

function reveal(key: LocalRunnerOptions['signingKey']): string | undefined {
  if (key === undefined) return undefined;
  return typeof key === 'string' ? key : key.reveal();
}

/** The function id a failure handler's trigger expression names (`event.data.function_id == '…'`). */
function failedFunctionOf(expression: string | undefined): string | undefined {
  return expression ? /event\.data\.function_id\s*==\s*['"]([^'"]+)['"]/.exec(expression)?.[1] : undefined;
}

/**
 * Creates a local runner for the endpoint at `options.url`. Call `start()` before sending events.
 *
 * ```ts
 * const runner = createLocalRunner({ url: 'http://127.0.0.1:3001/api/inngest', signingKey });
 * await runner.start();
 * const jobs = createJobsClient({ signingKey, eventKey: 'local', baseUrl: runner.eventApiUrl });
 * await jobs.send({ name: 'email/send', data: { to, template: 'quiz-ready' } });
 * await runner.waitForIdle();
 * ```
 */
export function createLocalRunner(options: LocalRunnerOptions): LocalRunner {
  let endpoint: URL;
  try {
    endpoint = new URL(options.url);
  } catch (cause) {
    throw new InvalidArgumentError('createLocalRunner needs the served endpoint URL', {
      argument: 'url',
      cause,
    });
  }
  const appId = options.appId ?? 'mentora';
  const signingKey = reveal(options.signingKey);
  const logger = options.logger ?? createDefaultLogger('jobs-runner');
  const doFetch = options.fetch ?? fetch;
  const backoff = options.backoff ?? defaultBackoff;
  const maxRequests = options.maxRequestsPerRun ?? 1_000;
  const wait: WaitFn =
    typeof options.wait === 'function'
      ? options.wait
      : options.wait === 'real'
        ? (ms) => new Promise((resolve) => setTimeout(resolve, ms))
        : () => new Promise((resolve) => setImmediate(resolve));

  const configs = new Map<string, FunctionConfig>();
  const allRuns: RunRecord[] = [];
  const active = new Set<Promise<unknown>>();
  const seenEventIds = new Set<string>();
  let server: Server | undefined;
  let eventApiUrl = '';
  let scheduleTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const localId = (fullId: string) =>
    fullId.startsWith(`${appId}-`) ? fullId.slice(appId.length + 1) : fullId;

  async function post(
    method: 'POST' | 'PUT',
    url: URL,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; headers: Headers; text: string }> {
    const text = JSON.stringify(body);
    const all: Record<string, string> = { 'content-type': 'application/json', ...headers };
    // Signed over the parsed body, as Inngest does: the SDK verifies the canonical form of what it parsed.
    if (signingKey) all['x-inngest-signature'] = signPayload(JSON.parse(text), signingKey);
    const res = await doFetch(url, { method, headers: all, body: text });
    const answer = await res.text();
    if (signingKey && res.status !== 401) {
      const signature = res.headers.get('x-inngest-signature');
      if (signature && !verifySignature(signature, answer, signingKey)) {
        throw new Error('The endpoint answered with an invalid signature');
      }
    }
    return { status: res.status, headers: res.headers, text: answer };
  }

  async function sync(): Promise<string[]> {
    const res = await post('PUT', endpoint, { url: endpoint.href }, { 'x-inngest-sync-kind': 'in_band' });
    if (res.status !== 200) {
      throw new Error(`Syncing ${endpoint.href} failed with ${res.status}: ${res.text.slice(0, 500)}`);
    }
    const body = parseJson(res.text) as { functions?: FunctionConfig[] };
    if (!Array.isArray(body?.functions))
      throw new Error(`Syncing ${endpoint.href}: no function list in the answer`);
    configs.clear();
    for (const fn of body.functions) configs.set(localId(fn.id), fn);
    return [...configs.keys()];
  }

  function maxAttemptsOf(config: FunctionConfig): number {
    const retries = Object.values(config.steps ?? {})[0]?.retries?.attempts;
    return (typeof retries === 'number' && retries >= 0 ? retries : DEFAULT_RETRIES) + 1;
  }

  function startRun(functionId: string, event: RunnerEvent): RunRecord {
    let settle!: (run: RunRecord) => void;
    const done = new Promise<RunRecord>((resolve) => {
      settle = resolve;
    });
    const run: RunRecord = {
      runId: randomUUID(),
      functionId,
      event,
      status: 'running',
      requests: 0,
      history: [],
      done,
    };
    allRuns.push(run);
    const task = execute(run)
      .catch((error) =>
        fail(run, { name: 'RunnerError', message: String((error as Error)?.message ?? error) }, 0),
      )
      .finally(() => {
        active.delete(task);
        settle(run);
      });
    active.add(task);
    return run;
  }

  function fail(run: RunRecord, error: unknown, attempt: number): void {
    if (run.status !== 'running') return;
    run.status = 'failed';
    run.error = error;
    run.history.push({ type: 'failed', attempt, error });
    logger.warn('local runner: run failed', { functionId: run.functionId, runId: run.runId });
    if (run.functionId.endsWith('-failure')) return;
    const failed: RunnerEvent = {
      name: FAILED_EVENT,
      id: randomUUID(),
      ts: Date.now(),
      data: {
        function_id: `${appId}-${run.functionId}`,
        run_id: run.runId,
        error,
        event: run.event,
      },
    };
    deliver(failed);
  }

  async function execute(run: RunRecord): Promise<void> {
    const config = configs.get(run.functionId);
    if (!config) throw new Error(`The endpoint serves no function ${run.functionId}`);
    const maxAttempts = maxAttemptsOf(config);
    const steps: Record<string, { data: unknown } | { error: unknown }> = {};
    const stack: string[] = [];
    const planned: string[] = [];
    let attempt = 0;
    let stepId = 'step';

    const retry = async (
      type: 'step-retry' | 'function-retry' | 'request-failed',
      retryAfterMs: number | undefined,
      entry: Partial<RunHistoryEntry>,
    ) => {
      attempt += 1;
      const delayMs = retryAfterMs ?? backoff(attempt);
      run.history.push({ ...entry, type, attempt: attempt - 1, delayMs });
      await wait(delayMs, { runId: run.runId, functionId: run.functionId, attempt });
    };

    while (run.status === 'running') {
      if (++run.requests > maxRequests) {
        fail(run, { name: 'RunnerError', message: `more than ${maxRequests} requests for one run` }, attempt);
        return;
      }
      const url = new URL(endpoint);
      url.searchParams.set('fnId', `${appId}-${run.functionId}`);
      url.searchParams.set('stepId', stepId);
      const body = {
        event: run.event,
        events: [run.event],
        steps,
        ctx: {
          run_id: run.runId,
          attempt,
          max_attempts: maxAttempts,
          stack: { stack, current: stack.length },
          disable_immediate_execution: false,
          use_api: false,
        },
        version: 2,
      };

      let res: Awaited<ReturnType<typeof post>>;
      try {
        res = await post('POST', url, body, { 'x-inngest-server-kind': signingKey ? 'cloud' : 'dev' });
      } catch (error) {
        // The endpoint did not answer (down, restarting, killed mid-request): an attempt that failed.
        const message = (error as Error)?.message ?? String(error);
        if (attempt + 1 >= maxAttempts) {
          fail(run, { name: 'RequestFailed', message }, attempt);
          return;
        }
        await retry('request-failed', undefined, { error: message });
        continue;
      }

      const noRetry = res.headers.get('x-inngest-no-retry') === 'true';
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));

      if (res.status === 200) {
        run.output = parseJson(res.text);
        run.status = 'completed';
        run.history.push({ type: 'completed', attempt });
        return;
      }

      if (res.status === 206) {
        const ops = parseJson(res.text) as StepOp[];
        if (!Array.isArray(ops)) {
          fail(run, { name: 'ProtocolError', message: 'a 206 answer without step ops' }, attempt);
          return;
        }
        for (const op of ops) {
          const name = op.displayName ?? op.name;
          switch (op.op) {
            case 'StepRun':
            case 'Step':
              steps[op.id] = { data: op.data ?? null };
              stack.push(op.id);
              run.history.push({ type: 'step-completed', stepId: op.id, name, attempt });
              attempt = 0;
              break;
            case 'StepError':
              // Retried per step: the next request asks for this step again with the next attempt number.
              if (attempt + 1 >= maxAttempts) {
                steps[op.id] = { error: op.error };
                stack.push(op.id);
                run.history.push({ type: 'step-failed', stepId: op.id, name, attempt, error: op.error });
                attempt = 0;
              } else {
                await retry('step-retry', retryAfterMs, { stepId: op.id, name, error: op.error, noRetry });
                planned.unshift(op.id);
              }
              break;
            case 'StepFailed':
              steps[op.id] = { error: op.error };
              stack.push(op.id);
              run.history.push({
                type: 'step-failed',
                stepId: op.id,
                name,
                attempt,
                error: op.error,
                noRetry,
              });
              attempt = 0;
              break;
            case 'StepPlanned':
              planned.push(op.id);
              break;
            case 'Sleep':
              // Fast-forwarded: the sleep is over as soon as it is asked for.
              steps[op.id] = { data: null };
              stack.push(op.id);
              run.history.push({ type: 'sleep-skipped', stepId: op.id, name, attempt });
              break;
            case 'WaitForEvent':
              // No event store to match against: the wait times out at once (resolves null).
              steps[op.id] = { data: null };
              stack.push(op.id);
              run.history.push({ type: 'wait-for-event-timed-out', stepId: op.id, name, attempt });
              break;
            case 'RunComplete':
              run.output = op.data ?? null;
              run.status = 'completed';
              run.history.push({ type: 'completed', attempt });
              return;
            case 'DiscoveryRequest':
              break;
            default:
              steps[op.id] = {
                error: { name: 'Error', message: `${op.op} is not supported by the local runner`, stack: '' },
              };
              stack.push(op.id);
              run.history.push({ type: 'step-failed', stepId: op.id, name, attempt });
          }
        }
        stepId = planned.shift() ?? 'step';
        continue;
      }

      const error = parseJson(res.text);
      if (res.status >= 500 && !noRetry) {
        if (attempt + 1 >= maxAttempts) {
          fail(run, error, attempt);
          return;
        }
        await retry('function-retry', retryAfterMs, { error });
        stepId = 'step';
        continue;
      }
      // 400 with no-retry: the function gave up. 401: the endpoint refused our signature. Anything else: a
      // protocol failure this runner does not understand. None of them improves with a retry.
      fail(
        run,
        res.status === 401
          ? {
              name: 'Unauthorized',
              message: 'The endpoint rejected the request signature (check the signing key)',
            }
          : error,
        attempt,
      );
      return;
    }
  }

  function deliver(event: RunnerEvent): void {
    for (const [id, config] of configs) {
      for (const trigger of config.triggers) {
        if (trigger.event !== event.name) continue;
        if (event.name === FAILED_EVENT) {
          const target = failedFunctionOf(trigger.expression);
          if (!target || target !== (event.data as { function_id?: string }).function_id) continue;
        } else if (trigger.expression) {
          logger.warn('local runner: trigger expressions are not evaluated; delivering anyway', {
            functionId: id,
            expression: trigger.expression,
          });
        }
        startRun(id, event);
        break;
      }
    }
  }

  function accept(input: EventInput): string {
    if (typeof input?.name !== 'string' || input.name === '')
      throw new InvalidArgumentError('An event needs a name');
    const event: RunnerEvent = {
      ...input,
      name: input.name,
      data: input.data ?? {},
      id: typeof input.id === 'string' && input.id !== '' ? input.id : randomUUID(),
      ts: typeof input.ts === 'number' ? input.ts : Date.now(),
    };
    // Inngest ignores a second event with the same id: the effects of one run, however often it is sent.
    if (seenEventIds.has(event.id)) return event.id;
    seenEventIds.add(event.id);
    deliver(event);
    return event.id;
  }

  async function startEventApi(): Promise<void> {
    server = createServer((req, res) => {
      const answer = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !req.url?.startsWith('/e/')) {
        answer(404, { error: 'not found', status: 404 });
        return;
      }
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as EventInput | EventInput[];
          const list = Array.isArray(parsed) ? parsed : [parsed];
          answer(200, { ids: list.map(accept), status: 200 });
        } catch (error) {
          answer(400, { error: (error as Error).message, status: 400 });
        }
      });
    });
    const host = options.eventApi?.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server?.once('error', reject);
      server?.listen(options.eventApi?.port ?? 0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    eventApiUrl = `http://${host}:${port}/`;
  }

  function cronEvent(cron: string): RunnerEvent {
    return { name: CRON_EVENT, id: randomUUID(), ts: Date.now(), data: { cron } };
  }

  function startSchedule(): void {
    const matchers = [...configs].flatMap(([id, config]) =>
      config.triggers
        .filter((t) => t.cron)
        .map((t) => ({ id, cron: t.cron as string, matches: parseCron(t.cron as string) })),
    );
    const tick = () => {
      const now = new Date();
      now.setUTCSeconds(0, 0);
      for (const m of matchers) if (m.matches(now)) startRun(m.id, cronEvent(m.cron));
      scheduleNext();
    };
    // One timer at a time, aimed at the next minute boundary: it never fires more than once a minute.
    const scheduleNext = () => {
      if (closed) return;
      scheduleTimer = setTimeout(tick, 60_000 - (Date.now() % 60_000) + 50);
      scheduleTimer.unref();
    };
    scheduleNext();
  }

  return {
    get eventApiUrl() {
      if (!eventApiUrl) throw new InvalidArgumentError('Call start() before reading eventApiUrl');
      return eventApiUrl;
    },
    async listen() {
      if (!server) await startEventApi();
      return eventApiUrl;
    },
    async start() {
      if (!server) await startEventApi();
      await sync();
      if (options.schedule) startSchedule();
    },
    sync,
    async send(events) {
      const list = (Array.isArray(events) ? events : [events]) as EventInput[];
      return { ids: list.map(accept) };
    },
    async fireCron(functionId) {
      const config = configs.get(functionId);
      const cron = config?.triggers.find((t) => t.cron)?.cron;
      if (!config || !cron) {
        throw new InvalidArgumentError(
          `No cron function ${functionId} (known: ${[...configs.keys()].join(', ')})`,
          {
            argument: 'functionId',
          },
        );
      }
      return startRun(functionId, cronEvent(cron));
    },
    async waitForIdle() {
      while (active.size > 0) await Promise.allSettled([...active]);
    },
    runs(filter = {}) {
      return allRuns.filter(
        (r) =>
          (filter.functionId === undefined || r.functionId === filter.functionId) &&
          (filter.eventName === undefined || r.event.name === filter.eventName) &&
          (filter.status === undefined || r.status === filter.status),
      );
    },
    functions() {
      return [...configs.keys()];
    },
    async close() {
      closed = true;
      clearTimeout(scheduleTimer);
      const s = server;
      server = undefined;
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
  };
}
