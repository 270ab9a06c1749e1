// parseComponentText: component text → binary (our parser, encoder, then decoder and validator).
// Real components (wasi-testsuite p2/c and rust-wasip3) printed by printComponent parse back to
// the same world and print to the same text again; a hand-written component with the inline
// sugar (types, exports, `(core func $i "name")` aliases) reads; errors name the form at its place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeComponent, toEncodable, type EncodeComponent } from '../../../core/component/encode';
import { decodeComponent, describeWorld, formatWit, printComponent, validateComponent } from '../../../core/component';
import { checkComponentText, componentTextToBinary, isComponentText, parseComponentText } from '../../../core/component/text';
import { loadWabt } from '../../../core/check/wabt-loader';
import { nestedModuleToWat } from '../../../core/inspect/wabt-convert';
import { ParseError } from '../../../core/text';

const root = join(import.meta.dirname, '..', '..', '..');
const shared = join(root, '..', 'shared', 'wasi-testsuite');
const fixtures = join(root, 'test', 'fixtures', 'component');

async function print(bytes: Uint8Array): Promise<string> {
  const wabt = await loadWabt();
  return printComponent(decodeComponent(bytes), { coreModule: (b) => nestedModuleToWat(wabt, b) });
}

/** The WIT world of a component, without the core-module lines (our assembler's sizes differ). */
function world(bytes: Uint8Array): string {
  const wit = formatWit(describeWorld(validateComponent(decodeComponent(bytes), { coreCode: false })));
  return wit.slice(0, wit.indexOf('\n// ') >= 0 ? wit.search(/\n\/\/ \d+ core modules?/) : wit.length);
}

/** Line:column (1-based) of an error offset. */
function at(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

const samples = [
  join(fixtures, 'print', 'small.wasm'),
  ...(existsSync(join(shared, 'p2', 'c')) ? readdirSync(join(shared, 'p2', 'c')).filter((f) => f.endsWith('.wasm')).map((f) => join(shared, 'p2', 'c', f)) : []),
  ...['cli-exit.wasm', 'http-client.wasm', 'filesystem-io.wasm'].map((f) => join(shared, 'rust-wasip3', f)).filter((f) => existsSync(f)),
];

test(`printed components parse back to the same world and text (${samples.length} components)`, async () => {
  assert.ok(samples.length > 1);
  for (const file of samples) {
    const bytes = new Uint8Array(readFileSync(file));
    const text = await print(bytes);
    assert.ok(isComponentText(text), file);
    const r = parseComponentText(text);
    assert.deepEqual(r.errors, [], file);
    assert.ok(r.bytes, file);
    assert.equal(world(r.bytes), world(bytes), `${file}: the world changed`);
    assert.equal(await print(r.bytes), text, `${file}: print → parse → print changed the text`);
  }
});

const handWritten = readFileSync(join(fixtures, 'text', 'run-result.wat'), 'utf8');

test('a hand-written component: inline types, exports and instance-export aliases expand as wasm-tools expands them', async () => {
  const r = checkComponentText(handWritten);
  assert.deepEqual(r.errors, []);
  const text = await print(r.bytes!);
  assert.match(text, /\(alias core export 0 "run" \(core func \(;0;\)\)\)/);
  assert.match(text, /\(type \(;1;\) \(func \(result 0\)\)\)\n\s*\(alias core export 0 "run" \(core func \(;0;\)\)\)\n\s*\(func \$run \(;0;\) \(type 1\) \(canon lift \(core func 0\)\)\)/);
  assert.match(text, /\(instance \$cli \(;0;\) \(instantiate 0 \(with "run" \(func 0\)\)\)\)/);
  assert.match(text, /\(export \(;1;\) "wasi:cli\/run@0\.2\.3" \(instance 0\)\)\)\n$/);
  assert.deepEqual(r.outline.map((o) => `${o.kind} ${o.name ?? ''}`), [
    'core module $main', 'core instance $m', 'type $run-result', 'func $run', 'component $shim', 'instance $cli', 'export wasi:cli/run@0.2.3',
  ]);
  assert.deepEqual(r.outline[4]!.children.map((o) => o.kind), ['type', 'import', 'export']);
});

test('every value type form, resources, canon options and built-ins read', () => {
  const text = `(component
  (type $r (resource (rep i32)))
  (type $rec (record (field "a" u8) (field "b" (list string))))
  (type $v (variant (case "none") (case "some" $rec)))
  (type (tuple u32 (option f64) (result (error string)) (result u8) (result)))
  (type (flags "x" "y"))
  (type (enum "p" "q"))
  (type (own $r))
  (type (borrow $r))
  (type (stream u8))
  (type (future))
  (type (list u8 4))
  (type (func async (param "v" $v) (result bool)))
  (import "wasi:io/streams@0.2.3" (instance $s (export "output-stream" (type (sub resource)))))
  (alias export $s "output-stream" (type $os))
  (core module $m (memory (export "mem") 1) (func (export "realloc") (param i32 i32 i32 i32) (result i32) i32.const 0))
  (core instance $i (instantiate $m))
  (alias core export $i "mem" (core memory $mem))
  (core func $new (canon resource.new $r))
  (core func (canon resource.rep $r))
  (core func (canon resource.drop $os))
  (core func (canon context.get i32 0))
  (core func (canon waitable-set.wait (memory $mem)))
  (core func (canon stream.read 9 (memory $mem) (realloc (core func $i "realloc")) string-encoding=utf16 async))
  (core func (canon task.return (result u32) (memory $mem) string-encoding=utf8))
)`;
  const bytes = componentTextToBinary(text);
  const c = decodeComponent(bytes);
  const canon = c.definitions.filter((d) => d.kind === 'canon');
  assert.equal(canon.length, 7);
  const read = canon[5]!;
  assert.ok(read.kind === 'canon' && read.def.kind === 'builtin' && read.def.name === 'stream.read');
  assert.equal(read.def.opts?.stringEncoding, 'utf16');
  assert.deepEqual(read.def.opts?.order, [0x03, 0x04, 0x01, 0x06]);
  const wait = canon[4]!;
  assert.ok(wait.kind === 'canon' && wait.def.kind === 'builtin' && wait.def.name === 'waitable-set.wait' && wait.def.memory === 0);
  // cancellable was taken out of the Component Model (component-model#716), as wasm-tools refuses it.
  assert.throws(() => componentTextToBinary('(component (core module $m (memory (export "mem") 1)) (core instance $i (instantiate $m))\n  (alias core export $i "mem" (core memory $mem)) (core func (canon waitable-set.wait cancellable (memory $mem))))'),
    /cancellable option was removed/);
  const types = c.definitions.filter((d) => d.kind === 'type');
  // `(list string)` inside the record and `(option f64)`, `(result ...)` inside the tuple are types of their own.
  assert.ok(types.length >= 18, String(types.length));
});

test('errors name the form at its line and column; later items are still checked, without a cascade', () => {
  const text = `(component
  (core module $m (func (export "f") (result i32) i64.const 1))
  (core instance $i (instantiate $nope))
  (func (type 0) (canon lift (core func $i "f")))
  (bogus)
  (export "x" (func $missing)))`;
  const r = parseComponentText(text);
  assert.equal(r.bytes, undefined);
  const found = r.errors.map((e) => `${at(text, e.start)} ${e.message}`);
  assert.ok(found.some((e) => e.startsWith('3:34 unknown core module $nope')), found.join('\n'));
  // The failed instance still defines $i: its uses do not report it again.
  assert.ok(!found.some((e) => e.includes('$i')), found.join('\n'));
  assert.ok(found.some((e) => e.startsWith('5:3 unknown component item (bogus ...)')), found.join('\n'));
  assert.ok(found.some((e) => e.startsWith('6:21 unknown func $missing')), found.join('\n'));
  assert.throws(() => componentTextToBinary(text), (e: unknown) => e instanceof ParseError && /^3:34: unknown core module/.test(e.message));
});

test('an error inside a nested core module is reported where the core parser finds it', () => {
  const text = '(component\n  (core module\n    (func (result i32) (i32.bogus))))';
  const r = parseComponentText(text);
  assert.ok(r.errors.some((e) => at(text, e.start) === '3:25' && /i32\.bogus/.test(e.message)), JSON.stringify(r.errors));
});

test('a component that reads but is not valid gets the validator\'s error at the definition', () => {
  const text = `(component
  (core module $m (func (export "f") (result i32) i32.const 1))
  (core instance $i (instantiate $m))
  (type $t (func (result string)))
  (func (type $t) (canon lift (core func $i "f"))))`;
  const r = checkComponentText(text);
  assert.equal(r.errors.length, 1, JSON.stringify(r.errors));
  assert.match(r.errors[0]!.message, /^invalid component: /);
  assert.equal(at(text, r.errors[0]!.start), '5:3');
});

test('not a component: isComponentText is false for core modules, comments before (component are skipped', () => {
  assert.equal(isComponentText('(module)'), false);
  assert.equal(isComponentText(';; c\n(; block ;)\n  (component)'), true);
  assert.deepEqual(parseComponentText('(module)').errors.map((e) => e.message), ['expected (component ...)']);
});

const jco = join(root, 'node_modules', '.bin', 'jco');
const jcoSamples = [join(shared, 'p2', 'c', 'lseek.wasm'), join(shared, 'rust-wasip3', 'http-client.wasm')].filter((f) => existsSync(f));
const skipJco = !existsSync(jco) ? 'jco is not installed' : jcoSamples.length === 0 ? '../shared/wasi-testsuite is absent' : false;

/** The component-name sections of a component and its nested components, as hex. */
function nameSections(bytes: Uint8Array): string[] {
  const out: string[] = [];
  const walk = (c: ReturnType<typeof decodeComponent>): void => {
    for (const s of c.customSections) if (s.name === 'component-name') out.push(Buffer.from(bytes.subarray(s.offset, s.offset + s.size)).toString('hex'));
    for (const d of c.definitions) if (d.kind === 'component') walk(d.component);
  };
  walk(decodeComponent(bytes));
  return out;
}

/** The component's binary with every core module emptied: the component-level structure only. */
function structure(bytes: Uint8Array): Uint8Array {
  const strip = (c: EncodeComponent): EncodeComponent => ({
    definitions: c.definitions.map((d) => (d.kind === 'core-module' ? { kind: 'core-module', bytes: new Uint8Array(0) } : d.kind === 'component' ? { kind: 'component', component: strip(d.component) } : d)),
  });
  return encodeComponent(strip(toEncodable(decodeComponent(bytes))));
}

test(`jco print's text (with its $names) reads to the same world, and the same component structure and names as jco parse gives (${jcoSamples.length})`, { skip: skipJco }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'wasmscope-jco-text-'));
  try {
    for (const file of jcoSamples) {
      const printed = spawnSync(jco, ['print', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
      assert.equal(printed.status, 0, printed.stderr);
      const r = parseComponentText(printed.stdout);
      assert.deepEqual(r.errors.slice(0, 3), [], file);
      assert.equal(world(r.bytes!), world(new Uint8Array(readFileSync(file))), file);
      const wat = join(tmp, 'c.wat');
      writeFileSync(wat, printed.stdout);
      const parsed = spawnSync(jco, ['parse', wat, '-o', join(tmp, 'c.wasm')], { encoding: 'utf8' });
      assert.equal(parsed.status, 0, parsed.stderr);
      const theirs = new Uint8Array(readFileSync(join(tmp, 'c.wasm')));
      assert.ok(Buffer.from(structure(r.bytes!)).equals(Buffer.from(structure(theirs))), `${file}: not the structure jco parse gives`);
      // The names too, those jco print keeps in (@name "...") annotations (duplicates) included.
      assert.deepEqual(nameSections(r.bytes!), nameSections(theirs), `${file}: not the component-name section jco parse writes`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a component with a Wasm 3.0 core module (GC, exnref) prints through our core printer and reads back', async () => {
  const r = checkComponentText(readFileSync(join(fixtures, 'text', 'gc-core.wat'), 'utf8'));
  assert.deepEqual(r.errors, []);
  const text = await print(r.bytes!);
  assert.match(text, /\(rec\n\s+\(type \$point \(;0;\) \(struct \(field i32\) \(field \(mut i32\)\)\)\)/);
  assert.match(text, /try_table \(catch_all_ref 0\)/);
  const again = checkComponentText(text);
  assert.deepEqual(again.errors, []);
  assert.equal(await print(again.bytes!), text);
});
