// wasi:sockets/types error-code as a typed error of the net layer, and the mapping from the
// errno names Node reports (err.code, or a libuv status number) to those codes.
import { errname } from './uv';

/** The cases of wasi:sockets/types `error-code` (0.2 and 0.3 together). */
export type NetErrorCode =
  | 'unknown' | 'access-denied' | 'not-supported' | 'invalid-argument' | 'out-of-memory' | 'timeout'
  | 'concurrency-conflict' | 'not-in-progress' | 'would-block' | 'invalid-state' | 'new-socket-limit'
  | 'address-not-bindable' | 'address-in-use' | 'remote-unreachable' | 'connection-refused'
  | 'connection-reset' | 'connection-aborted' | 'connection-broken' | 'datagram-too-large'
  | 'name-unresolvable' | 'temporary-resolver-failure' | 'permanent-resolver-failure';

/** A socket operation failed: `code` is the WASI name, the message says what and where. */
export class NetError extends Error {
  constructor(readonly code: NetErrorCode, message: string) {
    super(message);
    this.name = 'NetError';
  }
}

const BY_ERRNO: Readonly<Record<string, NetErrorCode>> = {
  EACCES: 'access-denied', EPERM: 'access-denied',
  EAFNOSUPPORT: 'not-supported', EPROTONOSUPPORT: 'not-supported', EOPNOTSUPP: 'not-supported', ENOTSUP: 'not-supported',
  EINVAL: 'invalid-argument', EDESTADDRREQ: 'invalid-argument', EISCONN: 'invalid-state', ENOTCONN: 'invalid-state',
  ENOMEM: 'out-of-memory', ENOBUFS: 'out-of-memory', ETIMEDOUT: 'timeout', EAGAIN: 'would-block', EWOULDBLOCK: 'would-block',
  EALREADY: 'concurrency-conflict', EINPROGRESS: 'concurrency-conflict', EMFILE: 'new-socket-limit', ENFILE: 'new-socket-limit',
  EADDRNOTAVAIL: 'address-not-bindable', EADDRINUSE: 'address-in-use',
  EHOSTUNREACH: 'remote-unreachable', ENETUNREACH: 'remote-unreachable', EHOSTDOWN: 'remote-unreachable', ENETDOWN: 'remote-unreachable',
  ECONNREFUSED: 'connection-refused', ECONNRESET: 'connection-reset', ECONNABORTED: 'connection-aborted',
  EPIPE: 'connection-broken', EMSGSIZE: 'datagram-too-large',
  ENOTFOUND: 'name-unresolvable', EAI_NONAME: 'name-unresolvable', EAI_NODATA: 'name-unresolvable',
  EAI_AGAIN: 'temporary-resolver-failure', EAI_FAIL: 'permanent-resolver-failure',
};

/** The error code for an errno name such as 'ECONNREFUSED' (or a negative libuv status). */
export function codeOfErrno(errno: string | number): NetErrorCode {
  const name = typeof errno === 'number' ? errname(errno) : errno;
  return BY_ERRNO[name] ?? 'unknown';
}

/** Any failure from Node (an Error with `.code`, or a status) as a NetError saying what failed. */
export function netErrorOf(e: unknown, what: string): NetError {
  if (e instanceof NetError) return e;
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return new NetError(codeOfErrno(code), `${what}: ${code}`);
  if (typeof e === 'number') return new NetError(codeOfErrno(e), `${what}: ${errname(e)}`);
  return new NetError('unknown', `${what}: ${e instanceof Error ? e.message : String(e)}`);
}
