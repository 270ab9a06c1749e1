// wasi:sockets/ip-name-lookup over dns.lookup (the system resolver, as Wasmtime uses), behind
// the sandbox policy: a name must be allowed before it is resolved, and its addresses then are.
import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';
import { familyOf, type IpFamily } from './address';
import { NetError } from './errors';
import type { NetPolicy } from './policy';

export interface ResolvedAddress {
  family: IpFamily;
  address: string;
}

/** A DNS name as RFC 1123 allows it (or an IP literal, possibly [bracketed]). */
function validName(name: string): boolean {
  if (name.length === 0 || name.length > 253) return false;
  return /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?$/.test(name);
}

/**
 * The addresses of `name`, IPv4 and IPv6 in the resolver's order. An invalid or denied name
 * throws at once (invalid-argument, access-denied); resolver failures reject the promise.
 */
export function resolveAddresses(name: string, policy: NetPolicy): Promise<ResolvedAddress[]> {
  const literal = name.startsWith('[') && name.endsWith(']') ? name.slice(1, -1) : name;
  if (isIPv4(literal) || isIPv6(literal)) return Promise.resolve([{ family: familyOf(literal)!, address: literal }]);
  if (!validName(name)) throw new NetError('invalid-argument', `ip-name-lookup: '${name}' is not a valid host name`);
  policy.checkLookup(name);
  const p = lookupName(name, policy);
  p.catch(() => {});
  return p;
}

async function lookupName(name: string, policy: NetPolicy): Promise<ResolvedAddress[]> {
  let found: { address: string; family: number }[];
  try {
    found = await lookup(name, { all: true, verbatim: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const kind = code === 'ENOTFOUND' || code === 'EAI_NONAME' || code === 'EAI_NODATA' ? 'name-unresolvable'
      : code === 'EAI_AGAIN' ? 'temporary-resolver-failure' : 'permanent-resolver-failure';
    throw new NetError(kind, `ip-name-lookup '${name}': ${code ?? String(e)}`);
  }
  const out = found.map((f) => ({ family: (f.family === 6 ? 'ipv6' : 'ipv4') as IpFamily, address: f.address }));
  policy.noteResolved(name, out.map((a) => a.address));
  return out;
}
