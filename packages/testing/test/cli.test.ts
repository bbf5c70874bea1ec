import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServicesInfo } from '../src/services.ts';
import { waitForPortClosed } from './helpers.ts';

const execFileAsync = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'src', 'cli.ts');

describe('mentora-testing up|status|down|env', () => {
  let root: string;
  const env = { ...process.env };
  // The CLI prefers pnpm's INIT_CWD; this test points it at a throwaway "repository" instead.
  delete env.INIT_CWD;

  const cli = (...args: string[]) =>
    execFileAsync(process.execPath, [CLI, ...args], { cwd: root, env }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
    );

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'mentora-cli-test-'));
    await writeFile(join(root, 'pnpm-workspace.yaml'), 'packages: []\n');
  });

  afterAll(async () => {
    await cli('down');
    await rm(root, { recursive: true, force: true });
  });

  it('starts the embedded stack and Redis in the background, reports them, and stops them', async () => {
    const up = await cli('up', '--bare');
    expect(up.code).toBe(0);
    const stateFile = join(root, '.mentora-testing', 'state.json');
    const state = JSON.parse(await readFile(stateFile, 'utf8')) as { pid: number; services: ServicesInfo };
    const { supabase, redis } = state.services;
    if (!supabase || !redis) throw new Error('state is missing services');
    expect(up.stdout).toContain(supabase.url);
    expect(up.stdout).toContain(redis.url);
    expect(supabase.mode).toBe('embedded');

    // The services answer after `up` has returned: they belong to the daemon, not to the CLI.
    const openapi = await fetch(`${supabase.url}/rest/v1/`, { headers: { apikey: supabase.serviceRoleKey } });
    expect(openapi.status).toBe(200);
    await openapi.body?.cancel();

    const again = await cli('up');
    expect(again.stdout).toContain(`Already up (daemon pid ${state.pid}`);

    const status = await cli('status');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('running');
    expect(status.stdout).not.toContain('DOWN');

    const env = await cli('env');
    expect(env.code).toBe(0);
    expect(env.stdout).toContain(`NEXT_PUBLIC_SUPABASE_URL=${supabase.url}\n`);
    expect(env.stdout).toContain(`SUPABASE_SERVICE_ROLE_KEY=${supabase.serviceRoleKey}\n`);
    expect(env.stdout).toContain(`REDIS_URL=${redis.url}\n`);

    const down = await cli('down');
    expect(down.code).toBe(0);
    expect(existsSync(stateFile)).toBe(false);
    for (const url of [supabase.url, supabase.postgrestUrl, supabase.databaseUrl, redis.url]) {
      expect(await waitForPortClosed(Number(new URL(url).port))).toBe(true);
    }
    expect((await cli('status')).stdout).toContain('Nothing is running');
    expect((await cli('env')).code).toBe(1);
  });
});
