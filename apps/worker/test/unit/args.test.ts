import { ConfigError } from '@mentora/errors';
import { describe, expect, it } from 'vitest';
import { parseWorkerArgs } from '../../src/args.ts';

describe('parseWorkerArgs', () => {
  it('has working defaults', () => {
    expect(parseWorkerArgs([])).toEqual({
      port: 3001,
      host: '127.0.0.1',
      mode: 'serve',
      dev: false,
      servePath: '/api/inngest',
      shutdownTimeoutMs: 25_000,
    });
    expect(parseWorkerArgs(['--port', '8080', '--mode', 'connect', '--dev'])).toMatchObject({
      port: 8080,
      mode: 'connect',
      dev: true,
    });
  });

  it.each([
    [['--port', 'abc'], '--port'],
    [['--port', '0'], '--port'],
    [['--port', '70000'], '--port'],
    // parseArgs reads `-1` as an unknown short option: refused before the value is looked at.
    [['--port', '-1'], 'argv'],
    [['--shutdown-timeout-ms', '1e9'], '--shutdown-timeout-ms'],
    [['--mode', 'cron'], '--mode'],
    [['--serve-path', 'api inngest'], '--serve-path'],
  ])('refuses %j with a ConfigError naming %s', (argv, variable) => {
    const error = (() => {
      try {
        parseWorkerArgs(argv);
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.issues.map((i) => i.variable)).toContain(variable);
  });

  it.each([['abc'], ['0'], ['99999999999']])(
    'says --cleanup-interval-minutes %s is gone (the cleanup is a cron function), never loops on it',
    (value) => {
      expect(() => parseWorkerArgs(['--cleanup-interval-minutes', value])).toThrow(/cleanup-old-records/);
    },
  );

  it('refuses unknown options and positionals', () => {
    expect(() => parseWorkerArgs(['--verbose'])).toThrow(ConfigError);
    expect(() => parseWorkerArgs(['extra'])).toThrow(ConfigError);
  });
});
