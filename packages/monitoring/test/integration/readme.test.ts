// The README's quick start must work as written: it is extracted and run against the built package.
import { execFile } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..', '..');
// Inside the package, so `import '@mentora/monitoring'` resolves to the package itself (its exports).
const scratch = join(packageDir, 'test', '.readme-run');

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('README', () => {
  it('the quick start runs as written', async () => {
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Quick start'));
    const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(code).toBeDefined();
    await mkdir(scratch, { recursive: true });
    const file = join(scratch, 'quick-start.mts');
    await writeFile(file, code as string);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { cwd: scratch });
    expect(stderr).toBe('');
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'web',
      message: 'request received',
      requestId: 'req-1',
      route: '/api/videos',
      authorization: '[redacted]',
    });
    expect(lines.at(-1)).toMatchObject({ message: 'health', status: 'healthy', httpStatus: 200 });
  });
});
