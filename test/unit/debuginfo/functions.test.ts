// Subprograms and inline frames of the clang fixtures: names, declarations, code ranges and frame
// bases at -O0, and at -O2 a stack frame expanded into the inlined call chain.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatExpression } from '../../../core/debuginfo';
import { loadFixture } from './fixture-loader';

for (const version of [4, 5] as const) {
  test(`-O0 DWARF ${version}: subprograms with names, declarations, ranges and frame bases`, () => {
    const { info, codeOffset } = loadFixture('O0', version);
    const ours = info.functions().filter((f) => f.declFile?.startsWith('/fixtures/'));
    const at = (start: number, end: number) => [{ start: start + codeOffset, end: end + codeOffset }];
    assert.deepEqual(
      ours.map((f) => ({ name: f.name, decl: `${f.declFile}:${f.declLine}`, ranges: f.ranges, inlined: f.inlined })),
      [
        { name: 'sum_records', decl: '/fixtures/main.c:28', ranges: at(0x1f, 0x177), inlined: false },
        { name: 'square', decl: '/fixtures/main.c:22', ranges: at(0x178, 0x1d2), inlined: false },
        { name: 'main', decl: '/fixtures/main.c:41', ranges: at(0x1d4, 0x446), inlined: false },
        { name: 'perimeter', decl: '/fixtures/shapes.c:4', ranges: at(0x448, 0x5b4), inlined: false },
        { name: 'manhattan', decl: '/fixtures/shapes.h:10', ranges: at(0x5b6, 0x6a9), inlined: false },
      ],
    );
    const main = ours.find((f) => f.name === 'main')!;
    assert.equal(main.linkageName, '__main_argc_argv');
    assert.equal(formatExpression(main.frameBase!), 'DW_OP_WASM_location 0x0 0x4, DW_OP_stack_value');
    // libc's units are DWARF 4 in both builds; their functions are found too
    assert.ok(info.functions().some((f) => f.name === 'dlmalloc'));
  });

  test(`-O0 DWARF ${version}: functionAt gives one frame with the pc's line`, () => {
    const { info, codeOffset } = loadFixture('O0', version);
    const pc = info.offsetsForLine('main.c', 23)!.offsets[0]!;
    const at = info.functionAt(pc)!;
    assert.equal(at.function.name, 'square');
    assert.equal(at.frames.length, 1);
    assert.equal(at.frames[0]!.location!.line, 23);
    assert.equal(at.frames[0]!.location!.file, '/fixtures/main.c');
    assert.equal(info.functionAt(codeOffset + 0x1d3), undefined, 'the padding between functions');
    assert.equal(info.functionAt(0), undefined);
  });

  test(`-O2 DWARF ${version}: an inlined call expands into inline frames with call sites`, () => {
    const { info } = loadFixture('O2', version);
    const perimeter = info.functions().find((f) => f.name === 'perimeter')!;
    assert.ok(perimeter);
    assert.equal(
      info.functions().find((f) => f.name === 'manhattan'),
      undefined,
      'manhattan has no out-of-line copy at -O2',
    );
    let seen = 0;
    for (const range of perimeter.ranges) {
      for (let pc = range.start; pc < range.end; pc++) {
        const at = info.functionAt(pc)!;
        assert.equal(at.function.name, 'perimeter');
        if (at.frames.length === 1) continue;
        seen++;
        assert.equal(at.frames.length, 2);
        const [inner, outer] = at.frames as [(typeof at.frames)[0], (typeof at.frames)[0]];
        assert.equal(inner.function.name, 'manhattan');
        assert.equal(inner.function.inlined, true);
        assert.equal(inner.function.declFile, '/fixtures/shapes.h');
        assert.equal(inner.function.declLine, 10);
        assert.equal(inner.function.callFile, '/fixtures/shapes.c');
        assert.equal(inner.function.callLine, 8);
        assert.equal(inner.function.callColumn, 14);
        assert.ok(inner.function.ranges.some((r) => pc >= r.start && pc < r.end));
        assert.deepEqual(inner.location, info.lineForOffset(pc));
        assert.deepEqual([outer.location?.file, outer.location?.line, outer.location?.column], ['/fixtures/shapes.c', 8, 14]);
        assert.equal(outer.function, at.function);
      }
    }
    assert.ok(seen > 10, `${seen} offsets inside the inlined call`);
  });

  test(`DWARF ${version}: frame bases in Wasm locals and in the stack-pointer global (u32 form)`, () => {
    const { info } = loadFixture('O2', version);
    const byName = new Map(info.functions().map((f) => [f.name, f]));
    assert.equal(formatExpression(byName.get('square')!.frameBase!), 'DW_OP_WASM_location 0x3 0x0, DW_OP_stack_value');
    assert.equal(formatExpression(byName.get('main')!.frameBase!), 'DW_OP_WASM_location 0x0 0x2, DW_OP_stack_value');
  });
}

test('libc (DWARF 4, -O2) inlined chains resolve names through abstract origins', () => {
  const { info } = loadFixture('O0', 5);
  const dlmalloc = info.functions().find((f) => f.name === 'dlmalloc')!;
  const names = new Set<string>();
  for (const r of dlmalloc.ranges) {
    for (let pc = r.start; pc < r.end; pc += 3) {
      const at = info.functionAt(pc);
      for (const f of at?.frames ?? []) if (f.function.inlined) names.add(f.function.name ?? '?');
    }
  }
  assert.ok(names.has('try_init_allocator'), [...names].join(', '));
  assert.ok(!names.has('?'));
});

test('bodyStart skips the prologue to the first statement of the body', () => {
  for (const opt of ['O0', 'O2'] as const) {
    const { info } = loadFixture(opt, 5);
    const fns = new Map(info.functions().map((f) => [f.name, f]));
    // sum_records: the body starts at `int total = 0` (line 29) at -O0, `while (r)` (30) at -O2
    const sum = fns.get('sum_records')!;
    const at = info.bodyStart(sum)!;
    assert.ok(at > sum.ranges[0]!.start);
    assert.equal(info.lineForOffset(at)!.line, opt === 'O0' ? 29 : 30);
    // -O2 schedules line 24's first instruction before the multiply; prologue_end marks it
    assert.equal(info.lineForOffset(info.bodyStart(fns.get('square')!)!)!.line, opt === 'O0' ? 23 : 24);
  }
});

test('readDwarf takes a whole module too', async () => {
  const { readFileSync } = await import('node:fs');
  const { readDwarf } = await import('../../../core/debuginfo');
  const { FIXTURES } = await import('./fixture-loader');
  const info = readDwarf(new Uint8Array(readFileSync(`${FIXTURES}/shapes-O0-dwarf5.wasm`)))!;
  assert.equal(info.functions().find((f) => f.name === 'main')?.declLine, 41);
  assert.equal(readDwarf(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])), undefined);
});
