// The fresh-machine bootstrap (tooling/bootstrap/run.mjs), run for real against a throwaway copy of
// the repository root whose npm and pnpm are stand-ins that record how they were called. No network.
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const RUN_MJS = join(import.meta.dirname, '..', '..', '..', 'tooling', 'bootstrap', 'run.mjs');

/** Stand-in pnpm: logs its arguments and which `node` a script it runs would get. */
const FAKE_PNPM = `#!/bin/sh
echo "pnpm $*" >> "$FAKE_LOG"
echo "node=$(node -v)" >> "$FAKE_LOG"
`;

/** Stand-in npm: logs its arguments and installs the stand-in pnpm under --prefix. */
const FAKE_NPM = `#!/bin/sh
echo "npm $*" >> "$FAKE_LOG"
prefix=""; prev=""
for a in "$@"; do if [ "$prev" = "--prefix" ]; then prefix="$a"; fi; prev="$a"; done
mkdir -p "$prefix/node_modules/pnpm" "$prefix/node_modules/.bin"
echo '{"version":"9.9.9"}' > "$prefix/node_modules/pnpm/package.json"
cp "$FAKE_PNPM" "$prefix/node_modules/.bin/pnpm"
`;

/** An older Node that comes first on the caller's PATH. */
const OLD_NODE = `#!/bin/sh
echo v20.0.0
`;

let root: string;
let fakeBin: string;
let log: string;

async function script(path: string, text: string): Promise<void> {
  await writeFile(path, text);
  await chmod(path, 0o755);
}

async function installFakePnpm(): Promise<void> {
  const modules = join(root, '.cache', 'toolchain', 'node_modules');
  await mkdir(join(modules, 'pnpm'), { recursive: true });
  await mkdir(join(modules, '.bin'), { recursive: true });
  await writeFile(join(modules, 'pnpm', 'package.json'), '{"version":"9.9.9"}');
  await script(join(modules, '.bin', 'pnpm'), FAKE_PNPM);
}

function bootstrap(path: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'tooling', 'bootstrap', 'run.mjs'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: path, FAKE_LOG: log, FAKE_PNPM: join(fakeBin, 'pnpm-template') },
    timeout: 60_000,
  });
  return { status: r.status, stderr: r.stderr };
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mentora-bootstrap-test-'));
  fakeBin = join(root, 'fake-bin');
  log = join(root, 'calls.log');
  await mkdir(join(root, 'tooling', 'bootstrap'), { recursive: true });
  await copyFile(RUN_MJS, join(root, 'tooling', 'bootstrap', 'run.mjs'));
  await writeFile(join(root, 'package.json'), JSON.stringify({ packageManager: 'pnpm@9.9.9' }));
  await writeFile(join(root, '.node-version'), '24\n');
  await writeFile(log, '');
  await mkdir(fakeBin);
  await script(join(fakeBin, 'pnpm-template'), FAKE_PNPM);
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('tooling/bootstrap/run.mjs', () => {
  it('runs pnpm and its scripts on the Node that runs the bootstrap, not an older node earlier on PATH', async () => {
    await installFakePnpm();
    await script(join(fakeBin, 'node'), OLD_NODE);
    const r = bootstrap(`${fakeBin}:/usr/bin:/bin`, 'build');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls).toEqual([
      'pnpm install',
      `node=${process.version}`,
      'pnpm run build',
      `node=${process.version}`,
    ]);
  });

  it('trusts what is on disk, not a stamp: a cache without pnpm is filled again', async () => {
    // What an earlier run leaves behind, after the cache lost its files.
    await mkdir(join(root, '.cache', 'toolchain'), { recursive: true });
    await writeFile(join(root, '.cache', 'toolchain', 'stamp.json'), '{"node":"24","pnpm":"9.9.9"}');
    await script(join(fakeBin, 'npm'), FAKE_NPM);
    const r = bootstrap(`${fakeBin}:/usr/bin:/bin`, 'test');
    expect(r.status).toBe(0);
    const calls = (await readFile(log, 'utf8')).trim().split('\n');
    expect(calls[0]).toMatch(/^npm install .*--prefix \S+\.cache\/toolchain pnpm@9\.9\.9$/);
    expect(calls.slice(1)).toEqual([
      'pnpm install',
      `node=${process.version}`,
      'pnpm run test',
      `node=${process.version}`,
    ]);
    // Idempotent: the second run finds everything and installs nothing.
    await writeFile(log, '');
    expect(bootstrap(`${fakeBin}:/usr/bin:/bin`, 'test').status).toBe(0);
    expect(await readFile(log, 'utf8')).not.toMatch(/^npm /m);
  });

  it('without npm, says so in one line instead of a stack trace', async () => {
    const r = bootstrap(fakeBin, 'test');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('"npm" was not found on PATH');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});
