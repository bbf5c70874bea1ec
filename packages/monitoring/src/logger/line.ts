import type { LogFields, LogLevel } from './types.js';

/** One rendered line's parts, in the order they are printed. */
export interface LineParts {
  level: LogLevel;
  time: string;
  service: string;
  message: string;
  fields: LogFields;
}

/** One JSON object per line: level, time, service and message first, then the fields. */
export function renderJson(parts: LineParts): string {
  const { level, time, service, message, fields } = parts;
  let body: string;
  try {
    body = JSON.stringify(fields);
  } catch {
    body = '{"fields":"[unserializable]"}';
  }
  const head = `{"level":"${level}","time":"${time}","service":${JSON.stringify(service)},"message":${JSON.stringify(message)}`;
  return body === '{}' ? `${head}}` : `${head},${body.slice(1)}`;
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

/** Readable for a developer's terminal: `12:00:00.123 INFO  [web] message key=value`; errors on their own lines. */
export function renderPretty(parts: LineParts): string {
  const { level, time, service, message, fields } = parts;
  const pairs: string[] = [];
  const blocks: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value && typeof value === 'object' && typeof (value as { stack?: unknown }).stack === 'string') {
      blocks.push(prettyError(key, value as Record<string, unknown>));
      continue;
    }
    pairs.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  const head = `${time.slice(11, 23)} ${LABEL[level]} [${service}] ${message}${pairs.length ? ` ${pairs.join(' ')}` : ''}`;
  return blocks.length ? `${head}\n${blocks.join('\n')}` : head;
}

function prettyError(key: string, err: Record<string, unknown>, indent = '  '): string {
  const { stack, cause, name: _n, message: _m, ...rest } = err;
  const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
  const lines = [`${indent}${key}: ${String(stack).split('\n').join(`\n${indent}`)}${extra}`];
  if (cause && typeof cause === 'object') {
    lines.push(prettyError('cause', cause as Record<string, unknown>, `${indent}  `));
  } else if (cause !== undefined) {
    lines.push(`${indent}  cause: ${JSON.stringify(cause)}`);
  }
  return lines.join('\n');
}
