/**
 * Loads the real build output — dist/index.cjs through `require` and dist/index.js through `import` — and
 * checks that errors made by one build satisfy `instanceof` of the other's classes. Builds first when dist
 * is missing or older than src (so it also works on a clean clone without turbo).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

type Mod = typeof import('../src/index.js');

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cjsPath = join(pkgDir, 'dist', 'index.cjs');
const esmPath = join(pkgDir, 'dist', 'index.js');

function newestSrcMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSrcMtime(p));
    else if (!entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const fresh =
    existsSync(cjsPath) &&
    existsSync(esmPath) &&
    Math.min(statSync(cjsPath).mtimeMs, statSync(esmPath).mtimeMs) >= newestSrcMtime(join(pkgDir, 'src'));
  if (fresh) return;
  const tsup = join(pkgDir, 'node_modules', '.bin', 'tsup');
  execFileSync(tsup, [], { cwd: pkgDir, stdio: 'pipe', timeout: 120_000 });
}

let cjs: Mod;
let esm: Mod;

beforeAll(async () => {
  ensureBuilt();
  cjs = createRequire(import.meta.url)(cjsPath) as Mod;
  esm = (await import(pathToFileURL(esmPath).href)) as Mod;
}, 120_000);

describe('ESM and CJS builds', () => {
  it('are really two different class objects', () => {
    expect(cjs.MentoraError).not.toBe(esm.MentoraError);
    expect(cjs.NotFoundError).not.toBe(esm.NotFoundError);
  });

  it('a CJS-built error passes instanceof of the ESM classes and vice versa', () => {
    const fromCjs = new cjs.FeatureGateError('ai_chat', 'pro', 'basic');
    expect(fromCjs instanceof esm.FeatureGateError).toBe(true);
    expect(fromCjs instanceof esm.ForbiddenError).toBe(true);
    expect(fromCjs instanceof esm.MentoraError).toBe(true);
    expect(fromCjs instanceof esm.RateLimitError).toBe(false);
    expect(fromCjs instanceof esm.NotFoundError).toBe(false);

    const fromEsm = new esm.RateLimitError(10, '1 m', 5);
    expect(fromEsm instanceof cjs.RateLimitError).toBe(true);
    expect(fromEsm instanceof cjs.MentoraError).toBe(true);
    expect(fromEsm instanceof cjs.ForbiddenError).toBe(false);
    expect(new esm.ForbiddenError() instanceof cjs.FeatureGateError).toBe(false);
  });

  it('helpers of one build understand errors of the other', () => {
    const fromCjs = new cjs.RateLimitError(10, '1 m', 7);
    expect(esm.isMentoraError(fromCjs)).toBe(true);
    expect(esm.getErrorStatusCode(fromCjs)).toBe(429);
    expect(esm.isRetryable(fromCjs)).toBe(true);
    expect(esm.errorToAPIResponse(fromCjs)).toMatchObject({ status: 429, retryAfter: 7, limit: 10 });
    expect(esm.problemResponse(fromCjs).headers.get('retry-after')).toBe('7');

    const db = new esm.DatabaseError('SELECT secret', { table: 'users' });
    expect(cjs.errorToAPIResponse(db).detail).toBe('An unexpected error occurred.');
  });

  it('serialize in one build, deserialize in the other', () => {
    const rec = JSON.parse(JSON.stringify(cjs.serializeError(new cjs.NotFoundError('gone', { id: 'v1' }))));
    const back = esm.deserializeError(rec);
    expect(back instanceof esm.NotFoundError).toBe(true);
    expect(back.constructor).toBe(esm.NotFoundError);
    expect((back as InstanceType<Mod['NotFoundError']>).context).toEqual({ id: 'v1' });
  });
});
