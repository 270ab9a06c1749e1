// A raw Content-Length framed client for the protocol robustness tests: it can send what no library
// would (garbage bytes, lying headers, invalid JSON, wrong types) and still read the replies.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export type Message = Record<string, unknown> & { id?: unknown; seq?: unknown; request_seq?: unknown; method?: string; command?: string; event?: string };

export class WireClient {
  readonly messages: Message[] = [];
  stderr = '';
  private buffer = Buffer.alloc(0);
  private readonly waiters: (() => void)[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.on('data', (d: Buffer) => this.receive(d));
    child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    // A write to a server that has exited is the test's business (it checks `exited`), not a crash.
    child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      resolve({ code, signal });
      for (const w of this.waiters.splice(0)) w();
    }));
  }

  static start(script: string, args: string[] = []): WireClient {
    return new WireClient(spawn(process.execPath, [script, ...args], { stdio: 'pipe' }));
  }

  private receive(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) break;
      const length = Number(/Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, end).toString())?.[1]);
      if (!Number.isFinite(length) || this.buffer.length < end + 4 + length) break;
      const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 4 + length);
      this.messages.push(JSON.parse(body) as Message);
    }
    for (const w of this.waiters.splice(0)) w();
  }

  /** Writes bytes as they are (no framing). */
  raw(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  /** Frames a body (a JSON value, or a string sent as is) with a correct Content-Length. */
  send(body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.raw(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  /** The first message (from now on or already received) that satisfies `match`. */
  async waitFor(match: (m: Message) => boolean, what: string, timeoutMs = 30_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(match);
      if (found) return found;
      if (this.child.exitCode !== null || this.child.signalCode !== null) throw new Error(`${what}: the process exited (${this.child.exitCode ?? this.child.signalCode}); stderr: ${this.stderr.slice(-2000)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what}: no answer within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves with the exit, or rejects (after killing the process) when it does not exit in time. */
  async exit(timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`the process did not exit within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
