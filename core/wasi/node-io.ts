// The WasiIO of a Node process: node:fs for files, fd 0/1/2 for stdio, the process clocks and
// node:crypto for randomness. Used by the CLI; the sandbox itself lives in sandbox.ts, not here.
import * as fs from 'node:fs';
import { randomFillSync } from 'node:crypto';
import { isatty as ttyIsatty } from 'node:tty';
import { FileType } from './abi';
import type { Clock, ClockKind, HostOpenOptions, HostStat, InputSource, OutputSink, RandomSource, WasiFileSystem, WasiIO } from './wasi-io';

const C = fs.constants;

let procFd: boolean | undefined;
function hasProcFd(): boolean {
  if (procFd === undefined) {
    try {
      procFd = process.platform === 'linux' && fs.statSync('/proc/self/fd').isDirectory();
    } catch {
      procFd = false;
    }
  }
  return procFd;
}

function fileType(s: fs.BigIntStats): FileType {
  if (s.isFile()) return FileType.REGULAR_FILE;
  if (s.isDirectory()) return FileType.DIRECTORY;
  if (s.isSymbolicLink()) return FileType.SYMBOLIC_LINK;
  if (s.isCharacterDevice()) return FileType.CHARACTER_DEVICE;
  if (s.isBlockDevice()) return FileType.BLOCK_DEVICE;
  if (s.isSocket()) return FileType.SOCKET_STREAM;
  return FileType.UNKNOWN;
}

function hostStat(s: fs.BigIntStats): HostStat {
  return { dev: s.dev, ino: s.ino, type: fileType(s), nlink: s.nlink, size: s.size, atim: s.atimeNs, mtim: s.mtimeNs, ctim: s.ctimeNs };
}

/** Node wants seconds as a number; a double keeps ~0.25 µs at today's dates, well under 1 ms. */
function seconds(ns: bigint): number {
  return Number(ns / 1_000_000n) / 1000 + Number(ns % 1_000_000n) / 1e9;
}

/** Times set through node:fs, which takes seconds as a double: the exact nanoseconds asked for. */
interface SetTimes {
  /** What the host stored (ns) and what the guest asked for. */
  atim?: [bigint, bigint];
  mtim?: [bigint, bigint];
}

/** node:fs, synchronously (the WASI calls are synchronous). */
export class NodeFileSystem implements WasiFileSystem {
  /**
   * node:fs cannot set nanosecond times exactly. While the host still holds the rounded time we
   * stored, stat reports the exact one the guest set, as Wasmtime (utimensat) would.
   */
  private readonly exactTimes = new Map<string, SetTimes>();

  private stat(s: fs.BigIntStats): HostStat {
    const st = hostStat(s);
    const exact = this.exactTimes.get(`${s.dev}:${s.ino}`);
    if (exact?.atim && exact.atim[0] === st.atim) st.atim = exact.atim[1];
    if (exact?.mtim && exact.mtim[0] === st.mtim) st.mtim = exact.mtim[1];
    return st;
  }

  private remember(after: fs.BigIntStats, atim: bigint | null, mtim: bigint | null): void {
    const key = `${after.dev}:${after.ino}`;
    const entry = this.exactTimes.get(key) ?? {};
    if (atim !== null) entry.atim = [after.atimeNs, atim];
    if (mtim !== null) entry.mtim = [after.mtimeNs, mtim];
    this.exactTimes.set(key, entry);
  }

  lstat(path: string): HostStat {
    return this.stat(fs.lstatSync(path, { bigint: true }));
  }
  readlink(path: string): string {
    return fs.readlinkSync(path, 'utf8');
  }
  readdir(path: string): string[] {
    return fs.readdirSync(path, 'utf8');
  }
  mkdir(path: string): void {
    fs.mkdirSync(path, 0o777);
  }
  rmdir(path: string): void {
    fs.rmdirSync(path);
  }
  unlink(path: string): void {
    fs.unlinkSync(path);
  }
  rename(from: string, to: string): void {
    fs.renameSync(from, to);
  }
  link(from: string, to: string): void {
    fs.linkSync(from, to);
  }
  symlink(target: string, path: string): void {
    fs.symlinkSync(target, path);
  }
  setTimes(path: string, atim: bigint | null, mtim: bigint | null): void {
    const cur = this.lstat(path);
    fs.lutimesSync(path, seconds(atim ?? cur.atim), seconds(mtim ?? cur.mtim));
    this.remember(fs.lstatSync(path, { bigint: true }), atim ?? cur.atim, mtim ?? cur.mtim);
  }
  open(path: string, o: HostOpenOptions): number {
    let flags = o.write ? (o.read ? C.O_RDWR : C.O_WRONLY) : C.O_RDONLY;
    if (o.create) flags |= C.O_CREAT;
    if (o.exclusive) flags |= C.O_EXCL;
    if (o.truncate) flags |= C.O_TRUNC;
    // The sandbox resolved every symlink itself; a link appearing here must not be followed.
    flags |= C.O_NOFOLLOW ?? 0;
    return fs.openSync(path, flags, 0o666);
  }
  /** Held directories are named through /proc/self/fd where the platform has it. */
  readonly openDirectory = hasProcFd() ? (path: string, followFinal: boolean): number => {
    return fs.openSync(path, C.O_RDONLY | (C.O_DIRECTORY ?? 0) | (followFinal ? 0 : (C.O_NOFOLLOW ?? 0)));
  } : undefined;
  readonly directoryPath = hasProcFd() ? (handle: number): string => `/proc/self/fd/${handle}` : undefined;
  close(handle: number): void {
    fs.closeSync(handle);
  }
  fstat(handle: number): HostStat {
    return this.stat(fs.fstatSync(handle, { bigint: true }));
  }
  read(handle: number, buf: Uint8Array, position: bigint): number {
    return fs.readSync(handle, buf, 0, buf.length, position);
  }
  write(handle: number, buf: Uint8Array, position: bigint): number {
    return fs.writeSync(handle, buf, 0, buf.length, Number(position));
  }
  truncate(handle: number, size: bigint): void {
    fs.ftruncateSync(handle, Number(size));
  }
  sync(handle: number, dataOnly: boolean): void {
    if (dataOnly) fs.fdatasyncSync(handle);
    else fs.fsyncSync(handle);
  }
  setHandleTimes(handle: number, atim: bigint | null, mtim: bigint | null): void {
    const cur = this.fstat(handle);
    fs.futimesSync(handle, seconds(atim ?? cur.atim), seconds(mtim ?? cur.mtim));
    this.remember(fs.fstatSync(handle, { bigint: true }), atim ?? cur.atim, mtim ?? cur.mtim);
  }
}

/** Writes straight to a process fd (1 or 2), synchronously so output interleaves as the program wrote it. */
export class FdSink implements OutputSink {
  readonly isTTY: boolean;
  constructor(private readonly fd: number) {
    this.isTTY = isatty(fd);
  }
  write(bytes: Uint8Array): void {
    let off = 0;
    while (off < bytes.length) {
      try {
        off += fs.writeSync(this.fd, bytes, off, bytes.length - off);
      } catch (err) {
        // A non-blocking pipe that is full: wait and retry rather than lose output.
        if ((err as { code?: string }).code === 'EAGAIN') sleepMs(1);
        else throw err;
      }
    }
  }
}

/** Reads the process's fd 0 synchronously: the program waits inside fd_read, as under Wasmtime. */
export class FdSource implements InputSource {
  readonly isTTY: boolean;
  constructor(private readonly fd = 0) {
    this.isTTY = isatty(fd);
  }
  read(buf: Uint8Array): number {
    for (;;) {
      try {
        return fs.readSync(this.fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (code === 'EAGAIN') sleepMs(1);
        else if (code === 'EOF') return 0;
        else throw err;
      }
    }
  }
}

function isatty(fd: number): boolean {
  try {
    return ttyIsatty(fd);
  } catch {
    return false;
  }
}

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
function sleepMs(ms: number): void {
  Atomics.wait(sleepCell, 0, 0, ms);
}

const startNs = process.hrtime.bigint();
const realtimeBase = BigInt(Date.now()) * 1_000_000n;

export const nodeClock: Clock = {
  now(kind: ClockKind): bigint {
    switch (kind) {
      case 'realtime': {
        // Date.now() has only ms; anchor it once and advance with the monotonic clock.
        return realtimeBase + (process.hrtime.bigint() - startNs);
      }
      case 'monotonic':
        return process.hrtime.bigint();
      case 'process':
      case 'thread': {
        const u = process.cpuUsage();
        return BigInt(u.user + u.system) * 1000n;
      }
    }
  },
  resolution(kind: ClockKind): bigint {
    return kind === 'process' || kind === 'thread' ? 1000n : 1n;
  },
  sleep(ns: bigint): void {
    const ms = Number(ns / 1_000_000n);
    if (ms > 0) sleepMs(ms);
    // Below a millisecond Atomics.wait cannot help; spin the remainder on the monotonic clock.
    const end = process.hrtime.bigint() + (ns % 1_000_000n);
    while (process.hrtime.bigint() < end) { /* spin */ }
  },
};

export const nodeRandom: RandomSource = {
  fill(buf: Uint8Array): void {
    randomFillSync(buf);
  },
};

/** The process's stdio, node:fs, the process clocks and crypto randomness: what `wasmscope run` uses. */
export function createNodeIO(): WasiIO {
  return { stdin: new FdSource(0), stdout: new FdSink(1), stderr: new FdSink(2), fs: new NodeFileSystem(), clock: nodeClock, random: nodeRandom };
}
