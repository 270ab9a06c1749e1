// The host abilities a WASI program may use, passed in as small interfaces (design.md principle 2):
// the CLI plugs in the process, the debugger its console, tests plain buffers.
import type { FileType } from './abi';

/** Where a program's stdout or stderr goes. */
export interface OutputSink {
  /** Takes the bytes of one fd_write; must not keep a reference to `bytes` after returning. */
  write(bytes: Uint8Array): void;
  /** A terminal (reported to the guest as a character device). */
  readonly isTTY?: boolean;
}

/**
 * Where a program's stdin comes from. Whether the program waits *inside* the call (a blocking
 * source, e.g. the CLI reading fd 0) or the machine pauses and calls again later (a source that
 * returns `null`: on our engine fd_read then returns WOULD_BLOCK) is a property of the source.
 */
export interface InputSource {
  /**
   * Copies up to `buf.length` bytes into `buf` and returns how many; 0 means end of input.
   * Returns `null` when nothing is ready yet (only sources that do not block).
   */
  read(buf: Uint8Array): number | null;
  /** For poll_oneoff: would a read return without waiting, and how many bytes are buffered. Absent: always ready. */
  poll?(): { ready: boolean; nbytes: number };
  readonly isTTY?: boolean;
}

export type ClockKind = 'realtime' | 'monotonic' | 'process' | 'thread';

export interface Clock {
  /** Current time in nanoseconds. */
  now(kind: ClockKind): bigint;
  /** Resolution in nanoseconds. */
  resolution(kind: ClockKind): bigint;
  /**
   * Waits `ns` nanoseconds without returning to the event loop (poll_oneoff with a timeout).
   * Absent: the host cannot block, and poll_oneoff waits by returning WOULD_BLOCK until the deadline.
   */
  sleep?(ns: bigint): void;
}

export interface RandomSource {
  /** Fills `buf` with cryptographically strong random bytes. */
  fill(buf: Uint8Array): void;
}

/** Metadata of a host file, as WASI reports it. Times are nanoseconds since the epoch. */
export interface HostStat {
  dev: bigint;
  ino: bigint;
  type: FileType;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/** An open host file; opaque to the WASI host. */
export type HostHandle = number;

export interface HostOpenOptions {
  read: boolean;
  write: boolean;
  create: boolean;
  exclusive: boolean;
  truncate: boolean;
}

/**
 * Host file operations on host paths. The WASI host calls these only with paths it has already
 * resolved inside a sandbox, whose final component is never a symlink unless the operation acts
 * on the link itself (lstat, readlink, unlink, rename, link, lutimes). Errors are thrown as
 * objects with a POSIX `code` (as node:fs does) or as `WasiError`.
 */
export interface WasiFileSystem {
  lstat(path: string): HostStat;
  readlink(path: string): string;
  /** Names in a directory, without `.` and `..`. */
  readdir(path: string): string[];
  mkdir(path: string): void;
  rmdir(path: string): void;
  unlink(path: string): void;
  rename(from: string, to: string): void;
  /** Hard link; never follows a symlink at `from`. */
  link(from: string, to: string): void;
  symlink(target: string, path: string): void;
  /** Sets times of the entry itself (not following a final symlink); null leaves a time unchanged. */
  setTimes(path: string, atim: bigint | null, mtim: bigint | null): void;
  /** Opens a regular file; must fail with ELOOP rather than follow a final symlink. */
  open(path: string, options: HostOpenOptions): HostHandle;
  close(handle: HostHandle): void;
  fstat(handle: HostHandle): HostStat;
  /** Positioned read; returns the number of bytes read (0 at end of file). */
  read(handle: HostHandle, buf: Uint8Array, position: bigint): number;
  /** Positioned write; returns the number of bytes written. */
  write(handle: HostHandle, buf: Uint8Array, position: bigint): number;
  truncate(handle: HostHandle, size: bigint): void;
  sync(handle: HostHandle, dataOnly: boolean): void;
  setHandleTimes(handle: HostHandle, atim: bigint | null, mtim: bigint | null): void;
  /**
   * Optional: opens a directory and keeps it, so that `directoryPath(handle)` names that very
   * directory even after it is renamed or replaced (Linux: /proc/self/fd/N). Without these the
   * host re-checks a held directory's path on every use instead. Must not follow a final symlink
   * unless `followFinal` (used only for the preopens the user named).
   */
  openDirectory?(path: string, followFinal: boolean): HostHandle;
  directoryPath?(handle: HostHandle): string;
}

/** Everything a WASI program can reach on the host. */
export interface WasiIO {
  stdin: InputSource;
  stdout: OutputSink;
  stderr: OutputSink;
  /** Absent: no filesystem at all (preopens are then refused). */
  fs?: WasiFileSystem;
  clock: Clock;
  random: RandomSource;
}
