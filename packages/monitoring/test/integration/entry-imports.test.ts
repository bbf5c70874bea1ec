// The root entry must not load @sentry/node (an optional peer dependency), through either build.
// Checked on the built files in a fresh process, by recording every module the loader resolves.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const dist = join(import.meta.dirname, '..', '..', 'dist');

async function loaded(entry: string): Promise<string[]> {
  const script = `
    import { registerHooks, createRequire } from 'node:module';
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); seen.push(r.url); return r; } });
    const file = ${JSON.stringify(entry)};
    if (file.endsWith('.cjs')) createRequire(import.meta.url)(file);
    else await import(file);
    console.log(JSON.stringify(seen));
  `;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
  return JSON.parse(stdout) as string[];
}

describe('entry points', () => {
  it('importing the root entry (ESM and CJS) loads no @sentry module', async () => {
    for (const file of ['index.js', 'index.cjs']) {
      const urls = await loaded(join(dist, file));
      expect(urls.some((u) => u.includes('winston'))).toBe(true); // the hook does see dependencies
      expect(urls.filter((u) => u.includes('@sentry'))).toEqual([]);
    }
  });

  it('the sentry subpath is where @sentry/node comes in', async () => {
    const urls = await loaded(join(dist, 'sentry.js'));
    expect(urls.some((u) => u.includes('@sentry/node'))).toBe(true);
  });

  it('the testing subpath loads no @sentry module either (tests bring their own SDK)', async () => {
    for (const file of ['testing.js', 'testing.cjs']) {
      expect((await loaded(join(dist, file))).filter((u) => u.includes('@sentry'))).toEqual([]);
    }
  });
});
