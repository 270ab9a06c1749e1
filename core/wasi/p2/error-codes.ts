// wasi:filesystem's error-code for a host failure: the preview1 errno it would be, renamed.
import { Trap } from '../../errors';
import { WasiExit } from '../exit';
import { Errno, WasiError, errnoOf } from '../errno';

const NAMES: Partial<Record<Errno, string>> = {
  [Errno.ACCES]: 'access', [Errno.AGAIN]: 'would-block', [Errno.ALREADY]: 'already', [Errno.BADF]: 'bad-descriptor',
  [Errno.BUSY]: 'busy', [Errno.DEADLK]: 'deadlock', [Errno.DQUOT]: 'quota', [Errno.EXIST]: 'exist',
  [Errno.FBIG]: 'file-too-large', [Errno.ILSEQ]: 'illegal-byte-sequence', [Errno.INPROGRESS]: 'in-progress',
  [Errno.INTR]: 'interrupted', [Errno.INVAL]: 'invalid', [Errno.IO]: 'io', [Errno.ISDIR]: 'is-directory',
  [Errno.LOOP]: 'loop', [Errno.MLINK]: 'too-many-links', [Errno.MSGSIZE]: 'message-size',
  [Errno.NAMETOOLONG]: 'name-too-long', [Errno.NODEV]: 'no-device', [Errno.NOENT]: 'no-entry', [Errno.NOLCK]: 'no-lock',
  [Errno.NOMEM]: 'insufficient-memory', [Errno.NOSPC]: 'insufficient-space', [Errno.NOTDIR]: 'not-directory',
  [Errno.NOTEMPTY]: 'not-empty', [Errno.NOTRECOVERABLE]: 'not-recoverable', [Errno.NOTSUP]: 'unsupported',
  [Errno.NOSYS]: 'unsupported', [Errno.NOTTY]: 'no-tty', [Errno.NXIO]: 'no-such-device', [Errno.OVERFLOW]: 'overflow',
  [Errno.PERM]: 'not-permitted', [Errno.NOTCAPABLE]: 'not-permitted', [Errno.PIPE]: 'pipe', [Errno.ROFS]: 'read-only',
  [Errno.SPIPE]: 'invalid-seek', [Errno.TXTBSY]: 'text-file-busy', [Errno.XDEV]: 'cross-device',
};

/** The error-code name for a failure thrown by the filesystem or the sandbox. */
export function errorCodeOf(e: unknown): string {
  return NAMES[errnoOf(e)] ?? 'io';
}

/** Failures of the guest or the host's own bugs must not turn into error codes: rethrow them. */
export function isHostFailure(e: unknown): boolean {
  if (e instanceof Trap || e instanceof WasiExit) return false;
  if (e instanceof WasiError) return true;
  return typeof (e as { code?: unknown } | null)?.code === 'string';
}
