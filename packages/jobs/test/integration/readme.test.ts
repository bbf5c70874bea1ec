// The README's quick start, run as written (on a free port instead of 3001) in its own Node process.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getFreePort } from '@mentora/testing';
import { expect, it } from 'vitest';

it('the README quick start runs and prints the completed run', async () => {
  const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(code).toContain('createLocalRunner');
  const port = await getFreePort();
  // Inside the package directory, so `@mentora/jobs` resolves to this package's build (self-reference).
  const file = join(import.meta.dirname, '..', 'support', `quick-start-${port}.generated.ts`);
  writeFileSync(file, (code as string).replaceAll('3001', String(port)));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [file], { timeout: 60_000 });
    expect(stdout).toContain("count-variables completed { to: 'ada@example.com', count: 1 }");
  } finally {
    rmSync(file, { force: true });
  }
});
