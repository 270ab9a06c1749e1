// An HTTP body in flight: byte chunks with backpressure and, at its end, optional trailers or
// an error. One side writes (the guest's outgoing body, or Node's incoming stream), the other
// reads: synchronously (`tryRead`, for 0.2 pollables), by awaiting (`read`), or as an async
// iterable of chunks (what node:http is fed from).
import type { Fields } from './http-fields';
import type { HttpError } from './http-errors';
import { Signal } from './signal';

/** Writers are asked to wait once this much is buffered unread. */
const HIGH_WATER = 256 * 1024;

export class BodyStream {
  readonly changed = new Signal();
  private readonly chunks: Uint8Array[] = [];
  private buffered = 0;
  private done = false;
  private failure: HttpError | undefined;
  private trailerFields: Fields | undefined;
  /** Total bytes written (for Content-Length checks). */
  written = 0;
  /** Called when the reader has taken enough that a paused producer may go on. */
  onDrain: (() => void) | undefined;

  /** How many more bytes the writer may add before it should wait for `changed`. */
  capacity(): number {
    return this.done ? 0 : Math.max(0, HIGH_WATER - this.buffered);
  }

  get finished(): boolean {
    return this.done;
  }

  write(chunk: Uint8Array): void {
    if (this.done) throw new Error('body: write after the body was finished');
    if (chunk.length === 0) return;
    this.chunks.push(chunk.slice());
    this.buffered += chunk.length;
    this.written += chunk.length;
    this.changed.notify();
  }

  async writeAll(chunk: Uint8Array): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      const room = this.capacity();
      if (room === 0) {
        if (this.done) return;
        await this.changed.wait();
        continue;
      }
      const n = Math.min(room, chunk.length - off);
      this.write(chunk.subarray(off, off + n));
      off += n;
    }
  }

  /** The end of the body, with trailers if any. */
  finish(trailers?: Fields): void {
    if (this.done) return;
    this.done = true;
    this.trailerFields = trailers;
    this.changed.notify();
  }

  /** Ends the body with an error the reader sees after the data already buffered. */
  fail(error: HttpError): void {
    if (this.done) return;
    this.done = true;
    this.failure = error;
    this.changed.notify();
  }

  /** The next chunk (at most `max` bytes), null when none is here yet, 'end' at the end; throws the failure. */
  tryRead(max = Infinity): Uint8Array | null | 'end' {
    const first = this.chunks[0];
    if (first) {
      let out = first;
      if (first.length <= max) this.chunks.shift();
      else {
        out = first.subarray(0, max);
        this.chunks[0] = first.subarray(max);
      }
      const before = this.buffered;
      this.buffered -= out.length;
      if (before >= HIGH_WATER / 2 && this.buffered < HIGH_WATER / 2) this.onDrain?.();
      this.changed.notify();
      return out;
    }
    if (this.failure) throw this.failure;
    return this.done ? 'end' : null;
  }

  async read(max = Infinity): Promise<Uint8Array | 'end'> {
    for (;;) {
      const r = this.tryRead(max);
      if (r !== null) return r;
      await this.changed.wait();
    }
  }

  get readReady(): boolean {
    return this.chunks.length > 0 || this.done;
  }

  /** The trailers, once the body has ended (undefined when there were none). */
  get trailers(): Fields | undefined {
    return this.trailerFields;
  }

  get error(): HttpError | undefined {
    return this.failure;
  }

  /** Whole body as one array (tests, small bodies). */
  async readAll(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (;;) {
      const r = await this.read();
      if (r === 'end') break;
      parts.push(r);
    }
    return new Uint8Array(Buffer.concat(parts));
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      const r = await this.read();
      if (r === 'end') return;
      yield r;
    }
  }
}

/** A BodyStream fed from a Node readable (an IncomingMessage): pauses it while the reader lags. */
export function bodyFromNode(
  source: NodeJS.ReadableStream & { rawTrailers?: string[]; pause(): unknown; resume(): unknown },
  toFields: (raw: string[]) => Fields,
  onError: (e: unknown) => HttpError,
  onChunk?: () => void,
): BodyStream {
  const body = new BodyStream();
  body.onDrain = () => source.resume();
  source.on('data', (chunk: Buffer) => {
    onChunk?.();
    body.write(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    if (body.capacity() === 0) source.pause();
  });
  source.on('end', () => body.finish(source.rawTrailers && source.rawTrailers.length > 0 ? toFields(source.rawTrailers) : undefined));
  source.on('error', (e) => body.fail(onError(e)));
  source.on('close', () => {
    if (!body.finished) body.fail(onError(Object.assign(new Error('the connection closed before the body ended'), { code: 'ECONNRESET' })));
  });
  return body;
}
