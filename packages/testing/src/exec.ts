import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  uid?: number;
  gid?: number;
  /** Written to stdin, which is then closed. */
  input?: string;
  /** Hang guard; the command is killed after this long. Default 120 s. */
  timeoutMs?: number;
}

export class CommandError extends Error {
  readonly code = 'COMMAND_FAILED';
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  constructor(
    command: string,
    exitCode: number | null,
    stdout: string,
    stderr: string,
    options?: { cause?: unknown },
  ) {
    super(
      `${command} failed (exit ${exitCode}): ${stderr.trim().split('\n').slice(-15).join('\n') || stdout.trim()}`,
      options,
    );
    this.name = 'CommandError';
    this.exitCode = exitCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }
}

/** Runs a command to completion and returns its output; rejects with its stderr on a non-zero exit. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      uid: options.uid,
      gid: options.gid,
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 120_000,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.once('error', (error) => reject(new CommandError(file, null, stdout, stderr, { cause: error })));
    child.once('close', (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new CommandError(file, code, stdout, stderr));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}
