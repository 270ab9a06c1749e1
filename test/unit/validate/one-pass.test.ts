// decodeModule's `deferBodyCheck` (what `run` uses): the validator checks the bodies' structure in
// the pass that types them. A malformed body must still fail as malformed, with decodeModule's own
// message, even when another body (before it) is merely invalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeModule } from '../../../core/binary';
import { DecodeError, ValidationError } from '../../../core/errors';
import { compileModule } from '../../../core/interp';
import { validateModule } from '../../../core/validate';

const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
/** type () -> (); n functions of it; `bodies` (each: locals vector and code) as the code section. */
function moduleOf(bodies: number[][], extra: number[] = []): Uint8Array {
  const code = [bodies.length, ...bodies.flatMap((b) => [b.length, ...b])];
  return Uint8Array.from([
    ...HEADER,
    0x01, 0x04, 0x01, 0x60, 0x00, 0x00,
    0x03, bodies.length + 1, bodies.length, ...bodies.map(() => 0x00),
    0x0a, code.length, ...code,
    ...extra,
  ]);
}

const NOP = [0x00, 0x01, 0x0b];
const INVALID = [0x00, 0x6a, 0x0b]; // i32.add on an empty stack
const ILLEGAL = [0x00, 0xff, 0x0b];
const TRAILING = [0x00, 0x01, 0x0b, 0x01]; // a nop after the body's end
const UNCLOSED = [0x00, 0x02, 0x40, 0x0b]; // block without its end
const DATA_DROP = [0x00, 0xfc, 0x09, 0x00, 0x0b]; // data.drop 0 without a data count section

/** What decode + validate throws, with and without deferring the body check (both must agree). */
function outcome(bytes: Uint8Array): { plain: unknown; deferred: unknown } {
  const attempt = (defer: boolean): unknown => {
    try {
      compileModule(decodeModule(bytes, { deferBodyCheck: defer }));
      return undefined;
    } catch (e) {
      return e;
    }
  };
  return { plain: attempt(false), deferred: attempt(true) };
}

function sameDecodeError(bytes: Uint8Array, message: RegExp): void {
  const { plain, deferred } = outcome(bytes);
  assert.ok(plain instanceof DecodeError, `plain decode: expected a DecodeError, got ${String(plain)}`);
  assert.match(plain.message, message);
  assert.ok(deferred instanceof DecodeError, `deferred: expected a DecodeError, got ${String(deferred)}`);
  assert.equal(deferred.message, plain.message);
}

test('a deferred module decodes without reading its bodies; validation then checks them', () => {
  const m = decodeModule(moduleOf([NOP, ILLEGAL]), { deferBodyCheck: true });
  assert.equal(m.bodiesUnchecked, true);
  assert.throws(() => validateModule(m), (e: unknown) => e instanceof DecodeError && /illegal opcode/.test(e.message));
  const ok = decodeModule(moduleOf([NOP, NOP]), { deferBodyCheck: true });
  validateModule(ok);
  assert.equal(ok.bodiesUnchecked, false, 'checked once validated');
});

test('a malformed body wins over an invalid one before it, with the decoder\'s message', () => {
  sameDecodeError(moduleOf([INVALID, ILLEGAL]), /illegal opcode/);
  sameDecodeError(moduleOf([INVALID, TRAILING]), /section size mismatch/);
  sameDecodeError(moduleOf([NOP, UNCLOSED]), /END opcode expected|unexpected end/);
  sameDecodeError(moduleOf([INVALID, DATA_DROP]), /data count section required/);
  sameDecodeError(moduleOf([DATA_DROP]), /data count section required/);
});

test('a malformed body wins over a malformed section after the code section', () => {
  // a data section whose count is a LEB128 too long
  sameDecodeError(moduleOf([ILLEGAL], [0x0b, 0x05, 0x80, 0x80, 0x80, 0x80, 0x80]), /illegal opcode/);
});

test('an invalid body alone is a ValidationError on both paths', () => {
  const { plain, deferred } = outcome(moduleOf([NOP, INVALID]));
  assert.ok(plain instanceof ValidationError, String(plain));
  assert.ok(deferred instanceof ValidationError, String(deferred));
  assert.equal(deferred.message, plain.message);
  assert.equal(outcome(moduleOf([NOP, NOP])).deferred, undefined);
});
