// The demanglers on real symbols of the Rust and C++ fixtures (test/fixtures/lang), checked against
// llvm-cxxfilt's reading recorded by their build script, plus hand-checked names and bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demangle, demangleItanium, demangleRustLegacy, demangleRustV0, displayName } from '../../../core/debuginfo';

const dir = join(import.meta.dirname, '..', '..', 'fixtures', 'lang');
function pairs(file: string): [string, string][] {
  return readFileSync(join(dir, file), 'utf8').trim().split('\n').map((l) => l.split('\t') as [string, string]);
}

test('Rust v0: every sampled symbol of the fixture reads as llvm-cxxfilt reads it', () => {
  const all = pairs('rust-v0-symbols.txt');
  assert.ok(all.length > 200);
  for (const [mangled, want] of all) assert.equal(demangleRustV0(mangled), want, mangled);
});

test('Rust v0: closures, shims, trait impls, consts and backrefs by hand', () => {
  assert.equal(demangleRustV0('_RNvCs1234_6values4main'), 'values::main');
  assert.equal(demangleRustV0('_RNCNvCsdLCp7vXZ3Ug_6values4main0B3_'), 'values::main::{closure#0}');
  assert.equal(demangleRustV0('_RINvCs1_1a1fKj3_EB2_'), 'a::f::<3>');
  assert.equal(demangleRustV0('_RINvCs1_1a1fKb1_EB2_'), 'a::f::<true>');
  assert.equal(demangleRustV0('_RNvXCs1_1aNtB2_1SNtB2_1T1m'), '<a::S as a::T>::m');
  assert.equal(demangleRustV0('_RINvCs1_1a1fTlRehEEB2_'), 'a::f::<(i32, &str, u8)>');
  assert.equal(demangleRustV0('_RINvCs1_1a1fFUKCjEuEB2_'), 'a::f::<unsafe extern "C" fn(usize)>');
  assert.equal(demangleRustV0('_ZN6values4mainE'), undefined, 'not v0');
  for (const bad of ['_R', '_RN', '_RNvC', '_RB_', '_RNvCs1_1a1fB999_', '_RIC1aE'.repeat(3), `_R${'I'.repeat(500)}`]) {
    assert.equal(demangleRustV0(bad), undefined, bad);
  }
});

test('Rust legacy: the hash goes, escapes and `..` are decoded', () => {
  const all = pairs('rust-legacy-symbols.txt');
  assert.ok(all.length > 100);
  const escapes: [RegExp, string][] = [[/\$LT\$/g, '<'], [/\$GT\$/g, '>'], [/\$C\$/g, ','], [/\$u20\$/g, ' '], [/\$u5b\$/g, '['], [/\$u5d\$/g, ']'],
    [/\$u7b\$/g, '{'], [/\$u7d\$/g, '}'], [/\$RF\$/g, '&'], [/\$BP\$/g, '*'], [/\$LP\$/g, '('], [/\$RP\$/g, ')'], [/\$u27\$/g, "'"], [/\$u3b\$/g, ';'], [/\.\./g, '::']];
  for (const [mangled, itanium] of all) {
    // llvm-cxxfilt reads these as Itanium names: drop its `::h<hash>` and undo the escapes
    let want = itanium.replace(/ \(\.llvm\.\d+\)$/, '').replace(/::h[0-9a-f]{16}$/, '').replace(/(^|::)_\$/g, '$1$');
    for (const [re, s] of escapes) want = want.replace(re, s);
    assert.equal(demangleRustLegacy(mangled), want, mangled);
  }
  assert.equal(demangleRustLegacy('_ZN6values4main17h64bdef3f491a94a1E'), 'values::main');
  assert.equal(demangleRustLegacy('_ZN3std9panicking19begin_panic_handler28_$u7b$$u7b$closure$u7d$$u7d$17h8ef066ac4d1e7406E'), 'std::panicking::begin_panic_handler::{{closure}}');
  assert.equal(demangleRustLegacy('_ZN3geo6scaledIiEET_S1_i'), undefined, 'a C++ name has no hash');
  assert.equal(demangleRustLegacy('_ZN3foo17h64bdef3f491a94a1E.llvm.123'), 'foo');
});

test('C++ Itanium: every sampled libc++ symbol of the fixture llvm-cxxfilt reads, we read the same', () => {
  const all = pairs('cpp-symbols.txt').filter(([m, d]) => m !== d);
  assert.ok(all.length > 300);
  for (const [mangled, want] of all) assert.equal(demangleItanium(mangled), want, mangled);
});

test('C++ Itanium: the shapes by hand, and bad input is undefined rather than a throw', () => {
  const cases: [string, string][] = [
    ['_ZN3geo6scaledIiEET_S1_i', 'int geo::scaled<int>(int, int)'],
    ['_Z1fPFviE', 'f(void (*)(int))'],
    ['_Z1fPA3_i', 'f(int (*) [3])'],
    ['_Z1fRA3_i', 'f(int (&) [3])'],
    ['_Z1fM1AFviE', 'f(void (A::*)(int))'],
    ['_Z1fM1Ai', 'f(int A::*)'],
    ['_Z1fPKPKc', 'f(char const* const*)'],
    ['_Z1fILi3ELj4ELb0ELc65EEvv', 'void f<3, 4u, false, (char)65>()'],
    ['_ZN1AD0Ev', 'A::~A()'],
    ['_ZNK1A1fEv', 'A::f() const'],
    ['_ZNR1A1fEv', 'A::f() &'],
    ['_ZTV1A', 'vtable for A'],
    ['_ZZ1fvE1x', 'f()::x'],
    ['_Z1fSt6vectorIiSaIiEE', 'f(std::vector<int, std::allocator<int> >)'],
    ['_ZN1AcviEv', 'A::operator int()'],
    ['_ZN1AplERKS_', 'A::operator+(A const&)'],
    ['_ZZN1A1fEvENKUlvE_clEv', "A::f()::'lambda'()::operator()() const"],
    ['_Z1fIJiEEvDpT_', 'void f<int>(int)'],
    ['_ZN12_GLOBAL__N_13fooEv', '(anonymous namespace)::foo()'],
  ];
  for (const [m, want] of cases) assert.equal(demangleItanium(m), want, m);
  for (const bad of ['_Z', '_ZN', '_ZN3foo', '_Z1', '_Z3fooS5_', '_ZN1AC2Ev'.slice(0, 6), `_Z${'P'.repeat(2000)}i`, '_Z1fIXadL_Z1gEEE']) {
    assert.equal(demangleItanium(bad), undefined, bad);
  }
});

test('demangle picks the scheme; displayName keeps what is not mangled', () => {
  assert.equal(demangle('_ZN6values4main17h64bdef3f491a94a1E'), 'values::main');
  assert.equal(demangle('_RNvCs1234_6values4main'), 'values::main');
  assert.equal(demangle('_ZN3geo6scaledIiEET_S1_i'), 'int geo::scaled<int>(int, int)');
  assert.equal(demangle('main'), undefined);
  assert.equal(displayName('__original_main'), '__original_main');
  assert.equal(displayName('_ZN4core9panicking9panic_fmt17h768731f43edd91bfE'), 'core::panicking::panic_fmt');
});
