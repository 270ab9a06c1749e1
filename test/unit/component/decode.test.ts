// The component decoder and validator on hand-made binaries: each malformed or invalid input is a
// typed error at the right byte offset, and the p2 fixtures decode with the expected structure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeError, ValidationError } from '../../../core/errors';
import { decodeComponent, isComponent, validateComponent } from '../../../core/component';

const PREAMBLE = [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00];
const bytes = (...b: number[]): Uint8Array => new Uint8Array([...PREAMBLE, ...b]);
const str = (s: string): number[] => [s.length, ...new TextEncoder().encode(s)];

function decodeError(b: Uint8Array): DecodeError {
  try {
    decodeComponent(b);
  } catch (err) {
    assert.ok(err instanceof DecodeError, String(err));
    return err;
  }
  assert.fail('expected a DecodeError');
}

function validationError(b: Uint8Array): ValidationError {
  try {
    validateComponent(decodeComponent(b));
  } catch (err) {
    assert.ok(err instanceof ValidationError, String(err));
    return err;
  }
  assert.fail('expected a ValidationError');
}

test('the empty component decodes; isComponent tells components from modules', () => {
  const c = decodeComponent(bytes());
  assert.deepEqual(c.definitions, []);
  assert.equal(isComponent(bytes()), true);
  assert.equal(isComponent(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), false);
});

test('malformed preambles and sections are DecodeErrors at their offset', () => {
  assert.match(decodeError(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0a, 0, 1, 0])).message, /unknown component binary version 0xa.*at byte 0x4/);
  assert.equal(decodeError(bytes(13, 0)).offset, 8); // section id 13
  assert.match(decodeError(bytes(7, 5, 1)).message, /section size out of bounds/);
  // A type section whose one type is an unknown defvaltype code 0x50.
  const e = decodeError(bytes(7, 2, 1, 0x50));
  assert.equal(e.offset, 11);
  assert.match(e.message, /malformed type 0x50/);
  // A section with bytes left over.
  assert.match(decodeError(bytes(7, 3, 1, 0x7f, 0x00)).message, /section size mismatch/);
  // A nested core module with a bad magic: the offset is in the outer binary.
  const m = decodeError(bytes(1, 8, 0, 0x61, 0x73, 0x6e, 1, 0, 0, 0));
  assert.equal(m.offset, 10);
  assert.match(m.message, /in core module: magic header not detected/);
});

test('record, variant, enum, flags, option, result, own/borrow and a function type validate', () => {
  const types = [
    0x3f, 0x7f, 0x00, // 0: resource (rep i32)
    0x72, 2, ...str('a'), 0x79, ...str('b'), 0x73, // 1: record { a: u32, b: string }
    0x71, 2, ...str('x'), 0x00, 0x00, ...str('y'), 0x01, 0x01, 0x00, // 2: variant { x, y(1) }
    0x6d, 2, ...str('p'), ...str('q'), // 3: enum
    0x6e, 1, ...str('f'), // 4: flags
    0x6b, 0x02, // 5: option<2>
    0x6a, 0x01, 0x05, 0x01, 0x03, // 6: result<5, 3>
    0x69, 0x00, // 7: own<0>
    0x68, 0x00, // 8: borrow<0>
    0x40, 2, ...str('self'), 0x08, ...str('r'), 0x01, 0x00, 0x06, // 9: func(self: borrow, r: record) -> result
  ];
  const section = [10, ...types];
  const info = validateComponent(decodeComponent(bytes(7, section.length, ...section)));
  const f = info.scope.types[9]!;
  assert.equal(f.kind, 'func');
  assert.equal(info.scope.types.length, 10);
});

test('invalid components are ValidationErrors at the definition', () => {
  // own<0> where type 0 is u32, not a resource.
  let e = validationError(bytes(7, 5, 3, 0x79, 0x79, 0x69, 0x00));
  assert.match(e.message, /type 0 is not a resource type/);
  // A function returning a borrow.
  e = validationError(bytes(7, 10, 3, 0x3f, 0x7f, 0x00, 0x68, 0x00, 0x40, 0x00, 0x00, 0x01));
  assert.match(e.message, /results cannot hold borrow handles \(at byte 0x10\)/);
  // An alias of an export from an instance that does not exist.
  e = validationError(bytes(6, 6, 1, 0x01, 0x00, 0x03, ...str('f')));
  assert.match(e.message, /unknown instance 3/);
  // canon lower of a function that does not exist.
  e = validationError(bytes(8, 5, 1, 0x01, 0x00, 0x07, 0x00));
  assert.match(e.message, /unknown function 7/);
  // Duplicate record fields.
  e = validationError(bytes(7, 9, 1, 0x72, 2, ...str('a'), 0x79, ...str('A'), 0x79));
  assert.match(e.message, /duplicate field name/);
});

test('async canon built-ins: immediates decode, their types validate, malformed ones are errors at their byte', () => {
  // A stream<u8> type, then stream.new of it and waitable-set.new.
  const info = validateComponent(decodeComponent(bytes(7, 4, 1, 0x66, 0x01, 0x7d, 8, 4, 2, 0x0e, 0x00, 0x1f)));
  assert.deepEqual(info.scope.coreFuncs.map((f) => [f.params, f.results]), [[[], [0x7e]], [[], [0x7f]]]);
  // subtask.cancel's async? flag must be 0 or 1.
  let d = decodeError(bytes(8, 3, 1, 0x06, 0x02));
  assert.match(d.message, /malformed async flag 0x2 of canon subtask\.cancel/);
  // cancellable was removed (component-model#716): its byte stays and must be 0.
  decodeComponent(bytes(8, 3, 1, 0x0c, 0x00));
  d = decodeError(bytes(8, 3, 1, 0x0c, 0x01));
  assert.match(d.message, /canon thread\.yield: the cancellable immediate must be 0/);
  d = decodeError(bytes(8, 4, 1, 0x20, 0x01, 0x00));
  assert.match(d.message, /canon waitable-set\.wait: the cancellable immediate must be 0/);
  // stream.new of a type that is not a stream.
  let e = validationError(bytes(7, 2, 1, 0x7f, 8, 3, 1, 0x0e, 0x00));
  assert.match(e.message, /canon stream\.new: type 0 is not a stream type/);
  // context.get of slot 2 (there are two slots).
  e = validationError(bytes(8, 4, 1, 0x0a, 0x7f, 0x02));
  assert.match(e.message, /slot 2 is out of range/);
  // A thread built-in this engine does not run is named.
  e = validationError(bytes(8, 2, 1, 0x28));
  assert.match(e.message, /canon thread\.resume-later \(component-model threads\) is not supported/);
  d = decodeError(bytes(8, 2, 1, 0x3f));
  assert.match(d.message, /malformed canonical definition 0x3f/);
});

const fixture = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'wasi-testsuite', 'p2', 'c', 'lseek.wasm');
test('a wasi-testsuite p2 component: 4 core modules, 1 nested component, wasi:cli/run exported', { skip: !existsSync(fixture) && 'no p2 fixtures' }, () => {
  const c = decodeComponent(readFileSync(fixture));
  assert.equal(c.definitions.filter((d) => d.kind === 'core-module').length, 4);
  assert.equal(c.definitions.filter((d) => d.kind === 'component').length, 1);
  const info = validateComponent(c);
  assert.deepEqual(info.exports.map((e) => e.name), ['wasi:cli/run@0.2.12']);
  assert.ok(info.imports.some((i) => i.name === 'wasi:filesystem/types@0.2.12'));
});
