// The module worker (dist/moduleWorker.js) as the extension host talks to it: the tree's first
// level on open, children and one function's disassembly on request, the listing counted in the
// background; malformed modules get a clear message and the worker keeps answering; a worker that
// hangs or cannot start is replaced and the next request works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary';
import { disassembleFunction, openDisassembly } from '../../core/inspect';
import { decodeComponent, describeWorld, formatWit, validateComponent } from '../../core/component';
import { ModuleWorkerClient, type ModuleWorkerOptions } from '../../client/module-worker/client';
import { bigModule } from './big-module';

const root = join(import.meta.dirname, '..', '..');
const script = join(root, 'dist', 'moduleWorker.js');

function client(options: ModuleWorkerOptions = {}): ModuleWorkerClient {
  assert.ok(existsSync(script), `${script} is missing: run \`node esbuild.mjs\` first`);
  return new ModuleWorkerClient(script, options);
}

/** (func) whose body is `nop` then the reserved opcode 0x27. */
const badBody = Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 10, 6, 1, 4, 0, 0x01, 0x27, 0x0b]);

test('open gives the first level; children, a function and the listing come on request, as the core prints them', async () => {
  const bytes = bigModule(1200, 3);
  const module = decodeModule(bytes);
  let counted: { lineCount: number; done: boolean } | undefined;
  let markDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (markDone = resolve));
  const worker = client({
    onLineCount: (key, lineCount, d) => {
      if (key !== 'm') return;
      counted = { lineCount, done: d };
      if (d) markDone();
    },
  });
  try {
    const opened = await worker.request('open', { key: 'm', bytes: bytes.slice() });
    assert.equal(opened.kind, 'module');
    assert.ok(opened.kind === 'module');
    assert.deepEqual(opened.roots.map((r) => [r.label, r.description, r.expandable]), [
      ['Exports', '12', true], ['Types', '1', true], ['Functions', '1200', true], ['Custom Sections', '1', true],
    ]);
    assert.equal(opened.functions, 1200);
    const pages = await worker.request('children', { key: 'm', id: 'funcs' });
    assert.deepEqual(pages.map((p) => p.label), ['[0 … 499]', '[500 … 999]', '[1000 … 1199]']);
    const funcs = await worker.request('children', { key: 'm', id: pages[1]!.id });
    assert.equal(funcs.length, 500);
    assert.deepEqual(funcs[0], {
      id: 'func:500', label: '$func_500', description: '(param i32) (result i32)  14 bytes', icon: 'func', expandable: false,
      target: { kind: 'wasm', anchor: 'func:500' },
    });
    assert.deepEqual(await worker.request('function', { key: 'm', index: 700 }), disassembleFunction(module, 700).lines);

    const state = await worker.request('listing', { key: 'm' });
    const whole = openDisassembly(module);
    assert.ok(state.lineCount > 0 && state.lineCount <= whole.lineCount);
    // An anchor or lines past what is counted wait for the count to get there.
    const [anchor, tail] = await Promise.all([
      worker.request('anchor', { key: 'm', anchor: 'func:1100' }),
      worker.request('lines', { key: 'm', start: whole.lineCount - 30, end: whole.lineCount + 30 }),
    ]);
    assert.equal(anchor, whole.lineOfAnchor('func:1100'));
    assert.deepEqual(tail, whole.lines(whole.lineCount - 30, whole.lineCount));
    await done;
    assert.deepEqual(counted, { lineCount: whole.lineCount, done: true });
    assert.deepEqual(await worker.request('lines', { key: 'm', start: 4000, end: 4100 }), whole.lines(4000, 4100));
    assert.equal(await worker.request('anchor', { key: 'm', anchor: 'export:3' }), whole.lineOfAnchor('export:3'));
  } finally {
    worker.dispose();
  }
});

test('malformed modules: a clear message at open, the worker keeps answering; a bad body shows where it is read', async () => {
  const worker = client();
  try {
    assert.deepEqual(await worker.request('open', { key: 'garbage', bytes: Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]) }), {
      kind: 'invalid', message: 'Invalid WebAssembly module: magic header not detected (at byte 0x0)',
    });
    assert.deepEqual(await worker.request('open', { key: 'cut', bytes: Uint8Array.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 9, 1]) }), {
      kind: 'invalid', message: 'Invalid WebAssembly module: length out of bounds (at byte 0xa)',
    });
    assert.deepEqual(await worker.request('listing', { key: 'cut' }), { lineCount: 0, done: true, error: 'Invalid WebAssembly module: length out of bounds (at byte 0xa)' });
    await assert.rejects(worker.request('function', { key: 'cut', index: 0 }), /is not a module/);
    const generation = worker.generation;
    const opened = await worker.request('open', { key: 'bad-body', bytes: badBody });
    assert.equal(opened.kind, 'module');
    assert.deepEqual(await worker.request('function', { key: 'bad-body', index: 0 }), [
      '000015: (func (;0;) (type 0)',
      '000017:   nop',
      '000018:   ;; cannot decode the rest: illegal opcode (at byte 0x18)',
    ]);
    await assert.rejects(worker.request('function', { key: 'bad-body', index: 3 }), /^Error: function 3 is not defined in this module \(it defines 0…0\)$/);
    await assert.rejects(worker.request('children', { key: 'nope', id: 'funcs' }), /^Error: nope is not open in the module worker$/);
    await assert.rejects(worker.request('children', { key: 'bad-body', id: 'funcs/page:9' }), /no tree node "funcs\/page:9"/);
    await assert.rejects(worker.request('open', { key: 'x', path: join(root, 'no-such-file.wasm') }), /ENOENT/);
    assert.equal(worker.generation, generation, 'no error restarted the worker');
  } finally {
    worker.dispose();
  }
});

/** The scripted stand-in worker (test/client/fixtures/scripted-worker.mjs). */
function scripted(options: ModuleWorkerOptions): ModuleWorkerClient {
  return new ModuleWorkerClient(join(import.meta.dirname, 'fixtures', 'scripted-worker.mjs'), options);
}

test('a worker that stops answering or runs out of memory is replaced; one that cannot start fails its requests clearly', async () => {
  const restarts: string[] = [];
  // The scripted worker never answers "function": a hung worker.
  const worker = scripted({ timeoutMs: 300, onRestart: (r) => restarts.push(r) });
  try {
    assert.equal((await worker.request('open', { key: 'g', bytes: badBody })).kind, 'module');
    const first = worker.generation;
    await assert.rejects(worker.request('function', { key: 'g', index: 0 }), /^Error: the module worker did not answer "function" within 300 ms and was restarted$/);
    assert.deepEqual(restarts, ['the module worker did not answer "function" within 300 ms and was restarted']);
    // The new worker has forgotten the document; it answers as soon as the document is opened again.
    await assert.rejects(worker.request('children', { key: 'g', id: 'funcs' }), /g is not open in the module worker/);
    assert.equal(worker.generation, first + 1);
    assert.equal((await worker.request('open', { key: 'b', bytes: badBody })).kind, 'module');
    assert.deepEqual(await worker.request('children', { key: 'b', id: 'funcs' }), []);
  } finally {
    worker.dispose();
  }
  await assert.rejects(worker.request('open', { key: 'b', bytes: badBody }), /shut down/);

  // A module too big for the worker's heap crashes the worker (not its host); the next one answers.
  const small = client({ maxHeapMb: 16 });
  await assert.rejects(small.request('open', { key: 'big', bytes: bigModule(200_000, 1) }), /^Error: the module worker failed: .*memory limit/);
  assert.equal((await small.request('open', { key: 'b', bytes: badBody })).kind, 'module');
  assert.equal(small.generation, 1);
  small.dispose();

  const missing = new ModuleWorkerClient(join(root, 'dist', 'no-such-worker.js'));
  await assert.rejects(missing.request('open', { key: 'b', bytes: badBody }), /^Error: the module worker failed: Cannot find module/);
  missing.dispose();
});

test('a request waiting for the count outlives the timeout while the worker reports progress; a silent one does not', async () => {
  // The scripted worker reports progress every 100 ms and answers the anchor after 600 ms.
  const counts: number[] = [];
  const worker = scripted({ timeoutMs: 250, onLineCount: (_key, n) => counts.push(n) });
  try {
    assert.equal(await worker.request('anchor', { key: 'l', anchor: 'func:24999' }), 42);
    assert.deepEqual(counts, [1000, 2000, 3000, 4000, 5000, 6000]);
    assert.equal(worker.generation, 0, 'a worker reporting progress is not replaced');
    await assert.rejects(worker.request('anchor', { key: 'silent', anchor: 'func:1' }), /did not answer "anchor" within 250 ms/);
    assert.equal(worker.generation, 1);
  } finally {
    worker.dispose();
  }
});

test('the real worker counts a long listing and answers an anchor far into it', async () => {
  const long = bigModule(25_000, 200);
  const worker = client();
  try {
    await worker.request('open', { key: 'l', bytes: long });
    const line = await worker.request('anchor', { key: 'l', anchor: 'func:24999' });
    assert.ok(line !== null);
    assert.match((await worker.request('lines', { key: 'l', start: line, end: line + 1 }))[0] ?? '', /^[0-9a-f]+: \(func \$func_24999 \(;24999;\)/);
    assert.equal(worker.generation, 0);
  } finally {
    worker.dispose();
  }
});

test('the worker keeps the six files used last; an older one must be opened again', async () => {
  const worker = client();
  try {
    for (let i = 0; i < 7; i++) assert.equal((await worker.request('open', { key: `f${i}`, bytes: badBody.slice() })).kind, 'module');
    await assert.rejects(worker.request('children', { key: 'f0', id: 'funcs' }), /^Error: f0 is not open in the module worker$/);
    // Using f1 keeps it: opening another drops f2, the least recently used.
    assert.equal((await worker.request('children', { key: 'f1', id: 'funcs' })).length, 1);
    await worker.request('open', { key: 'f7', bytes: badBody.slice() });
    await assert.rejects(worker.request('function', { key: 'f2', index: 0 }), /f2 is not open/);
    assert.equal((await worker.request('function', { key: 'f1', index: 0 })).length, 3);
  } finally {
    worker.dispose();
  }
});

test('a component opens in the worker: its world and core modules in the tree, its WIT and core listings in the view', async () => {
  const p2 = join(root, '..', 'shared', 'wasi-testsuite', 'p2', 'c');
  const file = readdirSync(p2).filter((f) => f.endsWith('.wasm')).sort()[0]!;
  const bytes = new Uint8Array(readFileSync(join(p2, file)));
  const worker = client();
  try {
    const opened = await worker.request('open', { key: 'c', path: join(p2, file) });
    assert.ok(opened.kind === 'component', JSON.stringify(opened));
    assert.deepEqual(opened.roots.map((r) => r.label), ['Imports', 'Exports', 'Core modules']);
    const cores = await worker.request('children', { key: 'c', id: 'core' });
    assert.match(cores[0]!.label, /^core module 0/);
    const groups = await worker.request('children', { key: 'c', id: cores[0]!.id });
    assert.ok(groups.some((g) => g.label === 'Imports'), groups.map((g) => g.label).join(', '));
    // The .wasm view's listing: the world as WIT, then each core module's listing under its title.
    let state = await worker.request('listing', { key: 'c' });
    const world = describeWorld(validateComponent(decodeComponent(bytes), { coreCode: false }));
    const wit = formatWit(world).replace(/\n+$/, '').split('\n');
    assert.deepEqual(await worker.request('lines', { key: 'c', start: 0, end: wit.length }), wit);
    const m = world.coreModules[0]!;
    const core = openDisassembly(decodeModule(bytes.subarray(m.offset, m.offset + m.size)));
    const title = wit.length + 1;
    // A page is at most 5000 lines: the start of the module and its end, in two requests.
    const shown = await worker.request('lines', { key: 'c', start: title, end: title + 1 + 3000 });
    assert.equal(shown[0], `;; core module 0${m.name !== undefined ? ` "${m.name}"` : ''}: ${m.size} bytes at 0x${m.offset.toString(16)} (offsets below are relative to the module)`);
    assert.deepEqual(shown.slice(1), core.lines(0, 3000));
    const end = title + 1 + core.lineCount;
    assert.deepEqual(await worker.request('lines', { key: 'c', start: end - 100, end }), core.lines(core.lineCount - 100, core.lineCount));
    while (!state.done) state = await new Promise((resolve) => setTimeout(() => resolve(worker.request('listing', { key: 'c' })), 20));
    const total = world.coreModules.reduce((n, c) => n + 1 + openDisassembly(decodeModule(bytes.subarray(c.offset, c.offset + c.size))).lineCount, wit.length + 1);
    assert.equal(state.lineCount, total);
  } finally {
    worker.dispose();
  }
});
