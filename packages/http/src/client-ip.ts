import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { InvalidArgumentError } from '@mentora/errors';

/**
 * Which reverse proxies in front of the app may be believed about the client address:
 *
 * - `false` (default): none. `X-Forwarded-For` is ignored entirely — any client can write it.
 * - `true`: exactly one proxy that appends (or overwrites) `X-Forwarded-For`; the right-most entry is
 *   the client. Same as `1`.
 * - a hop count `n`: `n` proxies, each appending; the n-th entry from the right is the client.
 * - a list of addresses / CIDR ranges (`10.0.0.0/8`, `fd00::/8`): the right-most entry that is not
 *   in the list is the client (every proxy in the list appends; anything further left was written by
 *   someone we cannot trust).
 */
export type TrustProxy = boolean | number | readonly string[];

export interface ClientIpOptions {
  trustProxy?: TrustProxy;
  /**
   * The TCP peer address when the server knows it (a plain `node:http` server: `req.socket.remoteAddress`).
   * Next.js route handlers do not expose it; see `clientIp`.
   */
  remoteAddress?: string | null;
}

/**
 * The rate-limit bucket of callers whose address cannot be known. Every such caller shares it, which is
 * deliberate: handing out one bucket per value of a client-writable header would let each request
 * choose a fresh identity.
 */
export const ANONYMOUS_CLIENT = 'anonymous';

const MAX_HOPS = 64;

/** `a.b.c.d` (strict: no leading zeros, each part ≤ 255) — what `node:net` accepts. */
function parseIPv4(text: string): string | undefined {
  return isIPv4(text) ? text : undefined;
}

function ipv6Groups(text: string): number[] | undefined {
  if (!isIPv6(text)) return undefined;
  let head = text;
  const groups: number[] = [];
  // A trailing dotted quad (`::ffff:1.2.3.4`) is two groups.
  const lastColon = head.lastIndexOf(':');
  const tail = head.slice(lastColon + 1);
  let tailGroups: number[] = [];
  if (tail.includes('.')) {
    const parts = tail.split('.').map(Number);
    tailGroups = [((parts[0] ?? 0) << 8) | (parts[1] ?? 0), ((parts[2] ?? 0) << 8) | (parts[3] ?? 0)];
    head = head.slice(0, lastColon + 1);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const [left = '', right] = head.split('::');
  const parse = (s: string): number[] =>
    s === ''
      ? []
      : s
          .split(':')
          .filter((g) => g !== '')
          .map((g) => Number.parseInt(g, 16));
  const l = parse(left);
  const r = right === undefined ? [] : parse(right);
  const missing = 8 - l.length - r.length - tailGroups.length;
  if (right === undefined && missing !== 0) return undefined;
  groups.push(...l, ...new Array<number>(Math.max(0, missing)).fill(0), ...r, ...tailGroups);
  return groups.length === 8 ? groups : undefined;
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::`. */
function formatIPv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/**
 * One textual form per address, so that a client cannot get a fresh rate-limit bucket by rewriting
 * its address: IPv4 as is; IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as the IPv4; other IPv6 in RFC 5952
 * form. Also accepts what proxies put in `X-Forwarded-For`: `[v6]`, `[v6]:port`, `v4:port`, and drops a
 * zone (`%eth0`). Returns undefined for anything that is not an address.
 */
export function canonicalIp(value: string): string | undefined {
  let text = value.trim();
  if (text.length === 0 || text.length > 64) return undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return undefined;
    const rest = text.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    text = text.slice(1, end);
  } else if (/^[\d.]+:\d{1,5}$/.test(text)) {
    text = text.slice(0, text.indexOf(':'));
  }
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  const v4 = parseIPv4(text);
  if (v4 !== undefined) return v4;
  const groups = ipv6Groups(text.toLowerCase());
  if (groups === undefined) return undefined;
  // ::ffff:a.b.c.d — an IPv4 client seen through a dual-stack socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const a = groups[6] ?? 0;
    const b = groups[7] ?? 0;
    return `${a >> 8}.${a & 0xff}.${b >> 8}.${b & 0xff}`;
  }
  return formatIPv6(groups);
}

/**
 * The rate-limit bucket of a canonical address: the IPv4 address itself, or the /64 network of an IPv6
 * address (`2001:db8:1:2::/64`) — one subscriber usually holds a whole /64, so per-address buckets
 * would let it multiply its limit by 2^64.
 */
export function clientBucket(ip: string): string {
  const canonical = canonicalIp(ip);
  if (canonical === undefined) return ANONYMOUS_CLIENT;
  if (!canonical.includes(':')) return canonical;
  const groups = ipv6Groups(canonical) as number[];
  return `${formatIPv6([...groups.slice(0, 4), 0, 0, 0, 0])}/64`;
}

interface CompiledTrust {
  hops?: number;
  list?: BlockList;
}

const compiledLists = new WeakMap<readonly string[], BlockList>();

function compileList(entries: readonly string[]): BlockList {
  const cached = compiledLists.get(entries);
  if (cached) return cached;
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const slash = entry.indexOf('/');
    const address = canonicalIp(slash < 0 ? entry : entry.slice(0, slash));
    if (address === undefined) {
      throw new InvalidArgumentError(`trustProxy: "${entry}" is not an IP address or CIDR range`, {
        argument: 'trustProxy',
      });
    }
    const family = address.includes(':') ? 'ipv6' : 'ipv4';
    if (slash < 0) {
      list.addAddress(address, family);
      continue;
    }
    const prefixText = entry.slice(slash + 1);
    const prefix = Number(prefixText);
    const max = family === 'ipv6' ? 128 : 32;
    if (!/^\d{1,3}$/.test(prefixText) || prefix > max) {
      throw new InvalidArgumentError(`trustProxy: "${entry}" has an invalid prefix length`, {
        argument: 'trustProxy',
      });
    }
    list.addSubnet(address, prefix, family);
  }
  compiledLists.set(entries, list);
  return list;
}

function compileTrust(trust: TrustProxy | undefined): CompiledTrust | undefined {
  if (trust === undefined || trust === false || trust === 0) return undefined;
  if (trust === true) return { hops: 1 };
  if (typeof trust === 'number') {
    if (!Number.isInteger(trust) || trust < 0 || trust > MAX_HOPS) {
      throw new InvalidArgumentError(`trustProxy: hop count must be an integer 0–${MAX_HOPS}`, {
        argument: 'trustProxy',
      });
    }
    return { hops: trust };
  }
  if (Array.isArray(trust)) return trust.length === 0 ? undefined : { list: compileList(trust) };
  throw new InvalidArgumentError('trustProxy: expected a boolean, a hop count or a list of CIDR ranges', {
    argument: 'trustProxy',
  });
}

/** Validates a trust setting up front (so a bad CIDR fails at startup, not on the first request). */
export function assertTrustProxy(trust: TrustProxy | undefined): void {
  compileTrust(trust);
}

function isTrusted(list: BlockList, ip: string): boolean {
  return list.check(ip, ip.includes(':') ? 'ipv6' : 'ipv4');
}

/**
 * The client's address, canonical (see `canonicalIp`), or `null` when it cannot be known.
 *
 * Without a trusted proxy only the TCP peer address counts, never a header: `X-Forwarded-For`,
 * `X-Real-IP`, `CF-Connecting-IP` and friends are written by whoever sends the request. Next.js route
 * handlers get a `Request` with no socket address, so there, without `trustProxy`, the answer is
 * `null` and every caller shares the one anonymous rate-limit bucket (`ANONYMOUS_CLIENT`). That is the
 * safe failure: a limit shared too widely, instead of a limit any client can escape. Deploy behind a
 * proxy and set `TRUST_PROXY` to get per-client buckets.
 *
 * With a trusted proxy the `X-Forwarded-For` list is read from the right (the entry the nearest proxy
 * appended) towards the left, skipping trusted hops; the first untrusted entry is the client. A
 * malformed entry where the client should be gives `null` rather than a guess.
 */
export function clientIp(request: Request, options: ClientIpOptions = {}): string | null {
  const trust = compileTrust(options.trustProxy);
  const peer = options.remoteAddress ? (canonicalIp(options.remoteAddress) ?? null) : null;
  if (trust === undefined) return peer;
  // A direct connection from an untrusted peer: its headers are its own words.
  if (peer !== null && trust.list !== undefined && !isTrusted(trust.list, peer)) return peer;

  const header = request.headers.get('x-forwarded-for');
  if (header === null) return peer;
  const hops = header.split(',').map((h) => h.trim());
  if (hops.length > MAX_HOPS * 4) return null;

  if (trust.hops !== undefined) {
    if (trust.hops === 0) return peer;
    // Fewer entries than proxies: a proxy did not append. The left-most entry is the furthest known.
    const index = Math.max(0, hops.length - trust.hops);
    return canonicalIp(hops[index] ?? '') ?? null;
  }
  const list = trust.list as BlockList;
  for (let i = hops.length - 1; i >= 0; i--) {
    const ip = canonicalIp(hops[i] ?? '');
    if (ip === undefined) return null;
    if (!isTrusted(list, ip) || i === 0) return ip;
  }
  return null;
}

/**
 * Parses a `TRUST_PROXY`-style value: `true`/`false`, a hop count, or a comma-separated list of
 * addresses and CIDR ranges. Throws InvalidArgumentError for anything else.
 */
export function parseTrustProxy(value: string | TrustProxy | undefined | null): TrustProxy {
  if (value === undefined || value === null) return false;
  if (typeof value !== 'string') {
    compileTrust(value);
    return value;
  }
  const text = value.trim().toLowerCase();
  if (text === '' || text === 'false' || text === '0' || text === 'no' || text === 'off') return false;
  if (text === 'true' || text === 'yes' || text === 'on') return true;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    compileTrust(hops);
    return hops;
  }
  const list = Object.freeze(
    text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  compileTrust(list);
  return list;
}
