// monotonic-clock wait-for / wait-until settle only once the clock the program reads has reached
// the deadline. Node's timers count on libuv's loop clock, so a 1 ms timer can fire before the
// monotonic clock moved 1 ms (rust-wasip3/monotonic-clock.wasm then saw a wait shorter than asked,
// now and then); here the program's clock runs at a third of real time, so every timer fires early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNodeIO } from '../../../../core/wasi/node-io';
import { WasiP3 } from '../../../../core/wasi/p3/host';
import type { Clock } from '../../../../core/wasi/wasi-io';

function slowHost(): { clock: Clock; wait: (name: 'wait-for' | 'wait-until', ns: bigint) => Promise<unknown>; host: WasiP3 } {
  const io = createNodeIO();
  const start = process.hrtime.bigint();
  const clock: Clock = { ...io.clock, now: (kind) => (kind === 'monotonic' ? (process.hrtime.bigint() - start) / 3n : io.clock.now(kind)) };
  const host = new WasiP3({ io: { ...io, clock } });
  const mono = host.resolve('wasi:clocks/monotonic-clock@0.3.0');
  assert.ok(mono, 'the host has wasi:clocks/monotonic-clock');
  return { clock, host, wait: (name, ns) => mono[name]!(ns) as Promise<unknown> };
}

test('wait-for settles once the program\'s clock has moved as far as asked', async () => {
  const { clock, wait, host } = slowHost();
  for (const ns of [1_000_000n, 5_000_000n]) {
    const t0 = clock.now('monotonic');
    await wait('wait-for', ns);
    const waited = clock.now('monotonic') - t0;
    assert.ok(waited >= ns, `waited ${waited} ns of the program's clock for ${ns}`);
  }
  host.dispose();
});

test('wait-until settles at or after the deadline on the program\'s clock', async () => {
  const { clock, wait, host } = slowHost();
  const deadline = clock.now('monotonic') + 3_000_000n;
  await wait('wait-until', deadline);
  assert.ok(clock.now('monotonic') >= deadline);
  host.dispose();
});
