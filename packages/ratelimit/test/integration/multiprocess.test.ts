// Several processes against one Redis share one limit exactly: N allowed out of M > N concurrent checks.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../support/services.ts';

const CHILD = fileURLToPath(new URL('../support/fixtures/check-child.ts', import.meta.url));
const PROCESSES = 3;

let server: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  server = await startRedis();
});
afterAll(async () => {
  await server?.stop();
});

interface Child {
  proc: ChildProcess;
  lines: AsyncIterator<string>;
}

function startChild(args: string[]): Child {
  const proc = spawn(process.execPath, [CHILD, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout! })[Symbol.asyncIterator]();
  return { proc, lines };
}

async function nextLine(child: Child): Promise<string> {
  const { value, done } = await child.lines.next();
  if (done) throw new Error(`child ${child.proc.pid} exited before answering (code ${child.proc.exitCode})`);
  return value;
}

async function sharedRun(endpoint: string, perProcess: number, cost = 1): Promise<number[]> {
  const namespace = `mp:${randomUUID()}`;
  const children = Array.from({ length: PROCESSES }, () =>
    startChild([server.url, namespace, endpoint, 'same-user', String(perProcess), String(cost)]),
  );
  try {
    for (const child of children) expect(await nextLine(child)).toBe('ready');
    // All processes are connected before any fires: the checks really race each other.
    for (const child of children) child.proc.stdin!.write('go\n');
    const answers = await Promise.all(children.map(nextLine));
    return answers.map((line) => (JSON.parse(line) as { allowed: number }).allowed);
  } finally {
    for (const child of children) if (child.proc.exitCode === null) child.proc.kill();
  }
}

describe(`${PROCESSES} processes sharing one Redis`, () => {
  it('admit exactly the sliding-window limit between them (api: 100 of 3 × 60)', async () => {
    const allowed = await sharedRun('api', 60);
    expect(allowed.reduce((a, b) => a + b, 0)).toBe(100);
  }, 60_000);

  it('admit exactly the fixed-window limit between them (videoUpload: 5 of 3 × 10)', async () => {
    const allowed = await sharedRun('videoUpload', 10);
    expect(allowed.reduce((a, b) => a + b, 0)).toBe(5);
  }, 60_000);

  it('admit exactly floor(limit / cost) with cost > 1 (sliding api: 33 × 3 of 100; denials consume nothing)', async () => {
    const allowed = await sharedRun('api', 20, 3);
    expect(allowed.reduce((a, b) => a + b, 0)).toBe(33);
  }, 60_000);

  it('admit exactly floor(limit / cost) with cost > 1 (fixed videoUpload: 2 × 2 of 5)', async () => {
    const allowed = await sharedRun('videoUpload', 4, 2);
    expect(allowed.reduce((a, b) => a + b, 0)).toBe(2);
  }, 60_000);
});
