// Worker process. Usage: node src/main.ts [--port N] [--mode serve|connect] [--dev] … (see args.ts)
import { isMentoraError } from '@mentora/errors';
import { parseWorkerArgs } from './args.ts';
import { startWorker } from './worker.ts';

function exitWith(error: unknown): never {
  // Startup problems are configuration problems: say what is wrong, without a stack.
  process.stderr.write(
    `[worker] ${isMentoraError(error) ? error.message : String((error as Error)?.stack ?? error)}\n`,
  );
  process.exit(isMentoraError(error) && error.code === 'CONFIG_INVALID' ? 2 : 1);
}

let worker: Awaited<ReturnType<typeof startWorker>>;
try {
  worker = await startWorker(parseWorkerArgs(process.argv.slice(2)), process.env);
} catch (error) {
  exitWith(error);
}

let signals = 0;
async function shutdown(): Promise<void> {
  signals += 1;
  if (signals > 1) process.exit(1); // a second signal: stop waiting
  await worker.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
