import { describe, expect, it } from 'vitest';
import { createLogThrottle } from '../../src/logger/throttle.js';
import type { LogFields, Logger } from '../../src/logger/types.js';

function recorder() {
  const lines: { level: string; message: string; fields: LogFields | undefined }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: () => logger,
  };
  return { logger, lines };
}

describe('createLogThrottle', () => {
  it('lets one line per topic through per interval and counts what it held back', () => {
    const { logger, lines } = recorder();
    let now = 0;
    const log = createLogThrottle(logger, 1_000, () => now);
    log('warn', 'down', 'store down', { store: 'redis' });
    log('warn', 'down', 'store down', { store: 'redis' });
    log('error', 'flags', 'flags failed');
    now = 999;
    log('warn', 'down', 'store down', { store: 'redis' });
    now = 1_000;
    log('warn', 'down', 'store down', { store: 'redis' });
    expect(lines).toEqual([
      { level: 'warn', message: 'store down', fields: { store: 'redis' } },
      { level: 'error', message: 'flags failed', fields: undefined },
      { level: 'warn', message: 'store down', fields: { store: 'redis', suppressed: 2 } },
    ]);
  });
});
