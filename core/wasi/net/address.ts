// IP addresses and socket addresses as the net layer passes them: the family and the textual
// address Node uses, plus the classification WASI's rules need (unspecified, loopback,
// multicast, broadcast, IPv4-mapped IPv6).
import { isIPv4, isIPv6 } from 'node:net';
import { NetError } from './errors';

export type IpFamily = 'ipv4' | 'ipv6';

export interface SocketAddress {
  family: IpFamily;
  /** Dotted IPv4 or RFC 5952 IPv6 text, without brackets or zone. */
  address: string;
  port: number;
  /** IPv6 only. */
  flowInfo?: number;
  scopeId?: number;
}

export function familyOf(address: string): IpFamily | undefined {
  if (isIPv4(address)) return 'ipv4';
  if (isIPv6(address)) return 'ipv6';
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (embedded IPv4 tails included). */
export function ipv6Groups(address: string): number[] {
  let text = address;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = v4[1]!.split('.').map(Number);
    tail.push((b[0]! << 8) | b[1]!, (b[2]! << 8) | b[3]!);
    text = text.slice(0, -v4[1]!.length) + (text.endsWith('::' + v4[1]) ? '' : '0');
    if (text.endsWith(':0')) text = text.slice(0, -2);
  }
  const [head, rest] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const parse = (s: string): number[] => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
  const h = parse(head);
  const r = rest === undefined ? [] : parse(rest);
  const fill = 8 - tail.length - h.length - r.length;
  return [...h, ...(rest === undefined ? [] : new Array<number>(Math.max(0, fill)).fill(0)), ...r, ...tail];
}

/** Text for eight IPv6 groups (lowercase, longest zero run compressed, as RFC 5952). */
export function formatIpv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** a.b.c.d when `address` is ::ffff:a.b.c.d, else undefined. */
export function unmapIpv4(address: string): string | undefined {
  if (!isIPv6(address)) return undefined;
  const g = ipv6Groups(address);
  if (g.slice(0, 5).some((x) => x !== 0) || g[5] !== 0xffff) return undefined;
  return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
}

export function isUnspecified(address: string): boolean {
  if (isIPv4(address)) return address === '0.0.0.0';
  return isIPv6(address) && ipv6Groups(address).every((g) => g === 0);
}

export function isLoopback(address: string): boolean {
  if (isIPv4(address)) return address.startsWith('127.');
  const v4 = unmapIpv4(address);
  if (v4 !== undefined) return isLoopback(v4);
  if (!isIPv6(address)) return false;
  const g = ipv6Groups(address);
  return g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
}

export function isMulticast(address: string): boolean {
  if (isIPv4(address)) {
    const first = Number(address.split('.')[0]);
    return first >= 224 && first <= 239;
  }
  const v4 = unmapIpv4(address);
  if (v4 !== undefined) return isMulticast(v4);
  return isIPv6(address) && (ipv6Groups(address)[0]! & 0xff00) === 0xff00;
}

export function isBroadcast(address: string): boolean {
  return (unmapIpv4(address) ?? address) === '255.255.255.255';
}

/** Checks a socket address given by the guest: a real IP of the family, a port in range. */
export function checkAddress(a: SocketAddress, what: string): void {
  if (familyOf(a.address) !== a.family) throw new NetError('invalid-argument', `${what}: '${a.address}' is not an ${a.family} address`);
  if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new NetError('invalid-argument', `${what}: port ${a.port} is out of range`);
}

/** 127.0.0.1:80, [::1]:80 */
export function formatSocketAddress(a: SocketAddress): string {
  return a.family === 'ipv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** The address Node reports (possibly with a %zone) as a SocketAddress. */
export function fromNode(address: string, port: number, family?: string): SocketAddress {
  const [addr, zone] = address.split('%') as [string, string | undefined];
  const fam: IpFamily = family === 'IPv6' || family === 'ipv6' || (family === undefined && isIPv6(addr)) ? 'ipv6' : 'ipv4';
  if (fam === 'ipv6') {
    const scope = zone !== undefined && /^\d+$/.test(zone) ? Number(zone) : 0;
    return { family: 'ipv6', address: formatIpv6(ipv6Groups(addr)), port, flowInfo: 0, scopeId: scope };
  }
  return { family: 'ipv4', address: addr, port };
}
