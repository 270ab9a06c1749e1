// A program must never reach outside its preopened directories: every escape route (.. in every
// position, absolute paths, symlinks out, loops, renames and links across the boundary, closed
// fds) is denied with Wasmtime's errno, and nothing outside is read or written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync, readdirSync, readFileSync, lstatSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, NodeFileSystem, OFlags, Rights } from '../../core/wasi';
import { Guest, scratch } from './harness';

const PRE = 3; // the preopen's fd
let s: ReturnType<typeof scratch>;
let outsideBefore: string;

/** Names, sizes, contents and mtimes of everything outside the sandbox. */
function snapshotOutside(): string {
  const rows: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (p === s.sandbox) continue;
      const st = lstatSync(p);
      rows.push(`${p} ${st.mode} ${st.size} ${st.mtimeMs} ${st.isFile() ? readFileSync(p, 'utf8') : ''}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(s.root);
  return rows.join('\n');
}

before(() => {
  s = scratch();
  mkdirSync(s.outside);
  writeFileSync(join(s.outside, 'secret.txt'), 'secret');
  writeFileSync(join(s.root, 'beside.txt'), 'beside');
  mkdirSync(join(s.sandbox, 'a', 'b'), { recursive: true });
  writeFileSync(join(s.sandbox, 'file'), 'inside');
  symlinkSync(s.outside, join(s.sandbox, 'abs-link'));
  symlinkSync(join(s.outside, 'secret.txt'), join(s.sandbox, 'abs-file-link'));
  symlinkSync('../outside', join(s.sandbox, 'rel-link'));
  symlinkSync('../../../outside/secret.txt', join(s.sandbox, 'a', 'b', 'deep-link'));
  symlinkSync('../beside.txt', join(s.sandbox, 'beside-link'));
  symlinkSync('a/b/../../..', join(s.sandbox, 'dotdot-link'));
  symlinkSync('loop', join(s.sandbox, 'loop'));
  symlinkSync('ping', join(s.sandbox, 'pong'));
  symlinkSync('pong', join(s.sandbox, 'ping'));
  symlinkSync('a/b', join(s.sandbox, 'inside-link'));
  outsideBefore = snapshotOutside();
});

after(() => {
  assert.equal(snapshotOutside(), outsideBefore, 'nothing outside the sandbox changed');
  s.cleanup();
});

const guest = () => new Guest([{ host: s.sandbox, guest: '/sandbox' }]);

const ESCAPES = [
  '..', '../', './..', '../outside/secret.txt', '../beside.txt', 'a/../..', 'a/../../outside/secret.txt',
  'a/b/../../../outside', 'a/./b/../../../beside.txt', 'a//..//..//outside', '/', '/etc/passwd',
  `${'/'}${'x'}`, 'a/b/../../../../../../../../etc/passwd',
];
const THROUGH_LINKS = ['abs-link', 'abs-link/secret.txt', 'abs-file-link', 'rel-link/secret.txt', 'a/b/deep-link', 'beside-link', 'dotdot-link/outside/secret.txt', 'dotdot-link'];

test('open: ".." in every position and absolute paths are EPERM', () => {
  const g = guest();
  for (const p of ESCAPES) {
    for (const follow of [false, true]) {
      assert.equal(g.open(PRE, p, { follow, rights: Rights.FD_READ }), Errno.PERM, `open ${p}`);
      assert.equal(g.open(PRE, p, { follow, oflags: OFlags.CREAT, rights: Rights.FD_WRITE }), Errno.PERM, `create ${p}`);
      assert.equal(g.open(PRE, p, { follow, oflags: OFlags.DIRECTORY }), Errno.PERM, `opendir ${p}`);
    }
  }
});

test('stat, mkdir, rmdir, unlink, readlink, utimes: escapes are EPERM', () => {
  const g = guest();
  for (const p of ESCAPES) {
    assert.equal(g.stat(PRE, p, true), Errno.PERM, `stat ${p}`);
    assert.equal(g.path('path_create_directory', PRE, `${p}/newdir`), Errno.PERM, `mkdir ${p}/newdir`);
    assert.equal(g.path('path_remove_directory', PRE, p), Errno.PERM, `rmdir ${p}`);
    assert.equal(g.path('path_unlink_file', PRE, p), Errno.PERM, `unlink ${p}`);
    assert.equal(g.readlink(PRE, p).errno, Errno.PERM, `readlink ${p}`);
    const [pp, pl] = g.put(p);
    assert.equal(g.raw('path_filestat_set_times', PRE, 1, pp, pl, 0n, 0n, 2 | 8), Errno.PERM, `utimes ${p}`);
  }
  for (const p of THROUGH_LINKS) {
    const [pp, pl] = g.put(p);
    assert.equal(g.raw('path_filestat_set_times', PRE, 1, pp, pl, 0n, 0n, 2 | 8), Errno.PERM, `utimes -L ${p}`);
  }
  assert.equal(g.path('path_unlink_file', PRE, '../outside/secret.txt'), Errno.PERM);
  assert.equal(g.path('path_unlink_file', PRE, 'rel-link/secret.txt'), Errno.PERM);
  assert.equal(g.path('path_unlink_file', PRE, 'abs-link/secret.txt'), Errno.PERM);
  assert.equal(g.path('path_create_directory', PRE, 'abs-link/new'), Errno.PERM);
});

test('symlinks pointing outside (absolute and relative) cannot be followed', () => {
  const g = guest();
  for (const p of THROUGH_LINKS) {
    assert.equal(g.open(PRE, p, { follow: true, rights: Rights.FD_READ }), Errno.PERM, `open ${p}`);
    assert.equal(g.open(PRE, p, { follow: true, oflags: OFlags.CREAT | OFlags.TRUNC, rights: Rights.FD_WRITE }), Errno.PERM, `truncate ${p}`);
    assert.equal(g.stat(PRE, p, true), Errno.PERM, `stat -L ${p}`);
  }
  // Without following, the link itself is an entry of the sandbox: it can be seen and read.
  assert.equal(g.stat(PRE, 'abs-link', false), Errno.SUCCESS);
  assert.equal(g.statType, 7 /* symbolic_link */);
  assert.equal(g.readlink(PRE, 'rel-link').text, '../outside');
  // Opening a link without following it is ELOOP (ENOTDIR with O_DIRECTORY), never the target.
  assert.equal(g.open(PRE, 'abs-file-link', { rights: Rights.FD_READ }), Errno.LOOP);
  assert.equal(g.open(PRE, 'abs-link', { oflags: OFlags.DIRECTORY }), Errno.NOTDIR);
  // A trailing slash asks for the directory a link names: still outside.
  assert.equal(g.open(PRE, 'abs-link/', {}), Errno.PERM);
  assert.equal(g.stat(PRE, 'rel-link/', false), Errno.PERM);
  // Links inside the sandbox work.
  assert.equal(g.stat(PRE, 'inside-link', true), Errno.SUCCESS);
  assert.equal(g.statType, 3 /* directory */);
});

test('symlink loops end in ELOOP', () => {
  const g = guest();
  for (const p of ['loop', 'ping', 'loop/x', 'ping/x', 'a/../loop']) {
    assert.equal(g.open(PRE, p, { follow: true, rights: Rights.FD_READ }), Errno.LOOP, `open ${p}`);
    assert.equal(g.stat(PRE, p, true), Errno.LOOP, `stat ${p}`);
  }
  assert.equal(g.path('path_create_directory', PRE, 'loop/x'), Errno.LOOP);
});

test('the guest cannot make symlinks that point out of the sandbox; ones planted by others lead nowhere', () => {
  const g = guest();
  assert.equal(g.symlink(s.outside, PRE, 'mine'), Errno.PERM);
  assert.equal(g.symlink('/etc/passwd', PRE, 'mine'), Errno.PERM);
  assert.equal(g.symlink('x', PRE, '../outside/planted'), Errno.PERM);
  assert.equal(g.symlink('x', PRE, 'abs-link/planted'), Errno.PERM);
  assert.equal(g.symlink('../outside', PRE, 'mine'), Errno.PERM);
  assert.equal(g.symlink('a/../../outside', PRE, 'mine'), Errno.PERM);
  assert.equal(g.symlink('../../file', PRE, 'a/mine'), Errno.PERM);
  // Links that stay inside are ordinary, however they get there.
  assert.equal(g.symlink('../file', PRE, 'a/up'), Errno.SUCCESS);
  assert.equal(g.symlink('a/../file', PRE, 'down-up'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'a/up', { follow: true, rights: Rights.FD_READ }), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'a/up'), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'down-up'), Errno.SUCCESS);
  symlinkSync('../outside', join(s.sandbox, 'mine'));
  assert.equal(g.open(PRE, 'mine/secret.txt', { rights: Rights.FD_READ }), Errno.PERM);
  assert.equal(g.open(PRE, 'mine/planted', { oflags: OFlags.CREAT, rights: Rights.FD_WRITE }), Errno.PERM);
  assert.equal(g.path('path_unlink_file', PRE, 'mine'), Errno.SUCCESS);
});

test('rename and link across the boundary are EPERM', () => {
  const g = guest();
  assert.equal(g.rename(PRE, 'file', PRE, '../outside/file'), Errno.PERM);
  assert.equal(g.rename(PRE, 'file', PRE, 'abs-link/file'), Errno.PERM);
  assert.equal(g.rename(PRE, 'file', PRE, 'rel-link/file'), Errno.PERM);
  assert.equal(g.rename(PRE, '../outside/secret.txt', PRE, 'stolen'), Errno.PERM);
  assert.equal(g.rename(PRE, 'abs-link/secret.txt', PRE, 'stolen'), Errno.PERM);
  assert.equal(g.rename(PRE, 'a', PRE, '/a'), Errno.PERM);
  assert.equal(g.link(PRE, '../outside/secret.txt', PRE, 'stolen'), Errno.PERM);
  assert.equal(g.link(PRE, 'abs-file-link', PRE, 'stolen', true), Errno.INVAL); // never follows
  assert.equal(g.link(PRE, 'rel-link/secret.txt', PRE, 'stolen'), Errno.PERM);
  assert.equal(g.link(PRE, 'file', PRE, '../outside/hardlink'), Errno.PERM);
  assert.equal(g.link(PRE, 'file', PRE, 'abs-link/hardlink'), Errno.PERM);
  // Renaming the sandbox's own links is fine: it moves the link, not its target.
  assert.equal(g.rename(PRE, 'abs-link', PRE, 'abs-link-2'), Errno.SUCCESS);
  assert.equal(g.rename(PRE, 'abs-link-2', PRE, 'abs-link'), Errno.SUCCESS);
  assert.ok(!existsSync(join(s.outside, 'file')) && !existsSync(join(s.sandbox, 'stolen')));
});

test('a directory fd is its own sandbox: ".." cannot climb above it', () => {
  const g = guest();
  assert.equal(g.open(PRE, 'a', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  const a = g.fd;
  assert.equal(g.open(a, 'b', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  assert.equal(g.open(a, '../file', { rights: Rights.FD_READ }), Errno.PERM);
  assert.equal(g.open(a, 'b/../../file', { rights: Rights.FD_READ }), Errno.PERM);
  assert.equal(g.stat(a, 'b/deep-link', true), Errno.PERM);
});

test('a held directory replaced by a symlink to the outside is not followed', () => {
  const g = guest();
  assert.equal(g.path('path_create_directory', PRE, 'held'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'held', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  const held = g.fd;
  assert.equal(g.rename(PRE, 'held', PRE, 'moved'), Errno.SUCCESS);
  symlinkSync('../outside', join(s.sandbox, 'held'));
  assert.equal(g.open(held, 'secret.txt', { rights: Rights.FD_READ }), Errno.NOENT);
  // The fd still names the directory it opened (now "moved"), as a real fd does in Wasmtime.
  assert.equal(g.open(held, 'planted', { oflags: OFlags.CREAT, rights: Rights.FD_WRITE }), Errno.SUCCESS);
  assert.ok(existsSync(join(s.sandbox, 'moved', 'planted')));
  assert.equal(g.path('path_unlink_file', PRE, 'held'), Errno.SUCCESS);
  assert.equal(g.path('path_unlink_file', PRE, 'moved/planted'), Errno.SUCCESS);
  assert.equal(g.path('path_remove_directory', PRE, 'moved'), Errno.SUCCESS);
});

test('without a way to hold directories open, a held path is re-checked and a planted symlink is refused', () => {
  const fs = new NodeFileSystem();
  const g = new Guest([{ host: s.sandbox, guest: '/sandbox' }], { fs: Object.assign(Object.create(Object.getPrototypeOf(fs) as object) as NodeFileSystem, fs, { openDirectory: undefined, directoryPath: undefined }) });
  assert.equal(g.path('path_create_directory', PRE, 'held2'), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'held2', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  const held = g.fd;
  assert.equal(g.rename(PRE, 'held2', PRE, 'moved2'), Errno.SUCCESS);
  symlinkSync('../outside', join(s.sandbox, 'held2'));
  assert.equal(g.open(held, 'secret.txt', { rights: Rights.FD_READ }), Errno.NOENT);
  assert.equal(g.open(held, 'planted', { oflags: OFlags.CREAT, rights: Rights.FD_WRITE }), Errno.NOENT);
  assert.equal(g.path('path_unlink_file', PRE, 'held2'), Errno.SUCCESS);
  assert.equal(g.path('path_remove_directory', PRE, 'moved2'), Errno.SUCCESS);
});

test('closed and never-opened fds are EBADF, preopens included', () => {
  const g = guest();
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ }), Errno.SUCCESS);
  const f = g.fd;
  assert.equal(g.call('fd_close', f), Errno.SUCCESS);
  assert.equal(g.read(f).errno, Errno.BADF);
  assert.equal(g.write(f, 'x'), Errno.BADF);
  assert.equal(g.call('fd_close', f), Errno.BADF);
  assert.equal(g.call('fd_seek', f, 0n, 0, 64), Errno.BADF);
  assert.equal(g.open(PRE, 'a', { oflags: OFlags.DIRECTORY }), Errno.SUCCESS);
  const d = g.fd;
  assert.equal(g.call('fd_close', d), Errno.SUCCESS);
  assert.equal(g.open(d, 'b', { oflags: OFlags.DIRECTORY }), Errno.BADF);
  assert.equal(g.call('fd_renumber', PRE, d), Errno.BADF);
  assert.equal(g.call('fd_close', PRE), Errno.SUCCESS);
  assert.equal(g.open(PRE, 'file', { rights: Rights.FD_READ }), Errno.BADF);
  assert.equal(g.call('fd_prestat_get', PRE, 64), Errno.BADF);
  assert.equal(g.open(99, 'file'), Errno.BADF);
  assert.equal(g.open(-1, 'file'), Errno.BADF);
});

test('NUL bytes and invalid UTF-8 in paths are refused', () => {
  const g = guest();
  assert.equal(g.open(PRE, 'file\0/../../outside'), Errno.INVAL);
  g.call('fd_close', 0); // keep the harness honest: errors do not depend on fd 0
  const [p, l] = g.put(new Uint8Array([0x66, 0xff, 0x66]));
  assert.equal(g.raw('path_open', PRE, 0, p, l, 0, 0n, 0n, 0, 64), Errno.ILSEQ);
});
