import { runWithContext } from '@mentora/monitoring';
import { Middleware } from 'inngest';

/**
 * Runs each request Inngest makes to a function inside a monitoring request context carrying the run id
 * and the function id, so every log line, metric and error report made during it names the run.
 */
export function contextMiddleware(): Middleware.Class {
  return class JobContextMiddleware extends Middleware.BaseMiddleware {
    readonly id = 'mentora-job-context';

    override wrapRequest(args: Middleware.WrapRequestArgs): Promise<Middleware.Response> {
      const functionId = args.fn?.id();
      return runWithContext(
        {
          ...(args.runId ? { jobRunId: args.runId } : {}),
          ...(functionId ? { functionId } : {}),
        },
        () => args.next(),
      );
    }
  };
}
