import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Hang guard (not a timing assertion): the command is killed after this long. Default 10 minutes. */
  timeoutMs?: number;
  input?: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved, as a person would have seen them. */
  output: string;
}

/** Runs a command to completion, capturing its output. Never throws for a non-zero exit: see `run`. */
export function capture(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk;
      output += chunk;
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, output });
    });
  });
}

/** A command that failed, with the tail of what it printed. */
export class CommandError extends Error {
  readonly result: RunResult;
  constructor(what: string, result: RunResult) {
    const tail = result.output.trim().split('\n').slice(-40).join('\n');
    super(`${what} failed (exit ${result.code})${tail ? `:\n${tail}` : ''}`);
    this.name = 'CommandError';
    this.result = result;
  }
}

/** Runs a command and throws a `CommandError` with its output when it exits non-zero. */
export async function run(command: string, args: readonly string[], options: RunOptions): Promise<RunResult> {
  const result = await capture(command, args, options);
  if (result.code !== 0) throw new CommandError(`${command} ${args.join(' ')} (in ${options.cwd})`, result);
  return result;
}

/** Runs `fn` over `items` with at most `limit` at a time, keeping the input order in the result. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}
