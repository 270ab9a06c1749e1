// The numbers of wasi_snapshot_preview1's witx types other than errno: rights, flags, enums, and
// the byte layouts of the records the host writes into guest memory.

/** `$rights` bits (u64). */
export const Rights = {
  FD_DATASYNC: 1n << 0n,
  FD_READ: 1n << 1n,
  FD_SEEK: 1n << 2n,
  FD_FDSTAT_SET_FLAGS: 1n << 3n,
  FD_SYNC: 1n << 4n,
  FD_TELL: 1n << 5n,
  FD_WRITE: 1n << 6n,
  FD_ADVISE: 1n << 7n,
  FD_ALLOCATE: 1n << 8n,
  PATH_CREATE_DIRECTORY: 1n << 9n,
  PATH_CREATE_FILE: 1n << 10n,
  PATH_LINK_SOURCE: 1n << 11n,
  PATH_LINK_TARGET: 1n << 12n,
  PATH_OPEN: 1n << 13n,
  FD_READDIR: 1n << 14n,
  PATH_READLINK: 1n << 15n,
  PATH_RENAME_SOURCE: 1n << 16n,
  PATH_RENAME_TARGET: 1n << 17n,
  PATH_FILESTAT_GET: 1n << 18n,
  PATH_FILESTAT_SET_SIZE: 1n << 19n,
  PATH_FILESTAT_SET_TIMES: 1n << 20n,
  FD_FILESTAT_GET: 1n << 21n,
  FD_FILESTAT_SET_SIZE: 1n << 22n,
  FD_FILESTAT_SET_TIMES: 1n << 23n,
  PATH_SYMLINK: 1n << 24n,
  PATH_REMOVE_DIRECTORY: 1n << 25n,
  PATH_UNLINK_FILE: 1n << 26n,
  POLL_FD_READWRITE: 1n << 27n,
  SOCK_SHUTDOWN: 1n << 28n,
  SOCK_ACCEPT: 1n << 29n,
} as const;

/** Every right a regular file can carry. */
export const FILE_RIGHTS =
  Rights.FD_DATASYNC | Rights.FD_READ | Rights.FD_SEEK | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_SYNC |
  Rights.FD_TELL | Rights.FD_WRITE | Rights.FD_ADVISE | Rights.FD_ALLOCATE | Rights.FD_FILESTAT_GET |
  Rights.FD_FILESTAT_SET_SIZE | Rights.FD_FILESTAT_SET_TIMES | Rights.POLL_FD_READWRITE;

/**
 * The base rights of a directory: Wasmtime's set for preopens (which "many userlands expect"),
 * plus the harmless fd_sync/fd_datasync. Like Wasmtime it does not offer PATH_FILESTAT_SET_SIZE:
 * O_TRUNC is governed by the file's write access instead.
 */
export const DIRECTORY_RIGHTS =
  Rights.PATH_CREATE_DIRECTORY | Rights.PATH_CREATE_FILE | Rights.PATH_LINK_SOURCE |
  Rights.PATH_LINK_TARGET | Rights.PATH_OPEN | Rights.FD_READDIR | Rights.PATH_READLINK |
  Rights.PATH_RENAME_SOURCE | Rights.PATH_RENAME_TARGET | Rights.PATH_SYMLINK |
  Rights.PATH_REMOVE_DIRECTORY | Rights.PATH_UNLINK_FILE | Rights.PATH_FILESTAT_GET |
  Rights.PATH_FILESTAT_SET_TIMES | Rights.FD_FILESTAT_GET | Rights.FD_FILESTAT_SET_TIMES |
  Rights.FD_SYNC | Rights.FD_DATASYNC;

/** What a preopened directory hands down to what is opened beneath it (Wasmtime's set). */
export const INHERITING_RIGHTS = DIRECTORY_RIGHTS | FILE_RIGHTS;

/** Rights of the three standard streams (character devices or pipes: no seeking). */
export const STDIO_RIGHTS =
  Rights.FD_READ | Rights.FD_WRITE | Rights.FD_FDSTAT_SET_FLAGS | Rights.FD_FILESTAT_GET |
  Rights.POLL_FD_READWRITE | Rights.FD_DATASYNC | Rights.FD_SYNC | Rights.FD_ADVISE;

export enum FileType {
  UNKNOWN = 0, BLOCK_DEVICE = 1, CHARACTER_DEVICE = 2, DIRECTORY = 3, REGULAR_FILE = 4,
  SOCKET_DGRAM = 5, SOCKET_STREAM = 6, SYMBOLIC_LINK = 7,
}

export const FdFlags = { APPEND: 1, DSYNC: 2, NONBLOCK: 4, RSYNC: 8, SYNC: 16 } as const;
export const OFlags = { CREAT: 1, DIRECTORY: 2, EXCL: 4, TRUNC: 8 } as const;
export const LookupFlags = { SYMLINK_FOLLOW: 1 } as const;
export const FstFlags = { ATIM: 1, ATIM_NOW: 2, MTIM: 4, MTIM_NOW: 8 } as const;

export enum Whence { SET = 0, CUR = 1, END = 2 }
export enum ClockId { REALTIME = 0, MONOTONIC = 1, PROCESS_CPUTIME = 2, THREAD_CPUTIME = 3 }
export enum EventType { CLOCK = 0, FD_READ = 1, FD_WRITE = 2 }
export enum Advice { NORMAL = 0, SEQUENTIAL = 1, RANDOM = 2, WILLNEED = 3, DONTNEED = 4, NOREUSE = 5 }
export const SubClockFlags = { ABSTIME: 1 } as const;
export const EventRwFlags = { HANGUP: 1 } as const;
export const SdFlags = { RD: 1, WR: 2 } as const;
export const PREOPENTYPE_DIR = 0;

/** Record sizes and field offsets (the C layout witx implies, little-endian). */
export const Layout = {
  IOVEC_SIZE: 8,
  FDSTAT_SIZE: 24, // u8 filetype @0, u16 flags @2, u64 rights_base @8, u64 rights_inheriting @16
  FILESTAT_SIZE: 64, // dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim @40, mtim @48, ctim @56
  DIRENT_SIZE: 24, // d_next @0, d_ino @8, d_namlen u32 @16, d_type u8 @20
  PRESTAT_SIZE: 8, // tag u8 @0, name_len u32 @4
  SUBSCRIPTION_SIZE: 48, // userdata @0, tag u8 @8, union @16: clock {id u32 @16, timeout @24, precision @32, flags u16 @40} | fd u32 @16
  EVENT_SIZE: 32, // userdata @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24
} as const;
