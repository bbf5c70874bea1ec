import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENV_VARS, loadConfig, renderEnvExample } from '../src/index.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '.env.example');

describe('.env.example', () => {
  it('matches the schema (regenerate with `pnpm --filter @mentora/config gen:env-example`)', () => {
    const committed = readFileSync(file, 'utf8');
    expect(
      committed === renderEnvExample(),
      '.env.example drifted from the @mentora/config schema: run `pnpm --filter @mentora/config gen:env-example` and commit it',
    ).toBe(true);
  });

  it('lists every variable, all unset, so copying it to .env keeps the dev defaults working', () => {
    const text = renderEnvExample();
    const assigned = text
      .split('\n')
      .filter((l) => !l.startsWith('#') && l.includes('='))
      .map((l) => l.split('=')[0]);
    expect(assigned).toEqual(Object.keys(ENV_VARS));
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((l) => /^[A-Z_]+=$/.test(l))
        .map((l) => [l.slice(0, -1), '']),
    );
    expect(() => loadConfig(env, { profile: 'development' })).not.toThrow();
  });
});
