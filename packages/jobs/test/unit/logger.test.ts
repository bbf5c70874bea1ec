// The client hands Inngest monitoring's adapter over a logger that writes the SDK's per-attempt failure
// lines at debug (the run hooks log those failures with their code and retry decision).
import { Writable } from 'node:stream';
import { createLogger, toInngestLogger } from '@mentora/monitoring';
import { describe, expect, it } from 'vitest';
import { demoteRepeatedFailures } from '../../src/logger.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      for (const line of String(chunk).split('\n')) if (line.trim()) lines.push(JSON.parse(line));
      callback();
    },
  });
  return { lines, logger: createLogger({ service: 'jobs', level: 'debug', format: 'json', destination }) };
}

describe('demoteRepeatedFailures', () => {
  it("writes the SDK's step and function error lines at debug, in run children too; other errors stay errors", async () => {
    const { lines, logger } = capture();
    const inngest = toInngestLogger(demoteRepeatedFailures(logger));
    inngest.error({ err: new Error('step broke') }, 'Inngest step error');
    const run = inngest.child({ runID: 'run-1', eventName: 'email/send' });
    run.error({ err: new Error('fn broke') }, 'Inngest function error');
    run.error('something else failed', { code: 'X' });
    run.info('step done');
    await inngest.flush();
    expect(lines.map((l) => [l.level, l.message, l.jobRunId])).toEqual([
      ['debug', 'Inngest step error', undefined],
      ['debug', 'Inngest function error', 'run-1'],
      ['error', 'something else failed', 'run-1'],
      ['info', 'step done', 'run-1'],
    ]);
    expect(lines[0]?.error).toMatchObject({ message: 'step broke' });
    await logger.close();
  });
});
