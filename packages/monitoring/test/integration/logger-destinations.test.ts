// Real destinations and real processes: a file, a pipe to a parent, a process that exits right after
// close(). Runs the built package (dist), as an installed one would be.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/index.js';

const child = join(import.meta.dirname, '..', 'fixtures', 'flush-child.mjs');
const LINES = 20_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mentora-logs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    p.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function checkLines(text: string, count = LINES): void {
  const lines = text.split('\n').filter(Boolean);
  expect(lines).toHaveLength(count);
  lines.forEach((line, seq) => {
    const record = JSON.parse(line);
    expect(record.seq).toBe(seq);
    expect(record.requestId).toBe('child-run');
    expect(record.headers.authorization).toBe('[redacted]');
  });
}

describe('flush before exit, in a child process', () => {
  it(`a file destination holds all ${LINES} lines after close() and an immediate process.exit`, async () => {
    const file = join(dir, 'child.log');
    const { code, stderr } = await run(['file', String(LINES), file]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    checkLines(await readFile(file, 'utf8'));
  });

  it(`the parent reads all ${LINES} lines from the child's stdout pipe`, async () => {
    const { code, stdout, stderr } = await run(['stdout', String(LINES)]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    checkLines(stdout);
  });

  it('lines still waiting to be written when the process exits in the same turn reach stdout', async () => {
    const { code, stdout, stderr } = await run(['exit', '200']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    checkLines(stdout, 200);
  });
});

describe('file destinations', () => {
  it('appends to the file, and close() ends the stream it opened', async () => {
    const file = join(dir, 'append.log');
    for (const round of [1, 2]) {
      const logger = createLogger({ service: 'f', destination: { file } });
      logger.info('round', { round });
      await logger.close();
    }
    const rounds = (await readFile(file, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l).round);
    expect(rounds).toEqual([1, 2]);
  });

  it('a file that cannot be opened neither crashes the process nor hangs flush/close', async () => {
    const logger = createLogger({
      service: 'f',
      destination: { file: join(dir, 'missing', 'dir', 'x.log') },
    });
    logger.error('nowhere to go');
    await logger.flush();
    logger.error('still nowhere');
    await logger.close();
  });
});
