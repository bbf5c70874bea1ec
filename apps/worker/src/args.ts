// Command-line options of the worker, validated before anything starts: a bad value is one clear error.
import { parseArgs } from 'node:util';
import { ConfigError, type ConfigIssue } from '@mentora/errors';

export interface WorkerArgs {
  /** HTTP port for the Inngest endpoint (serve mode) and the health endpoints. */
  port: number;
  host: string;
  /** `serve`: Inngest calls our HTTP endpoint. `connect`: we hold an outbound connection to Inngest. */
  mode: 'serve' | 'connect';
  /** Inngest dev server mode: unsigned requests accepted. Never implied by the environment. */
  dev: boolean;
  /** Path of the Inngest endpoint. */
  servePath: string;
  /** How long shutdown waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
}

export const USAGE = `Usage: node src/main.ts [options]
  --port N                     HTTP port (1-65535, default 3001)
  --host H                     address to bind (default 127.0.0.1)
  --mode serve|connect         serve: Inngest calls /api/inngest (default); connect: outbound connection
  --dev                        Inngest dev server mode (accepts unsigned requests); never in production
  --serve-path P               path of the Inngest endpoint (default /api/inngest)
  --shutdown-timeout-ms N      drain limit for in-flight requests on shutdown (100-600000, default 25000)
The retention cleanup runs as the cron function cleanup-old-records (04:00 UTC daily).`;

function integer(value: string, name: string, min: number, max: number, issues: ConfigIssue[]): number {
  if (!/^\d+$/.test(value)) {
    issues.push({ variable: name, message: `must be a whole number from ${min} to ${max}` });
    return min;
  }
  const n = Number(value);
  if (n < min || n > max) issues.push({ variable: name, message: `must be from ${min} to ${max}` });
  return n;
}

/** Parses and validates argv; throws one ConfigError listing every bad option (never a value it ignores). */
export function parseWorkerArgs(argv: readonly string[]): WorkerArgs {
  const issues: ConfigIssue[] = [];
  if (argv.some((a) => a === '--cleanup-interval-minutes' || a.startsWith('--cleanup-interval-minutes='))) {
    throw new ConfigError(
      '--cleanup-interval-minutes was removed: the retention cleanup is the cron function cleanup-old-records',
      { issues: [{ variable: '--cleanup-interval-minutes', message: 'is no longer an option' }] },
    );
  }
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string', default: '3001' },
        host: { type: 'string', default: '127.0.0.1' },
        mode: { type: 'string', default: 'serve' },
        dev: { type: 'boolean', default: false },
        'serve-path': { type: 'string', default: '/api/inngest' },
        'shutdown-timeout-ms': { type: 'string', default: '25000' },
      },
    }));
  } catch (cause) {
    throw new ConfigError(`Invalid command line: ${(cause as Error).message}\n${USAGE}`, {
      issues: [{ variable: 'argv', message: (cause as Error).message }],
      cause,
    });
  }
  const port = integer(String(values.port), '--port', 1, 65_535, issues);
  const shutdownTimeoutMs = integer(
    String(values['shutdown-timeout-ms']),
    '--shutdown-timeout-ms',
    100,
    600_000,
    issues,
  );
  const mode = String(values.mode);
  if (mode !== 'serve' && mode !== 'connect')
    issues.push({ variable: '--mode', message: 'must be serve or connect' });
  const servePath = String(values['serve-path']);
  if (!/^\/[A-Za-z0-9/_-]*$/.test(servePath))
    issues.push({ variable: '--serve-path', message: 'must be a path like /api/inngest' });
  const host = String(values.host);
  if (host.trim() === '') issues.push({ variable: '--host', message: 'must not be empty' });
  if (issues.length > 0) {
    throw new ConfigError(
      `Invalid command line:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join('\n')}\n${USAGE}`,
      { issues },
    );
  }
  return {
    port,
    host,
    mode: mode as WorkerArgs['mode'],
    dev: values.dev === true,
    servePath,
    shutdownTimeoutMs,
  };
}
