// The debugger's code map on a C program: the whole-module listing and the per-function listings
// a big module gets must list the same instructions and map them to lines that show them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../../core/binary';
import { CodeMap, MODULE_LISTING_REF } from '../../../debugger/code-map';

const bytes = new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'dap', 'dwarf.wasm')));
const module = decodeModule(bytes);
const funcName = (i: number): string => module.names.functions.get(i) ?? `func[${i}]`;
const whole = new CodeMap(module, { name: 'dwarf.wasm', funcName });
const perFunction = new CodeMap(module, { name: 'dwarf.wasm', funcName, wholeListingMaxCodeBytes: 0 });
const defined = Array.from({ length: module.funcs.length }, (_, k) => module.importedFuncs + k);

function lineText(map: CodeMap, offset: number): string {
  const m = map.position(offset);
  assert.ok(m, `offset ${offset} is mapped`);
  const text = m.source.content?.();
  assert.ok(text !== undefined, 'generated sources have text');
  return text.split('\n')[m.range.line] ?? '';
}

/** The listing prints each instruction as `0001a0:   global.get ...`. */
const offsetOfLine = (line: string): number => parseInt(line.slice(0, line.indexOf(':')), 16);

test('a small module gets one listing; a big one none until a function is visited', () => {
  assert.equal(whole.wholeListing?.ref, MODULE_LISTING_REF);
  assert.equal(perFunction.wholeListing, undefined);
  assert.equal(perFunction.sources.length, 0);
});

test('both modes list the same instructions, each mapped to a line that shows it', () => {
  for (const f of defined) {
    const a = whole.instructionsOf(f);
    const b = perFunction.instructionsOf(f);
    assert.ok(a.length > 0, `func ${f} has instructions`);
    assert.deepEqual(b, a);
    for (const ins of a) {
      assert.equal(whole.funcOf(ins.offset), f);
      assert.equal(offsetOfLine(lineText(whole, ins.offset)), ins.offset);
      assert.equal(offsetOfLine(lineText(perFunction, ins.offset)), ins.offset);
      assert.deepEqual(perFunction.instruction(ins.offset), ins);
    }
  }
  // Each visited function now has its own source, found by its reference.
  assert.equal(perFunction.sources.length, defined.length);
  for (const s of perFunction.sources) assert.equal(perFunction.sourceByRef(s.ref!), s);
  assert.equal(perFunction.sourceByRef(1 + module.importedFuncs), undefined, 'an imported function has no listing');
});

test('a line breakpoint in a per-function listing binds in that function, moving past its header', () => {
  const f = defined[2]!;
  const fresh = new CodeMap(module, { name: 'dwarf.wasm', funcName, wholeListingMaxCodeBytes: 0 });
  const src = fresh.sourceByRef(2 + f);
  assert.ok(src, 'the listing exists before the function is visited');
  const r = fresh.resolveLine(src, 0);
  assert.ok(r);
  assert.equal(r.funcIndex, f);
  assert.equal(r.offset, fresh.instructionsOf(f)[0]!.offset);
  assert.equal(r.moved, true);
  assert.ok(fresh.locationsOn(src, r.line).length > 0);
});

test('the disassembly window crosses function boundaries and pads outside the code', () => {
  const [f, g] = [defined[0]!, defined[1]!];
  const last = whole.instructionsOf(f).at(-1)!;
  const rows = perFunction.instructionsAround(last.offset, -1, 3);
  assert.deepEqual(rows.map((r) => r.ins?.funcIndex), [f, f, g]);
  assert.equal(rows[2]!.ins, perFunction.instructionsOf(g)[0]);
  const first = whole.instructionsOf(f)[0]!;
  const before = whole.instructionsAround(first.offset, -2, 3);
  assert.deepEqual(before.map((r) => r.ins), [undefined, undefined, first]);
  assert.deepEqual(before.map((r) => r.address), [first.offset - 2, first.offset - 1, first.offset]);
});
