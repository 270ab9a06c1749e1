// The disassembler and module summary on a fixture with names, imports, exports and segments.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWabt } from '../../../core/check/wabt-loader';
import { decodeModule, type Module } from '../../../core/binary';
import {
  disassemble, disassembleFunction, disassemblyChunks, f32Text, f64Text, formatSummary, i64Text, instructionAtLine, lineOfOffset, openDisassembly, openDisassemblyAsync, summarizeModule,
} from '../../../core/inspect';

const fixture = join(import.meta.dirname, '..', '..', 'fixtures', 'client', 'sample.wat');
let named: Module;
let anonymous: Module;

async function assemble(text: string, debugNames: boolean): Promise<Uint8Array> {
  const wabt = await loadWabt();
  const m = wabt.parseWat('sample.wat', text);
  try {
    m.resolveNames();
    m.validate();
    return m.toBinary({ write_debug_names: debugNames }).buffer;
  } finally {
    m.destroy();
  }
}

before(async () => {
  const text = readFileSync(fixture, 'utf8');
  named = decodeModule(await assemble(text, true));
  anonymous = decodeModule(await assemble(text, false));
});

test('the summary lists sections with sizes, imports and exports with signatures', () => {
  const s = summarizeModule(named);
  assert.equal(s.name, 'sample');
  assert.deepEqual(s.sections.map((x) => x.name), ['type', 'import', 'function', 'table', 'global', 'export', 'element', 'code', 'data', 'name']);
  assert.ok(s.sections.every((x) => x.size > 0));
  assert.deepEqual(s.imports[0], {
    module: 'wasi_snapshot_preview1', name: 'fd_write', kind: 'func', index: 0, signature: '(param i32 i32 i32 i32) (result i32)', id: '$fd_write',
  });
  assert.equal(s.imports[1]?.kind, 'memory');
  assert.deepEqual(s.exports.map((e) => `${e.name} ${e.kind} ${e.index} ${e.signature}`), [
    'add func 1 (param i32 i32) (result i32)',
    'count func 2 (param i32) (result i32)',
    'tab table 0 2 funcref',
    'counter global 0 (mut i32)',
  ]);
  const text = formatSummary(s);
  assert.match(text, /custom "name"\s+\d+ bytes/);
  assert.match(text, /"env" "mem" {2}memory \$imem {2}1/);
});

test('the disassembly has one instruction per line with its offset and names', () => {
  const d = disassemble(named);
  const addLine = d.anchors.get('func:1')!;
  assert.match(d.lines[addLine]!, /^[0-9a-f]{6}: \(func \$add \(;1;\) \(export "add"\) \(type \$binop\) \(param \$a i32\) \(param \$b i32\) \(result i32\)$/);
  assert.match(d.lines[addLine + 1]!, /\(local \$tmp i64\)/);
  const body = d.lines.slice(addLine + 2, addLine + 6).map((l) => l.slice(8).trim());
  assert.deepEqual(body, ['local.get $a', 'local.get $b', 'i32.add', ')']);
  const all = d.lines.join('\n');
  assert.match(all, /global\.set \$counter/);
  assert.match(all, /i32\.load offset=8\n/);
  assert.match(all, /br_if 1/);
  assert.match(all, /if \(result i32\)/);
  assert.match(all, /f32\.const 0\.1\n/);
  assert.match(all, /i32\.const -7/);
  assert.match(all, /\(import "wasi_snapshot_preview1" "fd_write" \(func \$fd_write \(;0;\)/);
  assert.match(all, /\(data \(;0;\) \(memory 0\) \(offset i32\.const 16\) 7 bytes "hello\\0a\\00"\)/);
  assert.match(all, /\(elem \(;0;\) \(table 0\) \(offset i32\.const 0\) funcref \$add \$loop\)/);
});

test('without a name section the disassembly uses indices', () => {
  const all = disassemble(anonymous).lines.join('\n');
  assert.match(all, /\(func \(;1;\) \(export "add"\) \(type 0\) \(param i32\) \(param i32\) \(result i32\)/);
  assert.match(all, /local\.get 0\n/);
  assert.match(all, /global\.set 0\n/);
  assert.doesNotMatch(all, /\$/);
});

test('lines map to byte offsets and back', () => {
  const d = disassemble(named);
  let instructions = 0;
  for (let line = 0; line < d.lines.length; line++) {
    const at = instructionAtLine(d, line);
    if (!at) continue;
    instructions++;
    assert.equal(named.bytes[at.offset] !== undefined, true);
    assert.equal(d.lines[line]!.slice(0, 6), at.offset.toString(16).padStart(6, '0'));
    assert.equal(lineOfOffset(d, at.offset), line);
  }
  assert.ok(instructions > 20);
  // An offset inside a multi-byte instruction maps to that instruction.
  const constLine = d.lines.findIndex((l) => l.endsWith('f32.const 0.1'));
  const at = instructionAtLine(d, constLine)!;
  assert.equal(lineOfOffset(d, at.offset + 2), constLine);
  // The header maps sections and segments to their offsets too.
  const dataLine = d.anchors.get('data:0')!;
  assert.equal(lineOfOffset(d, named.datas[0]!.offset), dataLine);
});

test('the summary header can be left out', () => {
  const d = disassemble(named, { header: false });
  assert.equal(d.anchors.has('import:0'), false);
  assert.ok(d.lines[0]!.includes('(func $add'));
});

test('float and integer immediates keep their exact values', () => {
  assert.equal(f32Text(0x3dcccccd), '0.1');
  assert.equal(f32Text(0x7f800000), 'inf');
  assert.equal(f32Text(0xff800000 | 0), '-inf');
  assert.equal(f32Text(0x7fc00000), 'nan');
  assert.equal(f32Text(0x7fa00001), 'nan:0x200001');
  assert.equal(f32Text(0x80000000 | 0), '-0');
  assert.equal(f64Text(0, 0x7ff80000), 'nan');
  assert.equal(f64Text(1, 0xfff00000 | 0), '-nan:0x1');
  assert.equal(f64Text(0x54442d18, 0x400921fb), '3.141592653589793');
  assert.equal(i64Text(-1, -1), '-1');
  assert.equal(i64Text(0, 0x80000000 | 0), '-9223372036854775808');
  assert.equal(i64Text(0xffffffff | 0, 0x7fffffff), '9223372036854775807');
});

test('the lazy listing gives the same lines and anchors as the full one', () => {
  const full = disassemble(named);
  const lazy = openDisassembly(named);
  assert.equal(lazy.lineCount, full.lines.length);
  assert.deepEqual(lazy.lines(0, lazy.lineCount), full.lines);
  assert.deepEqual(lazy.lines(5, 9), full.lines.slice(5, 9));
  const last = full.lines.length;
  assert.deepEqual(lazy.lines(last - 3, last + 10), full.lines.slice(last - 3));
  for (const [key, line] of full.anchors) assert.equal(lazy.lineOfAnchor(key), line, key);
});

test('the asynchronous listing, which yields while counting, matches the synchronous one', async () => {
  const sync = openDisassembly(named);
  const slow = await openDisassemblyAsync(named, 1);
  assert.equal(slow.lineCount, sync.lineCount);
  assert.deepEqual(slow.lines(0, slow.lineCount), sync.lines(0, sync.lineCount));
  assert.equal(slow.lineOfAnchor('func:2'), sync.lineOfAnchor('func:2'));
});

test('the streamed listing (one chunk per function) is the whole listing, and each chunk is one function', () => {
  for (const m of [named, anonymous]) {
    for (const header of [true, false]) {
      const whole = disassemble(m, { header });
      const chunks = [...disassemblyChunks(m, { header })];
      assert.equal(chunks.join(''), whole.lines.join('\n') + '\n');
      assert.equal(chunks.length, m.funcs.length + (header ? 1 : 0));
    }
    const last = m.importedFuncs + m.funcs.length - 1;
    const one = disassembleFunction(m, last);
    const whole = disassemble(m, { header: false });
    const at = whole.anchors.get(`func:${last}`)!;
    assert.deepEqual(one.lines, whole.lines.slice(at, at + one.lines.length));
    assert.deepEqual([...one.lineOffsets], [...whole.lineOffsets.slice(at, at + one.lines.length)]);
  }
});
