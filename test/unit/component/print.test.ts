// printComponent: a component as (component ...) text. A small hand-written component
// (fixtures/component/print/small.wat, assembled with `jco parse` into small.wasm) must print as the
// hand-checked small.txt; and where jco is installed, the text of real components (wasi-testsuite
// p2 and rust-wasip3) must parse back with `jco parse` into a component whose `jco wit` is the
// original's, and whose own text is the same again (print → parse → print is a fixed point).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeComponent, printComponent } from '../../../core/component';
import { loadWabt } from '../../../core/check/wabt-loader';
import { nestedModuleToWat } from '../../../core/inspect/wabt-convert';

const root = join(import.meta.dirname, '..', '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'component', 'print');
const shared = join(root, '..', 'shared', 'wasi-testsuite');
const jco = join(root, 'node_modules', '.bin', 'jco');

async function print(bytes: Uint8Array): Promise<string> {
  const wabt = await loadWabt();
  return printComponent(decodeComponent(bytes), { coreModule: (b) => nestedModuleToWat(wabt, b) });
}

test('a small component prints as the hand-checked text', async () => {
  const text = await print(readFileSync(join(fixtures, 'small.wasm')));
  assert.equal(text, readFileSync(join(fixtures, 'small.txt'), 'utf8'));
});

test('every index space counts on its own, and exports define new indices', async () => {
  const text = await print(readFileSync(join(fixtures, 'small.wasm')));
  assert.match(text, /\(core func \$drop \(;2;\) \(canon resource\.drop 9\)\)/);
  assert.match(text, /\(func \$area \(;1;\) \(type 12\) \(canon lift \(core func 3\)\)\)/);
  assert.match(text, /\(export \(;13;\) "point" \(type 0\)\)\)\n$/);
  assert.match(text, /\(canon lower \(func 0\) \(memory 0\) \(realloc 0\) string-encoding=utf16\)/);
});

test('a core module printer that does not give (module ...) is reported', () => {
  const bytes = readFileSync(join(fixtures, 'small.wasm'));
  assert.throws(() => printComponent(decodeComponent(bytes), { coreModule: () => 'oops' }), /did not produce a \(module/);
});

function run(args: string[]): string {
  const r = spawnSync(jco, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `jco ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const samples = [
  join(shared, 'p2', 'c', 'clock_getres-monotonic.wasm'),
  join(shared, 'p2', 'c', 'fopen-with-access.wasm'),
  join(shared, 'rust-wasip3', 'http-client.wasm'),
].filter((f) => existsSync(f));
const skip = !existsSync(jco) ? 'jco is not installed' : samples.length === 0 ? '../shared/wasi-testsuite is absent' : false;
test(`the text of real components parses back with jco parse to the same world (${samples.length} components)`, { skip }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wasmscope-print-'));
  try {
    for (const file of samples) {
      const text = await print(readFileSync(file));
      const wat = join(tmp, 'c.wat');
      const wasm = join(tmp, 'c.wasm');
      writeFileSync(wat, text);
      run(['parse', wat, '-o', wasm]);
      assert.equal(run(['wit', wasm]), run(['wit', file]), file);
      assert.equal(await print(readFileSync(wasm)), text, `${file}: print → parse → print changed the text`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
