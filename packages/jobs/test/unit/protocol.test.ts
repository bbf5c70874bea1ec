import { describe, expect, it } from 'vitest';
import { canonicalJson, parseCron, signPayload, verifySignature } from '../../src/testing/index.js';

describe('canonicalJson (RFC 8785)', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([undefined, 1e21, 0.1])).toBe('[null,1e+21,0.1]');
  });
});

describe('request signatures', () => {
  const key = 'signkey-test-abcdef0123456789';
  it('verifies what it signed, over the canonical form, and nothing else', () => {
    const header = signPayload({ b: 2, a: 1 }, key);
    expect(verifySignature(header, { a: 1, b: 2 }, key)).toBe(true);
    expect(verifySignature(header, { a: 1, b: 3 }, key)).toBe(false);
    expect(verifySignature(header, { a: 1, b: 2 }, 'signkey-test-other')).toBe(false);
    // The prefix is not part of the key material.
    expect(verifySignature(header, { a: 1, b: 2 }, 'signkey-prod-abcdef0123456789')).toBe(true);
  });

  it('refuses an expired or malformed header', () => {
    const old = signPayload({}, key, Math.floor(Date.now() / 1000) - 600);
    expect(verifySignature(old, {}, key)).toBe(false);
    expect(verifySignature('t=1&s=zz', {}, key)).toBe(false);
    expect(verifySignature(undefined, {}, key)).toBe(false);
  });
});

describe('parseCron', () => {
  it('matches the schedules the job functions use (UTC)', () => {
    const daily2am = parseCron('0 2 * * *');
    expect(daily2am(new Date('2026-01-05T02:00:00Z'))).toBe(true);
    expect(daily2am(new Date('2026-01-05T02:01:00Z'))).toBe(false);
    const sunday3am = parseCron('0 3 * * 0');
    expect(sunday3am(new Date('2026-01-04T03:00:00Z'))).toBe(true); // a Sunday
    expect(sunday3am(new Date('2026-01-05T03:00:00Z'))).toBe(false);
    expect(parseCron('*/15 8-10 * * 1-5')(new Date('2026-01-05T09:45:00Z'))).toBe(true);
  });

  it('rejects what it cannot read', () => {
    expect(() => parseCron('0 2 * *')).toThrow(/5 fields/);
    expect(() => parseCron('61 * * * *')).toThrow(/range/);
    expect(() => parseCron('0 0 * JAN *')).toThrow(/unsupported/);
  });
});
