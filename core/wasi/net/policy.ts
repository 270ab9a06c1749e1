// Which addresses a program may reach. Nothing by default, as for files (only preopens) and as
// Wasmtime without `-S inherit-network`: a program on this machine could otherwise talk to
// every unauthenticated local service. `--allow-net` opens everything (Wasmtime's
// inherit-network plus allow-ip-name-lookup); `--allow-net=127.0.0.1:8080,[::1]:*,example.com`
// opens only those (a host without a port means any port). A host name allows looking it up
// and then the addresses that lookup returned, and HTTP requests to that authority.
import { isIPv4, isIPv6 } from 'node:net';
import { formatSocketAddress, ipv6Groups, isLoopback, unmapIpv4, type SocketAddress } from './address';
import { NetError } from './errors';

interface Rule {
  /** '*' for any host; an IP in canonical form; a lower-case host name; or an IP/prefix. */
  host: string;
  kind: 'any' | 'ip' | 'name' | 'cidr' | 'localhost';
  prefix?: number;
  ports: [number, number];
}

export type NetUse = 'connect' | 'bind' | 'send';

export class NetPolicy {
  private readonly resolved = new Set<string>();

  private constructor(private readonly rules: readonly Rule[] | 'all') {}

  /** No network at all (the default). */
  static deny(): NetPolicy {
    return new NetPolicy([]);
  }

  /** Every address and every name (Wasmtime's -S inherit-network,allow-ip-name-lookup). */
  static allowAll(): NetPolicy {
    return new NetPolicy('all');
  }

  /** From `--allow-net` values: '' means everything, else comma-separated HOST[:PORT] entries. */
  static parse(values: readonly string[]): NetPolicy {
    if (values.length === 0) return NetPolicy.deny();
    if (values.some((v) => v === '' || v === '*' || v === '*:*')) return NetPolicy.allowAll();
    const rules: Rule[] = [];
    for (const v of values) for (const entry of v.split(',')) if (entry.trim() !== '') rules.push(parseRule(entry.trim()));
    return new NetPolicy(rules);
  }

  get isOpen(): boolean {
    return this.rules === 'all';
  }

  /** Throws access-denied unless the program may use `a` this way. */
  check(use: NetUse, a: SocketAddress): void {
    if (!this.allows(a.address, a.port)) {
      const verb = use === 'bind' ? 'bind to' : use === 'send' ? 'send to' : 'connect to';
      throw new NetError('access-denied', `${verb} ${formatSocketAddress(a)} is not allowed (wasmscope run --allow-net=HOST:PORT grants it)`);
    }
  }

  /** Throws access-denied unless the program may resolve `name`. */
  checkLookup(name: string): void {
    if (this.rules === 'all') return;
    const n = name.toLowerCase().replace(/\.$/, '');
    if (isIPv4(n) || isIPv6(n)) return; // an address literal needs no resolver
    if (!this.rules.some((r) => r.kind === 'any' || ((r.kind === 'name' || r.kind === 'localhost') && r.host === n))) {
      throw new NetError('access-denied', `looking up '${name}' is not allowed (wasmscope run --allow-net=${name} grants it)`);
    }
  }

  /** After a permitted lookup of `name`: its addresses are reachable on the ports its rules give. */
  noteResolved(name: string, addresses: readonly string[]): void {
    if (this.rules === 'all') return;
    const n = name.toLowerCase().replace(/\.$/, '');
    for (const r of this.rules) {
      if (r.kind !== 'name' || r.host !== n) continue;
      for (const a of addresses) this.resolved.add(`${canonical(a)} ${r.ports[0]} ${r.ports[1]}`);
    }
  }

  /** Whether an HTTP request to host:port may go out (host as written in the authority). */
  allowsAuthority(host: string, port: number): boolean {
    if (this.rules === 'all') return true;
    const h = host.replace(/^\[|\]$/g, '').toLowerCase();
    if (isIPv4(h) || isIPv6(h)) return this.allows(h, port);
    return this.rules.some((r) => inPorts(r, port) && (r.kind === 'any' || (r.kind === 'localhost' && h === 'localhost') || (r.kind === 'name' && r.host === h)));
  }

  private allows(address: string, port: number): boolean {
    if (this.rules === 'all') return true;
    const a = canonical(address);
    for (const r of this.rules) {
      if (!inPorts(r, port)) continue;
      switch (r.kind) {
        case 'any': return true;
        case 'ip': if (r.host === a) return true; break;
        case 'localhost': if (isLoopback(a)) return true; break;
        case 'cidr': if (inCidr(a, r.host, r.prefix!)) return true; break;
        case 'name': break;
      }
    }
    for (const entry of this.resolved) {
      const [ip, lo, hi] = entry.split(' ');
      if (ip === a && port >= Number(lo) && port <= Number(hi)) return true;
    }
    return false;
  }
}

function inPorts(r: Rule, port: number): boolean {
  return port >= r.ports[0] && port <= r.ports[1];
}

/** IPv4-mapped IPv6 compares as its IPv4 address; IPv6 in one spelling. */
function canonical(address: string): string {
  const v4 = unmapIpv4(address);
  if (v4 !== undefined) return v4;
  if (isIPv6(address)) return ipv6Groups(address).map((g) => g.toString(16)).join(':');
  return address.toLowerCase();
}

function inCidr(address: string, net: string, prefix: number): boolean {
  const bits = (ip: string): number[] | undefined => {
    if (isIPv4(ip)) return ip.split('.').flatMap((b) => byteBits(Number(b)));
    if (isIPv6(ip)) return ipv6Groups(ip).flatMap((g) => [...byteBits(g >> 8), ...byteBits(g & 255)]);
    return undefined;
  };
  const a = bits(address);
  const n = bits(net.includes(':') ? net : net);
  if (!a || !n || a.length !== n.length) return false;
  for (let i = 0; i < prefix; i++) if (a[i] !== n[i]) return false;
  return true;
}

function byteBits(b: number): number[] {
  return [7, 6, 5, 4, 3, 2, 1, 0].map((i) => (b >> i) & 1);
}

function parsePorts(text: string | undefined, entry: string): [number, number] {
  if (text === undefined || text === '*') return [0, 65535];
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2] ?? m[1]) : NaN;
  if (!(lo >= 0 && hi <= 65535 && lo <= hi)) throw new Error(`--allow-net: bad port '${text}' in '${entry}' (a number, a range like 8000-8099, or *)`);
  return [lo, hi];
}

function parseRule(entry: string): Rule {
  let host: string;
  let port: string | undefined;
  const bracket = /^\[([^\]]+)\](?:\/(\d+))?(?::(.+))?$/.exec(entry);
  let prefix: string | undefined;
  if (bracket) {
    host = bracket[1]!;
    prefix = bracket[2];
    port = bracket[3];
  } else if (isIPv6(entry.split('/')[0]!)) {
    [host, prefix] = entry.split('/') as [string, string | undefined];
  } else {
    const i = entry.lastIndexOf(':');
    host = i < 0 ? entry : entry.slice(0, i);
    port = i < 0 ? undefined : entry.slice(i + 1);
    if (host.includes('/')) [host, prefix] = host.split('/') as [string, string | undefined];
  }
  const ports = parsePorts(port, entry);
  const h = host.toLowerCase();
  if (h === '*') return { host: '*', kind: 'any', ports };
  if (isIPv4(h) || isIPv6(h)) {
    if (prefix !== undefined) {
      const p = Number(prefix);
      const max = isIPv4(h) ? 32 : 128;
      if (!(Number.isInteger(p) && p >= 0 && p <= max)) throw new Error(`--allow-net: bad prefix length '/${prefix}' in '${entry}'`);
      return { host: h, kind: 'cidr', prefix: p, ports };
    }
    return { host: canonical(h), kind: 'ip', ports };
  }
  if (prefix !== undefined || !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(h)) {
    throw new Error(`--allow-net: '${entry}' is not HOST[:PORT] (an IP, [IPv6], IP/prefix, a host name, or *)`);
  }
  const name = h.replace(/\.$/, '');
  return { host: name, kind: name === 'localhost' ? 'localhost' : 'name', ports };
}
