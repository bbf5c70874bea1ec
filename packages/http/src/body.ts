import { InvalidArgumentError, ValidationError } from '@mentora/errors';
import type { StandardSchemaV1 } from '@standard-schema/spec';

export interface ReadBodyOptions {
  /** Largest accepted body in bytes (default 1 MiB). Counted on the stream, not taken from Content-Length. */
  maxBytes?: number;
}

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

function tooLarge(maxBytes: number): ValidationError {
  return new ValidationError(`The request body is larger than ${maxBytes} bytes`, {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    context: { maxBytes },
  });
}

function checkedLimit(maxBytes: number | undefined): number {
  const limit = maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!(Number.isSafeInteger(limit) && limit > 0)) {
    throw new InvalidArgumentError(`maxBytes must be a positive integer, got ${String(limit)}`, {
      argument: 'maxBytes',
    });
  }
  return limit;
}

/**
 * The raw body as bytes, at most `maxBytes` (413 beyond, counted while streaming so a missing or lying
 * Content-Length changes nothing). The stream is cancelled as soon as the limit is crossed.
 */
export async function readBytes(request: Request, options: ReadBodyOptions = {}): Promise<Uint8Array> {
  const maxBytes = checkedLimit(options.maxBytes);
  if (request.bodyUsed) {
    throw new InvalidArgumentError('The request body was already read', { argument: 'request' });
  }
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    throw tooLarge(maxBytes);
  }
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof ValidationError) throw error;
    throw new ValidationError('The request body could not be read', {
      code: 'BODY_READ_FAILED',
      cause: error,
    });
  } finally {
    reader.releaseLock();
  }
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** The body as UTF-8 text (400 on invalid UTF-8), at most `maxBytes`. */
export async function readText(request: Request, options: ReadBodyOptions = {}): Promise<string> {
  const bytes = await readBytes(request, options);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch (cause) {
    throw new ValidationError('The request body is not valid UTF-8', { code: 'INVALID_ENCODING', cause });
  }
}

/** `application/json` or any `+json` type, with no charset or a UTF-8 one. */
function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const [type = '', ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (!(type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type))) return false;
  for (const param of params) {
    const [name, value = ''] = param.split('=');
    if (name?.trim() === 'charset' && !['utf-8', 'utf8', '"utf-8"'].includes(value.trim())) return false;
  }
  return true;
}

/** Validates `value` against a Standard Schema (zod, valibot, arktype…); 400 listing the invalid fields. */
export async function validate<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
): Promise<StandardSchemaV1.InferOutput<S>> {
  const standard = (schema as Partial<StandardSchemaV1> | null)?.['~standard'];
  if (!standard || typeof standard.validate !== 'function') {
    throw new InvalidArgumentError('validate: schema is not a Standard Schema', { argument: 'schema' });
  }
  const result = await standard.validate(value);
  if (result.issues) {
    throw ValidationError.fromIssues(
      result.issues.map((issue) => ({
        message: issue.message,
        ...(issue.path !== undefined ? { path: issue.path } : {}),
      })),
    );
  }
  return result.value as StandardSchemaV1.InferOutput<S>;
}

/**
 * Reads a JSON body: 415 unless the content type is JSON, 413 beyond `maxBytes` (counted on the
 * stream), 400 for malformed JSON, and — with a Standard Schema — 400 listing every invalid field as
 * RFC 9457 `errors` (`{ pointer, detail }`). Bad input never becomes a 500.
 */
export async function readJson<S extends StandardSchemaV1>(
  request: Request,
  schema: S,
  options?: ReadBodyOptions,
): Promise<StandardSchemaV1.InferOutput<S>>;
export async function readJson(
  request: Request,
  schema?: undefined,
  options?: ReadBodyOptions,
): Promise<unknown>;
export async function readJson(
  request: Request,
  schema?: StandardSchemaV1,
  options: ReadBodyOptions = {},
): Promise<unknown> {
  checkedLimit(options.maxBytes);
  if (!isJsonContentType(request.headers.get('content-type'))) {
    await request.body?.cancel().catch(() => undefined);
    throw new ValidationError('The request body must be JSON (Content-Type: application/json)', {
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  }
  const text = await readText(request, options);
  if (text.trim() === '') {
    throw new ValidationError('The request body is empty; JSON expected', { code: 'EMPTY_BODY' });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new ValidationError('The request body is not valid JSON', { code: 'MALFORMED_JSON', cause });
  }
  return schema === undefined ? value : validate(schema, value);
}
