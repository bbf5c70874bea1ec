import { isMentoraError, ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createCursorCodec, MAX_CURSOR_LENGTH } from '../../src/cursor.js';

const scope = JSON.stringify(['videos', 'created_at', 'desc', '[]']);
const key = { sort: '2025-10-20T10:00:00.123456+00:00', id: '0b6f2c1e-2a4c-4f7e-9a51-3c3d2b1a0f00' };

async function expectInvalid(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  expect(isMentoraError(error) && error.status).toBe(400);
}

/** Flip one character of the payload to another valid base64url character. */
function tamper(cursor: string, index = 3): string {
  const chars = [...cursor];
  chars[index] = chars[index] === 'A' ? 'B' : 'A';
  return chars.join('');
}

describe.each([
  ['unsigned', {}],
  ['HMAC-signed', { secret: 'a-cursor-secret-of-32-characters!' }],
] as const)('%s cursors', (_name, options) => {
  const codec = createCursorCodec(options);

  it('round-trips the sort value and primary key', async () => {
    const cursor = await codec.encode(key, scope);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    await expect(codec.decode(cursor, scope)).resolves.toEqual(key);
  });

  it('rejects an edited payload', async () => {
    const cursor = await codec.encode(key, scope);
    await expectInvalid(codec.decode(tamper(cursor), scope));
  });

  it('rejects a cursor re-encoded with another id but the old tag', async () => {
    const cursor = await codec.encode(key, scope);
    const [, tag] = cursor.split('.');
    const forged = Buffer.from(
      JSON.stringify({ v: 1, k: [key.sort, '00000000-0000-4000-a000-000000000000'] }),
    ).toString('base64url');
    await expectInvalid(codec.decode(`${forged}.${tag}`, scope));
  });

  it('rejects a cursor from another query', async () => {
    const cursor = await codec.encode(key, scope);
    await expectInvalid(codec.decode(cursor, JSON.stringify(['videos', 'created_at', 'asc', '[]'])));
  });

  it.each([
    ['empty', ''],
    ['not a string', 42],
    ['no tag', 'abc'],
    ['three parts', 'a.b.c'],
    ['not base64url', '!!!.???'],
    ['not JSON', `${Buffer.from('nope').toString('base64url')}.AAAA`],
    ['too long', 'a'.repeat(MAX_CURSOR_LENGTH + 1)],
  ])('rejects garbage (%s)', async (_label, cursor) => {
    await expectInvalid(codec.decode(cursor, scope));
  });
});

describe('signed cursors', () => {
  it('cannot be verified with another secret', async () => {
    const a = createCursorCodec({ secret: 'first-secret-first-secret' });
    const b = createCursorCodec({ secret: 'second-secret-second-secret' });
    await expectInvalid(b.decode(await a.encode(key, scope), scope));
  });

  it('refuses secrets shorter than 16 bytes', () => {
    expect(() => createCursorCodec({ secret: 'short' })).toThrow(RangeError);
  });

  it('an unsigned cursor is not accepted by a signing codec', async () => {
    const unsigned = await createCursorCodec().encode(key, scope);
    await expectInvalid(createCursorCodec({ secret: 'first-secret-first-secret' }).decode(unsigned, scope));
  });
});
