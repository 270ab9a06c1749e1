// Line tables of the clang fixtures: every row checked against llvm-dwarfdump, plus line
// breakpoints (reverse lookup), file lists and line ranges for stepping, in DWARF 4 and 5.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { dumpLineRows, dwarfdump, FIXTURES, loadFixture } from './fixture-loader';

const builds = [
  ['O0', 4],
  ['O0', 5],
  ['O2', 4],
  ['O2', 5],
] as const;

for (const [opt, version] of builds) {
  test(`-${opt} DWARF ${version}: every line row matches llvm-dwarfdump`, { skip: !dwarfdump && 'llvm-dwarfdump not installed' }, () => {
    const { info, codeOffset } = loadFixture(opt, version);
    const rows = dumpLineRows(join(FIXTURES, `shapes-${opt}-dwarf${version}.wasm`));
    assert.ok(rows.length > 500, `dwarfdump gave ${rows.length} rows`);
    let checked = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      const next = rows[i + 1];
      // the reader answers with the last row at an address; end_sequence rows own no code
      if (row.endSequence || (next && !next.endSequence && next.address === row.address)) continue;
      const loc = info.lineForOffset(row.address + codeOffset);
      assert.ok(loc, `no row for 0x${row.address.toString(16)}`);
      assert.deepEqual(
        { line: loc.line, column: loc.column, isStmt: loc.isStmt, file: loc.file.split('/').pop(), offset: loc.offset },
        { line: row.line, column: row.column, isStmt: row.isStmt, file: row.file, offset: row.address + codeOffset },
        `row at 0x${row.address.toString(16)}`,
      );
      checked++;
    }
    assert.ok(checked > 400);
    assert.deepEqual(info.warnings, []);
  });
}

test('offsets between rows map to the row before; offsets outside all sequences to nothing', () => {
  const { info, codeOffset } = loadFixture('O0', 5);
  const a = info.lineForOffset(codeOffset + 0x57)!;
  const b = info.lineForOffset(codeOffset + 0x58)!;
  assert.equal(a.line, 30);
  assert.deepEqual(b, a);
  assert.equal(info.lineForOffset(0), undefined);
  assert.equal(info.lineForOffset(codeOffset - 1), undefined);
});

for (const version of [4, 5] as const) {
  test(`DWARF ${version}: line breakpoints bind to statement entries, by full path or suffix`, () => {
    const { info, codeOffset } = loadFixture('O0', version);
    // `while (r)` is entered at its test and again at the loop's back edge; a breakpoint takes the
    // lowest, the test, which runs on every iteration
    const bp = info.offsetsForLine('/fixtures/main.c', 30)!;
    assert.deepEqual(bp, {
      file: '/fixtures/main.c',
      line: 30,
      offsets: [codeOffset + 0x57],
      allOffsets: [codeOffset + 0x57, codeOffset + 0x155],
    });
    assert.deepEqual(info.offsetsForLine('main.c', 30), bp);
    assert.deepEqual(info.offsetsForLine('/home/me/checkout/fixtures/main.c', 30), bp);
    assert.equal(info.offsetsForLine('ain.c', 30), undefined, 'suffixes match whole path segments');
    assert.equal(info.offsetsForLine('other.c', 30), undefined);
    // a `for` header is entered at init-and-test and again at the increment: one breakpoint, the lowest
    const loop = info.offsetsForLine('shapes.c', 6)!;
    assert.ok(loop.allOffsets.length >= 2, `${loop.allOffsets.length} entries`);
    assert.deepEqual(loop.offsets, [loop.allOffsets[0]]);
    // a line without code slides to the next line with code in its function, never past it
    const slid = info.offsetsForLine('main.c', 32)!;
    assert.equal(slid.line, 33);
    assert.ok(slid.offsets.length > 0);
    assert.equal(info.offsetsForLine('main.c', 1), undefined, 'a comment above every function');
    assert.equal(info.offsetsForLine('main.c', 40), undefined, 'the blank line between two functions');
    assert.equal(info.offsetsForLine('main.c', 41)?.line, 41);
    // every bound offset maps back to the same file and line
    for (const line of [5, 8, 29, 31, 33, 34, 42, 46, 47]) {
      const b = info.offsetsForLine('main.c', line) ?? info.offsetsForLine('shapes.c', line);
      if (!b) continue;
      for (const o of b.allOffsets) {
        const loc = info.lineForOffset(o)!;
        assert.equal(loc.line, b.line);
        assert.equal(loc.file, b.file);
        assert.equal(loc.isStmt, true);
      }
    }
  });

  test(`DWARF ${version}: a header's inline function binds in every place it was inlined (-O2)`, () => {
    const { info } = loadFixture('O2', version);
    const bp = info.offsetsForLine('shapes.h', 13)!;
    assert.equal(bp.file, '/fixtures/shapes.h');
    assert.equal(bp.line, 13);
    assert.ok(bp.offsets.length >= 1);
    for (const o of bp.offsets) assert.equal(info.functionAt(o)?.frames[0]?.function.name, 'manhattan');
  });
}

test('files() lists the sources with code, as full paths, in DWARF 4 and 5 alike', () => {
  const four = loadFixture('O0', 4).info.files();
  const five = loadFixture('O0', 5).info.files();
  for (const f of ['/fixtures/main.c', '/fixtures/shapes.c', '/fixtures/shapes.h']) {
    assert.ok(four.includes(f), `${f} in ${four.join(', ')}`);
    assert.ok(five.includes(f));
  }
  assert.deepEqual(four, [...four].sort());
});

test('lineRangeAt gives the run of code of the current line, for source stepping', () => {
  const { info, codeOffset } = loadFixture('O0', 5);
  const start = codeOffset + 0x57;
  const range = info.lineRangeAt(start + 2)!;
  assert.equal(range.start, start);
  assert.ok(range.end > start + 2);
  assert.equal(info.lineForOffset(range.end - 1)!.line, 30);
  assert.notEqual(info.lineForOffset(range.end)!.line, 30);
});

test('DWARF 4 and DWARF 5 builds of the same program give the same breakpoints and functions', () => {
  for (const opt of ['O0', 'O2'] as const) {
    const four = loadFixture(opt, 4);
    const five = loadFixture(opt, 5);
    for (const file of ['main.c', 'shapes.c', 'shapes.h']) {
      for (let line = 1; line <= 50; line++) {
        const a = four.info.offsetsForLine(file, line);
        const b = five.info.offsetsForLine(file, line);
        assert.deepEqual(
          a && { ...a, offsets: a.offsets.map((o) => o - four.codeOffset) },
          b && { ...b, offsets: b.offsets.map((o) => o - five.codeOffset) },
          `${opt} ${file}:${line}`,
        );
      }
    }
    const names = (m: typeof four) => m.info.functions().map((f) => `${f.name}@${f.declFile}:${f.declLine}`);
    assert.deepEqual(names(four), names(five));
  }
});
