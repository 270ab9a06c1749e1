// GC names from a .wasm's name section in the disassembly: struct field names (subsection 10) in
// the type definitions and in struct.get/set, type names (subsection 4) in function headers and
// block types; without the name section, the indices.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { disassemble } from '../../../core/inspect';
import { assemble, parseWat } from '../../../core/text';

const WAT = `(module
  (type $point (struct (field $x (mut i32)) (field $y i32) (field i64)))
  (type $pair (func (param i32) (result i32 i32)))
  (func $move (type $pair) (param $p i32) (result i32 i32)
    (local $pt (ref null $point))
    (local.set $pt (struct.new $point (local.get $p) (i32.const 2) (i64.const 3)))
    (struct.set $point $x (local.get $pt) (i32.const 5))
    (drop (struct.get $point 2 (local.get $pt)))
    (block $b (type $pair) (local.get $p) (struct.get $point $y (local.get $pt)))))
`;

function listing(names: boolean): string {
  const m = parseWat(WAT).module;
  const bytes = assemble(m, { names }).bytes;
  return disassemble(decodeModule(bytes)).lines.join('\n') + '\n';
}

test('the disassembly names struct fields and types from the name section', () => {
  const text = listing(true);
  assert.match(text, /\(type \$point \(struct \(field \$x \(mut i32\)\) \(field \$y i32\) \(field i64\)\)\)/);
  assert.match(text, /struct\.set \$point \$x\n/);
  assert.match(text, /struct\.get \$point \$y\n/);
  // A field without a name keeps its index.
  assert.match(text, /struct\.get \$point 2\n/);
  assert.match(text, /\(func \$move \(;0;\) \(type \$pair\)/);
  assert.match(text, /block \(type \$pair\)/);
});

test('without a name section the same places show indices', () => {
  const text = listing(false);
  assert.match(text, /\(struct \(field \(mut i32\)\) \(field i32\) \(field i64\)\)/);
  assert.match(text, /struct\.set 0 0\n/);
  assert.match(text, /struct\.get 0 1\n/);
  assert.match(text, /\(type 1\)/);
});
