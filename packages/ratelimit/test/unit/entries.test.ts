// The root entry is the core only: it must not load ioredis (an optional peer of the /redis subpath).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const lister = fileURLToPath(new URL('../support/fixtures/list-imports.mjs', import.meta.url));
const resolved = (entry: string): string[] =>
  JSON.parse(
    execFileSync(process.execPath, [lister, fileURLToPath(new URL(entry, import.meta.url))], {
      encoding: 'utf8',
    }),
  );

describe('entry points', () => {
  it('the root entry never loads ioredis', () => {
    const specifiers = resolved('../../src/index.ts');
    expect(specifiers).toContain('rate-limiter-flexible');
    expect(specifiers.filter((s) => s === 'ioredis' || s.startsWith('ioredis/'))).toEqual([]);
  });

  it('the /redis entry does (the lister can tell)', () => {
    expect(resolved('../../src/redis.ts')).toContain('ioredis');
  });
});
