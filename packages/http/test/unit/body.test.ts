import { ValidationError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readBytes, readJson, validate } from '../../src/index.js';

function streamOf(chunks: Uint8Array[], onPull?: () => void): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      onPull?.();
      const next = chunks[i++];
      if (next === undefined) controller.close();
      else controller.enqueue(next);
    },
  });
}

function post(
  body: BodyInit | null,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) {
  return new Request('http://t/x', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
}

async function failure(p: Promise<unknown>): Promise<ValidationError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('readJson', () => {
  it('parses JSON and +json types', async () => {
    expect(await readJson(post('{"a":1}'))).toEqual({ a: 1 });
    expect(await readJson(post('[1]', { 'content-type': 'application/merge-patch+json' }))).toEqual([1]);
    expect(await readJson(post('{"a":1}', { 'content-type': 'application/json; charset=UTF-8' }))).toEqual({
      a: 1,
    });
  });

  it('415 for anything that is not declared as JSON', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/jsonx' },
      { 'content-type': 'multipart/form-data; boundary=x' },
      { 'content-type': 'application/json; charset=latin1' },
    ]) {
      const e = await failure(readJson(post('{"a":1}', headers)));
      expect(e.status).toBe(415);
      expect(e.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
  });

  it('400 for malformed JSON, an empty body and invalid UTF-8', async () => {
    expect((await failure(readJson(post('{"a":')))).code).toBe('MALFORMED_JSON');
    expect((await failure(readJson(post('')))).code).toBe('EMPTY_BODY');
    expect((await failure(readJson(post(null)))).code).toBe('EMPTY_BODY');
    expect((await failure(readJson(post(new Uint8Array([0x7b, 0xff, 0x7d]))))).code).toBe('INVALID_ENCODING');
  });

  it('413 from Content-Length before reading', async () => {
    const e = await failure(readJson(post(`{"a":"${'x'.repeat(100)}"}`), undefined, { maxBytes: 50 }));
    expect(e.status).toBe(413);
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('413 counted on the stream when Content-Length is missing, and stops reading', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(1024));
    let pulls = 0;
    const chunks = Array.from({ length: 1000 }, () => chunk);
    const request = post(streamOf(chunks, () => pulls++));
    expect(request.headers.get('content-length')).toBeNull();
    const e = await failure(readJson(request, undefined, { maxBytes: 4096 }));
    expect(e.status).toBe(413);
    expect(pulls).toBeLessThan(10);
  });

  it('413 when Content-Length lies', async () => {
    const big = new TextEncoder().encode(JSON.stringify({ a: 'x'.repeat(5000) }));
    const request = post(streamOf([big]), { 'content-type': 'application/json', 'content-length': '10' });
    expect((await failure(readJson(request, undefined, { maxBytes: 100 }))).status).toBe(413);
  });

  it('400 listing every invalid field with a Standard Schema (zod)', async () => {
    const schema = z.object({
      title: z.string().min(1),
      video: z.object({ duration: z.number().positive() }),
      tags: z.array(z.string()),
    });
    const e = await failure(
      readJson(post(JSON.stringify({ title: '', video: { duration: -1 }, tags: [1] })), schema),
    );
    expect(e.status).toBe(400);
    expect(e.issues.map((i) => i.pointer).sort()).toEqual(['#/tags/0', '#/title', '#/video/duration']);
    const value = await readJson(
      post(JSON.stringify({ title: 'a', video: { duration: 3 }, tags: [] })),
      schema,
    );
    // Typed from the schema.
    const duration: number = value.video.duration;
    expect(duration).toBe(3);
  });

  it('validate accepts any Standard Schema and refuses other values', async () => {
    const custom = {
      '~standard': {
        version: 1 as const,
        vendor: 'custom',
        validate: (v: unknown) =>
          typeof v === 'number' ? { value: v * 2 } : { issues: [{ message: 'not a number', path: ['n'] }] },
      },
    };
    expect(await validate(custom, 2)).toBe(4);
    expect((await failure(validate(custom, 'x'))).issues).toEqual([
      { pointer: '#/n', detail: 'not a number' },
    ]);
    await expect(validate({} as never, 1)).rejects.toThrow(/Standard Schema/);
  });

  it('readBytes refuses a body read twice (a programmer error)', async () => {
    const r = post('{}');
    await readBytes(r);
    await expect(readBytes(r)).rejects.toThrow(/already read/);
  });
});
