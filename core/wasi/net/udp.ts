// A UDP socket over node:dgram with WASI's rules: bind (explicit, or implicit on the first
// send), an optional connected remote ("stream" mode in 0.2, connect in 0.3), datagrams in and
// out with their addresses, and the sandbox policy on every bind, connect and send.
import * as dgram from 'node:dgram';
import { checkAddress, formatSocketAddress, fromNode, isBroadcast, isMulticast, isUnspecified, unmapIpv4, type IpFamily, type SocketAddress } from './address';
import { NetError, netErrorOf } from './errors';
import type { NetPolicy } from './policy';
import { Signal } from './signal';

export type UdpState = 'unbound' | 'binding' | 'bound' | 'closed';

export interface Datagram {
  data: Uint8Array;
  remote: SocketAddress;
}

/** Datagrams kept unread before new ones are dropped (UDP may drop; memory must stay bounded). */
const MAX_QUEUED = 1024;
/** IPv4's largest payload: 65535 - 20 (IP) - 8 (UDP); IPv6 allows 65527 without jumbograms. */
const MAX_PAYLOAD: Record<IpFamily, number> = { ipv4: 65507, ipv6: 65527 };

export class UdpSocket {
  state: UdpState = 'unbound';
  readonly changed = new Signal();
  ipv6Only = false;
  private sock: dgram.Socket | undefined;
  private local: SocketAddress | undefined;
  private remote: SocketAddress | undefined;
  private readonly queue: Datagram[] = [];
  private error: NetError | undefined;
  private pending: Promise<void> | undefined;
  private connectingTo: SocketAddress | undefined;
  private inFlight = 0;
  private hopLimit = 64;
  private receiveBufferSize = 212992n;
  private sendBufferSize = 212992n;

  constructor(readonly family: IpFamily, private readonly policy: NetPolicy) {}

  /** Binds to `local`; settles once the kernel has answered (address-in-use, the chosen port). */
  bind(local: SocketAddress): Promise<void> {
    if (this.state !== 'unbound') throw new NetError('invalid-state', `bind: the socket is already ${this.state}`);
    this.checkFamily(local, 'bind');
    if (isMulticast(local.address) || isBroadcast(local.address)) throw new NetError('invalid-argument', `bind: ${local.address} is not a unicast address`);
    this.policy.check('bind', local);
    return this.doBind(local);
  }

  /** Whether a bind is still waiting for the kernel (0.2's finish-bind says would-block). */
  get binding(): boolean {
    return this.state === 'binding';
  }

  /** The bind's outcome once settled: throws the failure (once). */
  finishBind(): void {
    if (this.state === 'binding') throw new NetError('would-block', 'bind: still in progress');
    if (this.state === 'bound') return;
    if (this.error) {
      const e = this.error;
      this.error = undefined;
      throw e;
    }
    throw new NetError('not-in-progress', 'bind: no bind in progress');
  }

  /**
   * Sets (or with undefined clears) the only peer: sends default to it and only its datagrams
   * arrive. A bad or denied address throws at once; the promise settles when the kernel agreed.
   */
  connect(remote: SocketAddress | undefined): Promise<void> {
    if (this.state === 'closed') throw new NetError('invalid-state', 'connect: the socket is closed');
    if (remote === undefined) {
      if (this.remote) this.sock?.disconnect();
      this.remote = undefined;
      return Promise.resolve();
    }
    this.checkFamily(remote, 'connect');
    if (isUnspecified(remote.address) || remote.port === 0) throw new NetError('invalid-argument', `connect: ${formatSocketAddress(remote)} is not a reachable address`);
    this.policy.check('connect', remote);
    this.connectingTo = remote;
    const p = this.doConnect(remote).finally(() => {
      if (this.connectingTo === remote) this.connectingTo = undefined;
      this.changed.notify();
    });
    p.catch(() => {});
    return p;
  }

  /** Whether a connect is still waiting for the kernel. */
  get connecting(): boolean {
    return this.connectingTo !== undefined;
  }

  private async doConnect(remote: SocketAddress): Promise<void> {
    if (this.state === 'unbound') await this.doBind({ family: this.family, address: this.family === 'ipv4' ? '0.0.0.0' : '::', port: 0 });
    else if (this.pending) await this.pending;
    const sock = this.sock!;
    if (this.remote) sock.disconnect();
    this.remote = undefined;
    await new Promise<void>((resolve, reject) => {
      sock.connect(remote.port, remote.address, (err?: Error) => (err ? reject(netErrorOf(err, `connect to ${formatSocketAddress(remote)}`)) : resolve()));
    });
    this.remote = { ...remote };
  }

  /** Sends one datagram, to `to` or the connected peer; binds first when unbound. */
  async send(data: Uint8Array, to?: SocketAddress): Promise<void> {
    const target = this.checkSend(data, to);
    if (this.state === 'unbound') await this.doBind({ family: this.family, address: this.family === 'ipv4' ? '0.0.0.0' : '::', port: 0 });
    else if (this.pending) await this.pending;
    const sock = this.sock!;
    const buf = Buffer.from(data);
    this.inFlight++;
    try {
      await new Promise<void>((resolve, reject) => {
        const done = (err: Error | null): void => (err ? reject(netErrorOf(err, `send to ${formatSocketAddress(target)}`)) : resolve());
        // A connected dgram socket takes no address (checkSend made sure `to` is the peer).
        if (this.remote) sock.send(buf, done);
        else sock.send(buf, target.port, target.address, done);
      });
    } finally {
      this.inFlight--;
      this.changed.notify();
    }
  }

  /** Validates a send now (the errors 0.2's send returns at once); the destination it goes to. */
  checkSend(data: Uint8Array, to?: SocketAddress): SocketAddress {
    if (this.state === 'closed') throw new NetError('invalid-state', 'send: the socket is closed');
    if (data.length > MAX_PAYLOAD[this.family]) throw new NetError('datagram-too-large', `send: ${data.length} bytes is more than a UDP datagram holds`);
    if (to === undefined) {
      if (!this.remote) throw new NetError('invalid-argument', 'send: no destination and the socket is not connected');
      return this.remote;
    }
    this.checkFamily(to, 'send');
    if (this.remote && (to.address !== this.remote.address || to.port !== this.remote.port)) {
      throw new NetError('invalid-argument', `send: the socket is connected to ${formatSocketAddress(this.remote)}, not ${formatSocketAddress(to)}`);
    }
    if (isUnspecified(to.address) || to.port === 0) throw new NetError('invalid-argument', `send: ${formatSocketAddress(to)} is not a reachable address`);
    this.policy.check('send', to);
    return to;
  }

  /** The next datagram, or undefined when none is waiting. */
  tryReceive(): Datagram | undefined {
    if (this.state === 'closed') throw new NetError('invalid-state', 'receive: the socket is closed');
    if (this.state === 'unbound') throw new NetError('invalid-state', 'receive: the socket is not bound');
    const d = this.queue.shift();
    if (d) return d;
    if (this.error && this.state !== 'binding') throw this.error;
    return undefined;
  }

  async receive(): Promise<Datagram> {
    for (;;) {
      const d = this.tryReceive();
      if (d) return d;
      await this.changed.wait();
    }
  }

  get receiveReady(): boolean {
    return this.state !== 'bound' || this.queue.length > 0;
  }

  /** Sends still travelling to the kernel (0.2's check-send waits while there are many). */
  get sendsInFlight(): number {
    return this.inFlight;
  }

  localAddress(): SocketAddress {
    if (!this.local || this.state !== 'bound') throw new NetError('invalid-state', 'local-address: the socket is not bound');
    return { ...this.local };
  }

  remoteAddress(): SocketAddress {
    if (!this.remote) throw new NetError('invalid-state', 'remote-address: the socket is not connected');
    return { ...this.remote };
  }

  get unicastHopLimit(): number {
    return this.hopLimit;
  }

  setUnicastHopLimit(n: number): void {
    if (!(n > 0 && n <= 255)) throw new NetError('invalid-argument', 'unicast-hop-limit: must be 1..255');
    this.hopLimit = n;
    if (this.state === 'bound') this.sock!.setTTL(n);
  }

  get receiveBuffer(): bigint {
    return this.receiveBufferSize;
  }

  get sendBuffer(): bigint {
    return this.sendBufferSize;
  }

  setReceiveBufferSize(n: bigint): void {
    if (n <= 0n) throw new NetError('invalid-argument', 'receive-buffer-size: must be positive');
    this.receiveBufferSize = n;
    if (this.state === 'bound') this.applyBuffers();
  }

  setSendBufferSize(n: bigint): void {
    if (n <= 0n) throw new NetError('invalid-argument', 'send-buffer-size: must be positive');
    this.sendBufferSize = n;
    if (this.state === 'bound') this.applyBuffers();
  }

  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    try {
      this.sock?.close();
    } catch {
      // closing a socket whose bind failed: nothing is open
    }
    this.sock = undefined;
    this.changed.notify();
  }

  private doBind(local: SocketAddress): Promise<void> {
    const sock = dgram.createSocket({ type: this.family === 'ipv4' ? 'udp4' : 'udp6', ipv6Only: this.ipv6Only });
    this.sock = sock;
    this.state = 'binding';
    this.changed.notify();
    sock.on('message', (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      if (this.queue.length >= MAX_QUEUED) return;
      this.queue.push({ data: new Uint8Array(msg.buffer, msg.byteOffset, msg.length), remote: fromNode(rinfo.address, rinfo.port, rinfo.family) });
      this.changed.notify();
    });
    this.pending = new Promise<void>((resolve, reject) => {
      const onError = (e: Error): void => {
        this.error = netErrorOf(e, `bind ${formatSocketAddress(local)}`);
        this.state = 'unbound';
        this.sock = undefined;
        try {
          sock.close();
        } catch {
          // never bound
        }
        this.changed.notify();
        reject(this.error);
      };
      sock.once('error', onError);
      sock.bind({ port: local.port, address: local.address, exclusive: true }, () => {
        sock.off('error', onError);
        sock.on('error', (e) => {
          this.error = netErrorOf(e, 'udp');
          this.changed.notify();
        });
        const a = sock.address();
        this.local = fromNode(a.address, a.port, a.family);
        this.state = 'bound';
        try {
          sock.setTTL(this.hopLimit);
        } catch {
          // the kernel keeps its default
        }
        this.applyBuffers();
        this.pending = undefined;
        this.changed.notify();
        resolve();
      });
    });
    this.pending.catch(() => {});
    return this.pending;
  }

  private applyBuffers(): void {
    try {
      this.sock!.setRecvBufferSize(Number(this.receiveBufferSize > 0x7fffffffn ? 0x7fffffffn : this.receiveBufferSize));
      this.sock!.setSendBufferSize(Number(this.sendBufferSize > 0x7fffffffn ? 0x7fffffffn : this.sendBufferSize));
    } catch {
      // the kernel clamps or refuses sizes past its limits; the values read back stay as set
    }
  }

  private checkFamily(a: SocketAddress, what: string): void {
    checkAddress(a, what);
    if (a.family !== this.family) throw new NetError('invalid-argument', `${what}: an ${a.family} address on an ${this.family} socket`);
    if (this.family === 'ipv6' && this.ipv6Only && unmapIpv4(a.address) !== undefined) {
      throw new NetError('invalid-argument', `${what}: an IPv4-mapped address on an IPv6-only socket`);
    }
  }
}
