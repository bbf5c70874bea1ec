import type { ErrorReporter, Logger, Metrics } from '@mentora/monitoring';
import { Middleware } from 'inngest';
import { errorCodeOf, errorSummary, toInngestError } from '../errors.js';
import type { JobRunTracker } from '../job-runs.js';

export interface RunHooksOptions {
  tracker?: JobRunTracker;
  errorReporter?: ErrorReporter;
  metrics?: Metrics;
  logger: Logger;
}

type Ctx = {
  runId: string;
  attempt: number;
  maxAttempts?: number;
  event: { name: string; id?: string; ts?: number; data?: unknown };
};

function describe(ctx: Ctx, fnId: string) {
  return {
    runId: ctx.runId,
    functionId: fnId,
    eventName: ctx.event.name,
    ...(ctx.event.id ? { eventId: ctx.event.id } : {}),
    maxAttempts: ctx.maxAttempts ?? 0,
  };
}

/** Milliseconds from the event's arrival to now: a run's whole life, retries and waits included. */
function sinceEvent(ctx: Ctx): number | undefined {
  const ts = ctx.event.ts;
  return typeof ts === 'number' && Number.isFinite(ts) && ts <= Date.now() ? Date.now() - ts : undefined;
}

/**
 * Per-function hooks of every Mentora job: maps thrown Mentora errors to Inngest's retry decisions,
 * tracks the run in job_queue (started, retried attempts, completed or failed), logs step failures,
 * reports a run to the error reporter once, when its last attempt failed, and with `metrics` records
 * each executed step's duration (`job.step`) and each run's outcome (`job.run`: from the event's arrival
 * to completion or final failure) to performance_metrics.
 */
export function runHooksMiddleware(options: RunHooksOptions): Middleware.Class {
  const { tracker, errorReporter, metrics, logger } = options;
  const recordRun = (ctx: Ctx, functionId: string, outcome: 'completed' | 'failed', code?: string) => {
    const ms = sinceEvent(ctx);
    if (metrics && ms !== undefined) {
      metrics.recordPerformance('job.run', ms, {
        tags: { functionId, outcome, attempts: ctx.attempt + 1, ...(code ? { code } : {}) },
      });
    }
  };
  return class MentoraRunHooks extends Middleware.BaseMiddleware {
    readonly id = 'mentora-run-hooks';

    override async wrapStepHandler(args: Middleware.WrapStepHandlerArgs): Promise<unknown> {
      // A memoized step is not run again: only the executions are timed.
      const timed = args.stepInfo.memoized ? undefined : metrics;
      const started = timed ? performance.now() : 0;
      const step = (outcome: 'ok' | 'error') =>
        timed?.recordPerformance('job.step', performance.now() - started, {
          tags: { functionId: args.fn.id(), step: args.stepInfo.options.id, outcome },
        });
      try {
        const result = await args.next();
        step('ok');
        return result;
      } catch (error) {
        step('error');
        throw toInngestError(error);
      }
    }

    override async wrapFunctionHandler(args: Middleware.WrapFunctionHandlerArgs): Promise<unknown> {
      try {
        return await args.next();
      } catch (error) {
        // Must stay the same object for a StepError: Inngest recognises a failed step rethrown as is.
        throw toInngestError(error);
      }
    }

    override async onRunStart(args: Middleware.OnRunStartArgs): Promise<void> {
      const ctx = args.ctx as unknown as Ctx;
      logger.info('job run started', { functionId: args.fn.id(), eventName: ctx.event.name });
      await tracker?.record({
        ...describe(ctx, args.fn.id()),
        status: 'running',
        attempts: 1,
        payload: ctx.event.data ?? {},
      });
    }

    override async onMemoizationEnd(args: Middleware.OnMemoizationEndArgs): Promise<void> {
      const ctx = args.ctx as unknown as Ctx;
      if (ctx.attempt > 0) {
        await tracker?.record({
          ...describe(ctx, args.fn.id()),
          status: 'running',
          attempts: ctx.attempt + 1,
          payload: ctx.event.data ?? {},
        });
      }
    }

    override async onStepError(args: Middleware.OnStepErrorArgs): Promise<void> {
      const fields = {
        functionId: args.fn.id(),
        step: args.stepInfo.options.id,
        attempt: (args.ctx as unknown as Ctx).attempt,
        code: errorCodeOf(args.error),
        error: args.error,
      };
      if (args.isFinalAttempt) logger.error('job step failed for good', fields);
      else logger.warn('job step failed, will retry', fields);
    }

    override async onRunComplete(args: Middleware.OnRunCompleteArgs): Promise<void> {
      const ctx = args.ctx as unknown as Ctx;
      logger.info('job run completed', { functionId: args.fn.id(), attempts: ctx.attempt + 1 });
      recordRun(ctx, args.fn.id(), 'completed');
      await tracker?.record({
        ...describe(ctx, args.fn.id()),
        status: 'completed',
        attempts: ctx.attempt + 1,
        result: args.output ?? null,
      });
    }

    override async onRunError(args: Middleware.OnRunErrorArgs): Promise<void> {
      const ctx = args.ctx as unknown as Ctx;
      const summary = errorSummary(args.error);
      const base = describe(ctx, args.fn.id());
      if (!args.isFinalAttempt) {
        logger.warn('job run failed, will retry', { ...base, code: summary.code, error: args.error });
        await tracker?.record({ ...base, status: 'running', attempts: ctx.attempt + 1, error: summary });
        return;
      }
      logger.error('job run failed', { ...base, code: summary.code, error: args.error });
      recordRun(ctx, base.functionId, 'failed', summary.code);
      await tracker?.record({ ...base, status: 'failed', attempts: ctx.attempt + 1, error: summary });
      errorReporter?.captureException(args.error, {
        tags: { functionId: base.functionId, eventName: base.eventName, code: summary.code },
        extra: { runId: base.runId, eventId: base.eventId, attempts: ctx.attempt + 1 },
      });
    }
  };
}
