// wasi:io (error, streams, poll) for the 0.2 host: input and output streams over the injected
// stdio and host files, pollables for clocks and stdin, and the error resource.
import { WOULD_BLOCK } from '../../interp/runtime';
import type { HostHandle, InputSource, OutputSink, WasiFileSystem } from '../wasi-io';
import { errorCodeOf } from './error-codes';
import { err, len, ok, type Tagged } from './values';

/** wasi:io/error's `error`: a debug string and, for filesystem failures, the error-code. */
export class IoError {
  constructor(readonly message: string, readonly code?: string) {}
  toDebugString(): string {
    return this.message;
  }
}

export type StreamError = Tagged;
export const closed: StreamError = { tag: 'closed' };
export function failed(message: string, code?: string): StreamError {
  return { tag: 'last-operation-failed', val: new IoError(message, code) };
}

/** A readiness source: `ready()` says whether `block` would return at once. */
export class Pollable {
  constructor(readonly ready: () => boolean, readonly deadline?: () => bigint | undefined) {}
}

export const alwaysReady = (): Pollable => new Pollable(() => true);

/** The largest write check-write allows at once (the adapter splits bigger writes). */
const WRITE_BUDGET = 1 << 20;

export class OutputStream {
  constructor(
    private readonly target:
      | { kind: 'sink'; sink: OutputSink }
      | { kind: 'file'; fs: WasiFileSystem; handle: HostHandle; position: bigint; append: boolean; isOpen: () => boolean },
  ) {}

  checkWrite(): Tagged {
    if (this.target.kind === 'file' && !this.target.isOpen()) return err(closed);
    return ok(BigInt(WRITE_BUDGET));
  }

  write(bytes: Uint8Array): Tagged {
    const t = this.target;
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

  splice(src: InputStream, n: unknown, blocking: boolean): Tagged {
    const r = blocking ? src.blockingRead(n) : src.read(n);
    if (r === WOULD_BLOCK) return ok(0n);
    const t = r as Tagged;
    if (t.tag !== 'ok') return t;
    const bytes = t.val as Uint8Array;
    const w = this.write(bytes);
    return w.tag === 'ok' ? ok(BigInt(bytes.length)) : w;
  }
}

export class InputStream {
  constructor(
    private readonly source:
      | { kind: 'source'; input: InputSource }
      | { kind: 'file'; fs: WasiFileSystem; handle: HostHandle; position: bigint; isOpen: () => boolean },
  ) {}

  /** Non-blocking read: up to `n` bytes; an empty list when nothing is ready yet. */
  read(n: unknown): Tagged | typeof WOULD_BLOCK {
    const want = len(n, WRITE_BUDGET);
    const s = this.source;
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
    if (s.kind === 'source' && s.input.poll) {
      const input = s.input;
      return new Pollable(() => input.poll!().ready);
    }
    return alwaysReady();
  }
}
