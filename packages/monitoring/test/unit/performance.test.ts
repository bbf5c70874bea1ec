import { describe, expect, it } from 'vitest';
import { createLogger, measureAsync, PerformanceTimer } from '../../src/index.js';
import { captureStream } from '../support/capture.js';

describe('PerformanceTimer', () => {
  it('start/end returns the elapsed milliseconds and forgets the mark', () => {
    const t = new PerformanceTimer();
    t.start('a');
    expect(t.end('a')).toBeGreaterThanOrEqual(0);
    expect(() => t.end('a')).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }));
  });

  it('measure returns the result and duration, and removes the mark when fn throws', async () => {
    const t = new PerformanceTimer();
    await expect(t.measure('m', async () => 7)).resolves.toEqual({ result: 7, duration: expect.any(Number) });
    await expect(t.measure('m', async () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(() => t.end('m')).toThrow();
  });
});

describe('measureAsync', () => {
  it('returns the result and the duration, and logs the timing (failures too)', async () => {
    const out = captureStream();
    const logger = createLogger({ service: 's', level: 'debug', destination: out.stream });
    const { result, duration } = await measureAsync('load', async () => 'ok', { table: 'videos' }, logger);
    expect(result).toBe('ok');
    expect(duration).toBeGreaterThanOrEqual(0);
    await expect(
      measureAsync('boom', () => Promise.reject(new Error('no')), undefined, logger),
    ).rejects.toThrow('no');
    await logger.flush();
    expect(out.records()).toEqual([
      expect.objectContaining({ level: 'debug', operation: 'load', table: 'videos', durationMs: duration }),
      expect.objectContaining({ operation: 'boom', failed: true }),
    ]);
  });

  it('works without a logger', async () => {
    await expect(measureAsync('x', () => 1)).resolves.toEqual({ result: 1, duration: expect.any(Number) });
  });
});
