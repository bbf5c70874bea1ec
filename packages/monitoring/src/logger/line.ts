import { isoNow } from '../util/iso-now.js';
import type { CompiledRedaction } from './redact.js';
import type { LogFields, LogLevel } from './types.js';

/**
 * Keys of the line itself. A field with one of these names is written as `_<name>` instead, so a
 * field can never overwrite the level, time, service or message of a line.
 */
const RESERVED = new Set(['level', 'time', 'service', 'message']);

/** Fields bound to one logger (its own and its parents'), redacted and rendered once when it is made. */
export interface BoundFields {
  readonly fields: LogFields;
  /** `,"key":value` for every bound field, already redacted: appended to each JSON line as is. */
  readonly json: string;
}

/**
 * Renders lines for one logger tree: one JSON object per line, or readable text. Fields are merged
 * with the precedence the contract promises (the call's own fields, then the logger's bound fields,
 * then the request context), and every value goes through the redaction rules on the way out.
 */
export class LineRenderer {
  readonly #redaction: CompiledRedaction;
  readonly #serviceJson: string;
  readonly #service: string;
  readonly #maskJson: string;
  readonly #keyJson = new Map<string, string>();

  constructor(service: string, redaction: CompiledRedaction) {
    this.#redaction = redaction;
    this.#service = service;
    this.#serviceJson = JSON.stringify(service);
    this.#maskJson = JSON.stringify(redaction.mask);
  }

  bind(parent: BoundFields | undefined, fields: LogFields): BoundFields {
    const merged = { ...parent?.fields, ...fields };
    let json = '';
    for (const key of Object.keys(merged)) json += this.#field(key, merged[key]);
    return { fields: merged, json };
  }

  json(
    level: LogLevel,
    message: string,
    own: LogFields | undefined,
    bound: BoundFields,
    context: Readonly<LogFields> | undefined,
  ): string {
    let out = `{"level":"${level}","time":"${isoNow()}","service":${this.#serviceJson},"message":${JSON.stringify(this.#redaction.string(message))}`;
    if (own !== undefined)
      for (const key in own) if (Object.hasOwn(own, key)) out += this.#field(key, own[key]);
    if (own === undefined || !overlaps(own, bound.fields)) {
      out += bound.json;
    } else {
      for (const key of Object.keys(bound.fields)) {
        if (!Object.hasOwn(own, key)) out += this.#field(key, bound.fields[key]);
      }
    }
    if (context !== undefined) {
      for (const key in context) {
        if (!Object.hasOwn(context, key)) continue;
        if (own !== undefined && Object.hasOwn(own, key)) continue;
        if (Object.hasOwn(bound.fields, key)) continue;
        out += this.#field(key, context[key]);
      }
    }
    return `${out}}`;
  }

  /** Readable for a developer's terminal: `12:00:00.123 INFO  [web] message key=value`; errors on their own lines. */
  pretty(
    level: LogLevel,
    message: string,
    own: LogFields | undefined,
    bound: BoundFields,
    context: Readonly<LogFields> | undefined,
  ): string {
    const merged: LogFields = { ...context, ...bound.fields, ...own };
    const pairs: string[] = [];
    const blocks: string[] = [];
    for (const [key, raw] of Object.entries(merged)) {
      const value = this.#safe(key, raw);
      if (value === undefined) continue;
      if (value && typeof value === 'object' && typeof (value as { stack?: unknown }).stack === 'string') {
        blocks.push(prettyError(key, value as Record<string, unknown>));
        continue;
      }
      pairs.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
    const text = this.#redaction.string(message);
    const head = `${isoNow().slice(11, 23)} ${LABEL[level]} [${this.#service}] ${text}${pairs.length ? ` ${pairs.join(' ')}` : ''}`;
    return blocks.length ? `${head}\n${blocks.join('\n')}` : head;
  }

  /** `,"key":value`, or '' when the value is not representable (undefined, a function). */
  #field(key: string, value: unknown): string {
    if (value === undefined) return '';
    let name = this.#keyJson.get(key);
    if (name === undefined) {
      name = `,${JSON.stringify(RESERVED.has(key) ? `_${key}` : key)}:`;
      if (this.#keyJson.size < 4_096) this.#keyJson.set(key, name);
    }
    const r = this.#redaction;
    if (r.sensitiveKey(key) || (r.tracksPaths && r.maskedPath([key]))) return name + this.#maskJson;
    // Primitives are serialized directly: no copy, no walk (the common case on a hot path).
    switch (typeof value) {
      case 'string':
        return name + JSON.stringify(r.string(value));
      case 'number':
        return name + (Number.isFinite(value) ? String(value) : `"${String(value)}"`);
      case 'boolean':
        return name + (value ? 'true' : 'false');
      case 'bigint':
        return `${name}"${value.toString()}"`;
      case 'function':
      case 'symbol':
        return '';
    }
    if (value === null) return `${name}null`;
    const safe = r.value(value, [key]);
    if (safe === undefined) return '';
    try {
      return name + JSON.stringify(safe);
    } catch {
      return `${name}"[unserializable]"`;
    }
  }

  #safe(key: string, value: unknown): unknown {
    const r = this.#redaction;
    if (value === undefined) return undefined;
    if (r.sensitiveKey(key) || (r.tracksPaths && r.maskedPath([key]))) return r.mask;
    return r.value(value, [key]);
  }
}

function overlaps(own: LogFields, bound: LogFields): boolean {
  for (const key in own) if (Object.hasOwn(bound, key)) return true;
  return false;
}

const LABEL: Record<LogLevel, string> = {
  error: 'ERROR',
  warn: 'WARN ',
  info: 'INFO ',
  http: 'HTTP ',
  verbose: 'VERB ',
  debug: 'DEBUG',
  silly: 'SILLY',
};

function prettyError(key: string, err: Record<string, unknown>, indent = '  '): string {
  const { stack, cause, name: _n, message: _m, ...rest } = err;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const lines = [`${indent}${key}: ${String(stack).split('\n').join(`\n${indent}`)}${extra}`];
  if (cause && typeof cause === 'object' && typeof (cause as { stack?: unknown }).stack === 'string') {
    lines.push(prettyError('cause', cause as Record<string, unknown>, `${indent}  `));
  } else if (cause !== undefined) {
    lines.push(`${indent}  cause: ${JSON.stringify(cause)}`);
  }
  return lines.join('\n');
}
