import { describe, expect, it } from 'vitest';
import {
  ANONYMOUS_CLIENT,
  assertTrustProxy,
  canonicalIp,
  clientBucket,
  clientIp,
  parseTrustProxy,
} from '../../src/index.js';

function req(headers: Record<string, string>): Request {
  return new Request('http://app.test/api/x', { headers });
}

describe('canonicalIp', () => {
  it('keeps IPv4 and rejects malformed IPv4', () => {
    expect(canonicalIp('203.0.113.9')).toBe('203.0.113.9');
    expect(canonicalIp(' 203.0.113.9 ')).toBe('203.0.113.9');
    for (const bad of [
      '203.0.113',
      '203.0.113.256',
      '203.0.113.09',
      '1.2.3.4.5',
      '',
      'localhost',
      'unknown',
    ]) {
      expect(canonicalIp(bad)).toBeUndefined();
    }
  });

  it('maps IPv4-mapped IPv6 to IPv4, in every spelling', () => {
    for (const v of [
      '::ffff:203.0.113.9',
      '::FFFF:203.0.113.9',
      '::ffff:cb00:7109',
      '0:0:0:0:0:ffff:203.0.113.9',
      '[::ffff:203.0.113.9]:443',
    ]) {
      expect(canonicalIp(v)).toBe('203.0.113.9');
    }
  });

  it('gives one RFC 5952 text per IPv6 address', () => {
    const same = [
      '2001:db8::1',
      '2001:DB8::1',
      '2001:0db8:0000:0000:0000:0000:0000:0001',
      '2001:db8:0:0:0:0:0:1',
      '[2001:db8::1]',
      '[2001:db8::1]:8080',
      'fe80::1%eth0'.replace('fe80', '2001:db8').replace('%eth0', ''),
    ];
    for (const v of same) expect(canonicalIp(v)).toBe('2001:db8::1');
    expect(canonicalIp('fe80::1%eth0')).toBe('fe80::1');
    // The longest zero run is compressed; a single zero group is not; the first of equal runs wins.
    expect(canonicalIp('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIp('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(canonicalIp('0:0:0:0:0:0:0:0')).toBe('::');
    expect(canonicalIp('::1')).toBe('::1');
  });

  it('strips ports from IPv4 and rejects garbage brackets', () => {
    expect(canonicalIp('203.0.113.9:1234')).toBe('203.0.113.9');
    for (const bad of [
      '[2001:db8::1',
      '[2001:db8::1]x',
      '2001:db8:::1',
      '2001:db8::g',
      '1:2:3:4:5:6:7:8:9',
      `${'1'.repeat(70)}`,
    ]) {
      expect(canonicalIp(bad)).toBeUndefined();
    }
  });
});

describe('clientBucket', () => {
  it('is the address for IPv4 and the /64 for IPv6', () => {
    expect(clientBucket('203.0.113.9')).toBe('203.0.113.9');
    expect(clientBucket('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('2001:0DB8:0001:0002::1')).toBe('2001:db8:1:2::/64');
    expect(clientBucket('::ffff:203.0.113.9')).toBe('203.0.113.9');
    expect(clientBucket('nonsense')).toBe(ANONYMOUS_CLIENT);
  });

  it('gives a client rotating addresses inside its /64 one bucket', () => {
    const buckets = new Set(
      Array.from({ length: 50 }, (_, i) => clientBucket(`2001:db8:aa:bb:${i.toString(16)}:1:2:3`)),
    );
    expect([...buckets]).toEqual(['2001:db8:aa:bb::/64']);
  });
});

describe('clientIp without a trusted proxy', () => {
  const spoofed = {
    'x-forwarded-for': '198.51.100.1',
    'x-real-ip': '198.51.100.2',
    'cf-connecting-ip': '198.51.100.3',
    'true-client-ip': '198.51.100.4',
    forwarded: 'for=198.51.100.5',
    'x-user-id': 'someone-else',
  };

  it('never reads a header the client controls', () => {
    expect(clientIp(req(spoofed))).toBeNull();
    expect(clientIp(req(spoofed), { trustProxy: false })).toBeNull();
    expect(clientIp(req(spoofed), { trustProxy: 0 })).toBeNull();
    expect(clientIp(req(spoofed), { trustProxy: [] })).toBeNull();
  });

  it('uses the socket address when the server knows it', () => {
    expect(clientIp(req(spoofed), { remoteAddress: '::ffff:192.0.2.7' })).toBe('192.0.2.7');
    expect(clientIp(req(spoofed), { remoteAddress: 'garbage' })).toBeNull();
  });
});

describe('clientIp with a trusted proxy', () => {
  it('true = one proxy: the right-most entry, whatever the client prepended', () => {
    const r = req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9' });
    expect(clientIp(r, { trustProxy: true })).toBe('203.0.113.9');
    expect(clientIp(req({ 'x-forwarded-for': '203.0.113.9' }), { trustProxy: true })).toBe('203.0.113.9');
  });

  it('a hop count picks the n-th entry from the right', () => {
    const r = req({ 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.0.0.2' });
    expect(clientIp(r, { trustProxy: 2 })).toBe('203.0.113.9');
    expect(clientIp(r, { trustProxy: 1 })).toBe('10.0.0.2');
    // Fewer entries than proxies: the furthest one known.
    expect(clientIp(req({ 'x-forwarded-for': '203.0.113.9' }), { trustProxy: 3 })).toBe('203.0.113.9');
  });

  it('a CIDR list skips trusted hops from the right and stops at the first untrusted one', () => {
    const trustProxy = ['10.0.0.0/8', '2001:db8:ffff::/48', '192.168.1.1'];
    const r = req({ 'x-forwarded-for': '6.6.6.6, 198.51.100.20, 192.168.1.1, 10.1.2.3' });
    expect(clientIp(r, { trustProxy })).toBe('198.51.100.20');
    const v6 = req({ 'x-forwarded-for': '2001:DB8:1::5, [2001:db8:ffff::1]:443' });
    expect(clientIp(v6, { trustProxy })).toBe('2001:db8:1::5');
    // Every hop trusted: the left-most is the client.
    expect(clientIp(req({ 'x-forwarded-for': '10.9.9.9, 10.1.1.1' }), { trustProxy })).toBe('10.9.9.9');
  });

  it('a CIDR list ignores the header when the socket peer is not a trusted proxy', () => {
    const r = req({ 'x-forwarded-for': '6.6.6.6' });
    expect(clientIp(r, { trustProxy: ['10.0.0.0/8'], remoteAddress: '198.51.100.7' })).toBe('198.51.100.7');
    expect(clientIp(r, { trustProxy: ['10.0.0.0/8'], remoteAddress: '10.0.0.1' })).toBe('6.6.6.6');
  });

  it('a malformed hop where the client should be gives null, not a guess', () => {
    const trustProxy = ['10.0.0.0/8'];
    expect(
      clientIp(req({ 'x-forwarded-for': '203.0.113.9, nonsense, 10.0.0.1' }), { trustProxy }),
    ).toBeNull();
    expect(clientIp(req({ 'x-forwarded-for': '203.0.113.9,, 10.0.0.1' }), { trustProxy })).toBeNull();
    expect(clientIp(req({ 'x-forwarded-for': 'nonsense' }), { trustProxy: true })).toBeNull();
    expect(clientIp(req({ 'x-forwarded-for': '' }), { trustProxy: true })).toBeNull();
    // Garbage left of the client does not matter.
    expect(clientIp(req({ 'x-forwarded-for': '<script>, 203.0.113.9, 10.0.0.1' }), { trustProxy })).toBe(
      '203.0.113.9',
    );
  });

  it('canonicalises what it returns', () => {
    expect(clientIp(req({ 'x-forwarded-for': '::FFFF:203.0.113.9' }), { trustProxy: true })).toBe(
      '203.0.113.9',
    );
    expect(clientIp(req({ 'x-forwarded-for': '2001:0db8::0001' }), { trustProxy: true })).toBe('2001:db8::1');
  });

  it('has no header: the socket peer, or null', () => {
    expect(clientIp(req({}), { trustProxy: true })).toBeNull();
    expect(clientIp(req({}), { trustProxy: true, remoteAddress: '10.0.0.1' })).toBe('10.0.0.1');
  });
});

describe('trust settings', () => {
  it('parses TRUST_PROXY-style strings', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('false')).toBe(false);
    expect(parseTrustProxy('true')).toBe(true);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, fd00::/8')).toEqual(['10.0.0.0/8', 'fd00::/8']);
    expect(parseTrustProxy(2)).toBe(2);
    expect(parseTrustProxy(['10.0.0.0/8'])).toEqual(['10.0.0.0/8']);
  });

  it('refuses bad settings up front', () => {
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '::/129', '10.0.0.0/x']) {
      expect(() => parseTrustProxy(bad)).toThrow(/trustProxy/);
    }
    expect(() => assertTrustProxy(-1)).toThrow(/hop count/);
    expect(() => assertTrustProxy(1.5)).toThrow(/hop count/);
    expect(() => assertTrustProxy('yes' as never)).toThrow(/expected/);
  });
});
