import { Inngest, type Logger as InngestSdkLogger, ProxyLogger } from 'inngest';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createLogger, type InngestLogger, toInngestLogger } from '../../src/index.js';
import { captureStream } from '../support/capture.js';

function setup() {
  const out = captureStream();
  const logger = createLogger({ service: 'worker', level: 'debug', destination: out.stream });
  return { logger, out, adapter: toInngestLogger(logger) };
}

describe('toInngestLogger', () => {
  it("is what inngest 4's `logger` and `internalLogger` options accept", () => {
    expectTypeOf<InngestLogger>().toExtend<InngestSdkLogger>();
    const { adapter } = setup();
    const client = new Inngest({
      id: 'mentora-test',
      logger: adapter,
      internalLogger: adapter.child({ component: 'inngest' }),
    });
    expect(client.id).toBe('mentora-test');
  });

  it('understands pino-style calls (how inngest logs), winston-style calls and lone errors', async () => {
    const { logger, out, adapter } = setup();
    const err = new Error('step exploded', { cause: new Error('root') });
    adapter.error({ err }, 'Inngest step error');
    adapter.info('Video processed', { videoId: 'v1' });
    adapter.warn('plain');
    adapter.debug({ msg: 'object with msg', n: 1 });
    adapter.error(new Error('lonely'));
    adapter.info('interpolated %s', 'x', 42);
    await logger.flush();
    const [a, b, c, d, e, f] = out.records();
    expect(a).toMatchObject({
      level: 'error',
      message: 'Inngest step error',
      error: { message: 'step exploded', cause: { message: 'root' } },
    });
    expect(a).not.toHaveProperty('err');
    expect(b).toMatchObject({ level: 'info', message: 'Video processed', videoId: 'v1' });
    expect(c).toMatchObject({ level: 'warn', message: 'plain' });
    expect(d).toMatchObject({ level: 'debug', message: 'object with msg', n: 1 });
    expect(e).toMatchObject({ message: 'lonely', error: { message: 'lonely' } });
    expect(f).toMatchObject({ message: 'interpolated %s', args: ['x', 42] });
  });

  it("through inngest's own ProxyLogger: the run's child carries jobRunId, and flush reaches our logger", async () => {
    const { logger, out, adapter } = setup();
    const child = adapter.child({ runID: '01JRUN', eventName: 'video/uploaded' });
    const proxy = new ProxyLogger(child);
    proxy.info('ignored until enabled');
    proxy.enable();
    proxy.info({ step: 'transcribe' }, 'step done');
    await proxy.flush();
    expect(out.records()).toEqual([
      expect.objectContaining({
        message: 'step done',
        jobRunId: '01JRUN',
        eventName: 'video/uploaded',
        step: 'transcribe',
      }),
    ]);
    expect(out.records()[0]).not.toHaveProperty('runID');
    await logger.close();
  });

  it('flush works with a plain Logger that has none', async () => {
    const lines: unknown[] = [];
    const plain = {
      error: (m: string) => void lines.push(m),
      warn: (m: string) => void lines.push(m),
      info: (m: string) => void lines.push(m),
      debug: (m: string) => void lines.push(m),
      child: () => plain,
    };
    const adapter = toInngestLogger(plain);
    adapter.info('x');
    await expect(adapter.flush()).resolves.toBeUndefined();
    expect(lines).toEqual(['x']);
  });
});
