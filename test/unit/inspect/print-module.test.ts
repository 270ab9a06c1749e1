// printModule: a decoded core module as WAT our parser reads back (Wasm 3.0 included, which
// wasm2wat cannot print). Every core .wasm fixture prints, assembles and prints the same again;
// a GC/exception module nested in a component prints through it (wabt rejects the module).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../../core/binary';
import { isComponent } from '../../../core/component';
import { ENGINE_DEFAULT_FEATURES } from '../../../core/features';
import { loadWabt } from '../../../core/check/wabt-loader';
import { ConversionError, nestedModuleToWat, wasmToWat } from '../../../core/inspect/wabt-convert';
import { printModule } from '../../../core/inspect/print-module';
import { watToBinary } from '../../../core/text';

const root = join(import.meta.dirname, '..', '..', '..');
const features = ENGINE_DEFAULT_FEATURES;

function wasmFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) wasmFiles(p, out);
    else if (name.endsWith('.wasm')) out.push(p);
  }
  return out;
}

const modules = wasmFiles(join(root, 'test', 'fixtures')).filter((f) => !isComponent(readFileSync(f)));

test(`every core module fixture prints, reads back and prints the same (${modules.length} modules)`, () => {
  assert.ok(modules.length > 10);
  for (const file of modules) {
    const text = printModule(decodeModule(new Uint8Array(readFileSync(file)), { features }));
    const again = printModule(decodeModule(watToBinary(text, { features }).bytes, { features }));
    assert.equal(again, text, file);
  }
});

const gc = `(module
  (rec (type $a (struct (field i32))) (type $b (sub (array (mut i8)))))
  (type $f (func (param (ref null $a)) (result i32)))
  (global $g (ref null $a) (ref.null $a))
  (table $t 2 (ref null func))
  (elem declare func $get)
  (func $get (type $f) (struct.get $a 0 (local.get 0)))
  (func (export "go") (result i32) (call $get (struct.new $a (i32.const 3))))
  (data "a\\00\\"b"))`;

test('a GC module: wasm2wat rejects it, nestedModuleToWat prints it with our printer, names and all', async () => {
  const wabt = await loadWabt();
  const bytes = watToBinary(gc, { features }).bytes;
  assert.throws(() => wasmToWat(wabt, bytes, features), ConversionError);
  const text = nestedModuleToWat(wabt, bytes, features);
  assert.match(text, /\(rec\n\s+\(type \$a \(;0;\) \(struct \(field i32\)\)\)\n\s+\(type \$b \(;1;\) \(sub \(array \(mut i8\)\)\)\)\)/);
  assert.match(text, /\(global \$g \(;0;\) \(ref null \$a\) ref\.null \$a\)/);
  assert.match(text, /\(elem \(;0;\) declare func \$get\)/);
  assert.match(text, /\(data \(;0;\) "a\\00\\"b"\)/);
  assert.deepEqual([...watToBinary(text, { features }).bytes], [...watToBinary(printModule(decodeModule(bytes, { features })), { features }).bytes]);
});

test('duplicate names are left out (a second $name would not read back); references use indices then', () => {
  const bytes = watToBinary('(module (func $f) (func (call 0)))', { features }).bytes;
  const m = decodeModule(bytes, { features });
  m.names.functions.set(1, 'f');
  const text = printModule(m);
  assert.match(text, /\(func \(;0;\) \(type 0\)\)\n\s+\(func \(;1;\) \(type 0\)\n\s+call 0\)/);
  watToBinary(text, { features });
});
