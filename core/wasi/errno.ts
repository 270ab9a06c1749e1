// WASI error numbers (the witx `$errno` enum, in order) and the mapping from host errors to them.

/** `errno` of wasi_snapshot_preview1, numbered as in wasi-typenames.witx. */
export enum Errno {
  SUCCESS = 0, TOOBIG = 1, ACCES = 2, ADDRINUSE = 3, ADDRNOTAVAIL = 4, AFNOSUPPORT = 5, AGAIN = 6,
  ALREADY = 7, BADF = 8, BADMSG = 9, BUSY = 10, CANCELED = 11, CHILD = 12, CONNABORTED = 13,
  CONNREFUSED = 14, CONNRESET = 15, DEADLK = 16, DESTADDRREQ = 17, DOM = 18, DQUOT = 19, EXIST = 20,
  FAULT = 21, FBIG = 22, HOSTUNREACH = 23, IDRM = 24, ILSEQ = 25, INPROGRESS = 26, INTR = 27,
  INVAL = 28, IO = 29, ISCONN = 30, ISDIR = 31, LOOP = 32, MFILE = 33, MLINK = 34, MSGSIZE = 35,
  MULTIHOP = 36, NAMETOOLONG = 37, NETDOWN = 38, NETRESET = 39, NETUNREACH = 40, NFILE = 41,
  NOBUFS = 42, NODEV = 43, NOENT = 44, NOEXEC = 45, NOLCK = 46, NOLINK = 47, NOMEM = 48, NOMSG = 49,
  NOPROTOOPT = 50, NOSPC = 51, NOSYS = 52, NOTCONN = 53, NOTDIR = 54, NOTEMPTY = 55,
  NOTRECOVERABLE = 56, NOTSOCK = 57, NOTSUP = 58, NOTTY = 59, NXIO = 60, OVERFLOW = 61,
  OWNERDEAD = 62, PERM = 63, PIPE = 64, PROTO = 65, PROTONOSUPPORT = 66, PROTOTYPE = 67, RANGE = 68,
  ROFS = 69, SPIPE = 70, SRCH = 71, STALE = 72, TIMEDOUT = 73, TXTBSY = 74, XDEV = 75, NOTCAPABLE = 76,
}

/** Thrown inside the host to abandon a call with an errno; the call's wrapper returns the number. */
export class WasiError extends Error {
  constructor(readonly errno: Errno, message?: string) {
    super(message ?? `WASI error ${Errno[errno] ?? errno}`);
    this.name = 'WasiError';
  }
}

/** Host error codes (Node's `err.code`, i.e. POSIX names) to WASI errnos. */
const hostCodes: Record<string, Errno> = {
  E2BIG: Errno.TOOBIG, EACCES: Errno.ACCES, EADDRINUSE: Errno.ADDRINUSE, EADDRNOTAVAIL: Errno.ADDRNOTAVAIL,
  EAFNOSUPPORT: Errno.AFNOSUPPORT, EAGAIN: Errno.AGAIN, EWOULDBLOCK: Errno.AGAIN, EALREADY: Errno.ALREADY,
  EBADF: Errno.BADF, EBUSY: Errno.BUSY, ECANCELED: Errno.CANCELED, ECONNABORTED: Errno.CONNABORTED,
  ECONNREFUSED: Errno.CONNREFUSED, ECONNRESET: Errno.CONNRESET, EDQUOT: Errno.DQUOT, EEXIST: Errno.EXIST,
  EFAULT: Errno.FAULT, EFBIG: Errno.FBIG, EINTR: Errno.INTR, EINVAL: Errno.INVAL, EIO: Errno.IO,
  EISDIR: Errno.ISDIR, ELOOP: Errno.LOOP, EMFILE: Errno.MFILE, EMLINK: Errno.MLINK,
  ENAMETOOLONG: Errno.NAMETOOLONG, ENFILE: Errno.NFILE, ENODEV: Errno.NODEV, ENOENT: Errno.NOENT,
  ENOMEM: Errno.NOMEM, ENOSPC: Errno.NOSPC, ENOSYS: Errno.NOSYS, ENOTDIR: Errno.NOTDIR,
  ENOTEMPTY: Errno.NOTEMPTY, ENOTSOCK: Errno.NOTSOCK, ENOTSUP: Errno.NOTSUP, EOPNOTSUPP: Errno.NOTSUP,
  ENOTTY: Errno.NOTTY, ENXIO: Errno.NXIO, EOVERFLOW: Errno.OVERFLOW, EPERM: Errno.PERM, EPIPE: Errno.PIPE,
  ERANGE: Errno.RANGE, EROFS: Errno.ROFS, ESPIPE: Errno.SPIPE, ETIMEDOUT: Errno.TIMEDOUT,
  ETXTBSY: Errno.TXTBSY, EXDEV: Errno.XDEV,
};

/** The errno for anything a host operation threw; unknown failures are EIO, never a crash. */
export function errnoOf(err: unknown): Errno {
  if (err instanceof WasiError) return err.errno;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return hostCodes[code] ?? Errno.IO;
  return Errno.IO;
}
