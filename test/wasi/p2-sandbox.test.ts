// The WASI 0.2 host's filesystem (core/wasi/p2) called as the canonical ABI calls it, with WIT
// values: every escape route out of a preopen ("..", absolute paths, symlinks out, renames and
// links across) is err(not-permitted) as in Wasmtime, nothing outside changes, and ordinary use
// inside works (open, read and write streams, stat, readdir, mkdir, rename, unlink).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BufferSink, BufferSource, NodeFileSystem, nodeClock, nodeRandom } from '../../core/wasi';
import { WasiP2, type Tagged } from '../../core/wasi/p2';
import type { HostInterface } from '../../core/component';
import { scratch } from './harness';

let s: ReturnType<typeof scratch>;
let outsideBefore: string;

function snapshotOutside(): string {
  const rows: string[] = [];
  const walk = (dir: string): void => {
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
  symlinkSync('../outside', join(s.sandbox, 'rel-link'));
  symlinkSync('../../../outside/secret.txt', join(s.sandbox, 'a', 'b', 'deep-link'));
  symlinkSync('a/b/../../..', join(s.sandbox, 'dotdot-link'));
  symlinkSync('a/b', join(s.sandbox, 'inside-link'));
  outsideBefore = snapshotOutside();
});

after(() => {
  assert.equal(snapshotOutside(), outsideBefore, 'nothing outside the sandbox changed');
  s.cleanup();
});

type Fn = (...args: unknown[]) => unknown;

/** A host with the sandbox preopened as /sandbox, and its interfaces by name. */
function host(): { p2: WasiP2; fs: (name: string) => Fn; iface: (name: string) => HostInterface; pre: unknown; stdout: BufferSink } {
  const stdout = new BufferSink();
  const p2 = new WasiP2({
    preopens: [{ host: s.sandbox, guest: '/sandbox' }],
    io: { stdin: new BufferSource(''), stdout, stderr: new BufferSink(), fs: new NodeFileSystem(), clock: nodeClock, random: nodeRandom },
  });
  const iface = (name: string): HostInterface => {
    const i = p2.resolve(`${name}@0.2.3`);
    assert.ok(i, name);
    return i;
  };
  const types = iface('wasi:filesystem/types');
  const dirs = iface('wasi:filesystem/preopens')['get-directories']!() as [unknown, string][];
  assert.equal(dirs.length, 1);
  assert.equal(dirs[0]![1], '/sandbox');
  const fs = (name: string): Fn => {
    const f = types[name.startsWith('[') ? name : `[method]descriptor.${name}`];
    assert.ok(f, name);
    return f as Fn;
  };
  return { p2, fs, iface, pre: dirs[0]![0], stdout };
}

const READ = { read: true };
const WRITE = { read: false, write: true };
const NOFOLLOW = {};
const FOLLOW = { 'symlink-follow': true };

const ESCAPES = [
  '..', '../', './..', '../outside/secret.txt', '../beside.txt', 'a/../..', 'a/b/../../../outside',
  'a//..//..//outside', '/', '/etc/passwd', 'a/b/../../../../../../../../etc/passwd',
];
const THROUGH_LINKS = ['abs-link/secret.txt', 'rel-link/secret.txt', 'a/b/deep-link', 'dotdot-link/outside/secret.txt'];

function errCode(t: unknown): string | undefined {
  const r = t as Tagged;
  return r.tag === 'err' ? (r.val as string) : undefined;
}

test('open-at, stat-at, create-directory-at, unlink, readlink: escapes are not-permitted', () => {
  const { p2, fs, pre } = host();
  for (const p of ESCAPES) {
    for (const flags of [NOFOLLOW, FOLLOW]) {
      assert.equal(errCode(fs('open-at')(pre, flags, p, {}, READ)), 'not-permitted', `open ${p}`);
      assert.equal(errCode(fs('open-at')(pre, flags, p, { create: true }, WRITE)), 'not-permitted', `create ${p}`);
      assert.equal(errCode(fs('stat-at')(pre, flags, p)), 'not-permitted', `stat ${p}`);
    }
    assert.equal(errCode(fs('create-directory-at')(pre, `${p}/new`)), 'not-permitted', `mkdir ${p}/new`);
    assert.equal(errCode(fs('unlink-file-at')(pre, p)), 'not-permitted', `unlink ${p}`);
    assert.equal(errCode(fs('readlink-at')(pre, p)), 'not-permitted', `readlink ${p}`);
  }
  for (const p of THROUGH_LINKS) {
    assert.equal(errCode(fs('open-at')(pre, FOLLOW, p, {}, READ)), 'not-permitted', `open -L ${p}`);
    assert.equal(errCode(fs('stat-at')(pre, FOLLOW, p)), 'not-permitted', `stat -L ${p}`);
  }
  assert.equal(errCode(fs('symlink-at')(pre, '/etc/passwd', 'mine')), 'not-permitted');
  assert.equal(errCode(fs('symlink-at')(pre, '../outside', 'mine')), 'not-permitted');
  assert.equal(errCode(fs('symlink-at')(pre, 'a/../../outside/secret.txt', 'mine')), 'not-permitted');
  assert.equal(errCode(fs('rename-at')(pre, 'file', pre, '../outside/stolen')), 'not-permitted');
  assert.equal(errCode(fs('link-at')(pre, NOFOLLOW, 'file', pre, '../outside/linked')), 'not-permitted');
  assert.equal(errCode(fs('rename-at')(pre, '../outside/secret.txt', pre, 'got')), 'not-permitted');
  p2.dispose();
});

test('inside the preopen: open, read and write through streams, stat, readdir, rename, unlink', () => {
  const { p2, fs, iface, pre } = host();
  const streams = iface('wasi:io/streams');
  const f = fs('open-at')(pre, FOLLOW, 'inside-link/../../file', {}, READ) as Tagged;
  assert.equal(f.tag, 'ok');
  const rs = fs('read-via-stream')(f.val, 0n) as Tagged;
  const got = streams['[method]input-stream.blocking-read']!(rs.val, 100n) as Tagged;
  assert.deepEqual(new TextDecoder().decode(got.val as Uint8Array), 'inside');
  assert.deepEqual(streams['[method]input-stream.read']!(rs.val, 100n), { tag: 'err', val: { tag: 'closed' } });
  const st = fs('stat-at')(pre, NOFOLLOW, 'file') as Tagged;
  assert.equal((st.val as { type: string; size: bigint }).type, 'regular-file');
  assert.equal((st.val as { type: string; size: bigint }).size, 6n);
  assert.equal((fs('stat-at')(pre, NOFOLLOW, 'abs-link') as Tagged & { val: { type: string } }).val.type, 'symbolic-link');

  const w = fs('open-at')(pre, NOFOLLOW, 'new.txt', { create: true, exclusive: true }, { write: true }) as Tagged;
  assert.equal(w.tag, 'ok');
  const ws = fs('write-via-stream')(w.val, 0n) as Tagged;
  assert.deepEqual(streams['[method]output-stream.blocking-write-and-flush']!(ws.val, new TextEncoder().encode('hello')), { tag: 'ok' });
  assert.equal(readFileSync(join(s.sandbox, 'new.txt'), 'utf8'), 'hello');
  assert.equal(errCode(fs('open-at')(pre, NOFOLLOW, 'new.txt', { create: true, exclusive: true }, { write: true })), 'exist');

  assert.deepEqual(fs('create-directory-at')(pre, 'a/made'), { tag: 'ok' });
  assert.deepEqual(fs('rename-at')(pre, 'new.txt', pre, 'a/made/moved.txt'), { tag: 'ok' });
  const d = fs('open-at')(pre, NOFOLLOW, 'a/made', { directory: true }, READ) as Tagged;
  const list = fs('read-directory')(d.val) as Tagged;
  const entry = fs('[method]directory-entry-stream.read-directory-entry')(list.val) as Tagged;
  assert.deepEqual(entry, { tag: 'ok', val: { tag: 'some', val: { name: 'moved.txt', type: 'regular-file' } } });
  assert.deepEqual(fs('[method]directory-entry-stream.read-directory-entry')(list.val), { tag: 'ok', val: { tag: 'none' } });
  assert.deepEqual(fs('unlink-file-at')(pre, 'a/made/moved.txt'), { tag: 'ok' });
  assert.equal(errCode(fs('remove-directory-at')(pre, 'a')), 'not-empty');
  assert.deepEqual(fs('remove-directory-at')(pre, 'a/made'), { tag: 'ok' });
  assert.equal(errCode(fs('open-at')(pre, NOFOLLOW, 'missing', {}, READ)), 'no-entry');
  p2.dispose();
});

test('preopens handed out twice: dropping one handle leaves the other usable', () => {
  const { p2, fs, iface, pre } = host();
  const again = iface('wasi:filesystem/preopens')['get-directories']!() as [unknown, string][];
  p2.onDrop({ kind: 'resource', name: 'descriptor' }, again[0]![0]);
  assert.equal((fs('open-at')(pre, NOFOLLOW, 'file', {}, READ) as Tagged).tag, 'ok');
  p2.dispose();
});
