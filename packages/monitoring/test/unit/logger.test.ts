import { Writable } from 'node:stream';
import { NotFoundError, ServiceUnavailableError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { createLogger, type LogLevel, runWithContext } from '../../src/index.js';
import { captureStream } from '../support/capture.js';

function setup(level: LogLevel = 'debug', format: 'json' | 'pretty' = 'json') {
  const out = captureStream();
  const logger = createLogger({ service: 'svc', level, format, destination: out.stream });
  return { logger, ...out };
}

describe('createLogger, JSON lines', () => {
  it('writes one JSON object per line with level, time, service and message first', async () => {
    const { logger, lines, records } = setup();
    logger.info('first', { a: 1 });
    logger.warn('second\nwith a newline', { text: 'x\ny' });
    await logger.flush();
    expect(lines()).toHaveLength(2);
    const [first, second] = records();
    expect(Object.keys(first as object).slice(0, 4)).toEqual(['level', 'time', 'service', 'message']);
    expect(first).toMatchObject({ level: 'info', service: 'svc', message: 'first', a: 1 });
    expect(new Date(String(first?.time)).toISOString()).toBe(first?.time);
    expect(second).toMatchObject({ level: 'warn', message: 'second\nwith a newline', text: 'x\ny' });
  });

  it('drops lines below the level, and says which levels are enabled', async () => {
    const { logger, records } = setup('warn');
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    await logger.flush();
    expect(records().map((r) => r.level)).toEqual(['warn', 'error']);
    expect(logger.isLevelEnabled('warn')).toBe(true);
    expect(logger.isLevelEnabled('info')).toBe(false);
    expect(logger.level).toBe('warn');
  });

  it('child fields win over the parent, the call wins over both, and the context comes last', async () => {
    const { logger, records } = setup();
    const parent = logger.child({ component: 'parent', shared: 'parent', keep: 1 });
    const child = parent.child({ shared: 'child', requestId: 'from-child' });
    await runWithContext({ requestId: 'from-context', userId: 'u1', shared: 'context' }, async () => {
      child.info('m');
      child.info('m', { shared: 'call', keep: 2 });
    });
    await logger.flush();
    const [a, b] = records();
    expect(a).toMatchObject({
      component: 'parent',
      shared: 'child',
      keep: 1,
      requestId: 'from-child',
      userId: 'u1',
    });
    expect(b).toMatchObject({ shared: 'call', keep: 2, requestId: 'from-child', userId: 'u1' });
    // Each key once per line.
    for (const line of records()) expect(Object.keys(line).filter((k) => k === 'shared')).toHaveLength(1);
  });

  it('never lets a field overwrite the level, time, service or message of the line', async () => {
    const { logger, records } = setup();
    logger.info('real', { level: 'fake', message: 'fake', service: 'fake', time: 'fake' });
    await logger.flush();
    expect(records()[0]).toMatchObject({
      level: 'info',
      message: 'real',
      service: 'svc',
      _level: 'fake',
      _message: 'fake',
      _service: 'fake',
      _time: 'fake',
    });
  });

  it('serializes errors with stack, the whole cause chain and MentoraError code, status and context', async () => {
    const { logger, records } = setup();
    const root = new Error('socket hang up');
    const middle = new ServiceUnavailableError('database down', { service: 'db', cause: root });
    const top = new Error('request failed', { cause: middle });
    logger.error('failed', { error: top });
    logger.error('positional', top as never);
    logger.logError('via logError', new NotFoundError('video not found', { resource: 'video', id: 'v1' }), {
      videoId: 'v1',
    });
    await logger.flush();
    const [a, b, c] = records();
    const error = a?.error as Record<string, unknown>;
    expect(error).toMatchObject({ name: 'Error', message: 'request failed' });
    expect(String(error.stack)).toContain('request failed');
    const cause = error.cause as Record<string, unknown>;
    expect(cause).toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'database down',
      code: 'SERVICE_UNAVAILABLE',
      status: 503,
      retryable: true,
      context: { service: 'db' },
    });
    expect(String(cause.stack)).toContain('database down');
    expect(cause.cause).toMatchObject({ name: 'Error', message: 'socket hang up' });
    expect(b?.error).toMatchObject({ message: 'request failed' });
    expect(c).toMatchObject({ level: 'error', message: 'via logError', videoId: 'v1' });
    expect(c?.error).toMatchObject({ code: 'NOT_FOUND', status: 404 });
  });

  it('logPerformance: warn over 5 s, info over 1 s, debug otherwise; logInfo is info and works unbound', async () => {
    const { logger, records } = setup();
    const { logInfo, logPerformance } = logger;
    logPerformance('slow', 5_001);
    logPerformance('medium', 1_001);
    logPerformance('fast', 1_000, { rows: 3 });
    logInfo('hello', { a: 1 });
    await logger.flush();
    expect(records().map((r) => [r.level, r.operation ?? r.message])).toEqual([
      ['warn', 'slow'],
      ['info', 'medium'],
      ['debug', 'fast'],
      ['info', 'hello'],
    ]);
    expect(records()[2]).toMatchObject({ message: 'Performance metric', durationMs: 1_000, rows: 3 });
  });

  it('serializes values JSON cannot hold without throwing', async () => {
    const { logger, records } = setup();
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    logger.info('odd', {
      big: 10n,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      date: new Date('2026-01-02T03:04:05.000Z'),
      fn: () => 1,
      undef: undefined,
      circular,
      bytes: Buffer.from('abc'),
      sym: Symbol('s'),
    });
    await logger.flush();
    expect(records()[0]).toEqual(
      expect.objectContaining({
        big: '10',
        nan: 'NaN',
        inf: 'Infinity',
        date: '2026-01-02T03:04:05.000Z',
        circular: { name: 'loop', self: '[Circular]' },
        bytes: '[Buffer 3 bytes]',
      }),
    );
    expect(records()[0]).not.toHaveProperty('fn');
    expect(records()[0]).not.toHaveProperty('undef');
    expect(records()[0]).not.toHaveProperty('sym');
  });

  it('close() flushes, is idempotent, and later lines are dropped', async () => {
    const { logger, lines } = setup();
    logger.info('before');
    await Promise.all([logger.close(), logger.close()]);
    logger.info('after');
    await logger.flush();
    expect(lines()).toHaveLength(1);
  });

  it('refuses unusable options with InvalidArgumentError', () => {
    expect(() => createLogger({ service: '' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => createLogger({ service: 's', level: 'loud' as LogLevel })).toThrow(/unknown level/);
    expect(() => createLogger({ service: 's', format: 'xml' as 'json' })).toThrow(/unknown format/);
  });

  it('writes every line to every destination', async () => {
    const a = captureStream();
    const b = captureStream();
    const logger = createLogger({ service: 's', destination: [a.stream, b.stream] });
    logger.info('both');
    await logger.flush();
    expect(a.lines()).toEqual(b.lines());
    expect(a.lines()).toHaveLength(1);
  });

  it('joins the lines of one turn into one write, made by flush() or by the next turn at the latest', async () => {
    const chunks: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, callback) {
        chunks.push(chunk.toString());
        callback();
      },
    });
    const logger = createLogger({ service: 's', destination: stream });
    logger.info('one');
    logger.info('two');
    await logger.flush();
    expect(chunks).toHaveLength(1);
    expect(
      chunks[0]
        ?.split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).message),
    ).toEqual(['one', 'two']);

    logger.info('three');
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(chunks).toHaveLength(2);
    expect(JSON.parse(chunks[1] as string).message).toBe('three');

    logger.info('four');
    await logger.close();
    expect(chunks.map((c) => JSON.parse(c.split('\n')[0] as string).message)).toEqual([
      'one',
      'three',
      'four',
    ]);
  });
});

describe('createLogger, pretty lines', () => {
  it('is readable: time, level, service, message, key=value, errors on their own indented lines', async () => {
    const { logger, lines } = setup('debug', 'pretty');
    logger.child({ component: 'db' }).warn('slow query', { table: 'videos', ms: 12, token: 'abc' });
    logger.error('failed', { error: new Error('outer', { cause: new Error('inner') }) });
    await logger.flush();
    const text = lines();
    expect(text[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[svc\] slow query /);
    expect(text[0]).toContain('component=db');
    expect(text[0]).toContain('table=videos');
    expect(text[0]).toContain('ms=12');
    expect(text[0]).toContain('token=[redacted]');
    expect(text[1]).toMatch(/ERROR \[svc\] failed$/);
    expect(text[2]).toMatch(/^ {2}error: Error: outer/);
    expect(text.some((l) => /^ {4}cause: Error: inner/.test(l))).toBe(true);
  });
});
