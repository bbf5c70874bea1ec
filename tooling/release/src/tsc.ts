import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { capture } from './exec.ts';

export type Resolution = 'node16' | 'nodenext' | 'bundler';

export interface TscError {
  resolution: Resolution;
  file: string;
  line: number;
  text: string;
}

/**
 * A consumer's tsconfig: strict, no DOM lib (a server consumer has Node's types only). With
 * `checkDeclarations` the packages' own declarations are checked too (skipLibCheck off), so a d.ts that
 * needs a type the consumer does not have (or imports an unpublished package) fails here instead of
 * silently becoming `any` in the user's editor. That checks every library's d.ts as well and costs
 * about three times as long, so one program per run does it.
 */
export function consumerTsconfig(
  resolution: Resolution,
  include: readonly string[],
  checkDeclarations = false,
): object {
  const module =
    resolution === 'bundler'
      ? { module: 'preserve', moduleResolution: 'bundler' }
      : { module: resolution, moduleResolution: resolution };
  return {
    compilerOptions: {
      ...module,
      target: 'ES2023',
      lib: ['ES2023'],
      types: ['node'],
      strict: true,
      noEmit: true,
      skipLibCheck: !checkDeclarations,
      moduleDetection: 'force',
      allowImportingTsExtensions: true,
    },
    include,
  };
}

/** Errors in files we answer for: the consumer's own files and @mentora declarations. */
function ours(file: string): boolean {
  const parts = file.split('node_modules/');
  if (parts.length === 1) return true;
  return (parts.at(-1) ?? '').startsWith('@mentora/');
}

/** Parses `file(line,col): error TSxxxx: message` (with continuation lines) from tsc's output. */
export function parseTscOutput(output: string, resolution: Resolution): TscError[] {
  const errors: TscError[] = [];
  for (const line of output.split('\n')) {
    const match = /^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/.exec(line);
    if (match) {
      errors.push({ resolution, file: match[1] as string, line: Number(match[2]), text: match[3] as string });
    } else if (/^\s+\S/.test(line) && errors.length > 0) {
      const last = errors[errors.length - 1] as TscError;
      last.text += `\n${line}`;
    } else if (/error TS\d+/.test(line)) {
      errors.push({ resolution, file: '(tsconfig)', line: 0, text: line.trim() });
    }
  }
  return errors;
}

export async function typeCheck(
  tsc: string,
  dir: string,
  resolution: Resolution,
  include: readonly string[],
  env: NodeJS.ProcessEnv,
  options: { name?: string; checkDeclarations?: boolean } = {},
): Promise<TscError[]> {
  const name = options.name ?? `tsconfig.${resolution}.json`;
  const config = consumerTsconfig(resolution, include, options.checkDeclarations);
  await writeFile(join(dir, name), `${JSON.stringify(config, null, 2)}\n`);
  const result = await capture(process.execPath, [tsc, '-p', name, '--pretty', 'false'], {
    cwd: dir,
    env,
    timeoutMs: 300_000,
  });
  const errors = parseTscOutput(result.output, resolution).filter((error) => ours(error.file));
  if (result.code !== 0 && errors.length === 0 && !/error TS/.test(result.output)) {
    errors.push({
      resolution,
      file: name,
      line: 0,
      text: `tsc exited ${result.code}: ${result.output.trim().slice(-2000)}`,
    });
  }
  return errors;
}
