// Every WASI function, called with random arguments (pointers anywhere, huge and negative i64s,
// random flags and fds): only an errno, a Trap (pointer out of bounds) or WasiExit may come out,
// never a JavaScript exception, and nothing outside the sandbox changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { Errno, WASI_SIGNATURES, WasiExit } from '../../core/wasi';
import { Trap } from '../../core/errors';
import { Guest, scratch } from './harness';

/** xorshift32: the same calls on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

test('random calls to every WASI function yield errnos or traps, never host exceptions', () => {
  const s = scratch();
  try {
    mkdirSync(join(s.sandbox, 'd'), { recursive: true });
    mkdirSync(s.outside);
    writeFileSync(join(s.outside, 'secret'), 'secret');
    writeFileSync(join(s.sandbox, 'f'), 'file contents');
    symlinkSync('../outside', join(s.sandbox, 'out'));
    let g = new Guest([{ host: s.sandbox, guest: '/' }]);
    const next = rng(0x5eed);
    // Paths the random pointers may land on, so some calls get past argument checks.
    const paths = ['f', 'd', 'd/x', 'out/secret', '../outside/secret', '/etc', 'f/', '.', '..', 'new', 'd/../f'];
    const base = 200_000;
    // Each path is padded with slashes, so any length up to 32 is still a valid path.
    const fresh = (): Guest => {
      const guest = new Guest([{ host: s.sandbox, guest: '/' }]);
      const u8 = new Uint8Array(guest.memory.buffer);
      paths.forEach((p, i) => u8.set(new TextEncoder().encode(p.padEnd(32, '/')), base + i * 32));
      return guest;
    };
    g = fresh();
    const int = (): number => {
      const r = next() % 10;
      if (r < 3) return [0, 1, 3, 3, 3, 2, 4, 5][next() % 8]!; // small: fds (3 is the preopen), flags
      if (r < 6) return base + (next() % paths.length) * 32; // a path
      if (r < 8) return 1 + (next() % 31); // a path length
      if (r < 9) return next() % (1 << 20); // anywhere in memory (out-pointers, buffers)
      return next() | 0; // anything
    };
    const long = (): bigint => {
      const r = next() % 4;
      if (r === 0) return BigInt(next() % 64);
      if (r === 1) return -BigInt(next() % 64);
      if (r === 2) return BigInt.asIntN(64, (BigInt(next()) << 32n) | BigInt(next()));
      return BigInt(next()) * 1_000_000_000n;
    };
    let calls = 0;
    const errnos = new Set<number>();
    for (let round = 0; round < 3000; round++) {
      // A fresh fd table now and then: random fd_close/renumber/set_rights would otherwise
      // leave nothing to reach.
      if (round % 20 === 0) {
        g.wasi.dispose();
        g = fresh();
      }
      const view = g.view;
      for (const [name, sig] of Object.entries(WASI_SIGNATURES)) {
        if (name === 'poll_oneoff' && next() % 4 !== 0) continue; // clock waits are slow
        const args = sig.params.map((t) => (t === 'i64' ? long() : int()));
        // Keep poll_oneoff's subscriptions few, and their clock timeouts short.
        if (name === 'poll_oneoff') {
          args[2] = 1 + (next() % 3);
          for (let k = 0; k < 3; k++) view.setBigUint64(((args[0] as number) >>> 0) % 900_000 + 24 + k * 48, 1000n, true);
        }
        calls++;
        try {
          const r = g.raw(name, ...args);
          assert.equal(typeof r, 'number', `${name} returned ${String(r)}`);
          errnos.add(r as number);
          assert.ok((r as number) >= 0 && (r as number) <= Errno.NOTCAPABLE, `${name} → ${String(r)}`);
        } catch (err) {
          if (err instanceof Trap || err instanceof WasiExit) continue;
          assert.fail(`${name}(${args.map(String).join(', ')}) threw ${err instanceof Error ? err.stack : String(err)}`);
        }
      }
    }
    assert.ok(calls > 50_000 && errnos.size >= 14, `${calls} calls, ${errnos.size} distinct errnos: ${[...errnos].sort((a, b) => a - b).map((e) => Errno[e]).join(' ')}`);
    assert.deepEqual(readdirSync(s.outside), ['secret']);
    assert.equal(readFileSync(join(s.outside, 'secret'), 'utf8'), 'secret');
    g.wasi.dispose();
  } finally {
    s.cleanup();
  }
});
