// `inspect` names every import and export that `jco wit` prints, for each component of
// ../shared/wasi-testsuite/p2 and the WASI 0.3 (async) components of rust-wasip3. The expected
// lists were made with `npx jco wit` (jco-wit-p2.json, jco-wit-p3.json);
// where jco is installed, a few components are also compared against jco live (all of them
// with WASMSCOPE_JCO_LIVE=1), so the committed lists cannot drift from what jco says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeComponent, describeWorld, formatWit, validateComponent } from '../../../core/component';

const root = join(import.meta.dirname, '..', '..', '..');
const p2 = join(root, '..', 'shared', 'wasi-testsuite', 'p2');
const expected = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'component', 'jco-wit-p2.json'), 'utf8')) as Record<string, { imports: string[]; exports: string[] }>;
const jco = join(root, 'node_modules', '.bin', 'jco');

function ours(file: string): { imports: string[]; exports: string[] } {
  const w = describeWorld(validateComponent(decodeComponent(readFileSync(file)), { coreCode: false }));
  return { imports: w.imports.map((i) => i.name), exports: w.exports.map((e) => e.name) };
}

function jcoWit(file: string): { imports: string[]; exports: string[] } {
  const r = spawnSync(jco, ['wit', file], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const pick = (kind: string): string[] => [...r.stdout.matchAll(new RegExp(`^\\s*${kind} ([^;\\s]+);$`, 'gm'))].map((m) => m[1]!);
  return { imports: pick('import'), exports: pick('export') };
}

if (!existsSync(p2)) {
  test('inspect vs jco wit', { skip: '../shared/wasi-testsuite/p2 is absent' }, () => {});
} else {
  test('every p2 component is in the expected lists', () => {
    for (const lang of ['c', 'assemblyscript']) {
      for (const f of readdirWasm(join(p2, lang))) assert.ok(expected[`${lang}/${f}`], `${lang}/${f} has no expected list`);
    }
  });
  for (const [name, want] of Object.entries(expected)) {
    test(`inspect ${name}: the imports and exports jco wit prints`, () => {
      assert.deepEqual(ours(join(p2, name)), want);
    });
  }
  const live = process.env.WASMSCOPE_JCO_LIVE === '1' ? Object.keys(expected) : Object.keys(expected).slice(0, 2);
  test(`inspect agrees with jco wit run now (${live.length} components)`, { skip: existsSync(jco) ? false : 'jco is not installed' }, () => {
    for (const name of live) assert.deepEqual(ours(join(p2, name)), jcoWit(join(p2, name)), name);
  });
}

const p3 = join(root, '..', 'shared', 'wasi-testsuite', 'rust-wasip3');
const expectedP3 = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'component', 'jco-wit-p3.json'), 'utf8')) as Record<string, { imports: string[]; exports: string[] }>;
if (!existsSync(p3)) {
  test('inspect vs jco wit (0.3)', { skip: '../shared/wasi-testsuite/rust-wasip3 is absent' }, () => {});
} else {
  test('every rust-wasip3 component is in the expected lists', () => {
    assert.deepEqual(readdirWasm(p3).sort(), Object.keys(expectedP3).sort());
  });
  for (const [name, want] of Object.entries(expectedP3)) {
    test(`inspect rust-wasip3/${name} (async built-ins, stream/future types): the imports and exports jco wit prints`, () => {
      assert.deepEqual(ours(join(p3, name)), want);
    });
  }
  test('inspect shows the 0.3 async functions and stream/future types as WIT', () => {
    const w = describeWorld(validateComponent(decodeComponent(readFileSync(join(p3, 'cli-stdio.wasm'))), { coreCode: false }));
    const text = formatWit(w);
    assert.match(text, /write-via-stream: func\(data: stream<u8>\) -> future<result<_, error-code>>;/);
    assert.match(text, /run: async func\(\) -> result;/);
  });
  test(`inspect agrees with jco wit run now (0.3, 2 components)`, { skip: existsSync(jco) ? false : 'jco is not installed' }, () => {
    for (const name of Object.keys(expectedP3).slice(0, 2)) assert.deepEqual(ours(join(p3, name)), jcoWit(join(p3, name)), name);
  });
}

function readdirWasm(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.wasm')) : [];
}
