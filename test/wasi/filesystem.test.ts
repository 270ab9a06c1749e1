// Filesystem semantics as Wasmtime gives them (the cases of wasi-testsuite's Rust tests):
// trailing slashes, symlinks, rename, link, readdir cookies, timestamps, rights, seek and append.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, FdFlags, FileType, FstFlags, OFlags, Rights } from '../../core/wasi';
import { Guest, scratch } from './harness';

const PRE = 3;
let s: ReturnType<typeof scratch>;
let g: Guest;

beforeEach(() => {
  s = scratch();
  mkdirSync(s.sandbox);
  g = new Guest([{ host: s.sandbox, guest: '/' }]);
});
afterEach(() => s.cleanup());

function createFile(path: string, text = ''): void {
  assert.equal(g.open(PRE, path, { oflags: OFlags.CREAT, rights: Rights.FD_WRITE }), Errno.SUCCESS, `create ${path}`);
  if (text) assert.equal(g.write(g.fd, text), Errno.SUCCESS);
  assert.equal(g.call('fd_close', g.fd), Errno.SUCCESS);
}

test('prestat names the preopen; a too-small buffer is ENAMETOOLONG', () => {
  assert.equal(g.call('fd_prestat_get', PRE, 64), Errno.SUCCESS);
  assert.equal(g.u32(68), 1);
  assert.equal(g.call('fd_prestat_dir_name', PRE, 128, 0), Errno.NAMETOOLONG);
  assert.equal(g.call('fd_prestat_dir_name', PRE, 128, 1), Errno.SUCCESS);
  assert.equal(g.bytes(128, 1)[0], '/'.charCodeAt(0));
  assert.equal(g.call('fd_prestat_get', 1, 64), Errno.BADF);
  assert.equal(g.call('fd_prestat_get', 4, 64), Errno.BADF);
  assert.equal(g.call('fd_prestat_dir_name', 1, 128, 10), Errno.NOTDIR, "Wasmtime's legacy errno");
  assert.equal(g.call('fd_prestat_dir_name', 9, 128, 10), Errno.BADF);
});

test('interesting paths: .., //, ./, trailing slashes, empty', () => {
  assert.equal(g.path('path_create_directory', PRE, 'dir'), Errno.SUCCESS);
  assert.equal(g.path('path_create_directory', PRE, 'dir/nested'), Errno.SUCCESS);
  createFile('dir/nested/file');
  assert.equal(g.open(PRE, 'dir/.//nested/../../dir/nested/../nested///./file', {}), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dir/nested/file/', {}), Errno.NOTDIR);
  assert.equal(g.open(PRE, 'dir/nested/file///', {}), Errno.NOTDIR);
  assert.equal(g.open(PRE, 'dir/nested/', {}), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dir/nested///', {}), Errno.SUCCESS);
  assert.equal(g.open(PRE, '', {}), Errno.NOENT);
  assert.equal(g.open(PRE, '.', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dir/nested/file/..', {}), Errno.NOTDIR);
  assert.equal(g.open(PRE, 'missing/file', {}), Errno.NOENT);
  assert.equal(g.open(PRE, 'dir/nested/file', { oflags: OFlags.DIRECTORY }), Errno.NOTDIR);
});

test('path_open flags: O_CREAT|O_EXCL, O_TRUNC, O_DIRECTORY combinations', () => {
  createFile('file', 'hello');
  assert.equal(g.open(PRE, 'file', { oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
  assert.equal(g.open(PRE, 'file', { oflags: OFlags.CREAT | OFlags.DIRECTORY }), Errno.INVAL);
  assert.equal(g.open(PRE, 'file', { oflags: OFlags.TRUNC | OFlags.DIRECTORY }), Errno.INVAL);
  assert.equal(g.open(PRE, 'file', { oflags: 0x10 }), Errno.INVAL, 'undefined oflags bits');
  assert.equal(g.open(PRE, 'file', { fdflags: 0x20 }), Errno.INVAL, 'undefined fdflags bits');
  assert.equal(g.path('path_create_directory', PRE, 'd'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'd', { oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
  assert.equal(g.open(PRE, 'd', { oflags: OFlags.CREAT }), Errno.ISDIR);
  assert.equal(g.open(PRE, 'd', { rights: Rights.FD_WRITE }), Errno.ISDIR);
  assert.equal(g.open(PRE, 'new/', { oflags: OFlags.CREAT }), Errno.ISDIR);
  assert.equal(g.open(PRE, 'file', { oflags: OFlags.TRUNC, rights: Rights.FD_WRITE }), Errno.SUCCESS);
  assert.equal(readFileSync(join(s.sandbox, 'file'), 'utf8'), '');
  assert.equal(g.open(PRE, 'd', { oflags: OFlags.DIRECTORY, rights: Rights.FD_READ }), Errno.SUCCESS);
  // A directory has no byte stream: file operations on it are EBADF.
  const d = g.fd;
  assert.equal(g.read(d).errno, Errno.BADF);
  assert.equal(g.write(d, 'x'), Errno.BADF);
  assert.equal(g.call('fd_seek', d, 0n, 1, 64), Errno.BADF);
  assert.equal(g.call('fd_tell', d, 64), Errno.BADF);
  assert.equal(g.call('fd_allocate', d, 0n, 1n), Errno.BADF);
  assert.equal(g.call('fd_filestat_set_size', d, 0n), Errno.BADF);
  assert.equal(g.call('fd_pread', d, 0, 0, 0n, 64), Errno.BADF);
  // ...and directory operations on a file are ENOTDIR.
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ }), Errno.SUCCESS);
  const f = g.fd;
  assert.equal(g.open(f, 'x', { oflags: OFlags.CREAT }), Errno.NOTDIR);
  assert.equal(g.readdir(f).errno, Errno.NOTDIR);
  assert.equal(g.path('path_create_directory', f, 'x'), Errno.NOTDIR);
});

test('read-only and write-only opens: the missing direction is EBADF', () => {
  createFile('file', 'abc');
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ }), Errno.SUCCESS);
  const r = g.fd;
  assert.equal(g.write(r, 'x'), Errno.BADF);
  assert.equal(g.read(r).text, 'abc');
  assert.equal(g.call('fd_fdstat_get', r, 64), Errno.SUCCESS);
  assert.equal(g.u64(72) & Rights.FD_WRITE, 0n);
  assert.equal(g.u64(72) & Rights.FD_READ, Rights.FD_READ);
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_WRITE }), Errno.SUCCESS);
  assert.equal(g.read(g.fd).errno, Errno.BADF);
});

test('rights can be dropped, never regained, and are enforced (ENOTCAPABLE)', () => {
  createFile('file', 'abc');
  assert.equal(g.call('fd_fdstat_get', PRE, 64), Errno.SUCCESS);
  const base = g.u64(72);
  const inheriting = g.u64(80);
  assert.equal(g.view.getUint8(64), FileType.DIRECTORY);
  assert.equal(base & Rights.FD_FILESTAT_SET_SIZE, 0n, 'directories cannot be resized');
  assert.equal(base & Rights.FD_SEEK, 0n, 'directories cannot seek');
  // Wasmtime's preopen rights: no PATH_FILESTAT_SET_SIZE (truncation_rights then skips its check).
  assert.equal(base & Rights.PATH_FILESTAT_SET_SIZE, 0n);
  assert.equal(g.call('fd_fdstat_set_rights', PRE, base & ~Rights.PATH_CREATE_FILE, inheriting), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'new', { oflags: OFlags.CREAT }), Errno.NOTCAPABLE);
  assert.equal(g.open(PRE, 'file', { oflags: OFlags.TRUNC, rights: Rights.FD_WRITE }), Errno.SUCCESS, 'opening existing files needs no create right');
  assert.equal(g.call('fd_fdstat_set_rights', PRE, base, inheriting), Errno.NOTCAPABLE);
  assert.equal(g.call('fd_fdstat_set_rights', PRE, base & ~Rights.PATH_CREATE_FILE & ~Rights.PATH_CREATE_DIRECTORY, inheriting & ~Rights.FD_WRITE), Errno.SUCCESS);
  assert.equal(g.path('path_create_directory', PRE, 'x'), Errno.NOTCAPABLE);
  // Files opened beneath inherit only what the directory may hand down.
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ | Rights.FD_WRITE }), Errno.SUCCESS);
  const f = g.fd;
  assert.equal(g.call('fd_fdstat_get', f, 64), Errno.SUCCESS);
  assert.equal(g.u64(72) & Rights.FD_WRITE, 0n);
  assert.equal(g.call('fd_fdstat_set_rights', f, g.u64(72) & ~Rights.FD_READ, 0n), Errno.SUCCESS);
  assert.equal(g.read(f).errno, Errno.NOTCAPABLE);
  assert.equal(g.call('fd_fdstat_set_rights', f, g.u64(72) & ~Rights.FD_SEEK & ~Rights.FD_READ, 0n), Errno.SUCCESS);
  assert.equal(g.call('fd_seek', f, 1n, 0, 64), Errno.NOTCAPABLE);
});

test('unlink, rmdir and rename with trailing slashes', () => {
  assert.equal(g.path('path_create_directory', PRE, 'dir'), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'dir'), Errno.ISDIR);
  assert.equal(g.path('path_unlink_file', PRE, 'dir/'), Errno.ISDIR);
  assert.equal(g.path('path_remove_directory', PRE, 'dir/'), Errno.SUCCESS);
  createFile('file');
  assert.equal(g.path('path_unlink_file', PRE, 'file/'), Errno.NOTDIR);
  assert.equal(g.path('path_remove_directory', PRE, 'file'), Errno.NOTDIR);
  assert.equal(g.path('path_remove_directory', PRE, 'file/'), Errno.NOTDIR);
  assert.equal(g.rename(PRE, 'file/', PRE, 'target'), Errno.NOTDIR);
  assert.equal(g.rename(PRE, 'file', PRE, 'target/'), Errno.NOTDIR);
  assert.equal(g.rename(PRE, 'file/', PRE, 'target/'), Errno.NOTDIR);
  assert.equal(g.path('path_unlink_file', PRE, 'file'), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'file'), Errno.NOENT);
  assert.equal(g.path('path_create_directory', PRE, 'source'), Errno.SUCCESS);
  assert.equal(g.rename(PRE, 'source/', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.rename(PRE, 'target', PRE, 'source/'), Errno.SUCCESS);
  assert.equal(g.rename(PRE, 'source/', PRE, 'target/'), Errno.SUCCESS);
  assert.equal(g.path('path_remove_directory', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.path('path_remove_directory', PRE, '.'), Errno.INVAL);
});

test('rename: onto empty and non-empty directories, files onto files and directories', () => {
  assert.equal(g.path('path_create_directory', PRE, 'source'), Errno.SUCCESS);
  assert.equal(g.path('path_create_directory', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.rename(PRE, 'source', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'source', { oflags: OFlags.DIRECTORY }), Errno.NOENT);
  assert.equal(g.path('path_create_directory', PRE, 'source'), Errno.SUCCESS);
  createFile('target/file');
  assert.equal(g.rename(PRE, 'source', PRE, 'target'), Errno.NOTEMPTY);
  assert.equal(g.rename(PRE, 'target', PRE, 'target/file/x'), Errno.NOTDIR);
  createFile('f1', 'one');
  createFile('f2', 'two');
  assert.equal(g.rename(PRE, 'f1', PRE, 'f2'), Errno.SUCCESS);
  assert.equal(readFileSync(join(s.sandbox, 'f2'), 'utf8'), 'one');
  assert.equal(g.rename(PRE, 'f2', PRE, 'source'), Errno.ISDIR);
  assert.equal(g.rename(PRE, 'source', PRE, 'f2'), Errno.NOTDIR);
  assert.equal(g.rename(PRE, 'missing', PRE, 'x'), Errno.NOENT);
  // Across two directory fds of the same sandbox.
  assert.equal(g.open(PRE, 'target', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  assert.equal(g.rename(PRE, 'f2', g.fd, 'moved'), Errno.SUCCESS);
  assert.ok(existsSync(join(s.sandbox, 'target', 'moved')));
});

test('symlinks: create, trailing slashes, dangling, nofollow, readlink', () => {
  assert.equal(g.symlink('source', PRE, 'target/'), Errno.NOENT);
  assert.equal(g.symlink('source', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.path('path_create_directory', PRE, 'target'), Errno.SUCCESS);
  assert.equal(g.symlink('source', PRE, 'target/'), Errno.EXIST);
  assert.equal(g.symlink('source', PRE, 'target'), Errno.EXIST);
  assert.equal(g.path('path_remove_directory', PRE, 'target'), Errno.SUCCESS);
  createFile('target');
  assert.equal(g.symlink('source', PRE, 'target/'), Errno.NOTDIR, 'a file named with a trailing slash');
  assert.equal(g.symlink('source', PRE, 'target'), Errno.EXIST);
  // dangling
  assert.equal(g.symlink('nowhere', PRE, 'dangling'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dangling', { oflags: OFlags.DIRECTORY }), Errno.NOTDIR);
  assert.equal(g.open(PRE, 'dangling', {}), Errno.LOOP);
  assert.equal(g.open(PRE, 'dangling', { follow: true }), Errno.NOENT);
  assert.equal(g.stat(PRE, 'dangling', true), Errno.NOENT);
  assert.equal(g.stat(PRE, 'dangling', false), Errno.SUCCESS);
  assert.equal(g.statType, FileType.SYMBOLIC_LINK);
  // following a dangling link with O_CREAT creates its target, inside the sandbox
  assert.equal(g.open(PRE, 'dangling', { follow: true, oflags: OFlags.CREAT, rights: Rights.FD_WRITE }), Errno.SUCCESS);
  assert.ok(existsSync(join(s.sandbox, 'nowhere')));
  assert.equal(g.open(PRE, 'dangling', { follow: true, oflags: OFlags.CREAT | OFlags.EXCL }), Errno.EXIST);
  // to a directory
  assert.equal(g.path('path_create_directory', PRE, 'dir'), Errno.SUCCESS);
  assert.equal(g.symlink('dir', PRE, 'dirlink'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dirlink', { follow: true, oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dirlink', { oflags: OFlags.DIRECTORY }), Errno.NOTDIR);
  assert.equal(g.open(PRE, 'dirlink/', {}), Errno.SUCCESS);
  createFile('dirlink/inner');
  assert.ok(existsSync(join(s.sandbox, 'dir', 'inner')));
  assert.equal(g.path('path_remove_directory', PRE, 'dirlink'), Errno.NOTDIR);
  assert.equal(g.path('path_remove_directory', PRE, 'dirlink/'), Errno.NOTDIR);
  assert.equal(g.path('path_unlink_file', PRE, 'dirlink/'), Errno.NOTDIR);
  // readlink
  assert.deepEqual(g.readlink(PRE, 'dirlink', 10), { errno: Errno.SUCCESS, text: 'dir' });
  assert.deepEqual(g.readlink(PRE, 'dirlink', 2), { errno: Errno.SUCCESS, text: 'di' }, 'truncated like readlink(2)');
  assert.equal(g.readlink(PRE, 'dir').errno, Errno.INVAL);
  assert.equal(g.readlink(PRE, 'missing').errno, Errno.NOENT);
  // loop
  assert.equal(g.symlink('self', PRE, 'self'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'self', { follow: true }), Errno.LOOP);
  assert.equal(g.open(PRE, 'self', {}), Errno.LOOP);
  assert.equal(g.path('path_unlink_file', PRE, 'dirlink'), Errno.SUCCESS);
  assert.ok(existsSync(join(s.sandbox, 'dir', 'inner')));
});

test('path_link: hard links, existing targets, directories, trailing slashes', () => {
  createFile('file', 'x');
  assert.equal(g.link(PRE, 'file', PRE, 'link'), Errno.SUCCESS);
  assert.equal(g.stat(PRE, 'link'), Errno.SUCCESS);
  assert.equal(g.u64(64 + 24), 2n, 'nlink');
  assert.equal(g.link(PRE, 'file', PRE, 'link'), Errno.EXIST);
  assert.equal(g.link(PRE, 'file/', PRE, 'link2'), Errno.NOTDIR);
  assert.equal(g.link(PRE, 'file', PRE, 'link2/'), Errno.NOENT);
  assert.equal(g.path('path_create_directory', PRE, 'dir'), Errno.SUCCESS);
  assert.equal(g.link(PRE, 'dir', PRE, 'dirlink'), Errno.PERM);
  assert.equal(g.link(PRE, 'file', PRE, 'dir'), Errno.EXIST);
  assert.equal(g.link(PRE, 'missing', PRE, 'x'), Errno.NOENT);
  assert.equal(g.symlink('file', PRE, 'sym'), Errno.SUCCESS);
  assert.equal(g.link(PRE, 'sym', PRE, 'sym-hard'), Errno.SUCCESS);
  assert.equal(g.stat(PRE, 'sym-hard'), Errno.SUCCESS);
  assert.equal(g.statType, FileType.SYMBOLIC_LINK);
  // Wasmtime rejects following symlinks in path_link.
  assert.equal(g.link(PRE, 'sym', PRE, 'followed', true), Errno.INVAL);
  assert.equal(g.link(PRE, 'file', PRE, 'file'), Errno.EXIST);
  assert.equal(g.symlink('sym', PRE, 'loop'), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'loop'), Errno.SUCCESS);
  assert.equal(g.symlink('loop', PRE, 'loop'), Errno.SUCCESS);
  assert.equal(g.link(PRE, 'loop', PRE, 'loop-hard'), Errno.SUCCESS, 'a link to a symlink loop is just a link');
});

test('fd_readdir lists . and .. then entries, with resumable cookies and truncated last entries', () => {
  const names = Array.from({ length: 30 }, (_, i) => `file-${String(i).padStart(2, '0')}`);
  for (const n of names) createFile(n);
  assert.equal(g.path('path_create_directory', PRE, 'sub'), Errno.SUCCESS);
  const all = g.readdir(PRE, 8192);
  assert.equal(all.errno, Errno.SUCCESS);
  assert.deepEqual(all.names.slice(0, 2), ['.', '..']);
  assert.deepEqual([...all.names].sort(), ['.', '..', ...names, 'sub'].sort());
  assert.ok(all.used < 8192);
  // Small buffers: read page by page, resuming at the cookie of the last whole entry.
  const seen: string[] = [];
  let cookie = 0n;
  for (let guard = 0; guard < 100; guard++) {
    const page = g.readdir(PRE, 100, cookie);
    seen.push(...page.names);
    if (page.used < 100) break;
    assert.equal(page.used, 100, 'a full buffer means "ask again"');
    cookie = page.next[page.next.length - 1]!;
  }
  assert.deepEqual(seen, all.names);
  // Past the end: nothing.
  assert.equal(g.readdir(PRE, 4096, 1000n).used, 0);
  // d_ino matches fd_filestat_get's ino.
  assert.equal(g.open(PRE, 'file-00', { rights: Rights.FD_READ }), Errno.SUCCESS);
  assert.equal(g.call('fd_filestat_get', g.fd, 64), Errno.SUCCESS);
  const ino = g.u64(72);
  const buf = 16384;
  g.readdir(PRE, 8192);
  let at = 0;
  let found = false;
  while (at < all.used) {
    const nl = g.view.getUint32(buf + at + 16, true);
    const name = new TextDecoder().decode(g.bytes(buf + at + 24, nl));
    if (name === 'file-00') {
      assert.equal(g.view.getBigUint64(buf + at + 8, true), ino);
      assert.equal(g.view.getUint8(buf + at + 20), FileType.REGULAR_FILE);
      found = true;
    }
    at += 24 + nl;
  }
  assert.ok(found);
});

test('timestamps: set mtim only, atim only, NOW, and invalid flag pairs', () => {
  createFile('file', 'x');
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ | Rights.FD_WRITE }), Errno.SUCCESS);
  const f = g.fd;
  assert.equal(g.call('fd_filestat_get', f, 64), Errno.SUCCESS);
  const atim = g.u64(64 + 40);
  const newM = g.u64(64 + 48) - 1_000_000_000n;
  assert.equal(g.call('fd_filestat_set_times', f, newM, newM, FstFlags.MTIM), Errno.SUCCESS);
  assert.equal(g.call('fd_filestat_get', f, 64), Errno.SUCCESS);
  assert.equal(g.u64(64 + 48), newM, 'mtim changed, to the nanosecond');
  assert.equal(g.u64(64 + 40), atim, 'atim unchanged');
  const odd = newM - 123n;
  assert.equal(g.call('fd_filestat_set_times', f, 0n, odd, FstFlags.MTIM), Errno.SUCCESS);
  assert.equal(g.call('fd_filestat_get', f, 64), Errno.SUCCESS);
  assert.equal(g.u64(64 + 48), odd);
  const [p, l] = g.put('file');
  const old = 1_000_000_000_123_000_000n;
  assert.equal(g.raw('path_filestat_set_times', PRE, 0, p, l, old, 0n, FstFlags.ATIM), Errno.SUCCESS);
  assert.equal(g.stat(PRE, 'file'), Errno.SUCCESS);
  assert.equal(g.u64(64 + 40) / 1_000_000n, old / 1_000_000n);
  assert.equal(g.u64(64 + 48) / 1_000_000n, newM / 1_000_000n);
  assert.equal(g.raw('path_filestat_set_times', PRE, 0, p, l, 0n, 0n, FstFlags.MTIM_NOW), Errno.SUCCESS);
  assert.equal(g.stat(PRE, 'file'), Errno.SUCCESS);
  const wall = BigInt(Date.now()) * 1_000_000n;
  assert.ok(g.u64(64 + 48) > wall - 5_000_000_000n && g.u64(64 + 48) <= wall + 5_000_000_000n);
  assert.equal(g.call('fd_filestat_set_times', f, 0n, 0n, FstFlags.ATIM | FstFlags.ATIM_NOW), Errno.INVAL);
  assert.equal(g.call('fd_filestat_set_times', f, 0n, 0n, FstFlags.MTIM | FstFlags.MTIM_NOW), Errno.INVAL);
  const [p2, l2] = g.put('file');
  assert.equal(g.raw('path_filestat_set_times', PRE, 0, p2, l2, 0n, 0n, FstFlags.MTIM | FstFlags.MTIM_NOW), Errno.INVAL);
  // On a symlink without follow: the link's own times.
  assert.equal(g.symlink('file', PRE, 'sym'), Errno.SUCCESS);
  const [p3, l3] = g.put('sym');
  assert.equal(g.raw('path_filestat_set_times', PRE, 0, p3, l3, old, old, FstFlags.ATIM | FstFlags.MTIM), Errno.SUCCESS);
  assert.equal(g.stat(PRE, 'sym'), Errno.SUCCESS);
  assert.equal(g.u64(64 + 48) / 1_000_000n, old / 1_000_000n);
  assert.equal(g.stat(PRE, 'file'), Errno.SUCCESS);
  assert.notEqual(g.u64(64 + 48) / 1_000_000n, old / 1_000_000n);
});

test('seek, tell, pread/pwrite, append, truncate and allocate', () => {
  createFile('file', '0123456789');
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ | Rights.FD_WRITE | Rights.FD_SEEK | Rights.FD_TELL }), Errno.SUCCESS);
  const f = g.fd;
  assert.equal(g.call('fd_seek', f, 3n, 0, 64), Errno.SUCCESS);
  assert.equal(g.u64(), 3n);
  assert.equal(g.read(f, 2).text, '34');
  assert.equal(g.call('fd_tell', f, 64), Errno.SUCCESS);
  assert.equal(g.u64(), 5n);
  assert.equal(g.call('fd_seek', f, -2n, 2, 64), Errno.SUCCESS);
  assert.equal(g.u64(), 8n);
  assert.equal(g.call('fd_seek', f, -20n, 1, 64), Errno.INVAL);
  assert.equal(g.call('fd_seek', f, 0n, 3, 64), Errno.INVAL);
  assert.equal(g.call('fd_seek', 1, 0n, 0, 64), Errno.SPIPE);
  // Seeking past the end and writing leaves a hole of zeros.
  assert.equal(g.call('fd_seek', f, 12n, 0, 64), Errno.SUCCESS);
  assert.equal(g.write(f, 'X'), Errno.SUCCESS);
  assert.deepEqual([...readFileSync(join(s.sandbox, 'file'))].slice(10), [0, 0, 'X'.charCodeAt(0)]);
  // Append: writes go to the end whatever the position, pwrite's too (Linux and Wasmtime).
  assert.equal(g.call('fd_fdstat_set_flags', f, FdFlags.APPEND), Errno.SUCCESS);
  assert.equal(g.call('fd_seek', f, 0n, 0, 64), Errno.SUCCESS);
  assert.equal(g.write(f, 'END'), Errno.SUCCESS);
  assert.match(readFileSync(join(s.sandbox, 'file'), 'latin1'), /XEND$/);
  const [p, l] = g.put('ab');
  g.view.setUint32(512, p, true);
  g.view.setUint32(516, l, true);
  assert.equal(g.raw('fd_pwrite', f, 512, 1, 0n, 64), Errno.SUCCESS);
  assert.match(readFileSync(join(s.sandbox, 'file'), 'latin1'), /^0123.*XENDab$/s);
  assert.equal(g.call('fd_fdstat_get', f, 64), Errno.SUCCESS);
  assert.equal(g.view.getUint16(66, true), FdFlags.APPEND);
  assert.equal(g.call('fd_fdstat_set_flags', f, FdFlags.SYNC), Errno.INVAL);
  assert.equal(g.call('fd_fdstat_set_flags', f, 0), Errno.SUCCESS);
  assert.equal(g.raw('fd_pwrite', f, 512, 1, 0n, 64), Errno.SUCCESS, 'without APPEND pwrite writes at its offset');
  assert.match(readFileSync(join(s.sandbox, 'file'), 'latin1'), /^ab23/);
  // Truncate and allocate.
  assert.equal(g.call('fd_filestat_set_size', f, 4n), Errno.SUCCESS);
  assert.equal(readFileSync(join(s.sandbox, 'file'), 'utf8'), 'ab23');
  assert.equal(g.call('fd_allocate', f, 2n, 10n), Errno.SUCCESS);
  assert.equal(readFileSync(join(s.sandbox, 'file')).length, 12);
  assert.equal(g.call('fd_allocate', f, 0n, 1n), Errno.SUCCESS);
  assert.equal(readFileSync(join(s.sandbox, 'file')).length, 12);
  // pread does not move the position.
  assert.equal(g.call('fd_seek', f, 1n, 0, 64), Errno.SUCCESS);
  g.view.setUint32(512, 2048, true);
  g.view.setUint32(516, 3, true);
  assert.equal(g.raw('fd_pread', f, 512, 1, 0n, 64), Errno.SUCCESS);
  assert.equal(new TextDecoder().decode(g.bytes(2048, g.u32())), 'ab2');
  assert.equal(g.call('fd_tell', f, 64), Errno.SUCCESS);
  assert.equal(g.u64(), 1n);
});

test('renumber moves a descriptor and closes the target; overwriting a preopen works', () => {
  assert.equal(g.path('path_create_directory', PRE, 'dir'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'dir', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  const d = g.fd;
  assert.equal(g.call('fd_filestat_get', d, 64), Errno.SUCCESS);
  const ino = g.u64(72);
  assert.equal(g.call('fd_renumber', d, PRE), Errno.SUCCESS);
  assert.equal(g.call('fd_filestat_get', PRE, 64), Errno.SUCCESS);
  assert.equal(g.u64(72), ino);
  assert.equal(g.call('fd_filestat_get', d, 64), Errno.BADF);
  assert.equal(g.call('fd_prestat_get', PRE, 64), Errno.BADF);
  assert.equal(g.call('fd_renumber', PRE, PRE), Errno.SUCCESS);
});

test('stdio: fdstat, reads from the stdin source, writes to the sinks', () => {
  assert.equal(g.call('fd_fdstat_get', 1, 64), Errno.SUCCESS);
  assert.equal(g.view.getUint8(64), FileType.UNKNOWN);
  assert.equal(g.write(1, 'out'), Errno.SUCCESS);
  assert.equal(g.write(2, 'err'), Errno.SUCCESS);
  assert.equal(g.write(0, 'x'), Errno.BADF);
  assert.equal(g.read(1).errno, Errno.BADF);
  assert.equal(g.stdout.text(), 'out');
  assert.equal(g.stderr.text(), 'err');
  assert.equal(g.read(0).text, '');
});

test('sockets, signals, yield, clocks and random', () => {
  assert.equal(g.call('sock_shutdown', 1, 1), Errno.NOTSOCK);
  assert.equal(g.call('sock_shutdown', 42, 1), Errno.BADF);
  assert.equal(g.call('sock_accept', 0, 0, 64), Errno.NOTSOCK);
  assert.equal(g.call('sock_recv', 42, 0, 0, 0, 64, 68), Errno.BADF);
  assert.equal(g.call('sock_send', PRE, 0, 0, 0, 64), Errno.NOTSOCK);
  assert.equal(g.call('sched_yield'), Errno.SUCCESS);
  assert.equal(g.call('proc_raise', 6), Errno.NOTSUP);
  for (const id of [0, 1, 2, 3]) {
    assert.equal(g.call('clock_res_get', id, 64), Errno.SUCCESS);
    assert.ok(g.u64() > 0n);
    assert.equal(g.call('clock_time_get', id, 1n, 64), Errno.SUCCESS);
    assert.ok(g.u64() > 0n);
  }
  assert.equal(g.call('clock_time_get', 4, 1n, 64), Errno.INVAL);
  assert.equal(g.call('random_get', 1024, 100000), Errno.SUCCESS);
  // A buffer outside memory traps the program (witx: "the function shall trap").
  assert.throws(() => g.call('random_get', (1 << 20) - 10, 100), { name: 'Trap', message: 'out of bounds memory access' });
});

test('dispose closes every file and directory the program still holds', () => {
  createFile('file', 'x');
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ }), Errno.SUCCESS);
  const f = g.fd;
  assert.equal(g.open(PRE, '.', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  g.wasi.dispose();
  assert.equal(g.read(f).errno, Errno.BADF);
  assert.equal(g.call('fd_prestat_get', PRE, 64), Errno.BADF);
  assert.equal(g.write(1, 'still here'), Errno.SUCCESS, 'stdio stays');
});
