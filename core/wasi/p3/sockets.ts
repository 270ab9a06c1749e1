// wasi:sockets/types@0.3.0 over core/wasi/net (TCP on libuv handles, UDP over dgram, the
// --allow-net policy): the WIT shapes in and out, error codes as 0.3's variant, and the
// streams a 0.3 socket speaks (listen's stream of accepted sockets, send and receive of bytes).
import type { SharedStream } from '../../component/async/waitables';
import { NetError, TcpSocket, UdpSocket, formatIpv6, ipv6Groups, netErrorOf, unmapIpv4, type IpFamily, type NetPolicy, type SocketAddress } from '../net';
import { ok, type Tagged } from '../p2/values';
import { drainAsync, feedAsync, newFuture, newStream, resolveFuture, type Tracker } from './streams';
import type { Wake } from '../../component/async/waitables';

/** The cases 0.3's error-code has; the others of the net layer travel as other(some(name)). */
const CODES = new Set([
  'access-denied', 'not-supported', 'invalid-argument', 'out-of-memory', 'timeout', 'invalid-state', 'address-not-bindable',
  'address-in-use', 'remote-unreachable', 'connection-refused', 'connection-broken', 'connection-reset', 'connection-aborted',
  'datagram-too-large',
]);

function errorCode(e: unknown, what: string): Tagged {
  const n = e instanceof NetError ? e : netErrorOf(e, what);
  return CODES.has(n.code) ? { tag: n.code } : { tag: 'other', val: { tag: 'some', val: n.code } };
}

function failed(e: unknown, what: string): Tagged {
  // Guest traps and host bugs must not become error codes.
  if (!(e instanceof NetError) && typeof (e as { code?: unknown } | null)?.code !== 'string') throw e;
  return { tag: 'err', val: errorCode(e, what) };
}

function attempt(what: string, f: () => unknown): Tagged {
  try {
    return ok(f());
  } catch (e) {
    return failed(e, what);
  }
}

/**
 * ip-socket-address (WIT) → the net layer's SocketAddress. An IPv4-mapped IPv6 address is
 * invalid-argument for bind, connect and send (wasi:sockets says so: a socket is one family).
 */
export function fromWit(v: unknown): SocketAddress {
  const t = v as Tagged;
  const a = t.val as { port: number; address: number[]; 'flow-info'?: number; 'scope-id'?: number };
  if (t.tag === 'ipv4') return { family: 'ipv4', address: a.address.join('.'), port: a.port };
  const address = formatIpv6(a.address);
  if (unmapIpv4(address) !== undefined) throw new NetError('invalid-argument', `${address} is an IPv4-mapped IPv6 address`);
  return { family: 'ipv6', address, port: a.port, flowInfo: a['flow-info'] ?? 0, scopeId: a['scope-id'] ?? 0 };
}

export function toWit(a: SocketAddress): Tagged {
  if (a.family === 'ipv4') return { tag: 'ipv4', val: { port: a.port, address: a.address.split('.').map(Number) } };
  return { tag: 'ipv6', val: { port: a.port, 'flow-info': a.flowInfo ?? 0, address: ipv6Groups(a.address), 'scope-id': a.scopeId ?? 0 } };
}

const CHUNK = 64 * 1024;

/** The function table of wasi:sockets/types@0.3.0 (tcp-socket, udp-socket). */
export function socketTypes(rt: Wake & Tracker, policy: NetPolicy, track: <T extends object>(r: T) => T): Record<string, (...a: never[]) => unknown> {
  const family = (f: unknown): IpFamily => (f === 'ipv6' ? 'ipv6' : 'ipv4');
  return {
    '[static]tcp-socket.create': (f: unknown) => attempt('tcp-socket.create', () => track(new TcpSocket(family(f), policy))),
    '[method]tcp-socket.bind': (s: TcpSocket, a: unknown) => attempt('bind', () => {
      s.bind(fromWit(a));
    }),
    '[method]tcp-socket.connect': (s: TcpSocket, a: unknown) => {
      let remote: SocketAddress;
      try {
        remote = fromWit(a);
        return s.connect(remote).then(() => ok(), (e: unknown) => failed(e, 'connect'));
      } catch (e) {
        return failed(e, 'connect');
      }
    },
    '[method]tcp-socket.listen': (s: TcpSocket) => attempt('listen', () => {
      s.listen();
      const out = newStream(rt);
      feedAcceptedAsync(rt, out, s, track);
      return out;
    }),
    '[method]tcp-socket.send': (s: TcpSocket, data: SharedStream) => {
      const f = newFuture(rt);
      drainAsync(rt, data, (b) => s.write(b), (e) => {
        if (e !== undefined) {
          resolveFuture(f, failed(e, 'send'));
          return;
        }
        // The guest's end of the data: the peer sees the end of the stream.
        try {
          s.shutdown('send');
        } catch {
          // Already closed: nothing more to say.
        }
        resolveFuture(f, ok());
      });
      return f;
    },
    '[method]tcp-socket.receive': (s: TcpSocket) => {
      const out = newStream(rt);
      const f = newFuture(rt);
      feedAsync(rt, out, async () => {
        const r = await s.read(CHUNK);
        return r === 'end' ? null : r;
      }, (e) => resolveFuture(f, e === undefined ? ok() : failed(e, 'receive')));
      return [out, f];
    },
    '[method]tcp-socket.get-local-address': (s: TcpSocket) => attempt('get-local-address', () => toWit(s.localAddress())),
    '[method]tcp-socket.get-remote-address': (s: TcpSocket) => attempt('get-remote-address', () => toWit(s.remoteAddress())),
    '[method]tcp-socket.get-is-listening': (s: TcpSocket) => s.isListening,
    '[method]tcp-socket.get-address-family': (s: TcpSocket) => s.family,
    '[static]udp-socket.create': (f: unknown) => attempt('udp-socket.create', () => track(new UdpSocket(family(f), policy))),
    '[method]udp-socket.bind': (s: UdpSocket, a: unknown) => {
      try {
        return s.bind(fromWit(a)).then(() => ok(), (e: unknown) => failed(e, 'bind'));
      } catch (e) {
        return failed(e, 'bind');
      }
    },
    '[method]udp-socket.get-local-address': (s: UdpSocket) => attempt('get-local-address', () => toWit(s.localAddress())),
    '[method]udp-socket.get-address-family': (s: UdpSocket) => s.family,
  };
}

/** listen's stream<tcp-socket>: each accepted connection as an own handle, in order. */
function feedAcceptedAsync(rt: Tracker, out: SharedStream, s: TcpSocket, track: <T extends object>(r: T) => T): void {
  // The values are sockets, not bytes: offered one at a time.
  const pull = (): void => {
    if (out.dropped) return;
    rt.track(s.accept().then((c) => ({ c }), (error: unknown) => ({ error })), (r) => {
      if ('error' in r) {
        out.drop();
        return;
      }
      offerOne(track(r.c));
    });
  };
  const offerOne = (c: TcpSocket): void => {
    const src = { progress: 0, remain: () => 1 - src.progress, isZeroLength: () => false, read: (n: number) => {
      src.progress += n;
      return [c];
    } };
    out.write(undefined, src, (reclaim) => {
      reclaim();
      pull();
    }, (result) => {
      if (result === 0 /* COMPLETED */ && src.progress === 1) pull();
      else if (result === 0) offerOne(c);
      else c.close();
    });
  };
  pull();
}
