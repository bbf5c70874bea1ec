// Validation happens before any request: these builders point at a closed port and must still fail
// with ValidationError (a request would fail differently).
import { ValidationError } from '@mentora/errors';
import { createClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { createQueryBuilder } from '../../src/query-builder.js';

const client = createClient('http://127.0.0.1:9', 'anon-key', { auth: { persistSession: false } });
const videos = createQueryBuilder(client, 'videos', { retry: { attempts: 1 }, timeoutMs: 2_000 });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('query builder input validation', () => {
  it('refuses unknown tables', () => {
    expect(() => createQueryBuilder(client, 'nope' as 'videos')).toThrow(ValidationError);
  });

  it.each([
    ['unknown filter column', { filters: { 'title;drop': 'x' } }],
    ['filter column with PostgREST syntax', { filters: { 'or=(id.gt.0)': 1 } }],
    ['unknown order column', { orderBy: 'nope' }],
    ['order by json column', { orderBy: 'transcript_data' }],
    ['bad direction', { orderDirection: 'sideways' }],
    ['limit 0', { limit: 0 }],
    ['fractional limit', { limit: 1.5 }],
    ['unknown select column', { select: ['id', 'secret'] }],
    ['unknown operator', { filters: { title: { op: 'regex', value: 'x' } } }],
    ['object value', { filters: { title: { nested: true } } }],
    ['in without array', { filters: { title: { op: 'in', value: 'x' } } }],
    ['tampered cursor', { cursor: 'eyJ2IjoxfQ.AAAA' }],
  ])('list: %s -> ValidationError', async (_label, options) => {
    expect(await rejection(videos.list(options as never))).toBeInstanceOf(ValidationError);
  });

  it('getById/update/delete check the key type', async () => {
    expect(await rejection(videos.getById('not-a-uuid'))).toBeInstanceOf(ValidationError);
    expect(await rejection(videos.delete(42))).toBeInstanceOf(ValidationError);
    expect(
      await rejection(
        videos.update('0b6f2c1e-2a4c-4f7e-9a51-3c3d2b1a0f00', { title: 'x' }, { expectedVersion: 0 }),
      ),
    ).toBeInstanceOf(ValidationError);
  });

  it('update cannot set version or the primary key', async () => {
    const id = '0b6f2c1e-2a4c-4f7e-9a51-3c3d2b1a0f00';
    expect(await rejection(videos.update(id, { version: 9 } as never))).toBeInstanceOf(ValidationError);
    expect(await rejection(videos.update(id, { id } as never))).toBeInstanceOf(ValidationError);
  });

  it('optimistic locking needs a versioned table', async () => {
    const chunks = createQueryBuilder(client, 'video_chunks');
    expect(
      await rejection(
        chunks.update('0b6f2c1e-2a4c-4f7e-9a51-3c3d2b1a0f00', { chunk_text: 'x' }, { expectedVersion: 1 }),
      ),
    ).toBeInstanceOf(ValidationError);
  });

  it('insertMany checks every row', async () => {
    const rows = [
      { creator_id: 'c', title: 't', video_url: 'u' },
      { title: 't', bogus: 1 },
    ];
    expect(await rejection(videos.insertMany(rows as never))).toBeInstanceOf(ValidationError);
  });

  it('rpc refuses non-identifier function names', async () => {
    expect(await rejection(videos.rpc('health_check; drop' as 'health_check'))).toBeInstanceOf(
      ValidationError,
    );
  });
});

describe('query builder options', () => {
  it('refuses a server row cap or page cap that cannot hold a page', () => {
    expect(() => createQueryBuilder(client, 'videos', { serverMaxRows: 1 })).toThrow(RangeError);
    expect(() => createQueryBuilder(client, 'videos', { serverMaxRows: 10.5 })).toThrow(RangeError);
    expect(() => createQueryBuilder(client, 'videos', { maxLimit: 0 })).toThrow(RangeError);
    expect(() =>
      createQueryBuilder(client, 'videos', { serverMaxRows: null, maxLimit: 5_000 }),
    ).not.toThrow();
  });
});
