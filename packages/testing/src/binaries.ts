import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import { isRoot } from './system-user.ts';

/** Where Debian puts PostgreSQL 15's server binaries (they are not on PATH). */
export const POSTGRES_BIN_DIR = '/usr/lib/postgresql/15/bin';

/**
 * PATH given to the servers we start. They are run by absolute path and need nothing from the
 * caller's environment; a fixed value keeps a caller's PATH (and the rest of its environment)
 * from changing how they behave.
 */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Directories searched after PATH: server binaries often live in sbin or a versioned lib dir. */
const EXTRA_DIRS = [
  POSTGRES_BIN_DIR,
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

export class MissingBinaryError extends Error {
  readonly code = 'MISSING_BINARY';
  readonly command: string;
  readonly debianPackage: string;
  constructor(command: string, debianPackage: string, detail: string, options?: { cause?: unknown }) {
    super(
      `${isAbsolute(command) ? `${command} does not exist.` : `"${command}" was not found on PATH or in ${POSTGRES_BIN_DIR}.`} ${detail} ` +
        `Install it with: sudo apt-get update && sudo apt-get install -y ${debianPackage}`,
      options,
    );
    this.name = 'MissingBinaryError';
    this.command = command;
    this.debianPackage = debianPackage;
  }
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds an executable by name on PATH, then in the well-known server directories. */
export async function findBinary(command: string, searchPath?: string): Promise<string | undefined> {
  if (isAbsolute(command)) return (await isExecutable(command)) ? command : undefined;
  const pathDirs = (searchPath ?? process.env.PATH ?? '').split(delimiter).filter(Boolean);
  // The PostgreSQL 15 dir first: Debian's /usr/bin/psql is pg_wrapper, which picks a version by
  // its own rules, and a newer initdb on PATH must never create a data dir the 15 server rejects.
  // Nothing but Postgres tools lives there, so other commands still come from PATH.
  const dirs = [POSTGRES_BIN_DIR, ...pathDirs, ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(Object.assign(error, { stdout, stderr }));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** Waits for dpkg's lock instead of failing when another harness call is installing at the same time. */
const APT_LOCK_WAIT = ['-o', 'DPkg::Lock::Timeout=300'];

async function aptInstall(debianPackage: string): Promise<void> {
  const install = ['install', '-y', '--no-install-recommends', ...APT_LOCK_WAIT, debianPackage];
  try {
    await run('apt-get', install);
  } catch {
    // The package lists are probably missing or stale (fresh containers ship without them):
    // refresh once and try again. No module state: a second ensureBinary just finds the binary.
    await run('apt-get', ['update', ...APT_LOCK_WAIT]);
    await run('apt-get', install);
  }
}

/**
 * Returns the absolute path of `command`. When it is missing and we run as root, installs
 * `debianPackage` with apt-get (running `apt-get update` if the first install attempt fails);
 * otherwise throws a MissingBinaryError that says exactly what to install.
 */
export async function ensureBinary(command: string, debianPackage: string): Promise<string> {
  const found = await findBinary(command);
  if (found) return found;
  if (!isRoot()) {
    throw new MissingBinaryError(
      command,
      debianPackage,
      'The harness installs it only when running as root.',
    );
  }
  try {
    await aptInstall(debianPackage);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new MissingBinaryError(
      command,
      debianPackage,
      `Installing Debian package "${debianPackage}" failed: ${stderr.trim().split('\n').slice(-3).join(' ')}.`,
      { cause: error },
    );
  }
  const installed = await findBinary(command);
  if (!installed) {
    throw new MissingBinaryError(
      command,
      debianPackage,
      `Debian package "${debianPackage}" was installed but does not provide "${command}".`,
    );
  }
  return installed;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `ensureBinary` for what a Debian package installs that is not a command: a Postgres extension's
 * control file, a shared library. Returns `path` once it exists; installs `debianPackage` first when
 * it is missing and we run as root; otherwise throws a MissingBinaryError naming the package.
 */
export async function ensureDebianFile(path: string, debianPackage: string): Promise<string> {
  if (await exists(path)) return path;
  if (!isRoot()) {
    throw new MissingBinaryError(path, debianPackage, 'The harness installs it only when running as root.');
  }
  try {
    await aptInstall(debianPackage);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new MissingBinaryError(
      path,
      debianPackage,
      `Installing Debian package "${debianPackage}" failed: ${stderr.trim().split('\n').slice(-3).join(' ')}.`,
      { cause: error },
    );
  }
  if (!(await exists(path))) {
    throw new MissingBinaryError(
      path,
      debianPackage,
      `Debian package "${debianPackage}" was installed but does not provide ${path}.`,
    );
  }
  return path;
}
