// wasi:io (error, streams, poll) for the 0.2 host: input and output streams over the injected
// stdio, host files and TCP connections, pollables for clocks, stdin and sockets, and the error
// resource. A socket is asynchronous underneath: a blocking call that cannot finish now parks the
// wait it needs (`Park`) and returns WOULD_BLOCK, so the machine stops and calls it again later.
import { WOULD_BLOCK } from '../../interp/runtime';
import type { HostHandle, InputSource, OutputSink, WasiFileSystem } from '../wasi-io';
import { errorCodeOf } from './error-codes';
import { err, len, ok, type Tagged } from './values';

/** wasi:io/error's `error`: a debug string and, for filesystem failures, the error-code. */
export class IoError {
  /** `code`: wasi:filesystem's error-code; `netCode`: wasi:sockets' (network-error-code). */
  constructor(readonly message: string, readonly code?: string, readonly netCode?: string) {}
  toDebugString(): string {
    return this.message;
  }
}

export type StreamError = Tagged;
export const closed: StreamError = { tag: 'closed' };
export function failed(message: string, code?: string, netCode?: string): StreamError {
  return { tag: 'last-operation-failed', val: new IoError(message, code, netCode) };
}

/**
 * A readiness source: `ready()` says whether `block` would return at once; a clock's has a
 * `deadline`, a socket's a `wait` that resolves when its state may have changed.
 */
export class Pollable {
  constructor(readonly ready: () => boolean, readonly deadline?: () => bigint | undefined, readonly wait?: () => Promise<void>) {}
}

/** Records what a blocked call waits for (the host awaits it) and returns WOULD_BLOCK. */
export type Park = (until: Promise<void>) => typeof WOULD_BLOCK;

/** For a "not yet" answer on a socket: WOULD_BLOCK when the event loop must get a turn first. */
export type Idle = () => typeof WOULD_BLOCK | undefined;

/** The byte-stream side of a connected socket (core/wasi/net's TcpSocket). */
export interface SocketStream {
  tryRead(max: number): Uint8Array | null | 'end';
  readonly readReady: boolean;
  writeCapacity(): number;
  tryWrite(bytes: Uint8Array): void;
  readonly writeReady: boolean;
  readonly flushed: boolean;
  readonly changed: { wait(): Promise<void> };
}

/** A failure of the net layer (a NetError) as a stream error carrying its wasi:sockets code. */
function socketFailure(e: unknown): StreamError {
  const code = (e as { code?: unknown }).code;
  if (e instanceof Error && typeof code === 'string') return failed(e.message, undefined, code === 'connection-broken' ? 'connection-reset' : code);
  throw e;
}

export const alwaysReady = (): Pollable => new Pollable(() => true);

/** The largest write check-write allows at once (the adapter splits bigger writes). */
const WRITE_BUDGET = 1 << 20;

export class OutputStream {
  /** A blocking write to a socket has sent its bytes and waits for them to drain (it is called again). */
  private flushing = false;
  /** Runs when the guest drops the stream (a socket's: shut down sending). */
  onDrop: (() => void) | undefined;

  constructor(
    private readonly target:
      | { kind: 'sink'; sink: OutputSink }
      | { kind: 'file'; fs: WasiFileSystem; handle: HostHandle; position: bigint; append: boolean; isOpen: () => boolean }
      | { kind: 'socket'; socket: SocketStream; park: Park; idle: Idle },
  ) {}

  drop(): void {
    this.onDrop?.();
  }

  checkWrite(): Tagged | typeof WOULD_BLOCK {
    const t = this.target;
    if (t.kind === 'socket') {
      try {
        const room = t.socket.writeCapacity();
        return room === 0 ? (t.idle() ?? ok(0n)) : ok(BigInt(room));
      } catch (e) {
        return err(socketFailure(e));
      }
    }
    if (t.kind === 'file' && !t.isOpen()) return err(closed);
    return ok(BigInt(WRITE_BUDGET));
  }

  /** blocking-write-and-flush (bytes) and blocking-flush (no bytes) on a socket: waits without spinning. */
  blockingWrite(bytes: Uint8Array | undefined): Tagged | typeof WOULD_BLOCK {
    const t = this.target;
    if (t.kind !== 'socket') return bytes === undefined ? ok() : this.write(bytes);
    try {
      if (!this.flushing) {
        if (bytes !== undefined && bytes.length > 0) {
          if (t.socket.writeCapacity() === 0) return t.park(t.socket.changed.wait());
          t.socket.tryWrite(bytes);
        }
        this.flushing = true;
      }
      t.socket.writeCapacity(); // a failure while draining is this call's error
      if (!t.socket.flushed) return t.park(t.socket.changed.wait());
      this.flushing = false;
      return ok();
    } catch (e) {
      this.flushing = false;
      return err(socketFailure(e));
    }
  }

  subscribe(): Pollable {
    const t = this.target;
    if (t.kind !== 'socket') return alwaysReady();
    return new Pollable(() => t.socket.writeReady, undefined, () => t.socket.changed.wait());
  }

  write(bytes: Uint8Array): Tagged {
    const t = this.target;
    if (t.kind === 'socket') {
      try {
        t.socket.tryWrite(bytes);
        return ok();
      } catch (e) {
        return err(socketFailure(e));
      }
    }
    if (t.kind === 'sink') {
      t.sink.write(bytes);
      return ok();
    }
    if (!t.isOpen()) return err(closed);
    try {
      let pos = t.append ? t.fs.fstat(t.handle).size : t.position;
      let off = 0;
      while (off < bytes.length) {
        const n = t.fs.write(t.handle, bytes.subarray(off), pos);
        if (n <= 0) break;
        off += n;
        pos += BigInt(n);
      }
      if (!t.append) t.position = pos;
      return ok();
    } catch (e) {
      return err(failed(e instanceof Error ? e.message : String(e), errorCodeOf(e)));
    }
  }

  writeZeroes(n: unknown): Tagged {
    return this.write(new Uint8Array(len(n, WRITE_BUDGET)));
  }

  splice(src: InputStream, n: unknown, blocking: boolean): Tagged | typeof WOULD_BLOCK {
    const r = blocking ? src.blockingRead(n) : src.read(n);
    if (r === WOULD_BLOCK) return blocking ? WOULD_BLOCK : ok(0n);
    const t = r as Tagged;
    if (t.tag !== 'ok') return t;
    const bytes = t.val as Uint8Array;
    const w = this.write(bytes);
    return w.tag === 'ok' ? ok(BigInt(bytes.length)) : w;
  }
}

export class InputStream {
  onDrop: (() => void) | undefined;

  constructor(
    private readonly source:
      | { kind: 'source'; input: InputSource }
      | { kind: 'file'; fs: WasiFileSystem; handle: HostHandle; position: bigint; isOpen: () => boolean }
      | { kind: 'socket'; socket: SocketStream; park: Park; idle: Idle },
  ) {}

  drop(): void {
    this.onDrop?.();
  }

  /** Non-blocking read: up to `n` bytes; an empty list when nothing is ready yet. */
  read(n: unknown): Tagged | typeof WOULD_BLOCK {
    const want = len(n, WRITE_BUDGET);
    const s = this.source;
    if (s.kind === 'socket') {
      try {
        const r = want === 0 ? new Uint8Array(0) : s.socket.tryRead(want);
        if (r === 'end') return err(closed);
        if (r === null) return s.idle() ?? ok(new Uint8Array(0));
        return ok(r.slice());
      } catch (e) {
        return err(socketFailure(e));
      }
    }
    if (s.kind === 'file') {
      if (!s.isOpen()) return err(closed);
      try {
        const buf = new Uint8Array(want);
        const got = want === 0 ? 0 : s.fs.read(s.handle, buf, s.position);
        if (got === 0 && want > 0) return err(closed);
        s.position += BigInt(got);
        return ok(buf.slice(0, got));
      } catch (e) {
        return err(failed(e instanceof Error ? e.message : String(e), errorCodeOf(e)));
      }
    }
    const buf = new Uint8Array(want);
    const got = want === 0 ? 0 : s.input.read(buf);
    if (got === null) return ok(new Uint8Array(0));
    if (got === 0 && want > 0) return err(closed);
    return ok(buf.slice(0, got));
  }

  /** Blocking read: waits for at least one byte (or end of input); WOULD_BLOCK lets the machine pause and call again. */
  blockingRead(n: unknown): Tagged | typeof WOULD_BLOCK {
    const s = this.source;
    if (s.kind === 'socket') {
      const r = this.read(n);
      if (r !== WOULD_BLOCK && r.tag === 'ok' && (r.val as Uint8Array).length === 0 && len(n, WRITE_BUDGET) > 0) return s.park(s.socket.changed.wait());
      return r;
    }
    if (s.kind === 'source') {
      const want = len(n, WRITE_BUDGET);
      const buf = new Uint8Array(want);
      const got = want === 0 ? 0 : s.input.read(buf);
      if (got === null) return WOULD_BLOCK;
      if (got === 0 && want > 0) return err(closed);
      return ok(buf.slice(0, got));
    }
    return this.read(n);
  }

  skip(n: unknown, blocking: boolean): Tagged | typeof WOULD_BLOCK {
    const r = blocking ? this.blockingRead(n) : this.read(n);
    if (r === WOULD_BLOCK) return r;
    return r.tag === 'ok' ? ok(BigInt((r.val as Uint8Array).length)) : r;
  }

  subscribe(): Pollable {
    const s = this.source;
    if (s.kind === 'socket') return new Pollable(() => s.socket.readReady, undefined, () => s.socket.changed.wait());
    if (s.kind === 'source' && s.input.poll) {
      const input = s.input;
      return new Pollable(() => input.poll!().ready);
    }
    return alwaysReady();
  }
}
