// Standard input for a program under the debugger: lines typed in the Debug Console or a file's
// contents, handed out as the program reads; an empty queue means "wait" until input or EOF.
import type { InputSource } from '../core/wasi/wasi-io';

export class StdinQueue implements InputSource {
  private chunks: Uint8Array[] = [];
  private closed = false;

  /** Appends input; a console line gets its newline back (the console strips it). */
  push(bytes: Uint8Array): void {
    if (bytes.length) this.chunks.push(bytes);
  }

  pushLine(line: string): void {
    this.push(new TextEncoder().encode(line.endsWith('\n') ? line : `${line}\n`));
  }

  /** No more input after what is queued: reads then see end of file. */
  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get available(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }

  /** InputSource.read: bytes copied; 0 = end of input; null = nothing yet (the machine waits). */
  read(buf: Uint8Array): number | null {
    if (this.chunks.length === 0) return this.closed ? 0 : null;
    let n = 0;
    while (n < buf.length && this.chunks.length) {
      const c = this.chunks[0]!;
      const take = Math.min(c.length, buf.length - n);
      buf.set(c.subarray(0, take), n);
      n += take;
      if (take === c.length) this.chunks.shift();
      else this.chunks[0] = c.subarray(take);
    }
    return n;
  }

  poll(): { ready: boolean; nbytes: number } {
    return { ready: this.chunks.length > 0 || this.closed, nbytes: this.available };
  }
}
