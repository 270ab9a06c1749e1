// Function names as programmers write them: demangled paths, path tails and DWARF names find the
// function; the disassembly shows Rust and C++ symbols demangled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../../core/binary';
import { FunctionNameIndex, functionPath, withoutGenerics } from '../../../core/debuginfo';
import { disassemble } from '../../../core/inspect';
import { watToBinary } from '../../../core/text';

const lang = join(import.meta.dirname, '..', '..', 'fixtures', 'lang');
const load = (name: string) => decodeModule(readFileSync(join(lang, name)));
const nameOf = (m: ReturnType<typeof load>, i: number | undefined) => (i === undefined ? undefined : m.names.functions.get(i));

test('functionPath drops return types, parameters, qualifiers and ABI tags; withoutGenerics the arguments', () => {
  assert.equal(functionPath('int geo::scaled<int>(int, int)'), 'geo::scaled<int>');
  assert.equal(functionPath('geo::Shape::sides(int) const'), 'geo::Shape::sides');
  assert.equal(functionPath('std::__2::shared_ptr<geo::Point>::operator->[abi:nn190107]() const'), 'std::__2::shared_ptr<geo::Point>::operator->');
  assert.equal(functionPath('(anonymous namespace)::helper(int)'), '{anonymous}::helper');
  assert.equal(functionPath('core::ops::function::FnOnce::call_once<fn(), ()>'), 'core::ops::function::FnOnce::call_once<fn(), ()>');
  assert.equal(functionPath('values::main'), 'values::main');
  assert.equal(withoutGenerics('geo::scaled<int>'), 'geo::scaled');
  assert.equal(withoutGenerics('core::ops::function::FnOnce::call_once<fn(), ()>'), 'core::ops::function::FnOnce::call_once');
  // a qualified path `<T as Trait>` stays, only the arguments inside it go
  assert.equal(withoutGenerics('<alloc::vec::Vec<T> as core::ops::Drop>::drop'), '<alloc::vec::Vec as core::ops::Drop>::drop');
});

test('Rust (legacy symbols): by path, by path tail, by the symbol itself', () => {
  const m = load('values-rs.wasm');
  const idx = new FunctionNameIndex(m.names.functions);
  const main = idx.find('values::main');
  assert.match(nameOf(m, main) ?? '', /^_ZN6values4main17h[0-9a-f]{16}E$/);
  assert.equal(idx.find(nameOf(m, main)!), main);
  assert.match(nameOf(m, idx.find('values::checked_total')) ?? '', /^_ZN6values13checked_total/);
  assert.equal(idx.find('checked_total'), idx.find('values::checked_total'));
  assert.match(nameOf(m, idx.find('std::panicking::rust_panic_with_hook')) ?? '', /^_ZN3std9panicking20rust_panic_with_hook/);
  assert.equal(idx.find('values::no_such_function'), undefined);
  assert.equal(idx.find(''), undefined);
});

test('C++ (names wasm-ld already demangled): by path with or without template arguments, and by a tail', () => {
  const m = load('values-cpp.wasm');
  const idx = new FunctionNameIndex(m.names.functions);
  assert.equal(nameOf(m, idx.find('geo::Shape::sides')), 'geo::Shape::sides(int) const');
  assert.equal(nameOf(m, idx.find('Shape::sides')), 'geo::Shape::sides(int) const');
  assert.equal(nameOf(m, idx.find('geo::Shape::sides(int) const')), 'geo::Shape::sides(int) const');
  assert.equal(nameOf(m, idx.find('geo::scaled<int>')), 'int geo::scaled<int>(int, int)');
  assert.equal(nameOf(m, idx.find('geo::scaled<double>')), 'double geo::scaled<double>(double, int)');
  assert.equal(nameOf(m, idx.find('c_strings')), 'c_strings');
  assert.equal(idx.find('Shape::nothing'), undefined);
  // a later source name (DWARF's `main` for wasm-ld's `__original_main`) is found; earlier names keep theirs
  const withDwarf = new FunctionNameIndex([...m.names.functions, [5, 'main'], [6, 'c_strings']]);
  assert.equal(withDwarf.find('main'), 5);
  assert.equal(nameOf(m, withDwarf.find('c_strings')), 'c_strings');
});

const MANGLED = '(module (func $_ZN6values4main17h0123456789abcdefE (call $plain)) (func $plain))';

test('the disassembly keeps a mangled $id and reads it in a comment, on the func and on calls', () => {
  const m = decodeModule(watToBinary(MANGLED).bytes);
  const text = disassemble(m).lines.join('\n');
  assert.match(text, /^[0-9a-f]{6}: \(func \$_ZN6values4main17h0123456789abcdefE \(;0;\) \(type 0\) {2};; values::main$/m);
  assert.match(text, /^[0-9a-f]{6}: \(func \$plain \(;1;\) \(type 0\)$/m);
  assert.match(text, /^[0-9a-f]{6}: {3}call \$plain$/m);
  const caller = decodeModule(watToBinary('(module (func $_ZN6values4main17h0123456789abcdefE) (func call $_ZN6values4main17h0123456789abcdefE))').bytes);
  assert.match(disassemble(caller).lines.join('\n'), /^[0-9a-f]{6}: {3}call \$_ZN6values4main17h0123456789abcdefE {2};; values::main$/m);
});
