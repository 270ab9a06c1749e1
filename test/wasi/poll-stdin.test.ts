// poll_oneoff (clocks, stdio readiness, errors) and stdin that is not ready yet: the host returns
// the engine's WOULD_BLOCK so a debugger's machine waits without blocking the process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BufferSink, BufferSource, Errno, EventType, Wasi, nodeClock, nodeRandom } from '../../core/wasi';
import { WOULD_BLOCK } from '../../core/interp';
import { Guest } from './harness';

const SUBS = 2048;
const EVENTS = 4096;

/** Writes subscriptions: [userdata, tag, fd or clock {id, timeout ns, abstime}]. */
function subscribe(g: Guest, subs: ({ ud: bigint; fd: number; tag: EventType.FD_READ | EventType.FD_WRITE } | { ud: bigint; clock: number; timeout: bigint; abs?: boolean })[]): number {
  const v = g.view;
  subs.forEach((s, i) => {
    const p = SUBS + i * 48;
    new Uint8Array(g.memory.buffer, p, 48).fill(0);
    v.setBigUint64(p, s.ud, true);
    if ('fd' in s) {
      v.setUint8(p + 8, s.tag);
      v.setUint32(p + 16, s.fd, true);
    } else {
      v.setUint8(p + 8, EventType.CLOCK);
      v.setUint32(p + 16, s.clock, true);
      v.setBigUint64(p + 24, s.timeout, true);
      v.setUint16(p + 40, s.abs ? 1 : 0, true);
    }
  });
  return subs.length;
}

function events(g: Guest): { ud: bigint; error: number; type: number; nbytes: bigint }[] {
  const n = g.u32(64);
  return Array.from({ length: n }, (_, i) => {
    const p = EVENTS + i * 32;
    return { ud: g.view.getBigUint64(p, true), error: g.view.getUint16(p + 8, true), type: g.view.getUint8(p + 10), nbytes: g.view.getBigUint64(p + 16, true) };
  });
}

test('a clock subscription sleeps until its timeout', () => {
  const g = new Guest([]);
  const n = subscribe(g, [{ ud: 7n, clock: 1, timeout: 30_000_000n }]);
  const t0 = process.hrtime.bigint();
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, n, 64), Errno.SUCCESS);
  assert.ok(process.hrtime.bigint() - t0 >= 29_000_000n, 'slept ~30 ms');
  assert.deepEqual(events(g), [{ ud: 7n, error: 0, type: EventType.CLOCK, nbytes: 0n }]);
  // An absolute deadline in the past fires at once.
  const m = subscribe(g, [{ ud: 8n, clock: 0, timeout: 1n, abs: true }]);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, m, 64), Errno.SUCCESS);
  assert.equal(events(g)[0]!.ud, 8n);
});

test('stdout and stderr are writable at once; the clock does not fire', () => {
  const g = new Guest([]);
  const n = subscribe(g, [
    { ud: 1n, fd: 1, tag: EventType.FD_WRITE },
    { ud: 2n, fd: 2, tag: EventType.FD_WRITE },
    { ud: 3n, clock: 1, timeout: 5_000_000_000n },
  ]);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, n, 64), Errno.SUCCESS);
  assert.deepEqual(events(g).map((e) => [e.ud, e.error, e.type]), [[1n, 0, EventType.FD_WRITE], [2n, 0, EventType.FD_WRITE]]);
});

test('stdin with input is readable, with its byte count', () => {
  const g = new Guest([], { stdin: new BufferSource('hello') });
  const n = subscribe(g, [{ ud: 5n, fd: 0, tag: EventType.FD_READ }, { ud: 6n, clock: 1, timeout: 5_000_000_000n }]);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, n, 64), Errno.SUCCESS);
  assert.deepEqual(events(g), [{ ud: 5n, error: 0, type: EventType.FD_READ, nbytes: 5n }]);
});

test('bad subscriptions: no subscriptions, a closed fd, a directory, an unknown clock', () => {
  const g = new Guest([]);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, 0, 64), Errno.INVAL);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, subscribe(g, [{ ud: 1n, fd: 42, tag: EventType.FD_READ }]), 64), Errno.BADF);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, subscribe(g, [{ ud: 1n, fd: 0, tag: EventType.FD_WRITE }]), 64), Errno.BADF);
  assert.equal(g.raw('poll_oneoff', SUBS, EVENTS, subscribe(g, [{ ud: 1n, clock: 9, timeout: 1n }]), 64), Errno.INVAL);
});

/** A guest whose stdin is fed later, on an engine that can wait (WOULD_BLOCK). */
function waitingGuest(wouldBlock: unknown) {
  const stdin = new BufferSource('', { ended: false });
  const g = new Guest([], { stdin });
  const wasi = new Wasi({ io: { stdin, stdout: new BufferSink(), stderr: new BufferSink(), clock: nodeClock, random: nodeRandom }, wouldBlock });
  wasi.memory = g.memory;
  return { g, stdin, wasi };
}

test('stdin not ready: fd_read returns WOULD_BLOCK until input is fed, then reads it', () => {
  const { g, stdin, wasi } = waitingGuest(WOULD_BLOCK);
  const call = () => (wasi.imports.wasi_snapshot_preview1.fd_read as unknown as (...a: number[]) => unknown)(0, 4608, 1, 64);
  g.view.setUint32(4608, 8192, true);
  g.view.setUint32(4612, 100, true);
  assert.equal(call(), WOULD_BLOCK);
  assert.equal(call(), WOULD_BLOCK, 'still waiting, nothing consumed');
  stdin.feed('typed line\n');
  assert.equal(call(), Errno.SUCCESS);
  assert.equal(new TextDecoder().decode(g.bytes(8192, g.u32(64))), 'typed line\n');
  assert.equal(call(), WOULD_BLOCK);
  stdin.end();
  assert.equal(call(), Errno.SUCCESS);
  assert.equal(g.u32(64), 0, 'end of input');
});

test('stdin not ready on an engine that cannot wait: EAGAIN', () => {
  const { g, wasi } = waitingGuest(undefined);
  g.view.setUint32(4608, 8192, true);
  g.view.setUint32(4612, 100, true);
  assert.equal((wasi.imports.wasi_snapshot_preview1.fd_read as unknown as (...a: number[]) => unknown)(0, 4608, 1, 64), Errno.AGAIN);
});

test('poll on stdin that is not ready defers with WOULD_BLOCK; the timeout still counts from the first call', () => {
  const { g, stdin, wasi } = waitingGuest(WOULD_BLOCK);
  const poll = (n: number) => (wasi.imports.wasi_snapshot_preview1.poll_oneoff as unknown as (...a: number[]) => unknown)(SUBS, EVENTS, n, 64);
  const n = subscribe(g, [{ ud: 1n, fd: 0, tag: EventType.FD_READ }, { ud: 2n, clock: 1, timeout: 20_000_000n }]);
  assert.equal(poll(n), WOULD_BLOCK);
  const until = process.hrtime.bigint() + 25_000_000n;
  while (process.hrtime.bigint() < until) { /* let the deadline pass */ }
  assert.equal(poll(n), Errno.SUCCESS);
  assert.deepEqual(events(g).map((e) => e.ud), [2n]);
  stdin.feed('x');
  assert.equal(poll(n), Errno.SUCCESS);
  assert.deepEqual(events(g).map((e) => e.ud), [1n]);
});

test('on our engine, a program reading stdin stops the machine (blocked) until input arrives', async () => {
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { decodeModule } = await import('../../core/binary');
  const { Machine, compileModule, instantiate } = await import('../../core/interp');
  const stdin = new BufferSource('', { ended: false });
  const stdout = new BufferSink();
  const wasi = new Wasi({ io: { stdin, stdout, stderr: new BufferSink(), clock: nodeClock, random: nodeRandom }, wouldBlock: WOULD_BLOCK });
  const bytes = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'wasi', 'cat.wasm'));
  const instance = instantiate(compileModule(decodeModule(bytes)), wasi.imports);
  const memory = instance.exports.memory;
  if (memory?.kind === 'memory') wasi.memory = memory;
  const m = new Machine();
  m.start(instance, '_start', []);
  assert.equal(m.run().reason, 'blocked');
  assert.equal(m.run().reason, 'blocked', 'still nothing to read');
  stdin.feed('abc\n');
  assert.equal(m.run().reason, 'blocked', 'consumed the line, waits for more');
  stdin.feed('de');
  stdin.end();
  assert.equal(m.run().reason, 'finished');
  assert.equal(stdout.text(), 'ABC\nDE');
});
