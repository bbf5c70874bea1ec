// Starts the worker: options, composition root, HTTP server (serve mode) or outbound connection
// (connect mode), and a graceful shutdown on SIGTERM/SIGINT.
import { connect } from 'inngest/connect';
import type { WorkerArgs } from './args.ts';
import { createWorkerInfra, type WorkerInfraOptions } from './infra.ts';
import { createWorkerServer } from './server.ts';

export interface RunningWorker {
  url: string;
  stop(): Promise<void>;
}

export async function startWorker(
  args: WorkerArgs,
  env: Record<string, string | undefined>,
  options: Omit<WorkerInfraOptions, 'dev'> = {},
): Promise<RunningWorker> {
  const infra = createWorkerInfra(env, { ...options, dev: args.dev });
  const server = createWorkerServer({
    infra,
    serveFunctions: args.mode === 'serve',
    servePath: args.servePath,
    shutdownTimeoutMs: args.shutdownTimeoutMs,
  });
  let connection: { close(): Promise<unknown> } | undefined;
  let url: string;
  try {
    await infra.ready();
    url = await server.listen(args.port, args.host);
    if (args.mode === 'connect') {
      connection = await connect({ apps: [{ client: infra.jobs.inngest, functions: infra.functions.all }] });
    }
  } catch (error) {
    await server.close();
    await infra.close();
    throw error;
  }
  infra.logger.info('worker ready', {
    url,
    mode: args.mode,
    inngest: infra.jobs.mode,
    endpoint: args.mode === 'serve' ? `${url}${args.servePath}` : undefined,
    functions: infra.functions.all.map((f) => f.id()),
  });

  let stopping: Promise<void> | undefined;
  return {
    url,
    stop() {
      stopping ??= (async () => {
        infra.logger.info('worker stopping', { inFlight: server.inFlight() });
        const [{ drained }] = await Promise.all([server.close(), connection?.close()]);
        if (!drained) infra.logger.warn('worker shutdown cut in-flight requests after the drain limit');
        await infra.close();
      })();
      return stopping;
    },
  };
}
