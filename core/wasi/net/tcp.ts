// A TCP socket with WASI's state machine (unbound → bound → listening | connecting → connected
// → closed) over libuv handles (uv.ts) and node:net. Every operation checks the state and the
// sandbox policy first and fails with a NetError named as in wasi:sockets. Data is moved as
// byte chunks with backpressure: `tryRead`/`tryWrite`/`tryAccept` answer at once (for 0.2
// pollables), `read`/`write`/`accept` wait (for 0.3 streams); `changed` fires on every change.
import * as net from 'node:net';
import { checkAddress, formatSocketAddress, fromNode, isBroadcast, isMulticast, isUnspecified, unmapIpv4, type IpFamily, type SocketAddress } from './address';
import { NetError, codeOfErrno, netErrorOf } from './errors';
import type { NetPolicy } from './policy';
import { Signal } from './signal';
import { errname, ipv6OnlyFlag, newTcpHandle, type UvTcpHandle } from './uv';

export type TcpState = 'unbound' | 'bound' | 'listening' | 'connecting' | 'connected' | 'closed';

/** Reading pauses the kernel socket once this much is buffered unread; it resumes below a quarter. */
const RECEIVE_HIGH_WATER = 256 * 1024;
/** How much may wait unsent before writers are asked to wait. */
const SEND_HIGH_WATER = 256 * 1024;

/** Options WASI lets a program read and set; accepted sockets inherit them from their listener. */
export interface TcpOptions {
  keepAliveEnabled: boolean;
  /** Nanoseconds, as WASI's durations. */
  keepAliveIdleTime: bigint;
  keepAliveInterval: bigint;
  keepAliveCount: number;
  hopLimit: number;
  receiveBufferSize: bigint;
  sendBufferSize: bigint;
  noDelay: boolean;
}

const DEFAULT_OPTIONS: TcpOptions = {
  keepAliveEnabled: false,
  keepAliveIdleTime: 7200_000_000_000n,
  keepAliveInterval: 75_000_000_000n,
  keepAliveCount: 9,
  hopLimit: 64,
  receiveBufferSize: 131072n,
  sendBufferSize: 16384n,
  noDelay: false,
};

export class TcpSocket {
  state: TcpState = 'unbound';
  /** Fires on every change of state, data, buffer room or error. */
  readonly changed = new Signal();
  ipv6Only = false;
  listenBacklog = 128;
  private readonly options: TcpOptions;
  private handle: UvTcpHandle | undefined;
  private server: net.Server | undefined;
  private sock: net.Socket | undefined;
  private local: SocketAddress | undefined;
  private remote: SocketAddress | undefined;
  private readonly incoming: TcpSocket[] = [];
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  private paused = false;
  private ended = false;
  private receiveShut = false;
  private sendShut = false;
  private error: NetError | undefined;
  private connectPromise: Promise<void> | undefined;

  constructor(readonly family: IpFamily, private readonly policy: NetPolicy, inherited?: TcpOptions) {
    this.options = { ...(inherited ?? DEFAULT_OPTIONS) };
  }

  // --- bind, listen, accept ---

  /** Binds to `local` now: address-in-use and the chosen port are known when it returns. */
  bind(local: SocketAddress): void {
    if (this.state !== 'unbound') throw new NetError('invalid-state', `bind: the socket is already ${this.state}`);
    this.checkFamily(local, 'bind');
    if (isMulticast(local.address) || isBroadcast(local.address)) throw new NetError('invalid-argument', `bind: ${local.address} is not a unicast address`);
    this.policy.check('bind', local);
    const h = newTcpHandle();
    const rc = this.family === 'ipv4' ? h.bind(local.address, local.port) : h.bind6(local.address, local.port, this.ipv6Only ? ipv6OnlyFlag() : 0);
    const out: { address?: string; port?: number; family?: string } = {};
    // libuv defers EADDRINUSE from bind to the next call on the handle; getsockname reports it.
    const rc2 = rc < 0 ? rc : h.getsockname(out);
    if (rc2 < 0) {
      h.close();
      throw new NetError(codeOfErrno(rc2), `bind ${formatSocketAddress(local)}: ${errname(rc2)}`);
    }
    this.handle = h;
    this.local = fromNode(out.address ?? local.address, out.port ?? local.port, out.family);
    this.state = 'bound';
    this.changed.notify();
  }

  /** Starts listening (binding to the unspecified address and a free port first if unbound). */
  listen(): void {
    if (this.state === 'unbound') this.bind({ family: this.family, address: this.family === 'ipv4' ? '0.0.0.0' : '::', port: 0 });
    if (this.state !== 'bound') throw new NetError('invalid-state', `listen: the socket is ${this.state}`);
    const h = this.handle!;
    const rc = h.listen(this.listenBacklog);
    if (rc < 0) throw new NetError(codeOfErrno(rc), `listen on ${formatSocketAddress(this.local!)}: ${errname(rc)}`);
    const server = new net.Server({ allowHalfOpen: true, pauseOnConnect: false });
    server.on('connection', (s: net.Socket) => {
      if (this.state !== 'listening') {
        s.destroy();
        return;
      }
      this.incoming.push(TcpSocket.accepted(s, this.family, this.policy, this.options));
      this.changed.notify();
    });
    server.on('error', (e) => {
      this.error = netErrorOf(e, `listening on ${formatSocketAddress(this.local!)}`);
      this.changed.notify();
    });
    server.listen({ handle: h, backlog: this.listenBacklog });
    this.server = server;
    this.handle = undefined;
    this.state = 'listening';
    this.changed.notify();
  }

  /** The next accepted connection, or undefined when none is waiting. */
  tryAccept(): TcpSocket | undefined {
    if (this.state !== 'listening') throw new NetError('invalid-state', `accept: the socket is ${this.state}, not listening`);
    const next = this.incoming.shift();
    if (next) return next;
    if (this.error) throw this.error;
    return undefined;
  }

  async accept(): Promise<TcpSocket> {
    for (;;) {
      const s = this.tryAccept();
      if (s) return s;
      await this.changed.wait();
    }
  }

  /** Whether tryAccept would return a socket or throw. */
  get acceptReady(): boolean {
    return this.state !== 'listening' || this.incoming.length > 0 || this.error !== undefined;
  }

  // --- connect ---

  /** Connects to `remote`; the promise settles when the connection is up or has failed. */
  connect(remote: SocketAddress): Promise<void> {
    if (this.state === 'connecting') throw new NetError('concurrency-conflict', 'connect: a connection is already in progress');
    if (this.state !== 'unbound' && this.state !== 'bound') throw new NetError('invalid-state', `connect: the socket is ${this.state}`);
    this.checkFamily(remote, 'connect');
    if (isUnspecified(remote.address)) throw new NetError('invalid-argument', `connect: ${remote.address} is the unspecified address`);
    if (isMulticast(remote.address) || isBroadcast(remote.address)) throw new NetError('invalid-argument', `connect: ${remote.address} is not a unicast address`);
    if (remote.port === 0) throw new NetError('invalid-argument', 'connect: port 0');
    this.policy.check('connect', remote);
    const host = remote.family === 'ipv6' && remote.scopeId ? `${remote.address}%${remote.scopeId}` : remote.address;
    let sock: net.Socket;
    if (this.handle) {
      // A bound socket connects from its own handle (net.Socket adopts it; manualStart: read once connected).
      sock = new net.Socket({ handle: this.handle, allowHalfOpen: true, manualStart: true } as net.SocketConstructorOpts);
      this.handle = undefined;
      sock.connect({ port: remote.port, host });
    } else {
      sock = net.connect({ port: remote.port, host, family: this.family === 'ipv4' ? 4 : 6, allowHalfOpen: true });
    }
    this.sock = sock;
    this.state = 'connecting';
    this.changed.notify();
    this.connectPromise = new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => {
        this.error = netErrorOf(e, `connect to ${formatSocketAddress(remote)}`);
        this.state = 'closed';
        sock.destroy();
        this.changed.notify();
        reject(this.error);
      };
      sock.once('error', onError);
      sock.once('connect', () => {
        sock.off('error', onError);
        this.state = 'connected';
        this.remote = remote;
        this.local = fromNode(sock.localAddress ?? '', sock.localPort ?? 0, sock.localFamily);
        this.attach(sock);
        this.changed.notify();
        resolve();
      });
    });
    // Callers that only poll (0.2) never await: keep an unobserved failure from being "unhandled".
    this.connectPromise.catch(() => {});
    return this.connectPromise;
  }

  /** The result of connect once it settled: throws would-block while connecting, the failure after. */
  finishConnect(): void {
    if (this.state === 'connecting') throw new NetError('would-block', 'connect: still in progress');
    if (this.state === 'connected') return;
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      throw e;
    }
    throw new NetError('not-in-progress', 'connect: no connection attempt in progress');
  }

  // --- data ---

  /** Up to `max` received bytes; null when none are here yet; 'end' once the peer finished sending. */
  tryRead(max: number): Uint8Array | null | 'end' {
    this.checkStream('receive');
    if (this.receiveShut) return 'end';
    if (this.chunks.length > 0) {
      const first = this.chunks[0]!;
      let out: Buffer;
      if (first.length <= max) {
        out = first;
        this.chunks.shift();
      } else {
        out = first.subarray(0, max);
        this.chunks[0] = first.subarray(max);
      }
      this.buffered -= out.length;
      if (this.paused && this.buffered < RECEIVE_HIGH_WATER / 4) {
        this.paused = false;
        this.sock?.resume();
      }
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    }
    if (this.error) throw this.error;
    if (this.ended) return 'end';
    return null;
  }

  async read(max: number): Promise<Uint8Array | 'end'> {
    for (;;) {
      const r = this.tryRead(max);
      if (r !== null) return r;
      await this.changed.wait();
    }
  }

  /** Whether tryRead would return at once (data, end or an error). */
  get readReady(): boolean {
    return this.state !== 'connected' || this.receiveShut || this.chunks.length > 0 || this.ended || this.error !== undefined;
  }

  /** How many bytes tryWrite takes now (0: wait for `changed`). */
  writeCapacity(): number {
    this.checkStream('send');
    if (this.error) throw this.error;
    if (this.sendShut) throw new NetError('invalid-state', 'send: the sending side was shut down');
    return Math.max(0, SEND_HIGH_WATER - (this.sock?.writableLength ?? 0));
  }

  /** Queues bytes for sending (copied); more than writeCapacity() is still taken. */
  tryWrite(bytes: Uint8Array): void {
    this.writeCapacity();
    this.sock!.write(Buffer.from(bytes));
  }

  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      const room = this.writeCapacity();
      if (room === 0) {
        await this.changed.wait();
        continue;
      }
      const n = Math.min(room, bytes.length - off);
      this.tryWrite(bytes.subarray(off, off + n));
      off += n;
    }
  }

  /** Whether everything written has gone to the kernel. */
  get flushed(): boolean {
    return (this.sock?.writableLength ?? 0) === 0;
  }

  get writeReady(): boolean {
    if (this.state !== 'connected' || this.error || this.sendShut) return true;
    return (this.sock?.writableLength ?? 0) < SEND_HIGH_WATER;
  }

  async flush(): Promise<void> {
    while (!this.flushed && !this.error && this.state === 'connected') await this.changed.wait();
    if (this.error) throw this.error;
  }

  /** Shuts down receiving, sending or both (sending: after what was written is sent, a FIN). */
  shutdown(how: 'receive' | 'send' | 'both'): void {
    if (this.state !== 'connected') throw new NetError('invalid-state', `shutdown: the socket is ${this.state}, not connected`);
    if (how !== 'send') {
      this.receiveShut = true;
      this.chunks.length = 0;
      this.buffered = 0;
    }
    if (how !== 'receive' && !this.sendShut) {
      this.sendShut = true;
      this.sock?.end();
    }
    this.changed.notify();
  }

  // --- addresses and options ---

  localAddress(): SocketAddress {
    if (!this.local) throw new NetError('invalid-state', 'local-address: the socket is not bound');
    return { ...this.local };
  }

  remoteAddress(): SocketAddress {
    if (!this.remote || this.state !== 'connected') throw new NetError('invalid-state', 'remote-address: the socket is not connected');
    return { ...this.remote };
  }

  get isListening(): boolean {
    return this.state === 'listening';
  }

  getOptions(): Readonly<TcpOptions> {
    return this.options;
  }

  setKeepAlive(enabled: boolean): void {
    this.options.keepAliveEnabled = enabled;
    this.applyKeepAlive();
  }

  setKeepAliveIdleTime(ns: bigint): void {
    if (ns <= 0n) throw new NetError('invalid-argument', 'keep-alive-idle-time: must be positive');
    this.options.keepAliveIdleTime = ns < 1_000_000_000n ? 1_000_000_000n : ns; // the kernel counts whole seconds
    this.applyKeepAlive();
  }

  setKeepAliveInterval(ns: bigint): void {
    if (ns <= 0n) throw new NetError('invalid-argument', 'keep-alive-interval: must be positive');
    this.options.keepAliveInterval = ns < 1_000_000_000n ? 1_000_000_000n : ns;
  }

  setKeepAliveCount(n: number): void {
    if (!(n > 0)) throw new NetError('invalid-argument', 'keep-alive-count: must be positive');
    this.options.keepAliveCount = n;
  }

  setHopLimit(n: number): void {
    if (!(n > 0 && n <= 255)) throw new NetError('invalid-argument', 'hop-limit: must be 1..255');
    this.options.hopLimit = n;
  }

  setReceiveBufferSize(n: bigint): void {
    if (n <= 0n) throw new NetError('invalid-argument', 'receive-buffer-size: must be positive');
    this.options.receiveBufferSize = n;
  }

  setSendBufferSize(n: bigint): void {
    if (n <= 0n) throw new NetError('invalid-argument', 'send-buffer-size: must be positive');
    this.options.sendBufferSize = n;
  }

  setNoDelay(on: boolean): void {
    this.options.noDelay = on;
    this.sock?.setNoDelay(on);
  }

  setListenBacklog(n: number): void {
    if (!(n > 0)) throw new NetError('invalid-argument', 'listen-backlog-size: must be positive');
    if (this.state === 'connecting' || this.state === 'connected') throw new NetError('invalid-state', `listen-backlog-size: the socket is ${this.state}`);
    this.listenBacklog = n;
  }

  /** Closes the socket (and a listener's queued connections); later calls fail with invalid-state. */
  close(): void {
    if (this.state === 'closed' && !this.sock && !this.server && !this.handle) return;
    this.state = 'closed';
    this.sock?.destroy();
    this.sock = undefined;
    this.server?.close();
    this.server = undefined;
    this.handle?.close();
    this.handle = undefined;
    for (const s of this.incoming.splice(0)) s.close();
    this.changed.notify();
  }

  private static accepted(s: net.Socket, family: IpFamily, policy: NetPolicy, options: TcpOptions): TcpSocket {
    const t = new TcpSocket(family, policy, options);
    t.state = 'connected';
    t.local = fromNode(s.localAddress ?? '', s.localPort ?? 0, s.localFamily);
    t.remote = fromNode(s.remoteAddress ?? '', s.remotePort ?? 0, s.remoteFamily);
    t.attach(s);
    return t;
  }

  private attach(sock: net.Socket): void {
    this.sock = sock;
    sock.setNoDelay(this.options.noDelay);
    this.applyKeepAlive();
    sock.on('data', (chunk: Buffer) => {
      if (this.receiveShut) return;
      this.chunks.push(chunk);
      this.buffered += chunk.length;
      if (this.buffered >= RECEIVE_HIGH_WATER && !this.paused) {
        this.paused = true;
        sock.pause();
      }
      this.changed.notify();
    });
    sock.on('end', () => {
      this.ended = true;
      this.changed.notify();
    });
    sock.on('drain', () => this.changed.notify());
    sock.on('error', (e) => {
      this.error ??= netErrorOf(e, 'socket');
      this.changed.notify();
    });
    sock.on('close', () => {
      this.ended = true;
      this.changed.notify();
    });
    sock.resume();
  }

  private applyKeepAlive(): void {
    this.sock?.setKeepAlive(this.options.keepAliveEnabled, Number(this.options.keepAliveIdleTime / 1_000_000n));
  }

  private checkFamily(a: SocketAddress, what: string): void {
    checkAddress(a, what);
    if (a.family !== this.family) throw new NetError('invalid-argument', `${what}: an ${a.family} address on an ${this.family} socket`);
    if (this.family === 'ipv6' && this.ipv6Only && unmapIpv4(a.address) !== undefined) {
      throw new NetError('invalid-argument', `${what}: an IPv4-mapped address on an IPv6-only socket`);
    }
  }

  private checkStream(what: string): void {
    if (this.state !== 'connected' && !(this.state === 'closed' && this.remote)) throw new NetError('invalid-state', `${what}: the socket is ${this.state}, not connected`);
  }
}
