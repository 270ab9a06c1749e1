// Exception handling in the engine: our legacy and try_table scripts, host functions that throw
// Wasm exceptions, uncaught exceptions at the API (message, backtrace, run()'s reason), and the
// disassembly of the new instructions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../../core/binary';
import { WasmException } from '../../../core/errors';
import { FeatureError } from '../../../core/features';
import { disassemble } from '../../../core/inspect';
import { Machine, TagInstance, compileModule, i32, instantiate, invoke, type Imports, type Instance } from '../../../core/interp';
import { watToBinary } from '../../../core/text';
import { runWast } from '../../../core/wast';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'engine', 'exceptions');

for (const file of ['legacy.wast', 'try-table.wast']) {
  test(`script ${file} passes`, () => {
    const r = runWast(readFileSync(join(dir, file), 'utf8'), file);
    assert.equal(r.failed, 0, r.failures.map((f) => `${file}:${f.line}: ${f.message}`).join('\n'));
    assert.ok(r.passed > 30 || file !== 'legacy.wast');
  });
}

function load(wat: string, imports: Imports = {}): Instance {
  return instantiate(compileModule(decodeModule(watToBinary(wat).bytes)), imports);
}

const THROWER = `(module
  (tag $e (export "e") (param i32))
  (func $inner (param i32) (throw $e (local.get 0)))
  (func (export "throw") (param i32) (call $inner (local.get 0)))
  (func (export "no-payload") (throw $anon))
  (tag $anon))`;

test('an uncaught exception leaves invoke as a WasmException naming the tag and payload, with the backtrace', () => {
  const inst = load(THROWER);
  assert.throws(() => invoke(inst, 'throw', [i32(42)]), (e: unknown) => {
    assert.ok(e instanceof WasmException);
    assert.equal(e.message, 'uncaught exception: tag $e (i32 42)');
    assert.deepEqual(e.payload, [i32(42)]);
    assert.equal(e.tag, inst.exports.e);
    assert.deepEqual(e.frames.map((f) => f.name), ['inner', undefined]);
    assert.equal(e.funcIndex, 0);
    return true;
  });
  assert.throws(() => invoke(inst, 'no-payload', []), /^WasmException: uncaught exception: tag \$anon$/);
});

test('run() reports an uncaught exception distinctly from a trap, stopped at the throw', () => {
  const inst = load(THROWER);
  const m = new Machine();
  m.start(inst, 'throw', [i32(7)]);
  const r = m.run();
  assert.equal(r.reason, 'exception');
  assert.ok(r.reason === 'exception' && r.exception.message === 'uncaught exception: tag $e (i32 7)');
  const frames = m.frames();
  assert.equal(frames.length, 2);
  assert.equal(frames[0]!.funcIndex, 0);
  // The innermost frame is at the throw instruction itself.
  const f = inst.module.funcs[0]!;
  assert.ok(frames[0]!.offset > f.bodyStart && frames[0]!.offset < f.bodyEnd);
  assert.equal(inst.module.bytes[frames[0]!.offset], 0x08);
});

test('a host function throws a Wasm exception that Wasm catches, and one that escapes', () => {
  const tag = new TagInstance({ params: [0x7f], results: [] }, '$host');
  const other = new TagInstance({ params: [], results: [] }, '$other');
  const inst = load(`(module
    (import "h" "tag" (tag $t (param i32)))
    (import "h" "f" (func $f (param i32)))
    (func (export "catch") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $t $h) (call $f (local.get 0)))
        (i32.const -1)))
    (func (export "legacy") (param i32) (result i32)
      (try (result i32) (do (call $f (local.get 0)) (i32.const -1)) (catch $t (i32.const 1) (i32.add)))))`, {
    h: {
      tag,
      f: (x: number) => {
        if (x > 0) throw new WasmException(tag, [i32(x * 2)]);
        if (x < 0) throw new WasmException(other, []);
      },
    },
  });
  assert.deepEqual(invoke(inst, 'catch', [i32(21)]), [i32(42)]);
  assert.deepEqual(invoke(inst, 'catch', [i32(0)]), [i32(-1)]);
  assert.deepEqual(invoke(inst, 'legacy', [i32(5)]), [i32(11)]);
  assert.throws(() => invoke(inst, 'catch', [i32(-1)]), (e: unknown) => e instanceof WasmException && e.tag === other && e.message === 'uncaught exception: tag $other');
});

test('an exception crosses a host function that re-enters Wasm through invoke', () => {
  const a = load(THROWER);
  const b = load(`(module
    (import "a" "e" (tag $e (param i32)))
    (import "h" "call-a" (func $call-a (param i32)))
    (func (export "f") (param i32) (result i32)
      (block $h (result i32)
        (try_table (catch $e $h) (call $call-a (local.get 0)))
        (i32.const -1))))`, { a: { e: a.exports.e! }, h: { 'call-a': (x: number) => { invoke(a, 'throw', [i32(x)]); } } });
  assert.deepEqual(invoke(b, 'f', [i32(9)]), [i32(9)]);
});

test('tags link by type: a mismatched tag import is incompatible', () => {
  const a = load(THROWER);
  assert.throws(() => load('(module (import "a" "e" (tag (param i64))))', { a: { e: a.exports.e! } }), /incompatible import type/);
  assert.throws(() => load('(module (import "a" "e" (tag (param i32))))', { a: { e: () => undefined } }), /incompatible import type/);
});

test('the disassembly shows tags, try_table clauses and the legacy form', () => {
  const bytes = watToBinary(`(module
    (tag $e (param i32))
    (func (result i32)
      (block $h (result i32) (try_table (catch $e $h) (catch_all_ref 1) (throw $e (i32.const 1))) (i32.const 0)))
    (func (try (do (nop)) (catch $e (drop)) (catch_all (rethrow 0)))))`).bytes;
  const text = disassemble(decodeModule(bytes)).lines.join('\n');
  assert.match(text, /\(tag \$e \(;0;\) \(param i32\)\)/);
  assert.match(text, /try_table \(catch \$e 0\) \(catch_all_ref 1\)/);
  assert.match(text, /throw \$e/);
  assert.match(text, /^\S+:\s+try\n\S+:\s+nop\n\S+:\s+catch \$e\n\S+:\s+drop\n\S+:\s+catch_all\n\S+:\s+rethrow 0\n\S+:\s+end$/m);
});

test('malformed tag sections and catch clauses are decode errors with their offsets', () => {
  // type section: (func); tag section: one tag with attribute 1 (not an exception)
  const bad = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 13, 3, 1, 1, 0);
  assert.throws(() => decodeModule(bad), /malformed tag attribute \(at byte 0x11\)/);
  // tag section before the memory section is out of order
  const order = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 13, 3, 1, 0, 0, 5, 3, 1, 0, 1);
  assert.throws(() => decodeModule(order), /unexpected content after last section/);
});

test('with exceptions off, tags and the exception instructions are FeatureErrors naming the feature', () => {
  const off = { features: { exceptions: false } };
  const tagged = watToBinary(THROWER).bytes;
  assert.throws(() => decodeModule(tagged, off), (e: unknown) => {
    assert.ok(e instanceof FeatureError && e.feature === 'exceptions');
    assert.match(e.message, /^exception handling is disabled: the tag section at 0x[0-9a-f]+$/);
    assert.equal(tagged[e.offset], 13);
    return true;
  });
  // No tag in sight: try_table with catch_all, and the legacy try, are refused by instruction.
  const tryTable = watToBinary('(module (func (block $h (try_table (catch_all $h) (nop)))))').bytes;
  assert.throws(() => decodeModule(tryTable, off), (e: unknown) => e instanceof FeatureError
    && /^exception handling is disabled: try_table at 0x/.test(e.message) && tryTable[e.offset] === 0x1f);
  const legacy = watToBinary('(module (func (try (do (nop)) (catch_all))))').bytes;
  assert.throws(() => decodeModule(legacy, off), /^FeatureError: exception handling is disabled: try at 0x/);
  const imported = watToBinary('(module (import "a" "e" (tag)))').bytes;
  assert.throws(() => decodeModule(imported, off), /exception handling is disabled: a tag import at 0x/);
  // The assembler reports it at the source, and with exceptions on (the default) all of it loads.
  assert.throws(() => watToBinary(THROWER, off), /exception handling is disabled/);
  assert.doesNotThrow(() => compileModule(decodeModule(tagged, { features: { exceptions: true } })));
});
