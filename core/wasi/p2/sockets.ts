// wasi:sockets@0.2 (network, instance-network, tcp, tcp-create-socket, udp, udp-create-socket,
// ip-name-lookup) on core/wasi/net: 0.2's start-/finish- pairs and pollables over the net layer's
// sockets. Nothing here blocks: a finish- that is not ready says would-block, and the guest polls.
import type { HostInterface } from '../../component/instantiate';
import { Trap } from '../../errors';
import {
  NetError, TcpSocket, UdpSocket, formatIpv6, ipv6Groups, resolveAddresses,
  type IpFamily, type NetPolicy, type ResolvedAddress, type SocketAddress,
} from '../net';
import type { WOULD_BLOCK } from '../../interp/runtime';
import { InputStream, IoError, OutputStream, Pollable, type Park } from './streams';
import { err, none, ok, some, type Tagged } from './values';

/** The `network` resource: the one a program gets from instance-network, standing for the policy. */
export class Network {
  readonly network = true;
}

/** wasi:sockets@0.2's error-code has no connection-broken (0.3 added it). */
function code02(e: NetError): string {
  return e.code === 'connection-broken' ? 'connection-reset' : e.code;
}

/** The result of `f`, or its NetError as `err(error-code)`; anything else is ours and propagates. */
function attempt(f: () => unknown): Tagged {
  try {
    return ok(f());
  } catch (e) {
    if (e instanceof NetError) return err(code02(e));
    throw e;
  }
}

type WitSocketAddress = Tagged;

function family(f: unknown): IpFamily {
  if (f !== 'ipv4' && f !== 'ipv6') throw new Trap(`wasi:sockets: bad ip-address-family ${String(f)}`);
  return f;
}

export function fromWitAddress(a: WitSocketAddress): SocketAddress {
  const v = a.val as { port: number; address: number[]; 'flow-info'?: number; 'scope-id'?: number };
  if (a.tag === 'ipv4') return { family: 'ipv4', address: v.address.join('.'), port: v.port };
  return { family: 'ipv6', address: formatIpv6(v.address), port: v.port, flowInfo: v['flow-info'] ?? 0, scopeId: v['scope-id'] ?? 0 };
}

export function toWitAddress(a: SocketAddress): WitSocketAddress {
  if (a.family === 'ipv4') return { tag: 'ipv4', val: { port: a.port, address: a.address.split('.').map(Number) } };
  return { tag: 'ipv6', val: { port: a.port, 'flow-info': a.flowInfo ?? 0, address: ipv6Groups(a.address), 'scope-id': a.scopeId ?? 0 } };
}

function toWitIp(a: ResolvedAddress): Tagged {
  return a.family === 'ipv4' ? { tag: 'ipv4', val: a.address.split('.').map(Number) } : { tag: 'ipv6', val: ipv6Groups(a.address) };
}

/** A 0.2 tcp-socket: the net layer's socket plus which start- awaits its finish-. */
class P2Tcp {
  pending: 'bind' | 'connect' | 'listen' | undefined;

  constructor(readonly sock: TcpSocket) {}

  drop(): void {
    this.sock.close();
  }
}

class P2Udp {
  bindPending = false;
  /** Datagrams check-send allowed and send has not used yet. */
  permits = 0;
  generation = 0;

  constructor(readonly sock: UdpSocket) {}

  drop(): void {
    this.sock.close();
  }
}

class IncomingDatagrams {
  constructor(readonly owner: P2Udp, readonly generation: number) {}
}

class OutgoingDatagrams {
  constructor(readonly owner: P2Udp, readonly generation: number) {}
}

class ResolveStream {
  addresses: ResolvedAddress[] | undefined;
  error: NetError | undefined;
  index = 0;

  constructor(readonly done: Promise<void>) {}
}

/** How many datagrams check-send allows at once (sends in flight included). */
const SEND_PERMITS = 64;

export interface SocketHost {
  policy: NetPolicy;
  park: Park;
  /** For a "not yet" answer: WOULD_BLOCK when the event loop must get a turn first (then answer again). */
  idle: () => typeof WOULD_BLOCK | undefined;
  /** Registers a resource for cleanup when the run ends. */
  track<T extends object>(r: T): T;
}

export function socketInterfaces(h: SocketHost): Record<string, HostInterface> {
  const network = new Network();
  const tcp = (name: string, f: (s: P2Tcp, ...a: never[]) => unknown) => [`[method]tcp-socket.${name}`, f] as const;
  const udp = (name: string, f: (s: P2Udp, ...a: never[]) => unknown) => [`[method]udp-socket.${name}`, f] as const;
  const checkNetwork = (n: unknown): void => {
    if (!(n instanceof Network)) throw new Trap('wasi:sockets: the network argument is not a network');
  };
  /** A "not yet" answer, unless the event loop must have a turn first. */
  const notYet = <T>(answer: T): T | typeof WOULD_BLOCK => h.idle() ?? answer;
  const streamsOf = (p: P2Tcp): [InputStream, OutputStream] => {
    const input = h.track(new InputStream({ kind: 'socket', socket: p.sock, park: h.park, idle: h.idle }));
    const output = h.track(new OutputStream({ kind: 'socket', socket: p.sock, park: h.park, idle: h.idle }));
    output.onDrop = () => {
      // Dropping the output stream ends the sending side (the peer reads end of stream).
      if (p.sock.state === 'connected') attempt(() => p.sock.shutdown('send'));
    };
    return [input, output];
  };
  const tcpPollable = (p: P2Tcp): Pollable => new Pollable(() => {
    const s = p.sock;
    if (s.state === 'connecting') return false;
    if (s.state === 'listening' && p.pending !== 'listen') return s.acceptReady;
    return true;
  }, undefined, () => p.sock.changed.wait());

  return {
    'wasi:sockets/network': {
      'network-error-code': (e: unknown) => {
        const c = (e as IoError).netCode;
        return c === undefined ? none : some(c);
      },
    },
    'wasi:sockets/instance-network': { 'instance-network': () => h.track(network) },
    'wasi:sockets/tcp-create-socket': {
      'create-tcp-socket': (f: unknown) => attempt(() => h.track(new P2Tcp(new TcpSocket(family(f), h.policy)))),
    },
    'wasi:sockets/tcp': Object.fromEntries([
      tcp('start-bind', (p, n: unknown, a: WitSocketAddress) => {
        checkNetwork(n);
        if (p.pending) return err('concurrency-conflict');
        return attempt(() => {
          p.sock.bind(fromWitAddress(a));
          p.pending = 'bind';
        });
      }),
      tcp('finish-bind', (p) => {
        if (p.pending !== 'bind') return err('not-in-progress');
        p.pending = undefined;
        return ok();
      }),
      tcp('start-connect', (p, n: unknown, a: WitSocketAddress) => {
        checkNetwork(n);
        if (p.pending) return err('concurrency-conflict');
        return attempt(() => {
          void p.sock.connect(fromWitAddress(a));
          p.pending = 'connect';
        });
      }),
      tcp('finish-connect', (p) => {
        if (p.pending !== 'connect') return err('not-in-progress');
        if (p.sock.state === 'connecting') return notYet(err('would-block'));
        p.pending = undefined;
        return attempt(() => {
          p.sock.finishConnect();
          return streamsOf(p);
        });
      }),
      tcp('start-listen', (p) => {
        if (p.pending) return err('concurrency-conflict');
        // 0.2 needs an explicit bind first (0.3's listen binds implicitly).
        if (p.sock.state !== 'bound') return err('invalid-state');
        return attempt(() => {
          p.sock.listen();
          p.pending = 'listen';
        });
      }),
      tcp('finish-listen', (p) => {
        if (p.pending !== 'listen') return err('not-in-progress');
        p.pending = undefined;
        return ok();
      }),
      tcp('accept', (p) => {
        const r = attempt(() => {
          const s = p.sock.tryAccept();
          if (!s) throw new NetError('would-block', 'accept: no connection is waiting');
          const child = h.track(new P2Tcp(s));
          return [child, ...streamsOf(child)];
        });
        return r.tag === 'err' && r.val === 'would-block' ? notYet(r) : r;
      }),
      tcp('local-address', (p) => attempt(() => toWitAddress(p.sock.localAddress()))),
      tcp('remote-address', (p) => attempt(() => toWitAddress(p.sock.remoteAddress()))),
      tcp('is-listening', (p) => p.sock.state === 'listening'),
      tcp('address-family', (p) => p.sock.family),
      tcp('set-listen-backlog-size', (p, n: bigint) => attempt(() => p.sock.setListenBacklog(n > 0x7fffffffn ? 0x7fffffff : Number(n)))),
      tcp('keep-alive-enabled', (p) => ok(p.sock.getOptions().keepAliveEnabled)),
      tcp('set-keep-alive-enabled', (p, v: boolean) => attempt(() => p.sock.setKeepAlive(v))),
      tcp('keep-alive-idle-time', (p) => ok(p.sock.getOptions().keepAliveIdleTime)),
      tcp('set-keep-alive-idle-time', (p, v: bigint) => attempt(() => p.sock.setKeepAliveIdleTime(v))),
      tcp('keep-alive-interval', (p) => ok(p.sock.getOptions().keepAliveInterval)),
      tcp('set-keep-alive-interval', (p, v: bigint) => attempt(() => p.sock.setKeepAliveInterval(v))),
      tcp('keep-alive-count', (p) => ok(p.sock.getOptions().keepAliveCount)),
      tcp('set-keep-alive-count', (p, v: number) => attempt(() => p.sock.setKeepAliveCount(v))),
      tcp('hop-limit', (p) => ok(p.sock.getOptions().hopLimit)),
      tcp('set-hop-limit', (p, v: number) => attempt(() => p.sock.setHopLimit(v))),
      tcp('receive-buffer-size', (p) => ok(p.sock.getOptions().receiveBufferSize)),
      tcp('set-receive-buffer-size', (p, v: bigint) => attempt(() => p.sock.setReceiveBufferSize(v))),
      tcp('send-buffer-size', (p) => ok(p.sock.getOptions().sendBufferSize)),
      tcp('set-send-buffer-size', (p, v: bigint) => attempt(() => p.sock.setSendBufferSize(v))),
      tcp('subscribe', (p) => h.track(tcpPollable(p))),
      tcp('shutdown', (p, how: 'receive' | 'send' | 'both') => attempt(() => p.sock.shutdown(how))),
    ]) as HostInterface,
    'wasi:sockets/udp-create-socket': {
      'create-udp-socket': (f: unknown) => attempt(() => h.track(new P2Udp(new UdpSocket(family(f), h.policy)))),
    },
    'wasi:sockets/udp': Object.fromEntries([
      udp('start-bind', (p, n: unknown, a: WitSocketAddress) => {
        checkNetwork(n);
        if (p.bindPending) return err('concurrency-conflict');
        return attempt(() => {
          void p.sock.bind(fromWitAddress(a));
          p.bindPending = true;
        });
      }),
      udp('finish-bind', (p) => {
        if (!p.bindPending) return err('not-in-progress');
        if (p.sock.binding) return notYet(err('would-block'));
        p.bindPending = false;
        return attempt(() => p.sock.finishBind());
      }),
      udp('stream', (p, remote: Tagged) => {
        if (p.sock.state !== 'bound') return err('invalid-state');
        return attempt(() => {
          void p.sock.connect(remote.tag === 'some' ? fromWitAddress(remote.val as Tagged) : undefined);
          p.generation++;
          p.permits = 0;
          return [h.track(new IncomingDatagrams(p, p.generation)), h.track(new OutgoingDatagrams(p, p.generation))];
        });
      }),
      udp('local-address', (p) => attempt(() => toWitAddress(p.sock.localAddress()))),
      udp('remote-address', (p) => attempt(() => toWitAddress(p.sock.remoteAddress()))),
      udp('address-family', (p) => p.sock.family),
      udp('unicast-hop-limit', (p) => ok(p.sock.unicastHopLimit)),
      udp('set-unicast-hop-limit', (p, v: number) => attempt(() => p.sock.setUnicastHopLimit(v))),
      udp('receive-buffer-size', (p) => ok(p.sock.receiveBuffer)),
      udp('set-receive-buffer-size', (p, v: bigint) => attempt(() => p.sock.setReceiveBufferSize(v))),
      udp('send-buffer-size', (p) => ok(p.sock.sendBuffer)),
      udp('set-send-buffer-size', (p, v: bigint) => attempt(() => p.sock.setSendBufferSize(v))),
      udp('subscribe', (p) => h.track(new Pollable(() => !p.sock.binding, undefined, () => p.sock.changed.wait()))),
      ['[method]incoming-datagram-stream.receive', (s: IncomingDatagrams, max: bigint) => {
        const sock = s.owner.sock;
        if (sock.connecting) return notYet(ok([]));
        const r = attempt(() => {
          const out: unknown[] = [];
          while (BigInt(out.length) < max) {
            const d = sock.tryReceive();
            if (!d) break;
            out.push({ data: d.data, 'remote-address': toWitAddress(d.remote) });
          }
          return out;
        });
        return r.tag === 'ok' && (r.val as unknown[]).length === 0 && max > 0n ? notYet(r) : r;
      }],
      ['[method]incoming-datagram-stream.subscribe', (s: IncomingDatagrams) =>
        h.track(new Pollable(() => !s.owner.sock.connecting && s.owner.sock.receiveReady, undefined, () => s.owner.sock.changed.wait()))],
      ['[method]outgoing-datagram-stream.check-send', (s: OutgoingDatagrams) => {
        const p = s.owner;
        if (p.sock.state === 'closed') return err('invalid-state');
        p.permits = p.sock.connecting ? 0 : Math.max(0, SEND_PERMITS - p.sock.sendsInFlight);
        return p.permits === 0 ? notYet(ok(0n)) : ok(BigInt(p.permits));
      }],
      ['[method]outgoing-datagram-stream.send', (s: OutgoingDatagrams, list: { data: Uint8Array; 'remote-address': Tagged }[]) => {
        const p = s.owner;
        if (list.length > p.permits) throw new Trap(`wasi:sockets/udp send: ${list.length} datagrams but check-send permitted ${p.permits}`);
        let sent = 0;
        for (const d of list) {
          const to = d['remote-address'].tag === 'some' ? fromWitAddress(d['remote-address'].val as Tagged) : undefined;
          try {
            p.sock.checkSend(d.data, to);
          } catch (e) {
            if (!(e instanceof NetError)) throw e;
            if (sent === 0) return err(code02(e));
            break;
          }
          // Failures after the datagram left the guest (e.g. ICMP unreachable) are dropped, as UDP does.
          p.sock.send(d.data, to).catch(() => {});
          sent++;
          p.permits--;
        }
        return ok(BigInt(sent));
      }],
      ['[method]outgoing-datagram-stream.subscribe', (s: OutgoingDatagrams) =>
        h.track(new Pollable(() => !s.owner.sock.connecting && s.owner.sock.sendsInFlight < SEND_PERMITS, undefined, () => s.owner.sock.changed.wait()))],
    ]) as HostInterface,
    'wasi:sockets/ip-name-lookup': Object.fromEntries([
      ['resolve-addresses', (n: unknown, name: string) => {
        checkNetwork(n);
        return attempt(() => {
          const lookup = resolveAddresses(name, h.policy);
          const stream: ResolveStream = new ResolveStream(lookup.then(
            (a) => { stream.addresses = a; },
            (e: unknown) => { stream.error = e instanceof NetError ? e : new NetError('permanent-resolver-failure', String(e)); },
          ));
          return h.track(stream);
        });
      }],
      ['[method]resolve-address-stream.resolve-next-address', (s: ResolveStream) => {
        if (s.error) return err(code02(s.error));
        if (!s.addresses) return notYet(err('would-block'));
        const a = s.addresses[s.index];
        if (!a) return ok(none);
        s.index++;
        return ok(some(toWitIp(a)));
      }],
      ['[method]resolve-address-stream.subscribe', (s: ResolveStream) =>
        h.track(new Pollable(() => s.addresses !== undefined || s.error !== undefined, undefined, () => s.done))],
    ]) as HostInterface,
  };
}
