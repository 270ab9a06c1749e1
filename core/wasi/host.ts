// The wasi_snapshot_preview1 host: every function of the witx over an injected WasiIO, with
// Wasmtime's behaviour where the spec is loose. Host functions follow the WebAssembly JS-API
// convention (i32 → number, i64 → bigint), so the same imports run on our engine and on V8.
import {
  ClockId, DIRECTORY_RIGHTS, FILE_RIGHTS, FdFlags, FileType, FstFlags, INHERITING_RIGHTS, Layout,
  LookupFlags, OFlags, PREOPENTYPE_DIR, Rights, STDIO_RIGHTS, Whence,
} from './abi';
import { DescriptorTable, type Descriptor, type DirDescriptor, type FileDescriptor } from './descriptors';
import { Errno, WasiError, errnoOf } from './errno';
import { WasiExit } from './exit';
import { Trap } from '../errors';
import { GuestMemory, type WasiMemory } from './guest-memory';
import { pollOneoff, type PollState } from './poll';
import { WASI_SIGNATURES } from './signatures';
import { anchorHostPath, resolvePath, symlinkEscapes, type DirAnchor, type Resolved } from './sandbox';
import type { ClockKind, HostStat, WasiFileSystem, WasiIO } from './wasi-io';

export interface Preopen {
  /** Directory on the host. */
  host: string;
  /** The name the guest sees (e.g. "/" or "."). */
  guest: string;
}

export interface WasiOptions {
  args?: readonly string[];
  /** The whole environment the guest sees (nothing is inherited). */
  env?: Readonly<Record<string, string>>;
  preopens?: readonly Preopen[];
  io: WasiIO;
  /**
   * What fd_read (stdin not ready) and poll_oneoff (nothing ready, cannot sleep) return to make
   * the engine stop and call again: core/interp's WOULD_BLOCK. Without it those calls fail EAGAIN.
   */
  wouldBlock?: unknown;
}

type HostFunction = (...args: never[]) => unknown;

/** Rights that need the host file open for writing; FD_WRITE alone decides that, as in Wasmtime. */
const WRITE_RIGHTS = Rights.FD_WRITE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_SET_SIZE;

const CLOCKS: Record<number, ClockKind> = {
  [ClockId.REALTIME]: 'realtime',
  [ClockId.MONOTONIC]: 'monotonic',
  [ClockId.PROCESS_CPUTIME]: 'process',
  [ClockId.THREAD_CPUTIME]: 'thread',
};

const encoder = new TextEncoder();

function u32(n: number): number {
  return n >>> 0;
}
function u64(n: bigint): bigint {
  return BigInt.asUintN(64, n);
}

/** Flag words with bits the witx does not define are EINVAL, before anything else (as wiggle decodes them). */
function checkFlags(value: number, defined: number): void {
  if ((value & ~defined) !== 0) throw new WasiError(Errno.INVAL);
}

function needRights(d: Descriptor, rights: bigint): void {
  if ((d.rightsBase & rights) !== rights) throw new WasiError(Errno.NOTCAPABLE);
}

/** One WASI instance: its fd table, arguments, environment and I/O. */
export class Wasi {
  /** Set after instantiation to the instance's exported memory. */
  memory: WasiMemory | undefined;
  readonly imports: { wasi_snapshot_preview1: Record<string, HostFunction> };
  private readonly fds = new DescriptorTable();
  private readonly args: Uint8Array[];
  private readonly env: Uint8Array[];
  private readonly io: WasiIO;
  private readonly wouldBlock: unknown;
  private readonly pollState: PollState = { pending: undefined };

  constructor(options: WasiOptions) {
    this.io = options.io;
    this.wouldBlock = options.wouldBlock;
    this.args = (options.args ?? []).map((a) => encoder.encode(`${a}\0`));
    this.env = Object.entries(options.env ?? {}).map(([k, v]) => encoder.encode(`${k}=${v}\0`));
    for (const stream of [0, 1, 2] as const) {
      const rights = STDIO_RIGHTS & ~(stream === 0 ? Rights.FD_WRITE : Rights.FD_READ);
      this.fds.set(stream, { kind: 'stdio', stream, rightsBase: rights, rightsInheriting: 0n, flags: 0 });
    }
    for (const p of options.preopens ?? []) {
      if (!this.io.fs) throw new Error('WASI: preopened directories need a filesystem in WasiIO');
      this.fds.add({
        kind: 'dir', anchor: { root: p.host, parts: [] }, preopen: p.guest, handle: this.pin(p.host, true),
        rightsBase: DIRECTORY_RIGHTS, rightsInheriting: INHERITING_RIGHTS, flags: 0,
      });
    }
    const calls: Record<string, HostFunction> = {};
    for (const name of Object.keys(WASI_SIGNATURES)) {
      const impl = (this as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!.bind(this);
      calls[name] = this.guard(impl) as HostFunction;
    }
    this.imports = { wasi_snapshot_preview1: calls };
  }

  /** Closes every host file and directory the program still holds (e.g. when a debug session ends). */
  dispose(): void {
    for (const [fd, d] of [...this.fds.entries()]) {
      if (d.kind === 'stdio') continue;
      try {
        this.fd_close(fd);
      } catch {
        // Already gone on the host: nothing left to release.
      }
    }
  }

  /** Turns host failures into errnos; proc_exit's WasiExit and engine traps pass through. */
  private guard(impl: (...a: unknown[]) => unknown): (...a: unknown[]) => unknown {
    return (...a: unknown[]) => {
      try {
        const r = impl(...a);
        return r === undefined ? Errno.SUCCESS : r;
      } catch (err) {
        if (err instanceof WasiError) return err.errno;
        if (err instanceof WasiExit) throw err;
        if (typeof (err as { code?: unknown } | null)?.code === 'string') return errnoOf(err);
        throw err;
      }
    };
  }

  private mem(): GuestMemory {
    // A start function calling WASI runs before instantiation hands out the memory: a trap, not a crash.
    if (!this.memory) throw new Trap('WASI call without an exported memory (called from a start function, or the module exports no "memory")');
    return new GuestMemory(this.memory.buffer);
  }

  private get fs(): WasiFileSystem {
    if (!this.io.fs) throw new WasiError(Errno.NOTSUP);
    return this.io.fs;
  }

  private notReady(): unknown {
    if (this.wouldBlock === undefined) throw new WasiError(Errno.AGAIN);
    return this.wouldBlock;
  }

  // ---- descriptors of a kind ----

  /** A regular-file fd. On a stream, positioned calls are ESPIPE and the rest EBADF (as Wasmtime). */
  private file(fd: number, onStream: Errno = Errno.BADF): FileDescriptor {
    const d = this.fds.get(u32(fd));
    if (d.kind !== 'file') throw new WasiError(d.kind === 'dir' ? Errno.BADF : onStream);
    return d;
  }

  /** A directory fd: a file is ENOTDIR, a stream EBADF (as Wasmtime). */
  private dir(fd: number): DirDescriptor {
    const d = this.fds.get(u32(fd));
    if (d.kind !== 'dir') throw new WasiError(d.kind === 'file' ? Errno.NOTDIR : Errno.BADF);
    return d;
  }

  /** Holds a directory open when the filesystem can (see WasiFileSystem.openDirectory). */
  private pin(host: string, followFinal: boolean): number | undefined {
    try {
      return this.io.fs?.openDirectory?.(host, followFinal);
    } catch {
      return undefined; // the path is re-checked on each use instead
    }
  }

  /** The host path of a held directory: its pinned alias, or its re-verified path. */
  private dirHost(d: DirDescriptor): string {
    if (d.handle !== undefined && this.fs.directoryPath) return this.fs.directoryPath(d.handle);
    return anchorHostPath(this.fs, d.anchor);
  }

  private dirStat(d: DirDescriptor): HostStat {
    return d.handle !== undefined ? this.fs.fstat(d.handle) : this.fs.lstat(this.dirHost(d));
  }

  /** Resolves a guest path under a held directory. */
  private resolveIn(d: DirDescriptor, path: string, follow: boolean): Resolved {
    return resolvePath(this.fs, this.dirHost(d), path, follow, () => this.dirStat(d));
  }

  // ---- args, environment ----

  private sizes(list: Uint8Array[], countPtr: number, sizePtr: number): void {
    const m = this.mem();
    m.u32At(u32(countPtr), list.length);
    m.u32At(u32(sizePtr), list.reduce((n, s) => n + s.length, 0));
  }

  private strings(list: Uint8Array[], ptrs: number, buf: number): void {
    const m = this.mem();
    let at = u32(buf);
    list.forEach((s, i) => {
      m.u32At(u32(ptrs) + i * 4, at);
      m.bytes(at, s.length).set(s);
      at += s.length;
    });
  }

  args_get(argv: number, argvBuf: number): void {
    this.strings(this.args, argv, argvBuf);
  }
  args_sizes_get(countPtr: number, sizePtr: number): void {
    this.sizes(this.args, countPtr, sizePtr);
  }
  environ_get(environ: number, environBuf: number): void {
    this.strings(this.env, environ, environBuf);
  }
  environ_sizes_get(countPtr: number, sizePtr: number): void {
    this.sizes(this.env, countPtr, sizePtr);
  }

  // ---- clocks, random, process ----

  private clock(id: number): ClockKind {
    const kind = CLOCKS[id];
    if (!kind) throw new WasiError(Errno.INVAL);
    return kind;
  }

  clock_res_get(id: number, out: number): void {
    this.mem().u64At(u32(out), this.io.clock.resolution(this.clock(id)));
  }
  clock_time_get(id: number, _precision: bigint, out: number): void {
    this.mem().u64At(u32(out), this.io.clock.now(this.clock(id)));
  }

  random_get(buf: number, len: number): void {
    const bytes = this.mem().bytes(u32(buf), u32(len));
    // crypto fills at most 64 KiB per call.
    for (let off = 0; off < bytes.length; off += 65536) this.io.random.fill(bytes.subarray(off, off + 65536));
  }

  proc_exit(code: number): void {
    throw new WasiExit(u32(code));
  }
  proc_raise(_sig: number): number {
    return Errno.NOTSUP; // as Wasmtime: signals are not delivered to the guest
  }
  sched_yield(): void {}

  poll_oneoff(inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): unknown {
    return pollOneoff(
      { mem: this.mem(), io: this.io, fds: this.fds, state: this.pollState, notReady: () => this.notReady(), mayDefer: this.wouldBlock !== undefined },
      u32(inPtr), u32(outPtr), u32(nsubs), u32(neventsPtr),
    );
  }

  // ---- fd_* ----

  fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number): void {
    if (advice > 5) throw new WasiError(Errno.INVAL);
    const d = this.file(fd);
    needRights(d, Rights.FD_ADVISE);
    if (advice > 5) throw new WasiError(Errno.INVAL);
  }

  fd_allocate(fd: number, offset: bigint, len: bigint): void {
    const d = this.file(fd);
    needRights(d, Rights.FD_ALLOCATE);
    if (!d.writable) throw new WasiError(Errno.BADF);
    const end = u64(offset) + u64(len);
    if (end > 0xffff_ffff_ffff_ffffn) throw new WasiError(Errno.FBIG);
    const size = this.fs.fstat(d.handle).size;
    if (end > size) this.fs.truncate(d.handle, end);
  }

  fd_close(fd: number): void {
    const d = this.fds.remove(u32(fd));
    if (d.kind === 'file') this.fs.close(d.handle);
    if (d.kind === 'dir' && d.handle !== undefined) this.fs.close(d.handle);
  }

  fd_datasync(fd: number): void {
    const d = this.fds.get(u32(fd));
    needRights(d, Rights.FD_DATASYNC);
    if (d.kind === 'file') this.fs.sync(d.handle, true);
  }

  fd_sync(fd: number): void {
    const d = this.fds.get(u32(fd));
    needRights(d, Rights.FD_SYNC);
    if (d.kind === 'file') this.fs.sync(d.handle, false);
  }

  private fileType(d: Descriptor): FileType {
    if (d.kind === 'dir') return FileType.DIRECTORY;
    if (d.kind === 'file') return this.fs.fstat(d.handle).type;
    const tty = d.stream === 0 ? this.io.stdin.isTTY : d.stream === 1 ? this.io.stdout.isTTY : this.io.stderr.isTTY;
    return tty ? FileType.CHARACTER_DEVICE : FileType.UNKNOWN;
  }

  fd_fdstat_get(fd: number, out: number): void {
    const d = this.fds.get(u32(fd));
    const m = this.mem();
    const p = u32(out);
    m.bytes(p, Layout.FDSTAT_SIZE).fill(0);
    m.u8At(p, this.fileType(d));
    m.u16At(p + 2, d.flags);
    m.u64At(p + 8, d.rightsBase);
    m.u64At(p + 16, d.rightsInheriting);
  }

  fd_fdstat_set_flags(fd: number, flags: number): void {
    checkFlags(flags, 0x1f);
    const d = this.fds.get(u32(fd));
    needRights(d, Rights.FD_FDSTAT_SET_FLAGS);
    if (d.kind === 'dir') throw new WasiError(Errno.BADF);
    // Wasmtime changes only APPEND and NONBLOCK; the sync flags cannot be set after opening.
    if (flags & (FdFlags.DSYNC | FdFlags.RSYNC | FdFlags.SYNC)) throw new WasiError(Errno.INVAL);
    d.flags = (d.flags & ~(FdFlags.APPEND | FdFlags.NONBLOCK)) | (flags & (FdFlags.APPEND | FdFlags.NONBLOCK));
  }

  fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint): void {
    const d = this.fds.get(u32(fd));
    const b = u64(base);
    const i = u64(inheriting);
    // Rights can only be dropped, never gained.
    if ((b & ~d.rightsBase) !== 0n || (i & ~d.rightsInheriting) !== 0n) throw new WasiError(Errno.NOTCAPABLE);
    d.rightsBase = b;
    d.rightsInheriting = i;
  }

  private writeFilestat(out: number, s: HostStat): void {
    const m = this.mem();
    const p = u32(out);
    m.bytes(p, Layout.FILESTAT_SIZE).fill(0);
    m.u64At(p, s.dev);
    m.u64At(p + 8, s.ino);
    m.u8At(p + 16, s.type);
    m.u64At(p + 24, s.nlink);
    m.u64At(p + 32, s.size);
    m.u64At(p + 40, s.atim);
    m.u64At(p + 48, s.mtim);
    m.u64At(p + 56, s.ctim);
  }

  fd_filestat_get(fd: number, out: number): void {
    const d = this.fds.get(u32(fd));
    needRights(d, Rights.FD_FILESTAT_GET);
    if (d.kind === 'file') return this.writeFilestat(out, this.fs.fstat(d.handle));
    if (d.kind === 'dir') return this.writeFilestat(out, this.dirStat(d));
    this.writeFilestat(out, { dev: 0n, ino: 0n, type: this.fileType(d), nlink: 0n, size: 0n, atim: 0n, mtim: 0n, ctim: 0n });
  }

  fd_filestat_set_size(fd: number, size: bigint): void {
    const d = this.file(fd);
    needRights(d, Rights.FD_FILESTAT_SET_SIZE);
    if (!d.writable) throw new WasiError(Errno.BADF);
    if (size < 0n) throw new WasiError(Errno.INVAL);
    this.fs.truncate(d.handle, size);
  }

  /** The (atim, mtim) to set, null = unchanged; both a time and its NOW flag is EINVAL. */
  private times(atim: bigint, mtim: bigint, flags: number): [bigint | null, bigint | null] {
    if ((flags & FstFlags.ATIM && flags & FstFlags.ATIM_NOW) || (flags & FstFlags.MTIM && flags & FstFlags.MTIM_NOW) || flags > 15) {
      throw new WasiError(Errno.INVAL);
    }
    const now = flags & (FstFlags.ATIM_NOW | FstFlags.MTIM_NOW) ? this.io.clock.now('realtime') : 0n;
    const a = flags & FstFlags.ATIM ? u64(atim) : flags & FstFlags.ATIM_NOW ? now : null;
    const m = flags & FstFlags.MTIM ? u64(mtim) : flags & FstFlags.MTIM_NOW ? now : null;
    return [a, m];
  }

  fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number): void {
    const d = this.fds.get(u32(fd));
    needRights(d, Rights.FD_FILESTAT_SET_TIMES);
    const [a, m] = this.times(atim, mtim, flags);
    if (a === null && m === null) return;
    if (d.kind === 'file') this.fs.setHandleTimes(d.handle, a, m);
    else if (d.kind === 'dir') {
      if (d.handle !== undefined) this.fs.setHandleTimes(d.handle, a, m);
      else this.fs.setTimes(this.dirHost(d), a, m);
    }
  }

  private readInto(d: Descriptor, bufs: Uint8Array[], position: bigint | null): number | 'not-ready' {
    let total = 0;
    if (d.kind === 'stdio') {
      if (d.stream !== 0) throw new WasiError(Errno.BADF);
      // One read per call, like read(2) on a pipe: return what is there rather than wait for more.
      const buf = bufs.find((b) => b.length > 0);
      if (!buf) return 0;
      const n = this.io.stdin.read(buf);
      return n === null ? 'not-ready' : n;
    }
    if (d.kind !== 'file') throw new WasiError(Errno.BADF);
    let pos = position ?? d.position;
    for (const buf of bufs) {
      if (buf.length === 0) continue;
      const n = this.fs.read(d.handle, buf, pos);
      total += n;
      pos += BigInt(n);
      if (n < buf.length) break;
    }
    if (position === null) d.position = pos;
    return total;
  }

  fd_read(fd: number, iovs: number, iovsLen: number, out: number): unknown {
    const d = this.fds.get(u32(fd));
    if (d.kind === 'dir') throw new WasiError(Errno.BADF);
    if (d.kind === 'file' && !d.readable) throw new WasiError(Errno.BADF);
    if (d.kind === 'stdio' && d.stream !== 0) throw new WasiError(Errno.BADF);
    needRights(d, Rights.FD_READ);
    const m = this.mem();
    const n = this.readInto(d, m.iovecs(u32(iovs), u32(iovsLen)), null);
    if (n === 'not-ready') return this.notReady();
    m.u32At(u32(out), n);
    return undefined;
  }

  fd_pread(fd: number, iovs: number, iovsLen: number, offset: bigint, out: number): void {
    const d = this.file(fd, Errno.SPIPE);
    if (!d.readable) throw new WasiError(Errno.BADF);
    needRights(d, Rights.FD_READ);
    const m = this.mem();
    const n = this.readInto(d, m.iovecs(u32(iovs), u32(iovsLen)), u64(offset));
    m.u32At(u32(out), n as number);
  }

  private writeFrom(d: Descriptor, bufs: Uint8Array[], position: bigint | null): number {
    if (d.kind === 'stdio') {
      if (d.stream === 0) throw new WasiError(Errno.BADF);
      const total = bufs.reduce((n, b) => n + b.length, 0);
      const joined = new Uint8Array(total);
      let off = 0;
      for (const b of bufs) {
        joined.set(b, off);
        off += b.length;
      }
      if (total > 0) (d.stream === 1 ? this.io.stdout : this.io.stderr).write(joined);
      return total;
    }
    if (d.kind !== 'file') throw new WasiError(Errno.BADF);
    // APPEND (emulated: the host file is never O_APPEND) sends every write to the end, pwrite
    // included, as on Linux and in Wasmtime; pwrite leaves the position alone either way.
    const append = (d.flags & FdFlags.APPEND) !== 0;
    let pos = append ? this.fs.fstat(d.handle).size : (position ?? d.position);
    let total = 0;
    for (const buf of bufs) {
      let off = 0;
      while (off < buf.length) {
        const n = this.fs.write(d.handle, buf.subarray(off), pos);
        off += n;
        pos += BigInt(n);
        total += n;
      }
    }
    if (position === null) d.position = pos;
    return total;
  }

  fd_write(fd: number, iovs: number, iovsLen: number, out: number): void {
    const d = this.fds.get(u32(fd));
    if (d.kind === 'dir') throw new WasiError(Errno.BADF);
    if (d.kind === 'file' && !d.writable) throw new WasiError(Errno.BADF);
    if (d.kind === 'stdio' && d.stream === 0) throw new WasiError(Errno.BADF);
    needRights(d, Rights.FD_WRITE);
    const m = this.mem();
    m.u32At(u32(out), this.writeFrom(d, m.iovecs(u32(iovs), u32(iovsLen)), null));
  }

  fd_pwrite(fd: number, iovs: number, iovsLen: number, offset: bigint, out: number): void {
    const d = this.file(fd, Errno.SPIPE);
    if (!d.writable) throw new WasiError(Errno.BADF);
    needRights(d, Rights.FD_WRITE);
    const m = this.mem();
    m.u32At(u32(out), this.writeFrom(d, m.iovecs(u32(iovs), u32(iovsLen)), u64(offset)));
  }

  fd_prestat_get(fd: number, out: number): void {
    const d = this.fds.get(u32(fd));
    if (d.kind !== 'dir' || d.preopen === undefined) throw new WasiError(Errno.BADF);
    const m = this.mem();
    m.u32At(u32(out), PREOPENTYPE_DIR);
    m.u32At(u32(out) + 4, encoder.encode(d.preopen).length);
  }

  fd_prestat_dir_name(fd: number, path: number, len: number): void {
    const d = this.fds.get(u32(fd));
    if (d.kind !== 'dir' || d.preopen === undefined) throw new WasiError(Errno.NOTDIR); // Wasmtime's (legacy) errno
    const name = encoder.encode(d.preopen);
    if (u32(len) < name.length) throw new WasiError(Errno.NAMETOOLONG);
    this.mem().bytes(u32(path), name.length).set(name);
  }

  fd_readdir(fd: number, buf: number, bufLen: number, cookie: bigint, out: number): void {
    const d = this.dir(fd);
    needRights(d, Rights.FD_READDIR);
    const fs = this.fs;
    const c = u64(cookie);
    if (c === 0n || !d.listing) {
      const host = this.dirHost(d);
      const self = this.dirStat(d);
      // ".." carries the directory's own inode, as in Wasmtime: its parent may be outside the sandbox.
      const listing = [
        { name: '.', ino: self.ino, type: FileType.DIRECTORY as number },
        { name: '..', ino: self.ino, type: FileType.DIRECTORY as number },
      ];
      // Sorted, so listings do not depend on the host filesystem's order.
      for (const name of fs.readdir(host).sort()) {
        try {
          const st = fs.lstat(`${host}/${name}`);
          listing.push({ name, ino: st.ino, type: st.type });
        } catch {
          // Removed between readdir and lstat: it is simply not listed.
        }
      }
      d.listing = listing;
    }
    const m = this.mem();
    const dest = m.bytes(u32(buf), u32(bufLen));
    let used = 0;
    const header = new DataView(new ArrayBuffer(Layout.DIRENT_SIZE));
    for (let i = Number(c > BigInt(d.listing.length) ? BigInt(d.listing.length) : c); i < d.listing.length && used < dest.length; i++) {
      const e = d.listing[i]!;
      const name = encoder.encode(e.name);
      header.setBigUint64(0, BigInt(i + 1), true);
      header.setBigUint64(8, e.ino, true);
      header.setUint32(16, name.length, true);
      header.setUint32(20, e.type, true); // d_type then padding
      // The last entry is cut off at the end of the buffer; a full buffer tells the guest to ask again.
      const h = new Uint8Array(header.buffer).subarray(0, Math.min(Layout.DIRENT_SIZE, dest.length - used));
      dest.set(h, used);
      used += h.length;
      const nm = name.subarray(0, Math.min(name.length, dest.length - used));
      dest.set(nm, used);
      used += nm.length;
    }
    m.u32At(u32(out), used);
  }

  fd_renumber(from: number, to: number): void {
    const d = this.fds.get(u32(from));
    this.fds.get(u32(to));
    if (u32(from) === u32(to)) return;
    this.fd_close(to);
    this.fds.remove(u32(from));
    this.fds.set(u32(to), d);
  }

  fd_seek(fd: number, offset: bigint, whence: number, out: number): void {
    const d = this.file(fd, Errno.SPIPE);
    needRights(d, offset === 0n && whence === Whence.CUR ? Rights.FD_TELL : Rights.FD_SEEK);
    let base: bigint;
    if (whence === Whence.SET) base = 0n;
    else if (whence === Whence.CUR) base = d.position;
    else if (whence === Whence.END) base = this.fs.fstat(d.handle).size;
    else throw new WasiError(Errno.INVAL);
    const next = base + BigInt.asIntN(64, offset);
    if (next < 0n) throw new WasiError(Errno.INVAL);
    d.position = next;
    this.mem().u64At(u32(out), next);
  }

  fd_tell(fd: number, out: number): void {
    const d = this.file(fd, Errno.SPIPE);
    needRights(d, Rights.FD_TELL);
    this.mem().u64At(u32(out), d.position);
  }

  // ---- path_* ----

  /**
   * Reads a guest path and resolves it under a directory fd holding `rights`. A lookup (open,
   * stat, set times) follows a final symlink when asked or when the path ends in "/", as POSIX
   * does; operations on the entry itself (unlink, rmdir, rename, link/symlink/mkdir targets) never.
   */
  private resolve(fd: number, rights: bigint, pathPtr: number, pathLen: number, follow: boolean, lookup = false): { dir: DirDescriptor; r: Resolved } {
    const dir = this.dir(fd);
    needRights(dir, rights);
    const path = this.mem().string(u32(pathPtr), u32(pathLen));
    return { dir, r: this.resolveIn(dir, path, follow || (lookup && path.endsWith('/'))) };
  }

  path_create_directory(fd: number, pathPtr: number, pathLen: number): void {
    const { r } = this.resolve(fd, Rights.PATH_CREATE_DIRECTORY, pathPtr, pathLen, false);
    if (r.name === null || r.stat) throw new WasiError(Errno.EXIST);
    this.fs.mkdir(r.host);
  }

  path_filestat_get(fd: number, flags: number, pathPtr: number, pathLen: number, out: number): void {
    checkFlags(flags, LookupFlags.SYMLINK_FOLLOW);
    const { r } = this.resolve(fd, Rights.PATH_FILESTAT_GET, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0, true);
    const st = this.existing(r);
    this.writeFilestat(out, st);
  }

  /** The entry a lookup found: ENOENT when missing, ENOTDIR when a trailing slash names a non-directory. */
  private existing(r: Resolved): HostStat {
    if (!r.stat) throw new WasiError(Errno.NOENT);
    if (r.trailingSlash && r.stat.type !== FileType.DIRECTORY) throw new WasiError(Errno.NOTDIR);
    return r.stat;
  }

  /**
   * Where symlink(2)/link(2) would create a non-directory entry: an existing entry is EEXIST, but
   * "file/" naming a non-directory is ENOTDIR, and a missing "name/" is ENOENT (Linux).
   */
  private checkNewEntry(r: Resolved): void {
    if (r.name === null) throw new WasiError(Errno.EXIST);
    if (r.stat) throw new WasiError(r.trailingSlash && r.stat.type !== FileType.DIRECTORY ? Errno.NOTDIR : Errno.EXIST);
    if (r.trailingSlash) throw new WasiError(Errno.NOENT);
  }

  path_filestat_set_times(fd: number, flags: number, pathPtr: number, pathLen: number, atim: bigint, mtim: bigint, fst: number): void {
    checkFlags(flags, LookupFlags.SYMLINK_FOLLOW);
    const { r } = this.resolve(fd, Rights.PATH_FILESTAT_SET_TIMES, pathPtr, pathLen, (flags & LookupFlags.SYMLINK_FOLLOW) !== 0, true);
    const [a, m] = this.times(atim, mtim, fst);
    this.existing(r);
    if (a === null && m === null) return;
    this.fs.setTimes(r.host, a, m);
  }

  path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): void {
    checkFlags(oldFlags, LookupFlags.SYMLINK_FOLLOW);
    // Wasmtime rejects SYMLINK_FOLLOW here: linkat's AT_SYMLINK_FOLLOW is not portable.
    if (oldFlags & LookupFlags.SYMLINK_FOLLOW) {
      this.dir(oldFd);
      throw new WasiError(Errno.INVAL);
    }
    const { r: from } = this.resolve(oldFd, Rights.PATH_LINK_SOURCE, oldPtr, oldLen, false, true);
    const { r: to } = this.resolve(newFd, Rights.PATH_LINK_TARGET, newPtr, newLen, false);
    const st = this.existing(from);
    if (st.type === FileType.DIRECTORY || from.name === null) throw new WasiError(Errno.PERM);
    this.checkNewEntry(to);
    this.fs.link(from.host, to.host);
  }

  path_open(
    fd: number, dirflags: number, pathPtr: number, pathLen: number, oflags: number,
    rightsBase: bigint, _rightsInheriting: bigint, fdflags: number, out: number,
  ): void {
    checkFlags(dirflags, LookupFlags.SYMLINK_FOLLOW);
    checkFlags(oflags, 0xf);
    checkFlags(fdflags, 0x1f);
    const dir = this.dir(fd);
    let need = Rights.PATH_OPEN;
    if (oflags & OFlags.CREAT) need |= Rights.PATH_CREATE_FILE;
    needRights(dir, need);
    const wantDir = (oflags & OFlags.DIRECTORY) !== 0;
    if (wantDir && oflags & (OFlags.CREAT | OFlags.EXCL | OFlags.TRUNC)) throw new WasiError(Errno.INVAL);
    const exclusive = (oflags & OFlags.CREAT) !== 0 && (oflags & OFlags.EXCL) !== 0;
    // O_CREAT|O_EXCL never follows a final symlink (it is an existing entry: EEXIST).
    const follow = (dirflags & LookupFlags.SYMLINK_FOLLOW) !== 0 && !exclusive;
    const path = this.mem().string(u32(pathPtr), u32(pathLen));
    const fs = this.fs;
    const r = this.resolveIn(dir, path, follow || (!exclusive && path.endsWith('/')));
    const requested = u64(rightsBase);
    const write = (requested & Rights.FD_WRITE) !== 0n;
    const read = (requested & Rights.FD_READ) !== 0n;

    if (r.stat === undefined) {
      if (!(oflags & OFlags.CREAT)) throw new WasiError(Errno.NOENT);
      if (r.trailingSlash) throw new WasiError(Errno.ISDIR);
    } else {
      if (exclusive) throw new WasiError(Errno.EXIST);
      if (r.stat.type === FileType.SYMBOLIC_LINK) throw new WasiError(wantDir ? Errno.NOTDIR : Errno.LOOP);
      if (r.stat.type === FileType.DIRECTORY) {
        if (oflags & (OFlags.CREAT | OFlags.TRUNC) || write) throw new WasiError(Errno.ISDIR);
        const anchor: DirAnchor = { root: dir.anchor.root, parts: [...dir.anchor.parts, ...r.parts, ...(r.name === null ? [] : [r.name])] };
        const inherit = dir.rightsInheriting;
        // The entry was checked to be a real directory: pin it without following, so a swap in
        // between cannot redirect it ("." and ".." name a directory already held or verified).
        const handle = this.pin(r.host, r.name === null);
        const newFd = this.fds.add({ kind: 'dir', anchor, handle, rightsBase: inherit & DIRECTORY_RIGHTS, rightsInheriting: inherit, flags: fdflags & ~FdFlags.APPEND });
        this.mem().u32At(u32(out), newFd);
        return;
      }
      if (wantDir || r.trailingSlash) throw new WasiError(Errno.NOTDIR);
    }

    // Rights beyond read/write come from the directory's inheriting set, as in Wasmtime.
    let base = dir.rightsInheriting & FILE_RIGHTS;
    if (!read) base &= ~Rights.FD_READ;
    if (!write) base &= ~WRITE_RIGHTS;
    const handle = fs.open(r.host, {
      // With neither right the host file is opened read-only, but the fd still cannot read.
      read: read || !write, write,
      create: (oflags & OFlags.CREAT) !== 0, exclusive: r.stat === undefined, truncate: (oflags & OFlags.TRUNC) !== 0,
    });
    const d: FileDescriptor = {
      kind: 'file', handle, position: 0n, readable: read, writable: write,
      rightsBase: base, rightsInheriting: dir.rightsInheriting & FILE_RIGHTS, flags: fdflags,
    };
    this.mem().u32At(u32(out), this.fds.add(d));
  }

  path_readlink(fd: number, pathPtr: number, pathLen: number, buf: number, bufLen: number, out: number): void {
    const { r } = this.resolve(fd, Rights.PATH_READLINK, pathPtr, pathLen, false);
    const st = this.existing(r);
    if (st.type !== FileType.SYMBOLIC_LINK) throw new WasiError(Errno.INVAL);
    // As readlink(2): a buffer that is too small gets the first bytes (no NUL is added).
    const target = encoder.encode(this.fs.readlink(r.host)).subarray(0, u32(bufLen));
    const m = this.mem();
    m.bytes(u32(buf), target.length).set(target);
    m.u32At(u32(out), target.length);
  }

  path_remove_directory(fd: number, pathPtr: number, pathLen: number): void {
    const { r } = this.resolve(fd, Rights.PATH_REMOVE_DIRECTORY, pathPtr, pathLen, false);
    if (r.name === null) throw new WasiError(Errno.INVAL);
    if (!r.stat) throw new WasiError(Errno.NOENT);
    if (r.stat.type !== FileType.DIRECTORY) throw new WasiError(Errno.NOTDIR);
    this.fs.rmdir(r.host);
  }

  path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number): void {
    const { r: from } = this.resolve(fd, Rights.PATH_RENAME_SOURCE, oldPtr, oldLen, false);
    const { r: to } = this.resolve(newFd, Rights.PATH_RENAME_TARGET, newPtr, newLen, false);
    if (from.name === null || to.name === null) throw new WasiError(Errno.BUSY);
    if (!from.stat) throw new WasiError(Errno.NOENT);
    const fromIsDir = from.stat.type === FileType.DIRECTORY;
    if ((from.trailingSlash || to.trailingSlash) && !fromIsDir) throw new WasiError(Errno.NOTDIR);
    if (to.stat) {
      const toIsDir = to.stat.type === FileType.DIRECTORY;
      if (fromIsDir && !toIsDir) throw new WasiError(Errno.NOTDIR);
      if (!fromIsDir && toIsDir) throw new WasiError(Errno.ISDIR);
    }
    this.fs.rename(from.host, to.host);
  }

  path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number): void {
    const target = this.mem().string(u32(oldPtr), u32(oldLen));
    const { r } = this.resolve(fd, Rights.PATH_SYMLINK, newPtr, newLen, false);
    if (target.includes('\0')) throw new WasiError(Errno.INVAL);
    // As cap-std: a link whose contents are absolute or climb above the directory would point
    // outside the sandbox.
    if (symlinkEscapes(target, r.parts.length)) throw new WasiError(Errno.PERM, 'symlink would point outside the sandbox');
    this.checkNewEntry(r);
    this.fs.symlink(target, r.host);
  }

  path_unlink_file(fd: number, pathPtr: number, pathLen: number): void {
    const { r } = this.resolve(fd, Rights.PATH_UNLINK_FILE, pathPtr, pathLen, false);
    if (r.name === null) throw new WasiError(Errno.ISDIR);
    if (!r.stat) throw new WasiError(Errno.NOENT);
    if (r.stat.type === FileType.DIRECTORY) throw new WasiError(Errno.ISDIR);
    if (r.trailingSlash) throw new WasiError(Errno.NOTDIR);
    this.fs.unlink(r.host);
  }

  // ---- sockets: none can be opened in preview1, so every fd that exists is "not a socket" ----

  sock_accept(fd: number, _flags: number, _out: number): number {
    this.fds.get(u32(fd));
    return Errno.NOTSOCK;
  }
  sock_recv(fd: number, _iovs: number, _iovsLen: number, _flags: number, _out: number, _outFlags: number): number {
    this.fds.get(u32(fd));
    return Errno.NOTSOCK;
  }
  sock_send(fd: number, _iovs: number, _iovsLen: number, _flags: number, _out: number): number {
    this.fds.get(u32(fd));
    return Errno.NOTSOCK;
  }
  sock_shutdown(fd: number, _how: number): number {
    this.fds.get(u32(fd));
    return Errno.NOTSOCK;
  }
}
