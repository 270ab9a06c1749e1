// The module tree's provider and the .wasm view's document as the extension host runs them (over a
// fake `vscode`), talking to the real worker: the host only posts messages; a restarted worker is
// given the file again; an invalid file says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary';
import { openDisassembly } from '../../core/inspect';
import { bigModule } from './big-module';
import { loadHarness, type Harness } from './module-view-bundle';

const root = join(import.meta.dirname, '..', '..');
let h: Harness;
test.before(async () => {
  h = await loadHarness(root);
});
const dir = mkdtempSync(join(tmpdir(), 'wasmscope-modview-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const bytes = bigModule(1200, 3);
const good = join(dir, 'good.wasm');
writeFileSync(good, bytes);
const bad = join(dir, 'bad.wasm');
writeFileSync(bad, Uint8Array.from([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0]));

test('the tree of a .wasm: first level from the worker, children fetched on expansion, items as VS Code shows them', async () => {
  const { ctx, dispose } = h.fakeContext(root);
  try {
    const provider = new h.ModuleTreeProvider(ctx);
    const changed = h.treeChanged(provider);
    provider.follow(h.Uri.file(good) as never);
    await changed;
    const roots = await provider.getChildren();
    assert.deepEqual(roots.map((r) => r.label), ['Exports', 'Types', 'Functions', 'Custom Sections']);
    const funcs = roots[2]!;
    const item = provider.getTreeItem(funcs);
    assert.equal(item.description, '1200');
    assert.equal(item.collapsibleState, 1);
    const pages = await provider.getChildren(funcs);
    const first = (await provider.getChildren(pages[0]))[7]!;
    assert.equal(first.label, '$func_7');
    assert.deepEqual(provider.getTreeItem(first).command, {
      title: 'Reveal', command: 'wasmscope.revealModuleItem', arguments: [h.Uri.file(good), { kind: 'wasm', anchor: 'func:7' }],
    });
    assert.equal(first.children, undefined);
  } finally {
    dispose();
  }
});

test('a .wasm changed on disk is decoded again', async () => {
  const { ctx, dispose } = h.fakeContext(root);
  const file = join(dir, 'changing.wasm');
  writeFileSync(file, bigModule(3, 1));
  try {
    const provider = new h.ModuleTreeProvider(ctx);
    let changed = h.treeChanged(provider);
    provider.follow(h.Uri.file(file) as never);
    await changed;
    const funcs = async () => provider.getTreeItem((await provider.getChildren()).find((r) => r.label === 'Functions')!).description;
    assert.equal(await funcs(), '3');
    writeFileSync(file, bigModule(40, 1));
    changed = h.treeChanged(provider);
    provider.documentChanged(h.Uri.file(file) as never, true);
    await changed;
    assert.equal(await funcs(), '40');
  } finally {
    dispose();
  }
});

test('the tree of an invalid .wasm says why', async () => {
  const { ctx, dispose } = h.fakeContext(root);
  try {
    const provider = new h.ModuleTreeProvider(ctx);
    const view = { message: undefined as string | undefined, description: undefined as string | undefined };
    provider.attach(view as never);
    const changed = h.treeChanged(provider);
    provider.follow(h.Uri.file(bad) as never);
    await changed;
    assert.deepEqual(await provider.getChildren(), []);
    assert.deepEqual(view, { message: 'Invalid WebAssembly module: unknown binary version (at byte 0x4)', description: 'bad.wasm' });
    const doc = new h.WasmDocument(ctx, h.Uri.file(bad) as never);
    await doc.load();
    assert.deepEqual(doc.state, { lineCount: 0, done: true, error: 'Invalid WebAssembly module: unknown binary version (at byte 0x4)' });
    doc.dispose();
  } finally {
    dispose();
  }
});

test('a file the worker dropped (it keeps the six used last) is opened again when the view asks for it', async () => {
  const { ctx, dispose } = h.fakeContext(root);
  const whole = openDisassembly(decodeModule(bytes));
  try {
    const doc = new h.WasmDocument(ctx, h.Uri.file(good) as never);
    await doc.load();
    for (let i = 0; i < 6; i++) {
      const other = join(dir, `other${i}.wasm`);
      writeFileSync(other, bigModule(10 + i, 1));
      const d = new h.WasmDocument(ctx, h.Uri.file(other) as never);
      await d.load();
      assert.equal(d.state?.error, undefined);
      d.dispose();
    }
    assert.deepEqual(await doc.lines(whole.lineCount - 5, whole.lineCount), whole.lines(whole.lineCount - 5, whole.lineCount));
    assert.equal(await doc.lineOfAnchor('func:3'), whole.lineOfAnchor('func:3'));
    doc.dispose();
  } finally {
    dispose();
  }
});

test('the .wasm view: header at once, the count grows to the whole listing, lines and anchors as the core gives them', async () => {
  const { ctx, dispose } = h.fakeContext(root);
  const whole = openDisassembly(decodeModule(bytes));
  try {
    const doc = new h.WasmDocument(ctx, h.Uri.file(good) as never);
    const counts: number[] = [];
    let markDone: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (markDone = resolve));
    doc.onCount = (n, d) => {
      counts.push(n);
      if (d) markDone();
    };
    await doc.load();
    assert.ok(doc.state && !doc.state.error && doc.state.lineCount > 0);
    assert.deepEqual(await doc.lines(0, 3), whole.lines(0, 3));
    assert.equal(await doc.lineOfAnchor('func:1199'), whole.lineOfAnchor('func:1199'));
    await done;
    assert.equal(counts.at(-1), whole.lineCount);
    assert.deepEqual(doc.state, { lineCount: whole.lineCount, done: true });
    assert.deepEqual(await doc.lines(whole.lineCount - 10, whole.lineCount + 10), whole.lines(whole.lineCount - 10, whole.lineCount));
    doc.dispose();
  } finally {
    dispose();
  }
});
