// The async Canonical ABI on small hand-written components (test/fixtures/component/async/*.wat,
// built with jco parse by build.mjs there): callback exports and their event loop, context
// slots, a stream copied within a component, async-lowered host imports (promise → subtask and
// SUBTASK event; a plain value → RETURNED at once), and the misuses that must trap. Every core
// call runs on our Machine, driven the way `wasmscope run` drives it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AsyncRuntime, callCore, decodeComponent, findExportFunc, instantiateComponent, prepareAsyncLifted, validateComponent,
  type HostImports, type HostInterface,
} from '../../../../core/component';
import { Trap } from '../../../../core/errors';
import { Machine } from '../../../../core/interp';

const fixtures = join(import.meta.dirname, '..', '..', '..', 'fixtures', 'component', 'async');

/** Instantiates a fixture and runs its async export `run` to the end; returns what task.return gave. */
async function run(name: string, args: unknown[], host: Record<string, HostInterface> = {}): Promise<unknown> {
  const info = validateComponent(decodeComponent(readFileSync(join(fixtures, `${name}.wasm`))));
  const rt = new AsyncRuntime();
  const imports: HostImports = { resolve: (n) => host[n] };
  const inst = instantiateComponent(info, imports, { runtime: rt });
  const f = findExportFunc(inst, ['run']);
  assert.ok(f, 'the fixture exports run');
  const call = prepareAsyncLifted(f, args, callCore({}));
  const m = new Machine();
  let calls = 0;
  for (;;) {
    const step = call.next();
    if (step.kind === 'done') return step.result;
    if (step.kind === 'wait') {
      await step.until;
      continue;
    }
    calls++;
    m.startFunc(step.core, step.args);
    for (;;) {
      const r = m.run();
      if (r.reason === 'finished') {
        call.finished(r.results);
        break;
      }
      if (r.reason === 'trap') throw r.trap;
      if (r.reason === 'blocked') await rt.progress('test');
    }
    assert.ok(calls < 100, 'the event loop ends');
  }
}

async function trapOf(p: Promise<unknown>): Promise<Trap> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof Trap, String(e));
    return e;
  }
  assert.fail('expected a trap');
}

test('a callback export yields, keeps its context slot, and returns through task.return', async () => {
  // run(x) sets context slot 0 to x and yields; the callback gets event NONE (0) and returns slot + event.
  assert.equal(await run('yield-return', [41]), 41);
  assert.equal(await run('yield-return', [7]), 7);
});

test('a stream within one component: a blocked write completes when the read takes its bytes', async () => {
  const [read, code, payload, bytes] = (await run('stream-self', [])) as number[];
  assert.equal(read, 0x40, 'stream.read: COMPLETED with 4 elements (4 << 4)');
  assert.equal(code, 3, 'the writable end has a STREAM_WRITE event');
  assert.equal(payload, 0x40, 'the write completed with 4 elements');
  assert.equal(bytes, 0x64636261, 'the reader got "abcd"');
});

test('an async-lowered host import that returns a promise is a subtask the guest waits for', async () => {
  let calls = 0;
  const host = {
    host: {
      add: (a: unknown, b: unknown) => {
        calls++;
        return new Promise((resolve) => setTimeout(() => resolve((a as number) + (b as number)), 5));
      },
    },
  };
  const [sum, status, event] = (await run('async-lower', [40, 2], host)) as number[];
  assert.equal(calls, 1);
  assert.equal(sum, 42);
  assert.equal(status, 1, 'the call returned STARTED');
  assert.equal(event, 1, 'the callback got a SUBTASK event');
});

test('an async-lowered host import that answers at once returns RETURNED with the result stored', async () => {
  const host = { host: { add: (a: unknown, b: unknown) => (a as number) + (b as number) } };
  const [sum, status] = (await run('async-lower', [5, 6], host)) as number[];
  assert.equal(sum, 11);
  assert.equal(status, 2, 'RETURNED');
});

test('a host promise that rejects fails the run with its error', async () => {
  const host = { host: { add: () => Promise.reject(new Trap('host failed')) } };
  const t = await trapOf(run('async-lower', [1, 2], host));
  assert.match(t.message, /host failed/);
});

test('a stackful async export blocks in waitable-set.wait until the host promise settles', async () => {
  const host = { host: { add: (a: unknown, b: unknown) => new Promise((resolve) => setTimeout(() => resolve((a as number) + (b as number)), 5)) } };
  assert.equal(await run('stackful', [20, 3], host), 1023, 'sum 23 + 1000 * SUBTASK');
  const now = { host: { add: (a: unknown, b: unknown) => (a as number) + (b as number) } };
  assert.equal(await run('stackful', [20, 3], now), 23, 'RETURNED at once: no wait');
});

test('misuses of the async ABI trap with a message naming what went wrong', async () => {
  const cases: [number, RegExp][] = [
    [0, /exited without calling task\.return/],
    [1, /unknown code 7/],
    [2, /waitable-set\.drop: the set still has 1 waitable/],
    [3, /future\.drop-writable: the future was never written/],
    [4, /deadlock: .* waits on waitable set 1/],
    [5, /task\.return called after the task already returned/],
    [6, /handle 1 is a waitable set, not a stream readable end/],
  ];
  for (const [n, re] of cases) {
    const t = await trapOf(run('traps', [n]));
    assert.match(t.message, re, `scenario ${n}: ${t.message}`);
  }
});
