import { describe, expect, it } from 'vitest';
import { classifyFailure, networkCodeOf } from '../../src/classify.js';
import { PostgrestFailure } from '../../src/postgrest-failure.js';
import { backoffDelay, resolveRetry } from '../../src/retry.js';

const failure = (status: number, code = '', details = '') =>
  new PostgrestFailure({ message: 'x', status, code, details });

describe('classifyFailure', () => {
  it.each([
    // [status, code, details, transient, applied]
    [
      0,
      '',
      'TypeError: fetch failed\n\nCaused by: Error: connect ECONNREFUSED 127.0.0.1:1 (ECONNREFUSED)',
      true,
      'no',
    ],
    [0, '', 'Caused by: SocketError: other side closed (UND_ERR_SOCKET)', true, 'maybe'],
    [0, '', 'Caused by: Error: read ECONNRESET (ECONNRESET)', true, 'maybe'],
    [503, 'PGRST001', '', true, 'no'],
    [503, 'PGRST000', '', true, 'no'],
    [504, 'PGRST003', '', true, 'no'],
    [500, '40001', '', true, 'no'],
    [500, '40P01', '', true, 'no'],
    [503, '57P01', '', true, 'no'],
    [503, '57P03', '', true, 'no'],
    [503, '08006', '', true, 'maybe'],
    [503, '08003', '', true, 'maybe'],
    [502, '', '', true, 'maybe'],
    [503, 'SERVICE_UNAVAILABLE', 'PostgREST is not reachable (ECONNREFUSED)', true, 'no'],
    [502, '', 'upstream reset (ECONNRESET)', true, 'maybe'],
    [500, '', 'ERROR: something (not a network code)', false, 'maybe'],
    [503, '', '', true, 'maybe'],
    [504, '', '', true, 'maybe'],
    [520, '', '', true, 'maybe'],
    [409, '23505', '', false, 'maybe'],
    [400, '22P02', '', false, 'maybe'],
    [401, '42501', '', false, 'maybe'],
    [500, 'P0001', '', false, 'maybe'],
    [404, '42P01', '', false, 'maybe'],
  ] as const)('HTTP %i %s %s', (status, code, details, transient, applied) => {
    const klass = classifyFailure(failure(status, code, details), false);
    expect(klass.transient).toBe(transient);
    if (transient) expect(klass.applied).toBe(applied);
  });

  it('treats our own timeout as possibly applied', () => {
    expect(classifyFailure(failure(0, '', 'TimeoutError: aborted'), true)).toMatchObject({
      transient: true,
      applied: 'maybe',
      reason: 'timeout',
    });
  });

  it('reads the network code supabase-js folds into details', () => {
    expect(
      networkCodeOf(failure(0, '', 'Caused by: Error: connect ECONNREFUSED 127.0.0.1:5 (ECONNREFUSED)')),
    ).toBe('ECONNREFUSED');
  });
});

describe('backoffDelay (full jitter)', () => {
  it('is uniform in [0, min(cap, base * 2^(n-1)))', () => {
    const top = resolveRetry({ baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 });
    expect(backoffDelay(top, 1)).toBe(99);
    expect(backoffDelay(top, 2)).toBe(199);
    expect(backoffDelay(top, 3)).toBe(399);
    expect(backoffDelay(top, 10)).toBe(999);
    const bottom = resolveRetry({ random: () => 0 });
    expect(backoffDelay(bottom, 3)).toBe(0);
  });

  it('defaults to 3 attempts', () => {
    expect(resolveRetry(undefined).attempts).toBe(3);
    expect(() => resolveRetry({ attempts: 0 })).toThrow(RangeError);
  });
});
