// Calls the WASI host's functions directly, as a guest would, over a plain memory: paths go in as
// bytes, results come back from the out-pointers. Lets tests probe errnos without compiling Wasm.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferSink, BufferSource, Errno, NodeFileSystem, Wasi, nodeClock, nodeRandom, type Preopen, type WasiFileSystem } from '../../core/wasi';

type Fn = (...args: unknown[]) => unknown;

const SCRATCH = 1024; // where strings and iovecs go
const OUT = 64; // out-pointer area

export class Guest {
  readonly wasi: Wasi;
  readonly memory = { buffer: new ArrayBuffer(1 << 20) };
  readonly stdout = new BufferSink();
  readonly stderr = new BufferSink();
  private heap = SCRATCH;

  constructor(preopens: Preopen[], options: { stdin?: BufferSource; args?: string[]; env?: Record<string, string>; fs?: WasiFileSystem } = {}) {
    this.wasi = new Wasi({
      preopens, args: options.args, env: options.env,
      io: { stdin: options.stdin ?? new BufferSource(''), stdout: this.stdout, stderr: this.stderr, fs: options.fs ?? new NodeFileSystem(), clock: nodeClock, random: nodeRandom },
    });
    this.wasi.memory = this.memory;
  }

  get view(): DataView {
    return new DataView(this.memory.buffer);
  }

  /** Raw call: returns whatever the host function returned (an errno, or a sentinel). */
  raw(name: string, ...args: unknown[]): unknown {
    const fn = this.wasi.imports.wasi_snapshot_preview1[name] as unknown as Fn;
    return fn(...args);
  }

  call(name: string, ...args: unknown[]): Errno {
    this.heap = SCRATCH;
    return this.raw(name, ...args) as Errno;
  }

  /** Copies bytes into scratch memory: [ptr, len]. */
  put(data: string | Uint8Array): [number, number] {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    const ptr = this.heap;
    new Uint8Array(this.memory.buffer).set(bytes, ptr);
    this.heap += bytes.length + 8 - (bytes.length % 8);
    return [ptr, bytes.length];
  }

  u32(ptr = OUT): number {
    return this.view.getUint32(ptr, true);
  }
  u64(ptr = OUT): bigint {
    return this.view.getBigUint64(ptr, true);
  }
  bytes(ptr: number, len: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, len).slice();
  }

  // ---- conveniences: each returns the errno, with results in `last` ----

  /** Opens `path` under `dir`; the new fd is in `this.fd` on success. */
  open(dir: number, path: string, o: { oflags?: number; rights?: bigint; follow?: boolean; fdflags?: number } = {}): Errno {
    this.heap = SCRATCH;
    const [p, l] = this.put(path);
    const e = this.raw('path_open', dir, o.follow ? 1 : 0, p, l, o.oflags ?? 0, o.rights ?? 0n, 0n, o.fdflags ?? 0, OUT) as Errno;
    this.fd = e === Errno.SUCCESS ? this.u32() : -1;
    return e;
  }
  fd = -1;

  path(name: string, dir: number, path: string): Errno {
    this.heap = SCRATCH;
    const [p, l] = this.put(path);
    return this.raw(name, dir, p, l) as Errno;
  }

  /** path_filestat_get; the filestat is at OUT: filetype at +16, size at +32, mtim at +48. */
  stat(dir: number, path: string, follow = false): Errno {
    this.heap = SCRATCH;
    const [p, l] = this.put(path);
    return this.raw('path_filestat_get', dir, follow ? 1 : 0, p, l, OUT) as Errno;
  }
  get statType(): number {
    return this.view.getUint8(OUT + 16);
  }
  get statSize(): bigint {
    return this.u64(OUT + 32);
  }

  symlink(target: string, dir: number, path: string): Errno {
    this.heap = SCRATCH;
    const [t, tl] = this.put(target);
    const [p, l] = this.put(path);
    return this.raw('path_symlink', t, tl, dir, p, l) as Errno;
  }

  rename(dir: number, from: string, toDir: number, to: string): Errno {
    this.heap = SCRATCH;
    const [a, al] = this.put(from);
    const [b, bl] = this.put(to);
    return this.raw('path_rename', dir, a, al, toDir, b, bl) as Errno;
  }

  link(dir: number, from: string, toDir: number, to: string, follow = false): Errno {
    this.heap = SCRATCH;
    const [a, al] = this.put(from);
    const [b, bl] = this.put(to);
    return this.raw('path_link', dir, follow ? 1 : 0, a, al, toDir, b, bl) as Errno;
  }

  readlink(dir: number, path: string, bufLen = 256): { errno: Errno; text: string } {
    this.heap = SCRATCH;
    const [p, l] = this.put(path);
    const buf = 4096;
    const errno = this.raw('path_readlink', dir, p, l, buf, bufLen, OUT) as Errno;
    return { errno, text: errno === Errno.SUCCESS ? new TextDecoder().decode(this.bytes(buf, this.u32())) : '' };
  }

  write(fd: number, data: string): Errno {
    this.heap = SCRATCH;
    const [p, l] = this.put(data);
    const iov = this.heap;
    this.view.setUint32(iov, p, true);
    this.view.setUint32(iov + 4, l, true);
    return this.raw('fd_write', fd, iov, 1, OUT) as Errno;
  }

  /** fd_read of up to `len` bytes; the text read is returned with the errno. */
  read(fd: number, len = 256): { errno: unknown; text: string } {
    const buf = 8192;
    const iov = 4096 + 512;
    this.view.setUint32(iov, buf, true);
    this.view.setUint32(iov + 4, len, true);
    const errno = this.raw('fd_read', fd, iov, 1, OUT);
    return { errno, text: errno === Errno.SUCCESS ? new TextDecoder().decode(this.bytes(buf, this.u32())) : '' };
  }

  /** fd_readdir from `cookie` into a buffer of `len` bytes: the names, their cookies, and bufused. */
  readdir(fd: number, len = 4096, cookie = 0n): { errno: Errno; names: string[]; next: bigint[]; used: number } {
    const buf = 16384;
    const errno = this.raw('fd_readdir', fd, buf, len, cookie, OUT) as Errno;
    const used = errno === Errno.SUCCESS ? this.u32() : 0;
    const names: string[] = [];
    const next: bigint[] = [];
    let at = 0;
    while (at + 24 <= used) {
      const nl = this.view.getUint32(buf + at + 16, true);
      if (at + 24 + nl > used) break;
      next.push(this.view.getBigUint64(buf + at, true));
      names.push(new TextDecoder().decode(this.bytes(buf + at + 24, nl)));
      at += 24 + nl;
    }
    return { errno, names, next, used };
  }
}

/** A fresh temp directory with `sandbox/` (the preopen) and `outside/` beside it. */
export function scratch(): { root: string; sandbox: string; outside: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'wasi-sandbox-'));
  const sandbox = join(root, 'sandbox');
  const outside = join(root, 'outside');
  return { root, sandbox, outside, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
