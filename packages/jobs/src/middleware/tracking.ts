import type { ErrorReporter, Logger } from '@mentora/monitoring';
import { Middleware } from 'inngest';
import { errorCodeOf, errorSummary, toInngestError } from '../errors.js';
import type { JobRunTracker } from '../job-runs.js';

export interface RunHooksOptions {
  tracker?: JobRunTracker;
  errorReporter?: ErrorReporter;
  logger: Logger;
}

type Ctx = {
  runId: string;
  attempt: number;
  maxAttempts?: number;
  event: { name: string; id?: string; data?: unknown };
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

/**
 * Per-function hooks of every Mentora job: maps thrown Mentora errors to Inngest's retry decisions,
 * tracks the run in job_queue (started, retried attempts, completed or failed), logs step failures, and
 * reports a run to the error reporter once, when its last attempt failed.
 */
export function runHooksMiddleware(options: RunHooksOptions): Middleware.Class {
  const { tracker, errorReporter, logger } = options;
  return class MentoraRunHooks extends Middleware.BaseMiddleware {
    readonly id = 'mentora-run-hooks';

    override async wrapStepHandler(args: Middleware.WrapStepHandlerArgs): Promise<unknown> {
      try {
        return await args.next();
      } catch (error) {
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
      await tracker?.record({ ...base, status: 'failed', attempts: ctx.attempt + 1, error: summary });
      errorReporter?.captureException(args.error, {
        tags: { functionId: base.functionId, eventName: base.eventName, code: summary.code },
        extra: { runId: base.runId, eventId: base.eventId, attempts: ctx.attempt + 1 },
      });
    }
  };
}
