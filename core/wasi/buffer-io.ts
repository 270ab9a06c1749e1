// In-memory stdio for tests and embedders: output collected in buffers, input from bytes given
// up front or fed later (a source that is "not ready" until fed makes the program wait).
import type { InputSource, OutputSink } from './wasi-io';

/** Collects everything written. */
export class BufferSink implements OutputSink {
  private chunks: Uint8Array[] = [];
  write(bytes: Uint8Array): void {
    this.chunks.push(bytes.slice());
  }
  bytes(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}

/** Passes each write to a callback (the debugger turns these into output events). */
export class CallbackSink implements OutputSink {
  constructor(private readonly onWrite: (bytes: Uint8Array) => void) {}
  write(bytes: Uint8Array): void {
    this.onWrite(bytes.slice());
  }
}

/**
 * Input from bytes. `closed` sources return 0 (end of input) once drained; open ones return null
 * ("not ready") until more is fed or `end()` is called, so a machine can wait for the user.
 */
export class BufferSource implements InputSource {
  private data: Uint8Array;
  private offset = 0;
  private ended: boolean;
  constructor(initial: Uint8Array | string = new Uint8Array(0), options: { ended?: boolean } = {}) {
    this.data = typeof initial === 'string' ? new TextEncoder().encode(initial) : initial.slice();
    this.ended = options.ended ?? true;
  }
  /** Appends input (e.g. a line typed into the Debug Console). */
  feed(more: Uint8Array | string): void {
    const bytes = typeof more === 'string' ? new TextEncoder().encode(more) : more;
    const next = new Uint8Array(this.data.length - this.offset + bytes.length);
    next.set(this.data.subarray(this.offset));
    next.set(bytes, this.data.length - this.offset);
    this.data = next;
    this.offset = 0;
  }
  /** No more input will come: reads return end-of-file once drained. */
  end(): void {
    this.ended = true;
  }
  read(buf: Uint8Array): number | null {
    const n = Math.min(buf.length, this.data.length - this.offset);
    if (n === 0 && buf.length > 0) return this.ended ? 0 : null;
    buf.set(this.data.subarray(this.offset, this.offset + n));
    this.offset += n;
    return n;
  }
  poll(): { ready: boolean; nbytes: number } {
    const n = this.data.length - this.offset;
    return { ready: n > 0 || this.ended, nbytes: n };
  }
}
