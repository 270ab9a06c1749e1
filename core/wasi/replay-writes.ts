// Which guest memory each wasi_snapshot_preview1 call may write, from its arguments (read before
// the call), so time travel can log exactly those bytes and replay the call without the host.
// Calls not listed write nothing but their result; args_get/environ_get/sock_recv compare all memory.
import type { HostWrites } from '../interp/recorder';

type Ranges = [number, number][];
const u = (x: unknown): number => Number(x) >>> 0;

/** The buffers of an iovec array (`count` entries of ptr, len). */
function iovecs(dv: DataView, ptr: number, count: number): Ranges {
  const out: Ranges = [];
  for (let i = 0; i < count; i++) out.push([dv.getUint32(ptr + i * 8, true), dv.getUint32(ptr + i * 8 + 4, true)]);
  return out;
}

/** The result pointer at argument `i`, `size` bytes. */
const out = (i: number, size: number): HostWrites => (a) => [[u(a[i]), size]];

export const WASI_WRITES: Readonly<Record<string, HostWrites>> = {
  args_get: () => 'all',
  environ_get: () => 'all',
  args_sizes_get: (a) => [[u(a[0]), 4], [u(a[1]), 4]],
  environ_sizes_get: (a) => [[u(a[0]), 4], [u(a[1]), 4]],
  clock_res_get: out(1, 8),
  clock_time_get: out(2, 8),
  fd_fdstat_get: out(1, 24),
  fd_filestat_get: out(1, 64),
  fd_pread: (a, dv) => [...iovecs(dv, u(a[1]), u(a[2])), [u(a[4]), 4]],
  fd_prestat_get: out(1, 8),
  fd_prestat_dir_name: (a) => [[u(a[1]), u(a[2])]],
  fd_pwrite: out(4, 4),
  fd_read: (a, dv) => [...iovecs(dv, u(a[1]), u(a[2])), [u(a[3]), 4]],
  fd_readdir: (a) => [[u(a[1]), u(a[2])], [u(a[4]), 4]],
  fd_seek: out(3, 8),
  fd_tell: out(1, 8),
  fd_write: out(3, 4),
  path_filestat_get: out(4, 64),
  path_open: out(8, 4),
  path_readlink: (a) => [[u(a[3]), u(a[4])], [u(a[5]), 4]],
  poll_oneoff: (a) => [[u(a[1]), 32 * u(a[2])], [u(a[3]), 4]],
  random_get: (a) => [[u(a[0]), u(a[1])]],
  sock_accept: out(2, 4),
  sock_recv: () => 'all',
  sock_send: out(4, 4),
};
