// The worker process as it runs in production (node src/main.ts), against the embedded Supabase stack,
// driven by the local runner over the Inngest HTTP protocol.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEV_DEFAULTS } from '@mentora/config';
import { createLocalRunner, type LocalRunner, signPayload } from '@mentora/jobs/testing';
import { getFreePort, type ManagedProcess } from '@mentora/testing';
import { useSupabaseStack } from '@mentora/testing/vitest';
import { createClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerEnv as baseWorkerEnv, launchWorker, migrationsDir, root } from '../support/launch.ts';

const SIGNING_KEY = DEV_DEFAULTS.inngestSigningKey;
const stack = useSupabaseStack({ mode: 'embedded', migrationsDir });
const workerEnv = (extra?: Record<string, string>) => baseWorkerEnv(stack, extra);
const launch = (port: number, options?: Parameters<typeof launchWorker>[2]) =>
  launchWorker(stack, port, options);

async function fixture() {
  const f = {
    creatorId: randomUUID(),
    videoId: randomUUID(),
    email: `c-${randomUUID().slice(0, 6)}@example.com`,
  };
  await stack.runSql(`
    insert into public.creators (id, user_id, name, email) values ('${f.creatorId}', '${randomUUID()}', 'C', '${f.email}');
    insert into public.videos (id, creator_id, title, video_url, duration_seconds)
      values ('${f.videoId}', '${f.creatorId}', 'V', 'https://videos.example.com/${f.videoId}.mp4', 300);
  `);
  return f;
}

function upload(f: { creatorId: string; videoId: string }) {
  return {
    name: 'video/upload.completed',
    data: {
      videoId: f.videoId,
      creatorId: f.creatorId,
      videoUrl: `https://videos.example.com/${f.videoId}.mp4`,
      duration: 300,
    },
  };
}

function admin() {
  return createClient(stack.url, stack.serviceRoleKey, { auth: { persistSession: false } });
}

async function chunkCount(videoId: string): Promise<number> {
  const { count } = await admin()
    .from('video_chunks')
    .select('id', { count: 'exact', head: true })
    .eq('video_id', videoId);
  return count ?? 0;
}

/** Resolves once `path` exists (the held worker writes it when its step starts holding). */
async function fileAppears(path: string): Promise<void> {
  while (!existsSync(path)) await sleep(20);
}

describe('worker process (cloud mode: signed requests only)', () => {
  let port: number;
  let worker: ManagedProcess;
  let runner: LocalRunner;
  beforeAll(async () => {
    port = await getFreePort();
    runner = createLocalRunner({ url: `http://127.0.0.1:${port}/api/inngest`, signingKey: SIGNING_KEY });
    // The worker sends events (step.sendEvent) to the runner's event API: it must exist first.
    const eventApi = await runner.listen();
    worker = await launch(port, { env: { INNGEST_BASE_URL: eventApi } });
    await runner.start();
  });
  afterAll(async () => {
    await runner?.close();
    await worker?.stop();
  });

  it('serves the health endpoints in the shared format', async () => {
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      timestamp: expect.any(String),
      checks: { database: { status: 'ok', latency: expect.any(Number) } },
    });
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    expect(await (await fetch(`http://127.0.0.1:${port}/health/ready`)).json()).toMatchObject({
      status: 'healthy',
    });
    const missing = await fetch(`http://127.0.0.1:${port}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toBe('application/problem+json');
  });

  it('lists every job function to a signed sync', () => {
    expect(runner.functions().sort()).toEqual([
      'achievement-unlocked',
      'aggregate-daily-analytics',
      'check-content-health',
      'cleanup-old-records',
      'generate-quiz',
      'membership-updated',
      'process-video',
      'process-video-failure',
      'send-email',
    ]);
  });

  it('rejects unsigned, wrongly signed and expired requests', async () => {
    const url = `http://127.0.0.1:${port}/api/inngest?fnId=mentora-send-email&stepId=step`;
    const body = {
      event: {
        name: 'email/send',
        id: 'e1',
        ts: Date.now(),
        data: { to: 'a@example.com', template: 'quiz-ready' },
      },
      events: [],
      steps: {},
      ctx: { run_id: 'r1', attempt: 0, max_attempts: 5, stack: { stack: [], current: 0 } },
      version: 2,
    };
    const post = (signature?: string) =>
      fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(signature ? { 'x-inngest-signature': signature } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await post()).status).toBe(401);
    expect((await post(signPayload(body, 'signkey-test-0000000000000000'))).status).toBe(401);
    expect((await post(signPayload(body, SIGNING_KEY, Math.floor(Date.now() / 1000) - 600))).status).toBe(
      401,
    );
    expect((await post('t=abc&s=def')).status).toBe(401);
    // Signed over another body: refused too.
    expect((await post(signPayload({ ...body, steps: { x: { data: 1 } } }, SIGNING_KEY))).status).toBe(401);
    // The introspection GET tells an unsigned caller nothing about the functions.
    const get = await fetch(`http://127.0.0.1:${port}/api/inngest`);
    expect(JSON.stringify(await get.json())).not.toContain('process-video');
    // And a correctly signed request runs.
    const ok = await post(signPayload(body, SIGNING_KEY));
    expect([200, 206]).toContain(ok.status);
  });

  it('runs a video through the pipeline, sent through the runner event API like the SDK does', async () => {
    const f = await fixture();
    const res = await fetch(new URL('e/local-key', runner.eventApiUrl), {
      method: 'POST',
      body: JSON.stringify([upload(f)]),
    });
    expect(await res.json()).toMatchObject({ status: 200, ids: [expect.any(String)] });
    await runner.waitForIdle();
    const [run] = runner.runs({ functionId: 'process-video' });
    expect(run?.status, JSON.stringify(run?.error)).toBe('completed');
    expect(await chunkCount(f.videoId)).toBeGreaterThan(0);
    const { data } = await admin()
      .from('job_queue')
      .select('status, attempts')
      .eq('run_id', run?.runId as string);
    expect(data).toEqual([{ status: 'completed', attempts: 1 }]);
  });
});

describe('worker process in dev mode (--dev)', () => {
  it('accepts unsigned requests, as the Inngest dev server sends them', async () => {
    const port = await getFreePort();
    const runner = createLocalRunner({ url: `http://127.0.0.1:${port}/api/inngest` });
    const worker = await launch(port, { args: ['--dev'], env: { INNGEST_BASE_URL: await runner.listen() } });
    try {
      await runner.start();
      const run = await runner.fireCron('cleanup-old-records');
      await run.done;
      expect(run.status, JSON.stringify(run.error)).toBe('completed');
    } finally {
      await runner.close();
      await worker.stop();
    }
  });
});

describe('worker lifecycle', () => {
  it('drains an in-flight step on SIGTERM, exits 0, and the run completes on the next worker', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-hold-'));
    const marker = join(dir, 'marker');
    const release = join(dir, 'release');
    const port = await getFreePort();
    let next: ManagedProcess | undefined;
    let restarted!: () => void;
    const nextWorkerUp = new Promise<void>((resolve) => {
      restarted = resolve;
    });
    const runner = createLocalRunner({
      url: `http://127.0.0.1:${port}/api/inngest`,
      signingKey: SIGNING_KEY,
      // A failed request waits for the test to bring the next worker up (no timing involved).
      wait: () => nextWorkerUp,
    });
    const eventApi = await runner.listen();
    const held = await launch(port, {
      script: 'test/fixtures/held-worker.ts',
      env: { HOLD_MARKER: marker, HOLD_RELEASE: release, INNGEST_BASE_URL: eventApi },
    });
    try {
      await runner.start();
      const f = await fixture();
      await runner.send(upload(f));
      await fileAppears(marker);
      held.signal('SIGTERM');
      // Shutting down: new connections are refused while the held request still runs.
      while ((await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined)) !== undefined)
        await sleep(20);
      writeFileSync(release, 'go');
      expect(await held.exited).toMatchObject({ code: 0 });

      next = await launch(port, { env: { INNGEST_BASE_URL: eventApi } });
      restarted();
      await runner.waitForIdle();
      const [run] = runner.runs({ functionId: 'process-video' });
      expect(run?.status, JSON.stringify(run?.error)).toBe('completed');
      // The held step's answer was delivered before the worker exited: it ran once.
      expect(run?.history.filter((e) => e.name === 'transcribe').map((e) => e.type)).toEqual([
        'step-completed',
      ]);
      expect(await chunkCount(f.videoId)).toBe(
        (run?.output as { chunksCreated: number } | undefined)?.chunksCreated,
      );
    } finally {
      await runner.close();
      await held.stop();
      await next?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('killed (SIGKILL) mid-step and restarted: the run completes on retry without duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-kill-'));
    const marker = join(dir, 'marker');
    const port = await getFreePort();
    let next: ManagedProcess | undefined;
    let restarted!: () => void;
    const nextWorkerUp = new Promise<void>((resolve) => {
      restarted = resolve;
    });
    const runner = createLocalRunner({
      url: `http://127.0.0.1:${port}/api/inngest`,
      signingKey: SIGNING_KEY,
      wait: () => nextWorkerUp,
    });
    const eventApi = await runner.listen();
    const held = await launch(port, {
      script: 'test/fixtures/held-worker.ts',
      env: { HOLD_MARKER: marker, HOLD_RELEASE: join(dir, 'never'), INNGEST_BASE_URL: eventApi },
    });
    try {
      await runner.start();
      const f = await fixture();
      await runner.send(upload(f));
      await fileAppears(marker);
      held.signal('SIGKILL');
      expect((await held.exited).signal).toBe('SIGKILL');

      next = await launch(port, { env: { INNGEST_BASE_URL: eventApi } });
      restarted();
      await runner.waitForIdle();
      const [run] = runner.runs({ functionId: 'process-video' });
      expect(run?.status, JSON.stringify(run?.error)).toBe('completed');
      expect(run?.history.filter((e) => e.type === 'request-failed')).toHaveLength(1);
      const created = (run?.output as { chunksCreated: number } | undefined)?.chunksCreated;
      expect(await chunkCount(f.videoId)).toBe(created);
      const { data } = await admin()
        .from('job_queue')
        .select('status, attempts')
        .eq('run_id', run?.runId as string);
      expect(data).toEqual([{ status: 'completed', attempts: 2 }]);
      const { data: v } = await admin()
        .from('videos')
        .select('processing_status')
        .eq('id', f.videoId)
        .single();
      expect(v?.processing_status).toBe('completed');
    } finally {
      await runner.close();
      await held.stop();
      await next?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops cleanly on SIGTERM (exit code 0)', async () => {
    const port = await getFreePort();
    const worker = await launch(port);
    try {
      await worker.stop();
      expect((await worker.exited).code).toBe(0);
    } finally {
      await worker.stop();
    }
  });

  it.each([
    [['--port', 'abc'], /--port: must be a whole number/],
    [['--cleanup-interval-minutes', 'abc'], /cleanup-old-records/],
    [['--cleanup-interval-minutes', '0'], /cleanup-old-records/],
    [['--mode', 'fast'], /--mode/],
  ])('refuses %j at start with a clear error and exit code 2', async (args, message) => {
    const child = spawn(process.execPath, [join(root, 'src/main.ts'), ...args], {
      cwd: root,
      env: workerEnv(),
    });
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
