// Variables of the clang fixtures by scope: frame-base-relative memory at -O0; Wasm locals,
// operand-stack slots, constants and pieces at -O2; values read and formatted through a fake machine.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, type Scope } from '../../../core/debuginfo';
import { FakeMachine, loadFixture } from './fixture-loader';

const names = (scopes: Scope[]) => scopes.map((s) => `${s.kind}: ${s.variables.map((v) => `${v.typeName} ${v.name}`).join(', ')}`);

for (const version of [4, 5] as const) {
  test(`-O0 DWARF ${version}: scopes list block variables first, parameters before locals`, () => {
    const { info, codeOffset } = loadFixture('O0', version);
    const inBlock = codeOffset + 0xb2 + 4;
    assert.deepEqual(names(info.variablesAt(inBlock)), ['block: long long scaled', 'function: struct record * r, int total']);
    const outside = info.offsetsForLine('main.c', 30)!.offsets[0]!;
    assert.deepEqual(names(info.variablesAt(outside)), ['function: struct record * r, int total']);
    const main = info.offsetsForLine('main.c', 47)!.offsets[0]!;
    assert.deepEqual(names(info.variablesAt(main)), [
      'function: int argc, char ** argv, point_t[4] square_corners, struct record second, struct record first, int p, int s',
    ]);
    assert.deepEqual(info.variablesAt(0), []);
    const scaled = info.variablesAt(inBlock)[0]!.variables[0]!;
    assert.equal(scaled.declFile, '/fixtures/main.c');
    assert.equal(scaled.declLine, 33);
  });

  test(`-O0 DWARF ${version}: frame-base-relative variables read from memory and format`, () => {
    const { info } = loadFixture('O0', version);
    const m = new FakeMachine();
    const fp = 2000;
    m.locals.set(4, fp); // main's frame base is Wasm local 4
    const dv = m.view();
    const first = fp + 16;
    const second = fp + 56;
    const write = (at: number, name: string, color: number, weight: number, flags: number, next: number, n: number) => {
      m.memory.set(new TextEncoder().encode(name), at);
      dv.setUint32(at + 8, color, true);
      dv.setFloat64(at + 16, weight, true);
      dv.setUint8(at + 24, flags);
      dv.setUint32(at + 28, next, true);
      dv.setInt32(at + 32, n, true);
    };
    write(first, 'alpha', 5, 0.25, 1, second, 7);
    write(second, 'beta', 6, 1.5, 2, 0, 0x40200000); // n.f = 2.5f
    [0, 0, 0, 3, 3, 3, 3, 0].forEach((v, i) => dv.setInt32(fp + 96 + i * 4, v, true));
    dv.setInt32(fp + 136, 1, true); // argc

    const pc = info.offsetsForLine('main.c', 47)!.offsets[0]!;
    const vars = new Map(info.variablesAt(pc)[0]!.variables.map((v) => [v.name, v]));
    assert.deepEqual(vars.get('first')!.locate(m), { kind: 'memory', address: first });
    assert.deepEqual(vars.get('first')!.locate(), { kind: 'unavailable', reason: 'frame base: needs the value of a Wasm local' });
    const show = (name: string) => {
      const v = vars.get(name)!;
      const r = v.read(m);
      assert.ok(r.bytes, `${name}: ${r.reason}`);
      return formatValue(v.type, r.bytes, { readMemory: m.readMemory });
    };
    assert.equal(show('argc'), '1');
    assert.equal(
      show('first'),
      `{name = "alpha", color = GREEN, weight = 0.25, flags = 1 '\\x01', next = 0x${second.toString(16).padStart(8, '0')}, n = {i = 7, f = 1e-44}}`,
    );
    assert.equal(show('second'), `{name = "beta", color = BLUE, weight = 1.5, flags = 2 '\\x02', next = 0x00000000, n = {i = 1075838976, f = 2.5}}`);
    assert.equal(show('square_corners'), 'len=4 [{x = 0, y = 0}, {x = 0, y = 3}, {x = 3, y = 3}, {x = 3, y = 0}]');

    const globals = info.globalsAt(pc);
    const sink = globals.find((g) => g.name === 'sink')!;
    assert.equal(sink.typeName, 'volatile int');
    const loc = sink.locate();
    assert.equal(loc.kind, 'memory');
    assert.ok(loc.kind === 'memory' && loc.address >= 1024, JSON.stringify(loc));
  });

  test(`-O2 DWARF ${version}: variables in Wasm locals, operand-stack slots and constants`, () => {
    const { info } = loadFixture('O2', version);
    const fns = new Map(info.functions().map((f) => [f.name, f]));
    const square = fns.get('square')!.ranges[0]!.start;
    const codeRel = (o: number) => square - 0x94 + o; // square starts at code offset 0x94
    const vars = (pc: number) => new Map(info.variablesAt(pc).flatMap((s) => s.variables).map((v) => [v.name, v]));
    assert.deepEqual(vars(codeRel(0x94)).get('v')!.locate(), { kind: 'local', index: 0 });
    assert.deepEqual(vars(codeRel(0x94)).get('result')!.locate(), { kind: 'unavailable', reason: 'optimized out' });
    assert.deepEqual(vars(codeRel(0x9c)).get('result')!.locate(), { kind: 'stack', index: 1 });
    assert.deepEqual(vars(codeRel(0x9e)).get('result')!.locate(), { kind: 'local', index: 0 });

    const m = new FakeMachine();
    m.locals.set(0, -9);
    m.stackSlots.set(1, 81);
    const v = vars(codeRel(0x94)).get('v')!;
    assert.equal(formatValue(v.type, v.read(m).bytes!), '-9');
    const result = vars(codeRel(0x9c)).get('result')!;
    assert.equal(formatValue(result.type, result.read(m).bytes!), '81');

    // sum_records: `total` starts as the constant 0 (DW_OP_consts 0, DW_OP_stack_value)
    const sum = fns.get('sum_records')!.ranges[0]!.start;
    const total = vars(sum).get('total')!;
    assert.deepEqual(total.locate(), { kind: 'value', value: 0n });
    assert.equal(formatValue(total.type, total.read(m).bytes!), '0');
    assert.deepEqual(vars(sum).get('r')!.locate(), { kind: 'local', index: 0 });

    // main keeps its structs in memory below the frame base in local 2
    const main = fns.get('main')!.ranges[0]!.start;
    m.locals.set(2, 3000);
    assert.deepEqual(vars(main).get('square_corners')!.locate(m), { kind: 'memory', address: 3080 });
    assert.deepEqual(vars(main).get('argv')!.locate(m), { kind: 'unavailable', reason: 'optimized out' });
  });

  test(`-O2 DWARF ${version}: an inline frame has its own scopes; struct parameters come in pieces`, () => {
    const { info } = loadFixture('O2', version);
    const perimeter = info.functions().find((f) => f.name === 'perimeter')!;
    let checkedPieces = false;
    let checkedScopes = false;
    for (const r of perimeter.ranges) {
      for (let pc = r.start; pc < r.end; pc++) {
        if ((info.functionAt(pc)?.frames.length ?? 0) < 2) continue;
        const inner = info.variablesAt(pc, 0);
        const outer = info.variablesAt(pc, 1);
        assert.deepEqual(names(inner), ['function: point_t a, point_t b, int dx, int dy']);
        if (!checkedScopes) {
          assert.deepEqual(names(outer), [
            'block: const point_t * next',
            'block: int i',
            'function: const point_t * corners, int n, int total',
          ]);
          checkedScopes = true;
        }
        assert.deepEqual(info.variablesAt(pc, 2), []);
        const a = inner[0]!.variables[0]!;
        const loc = a.locate();
        if (loc.kind !== 'pieces' || checkedPieces) continue;
        // `a.x` lives in an operand-stack slot while `a.y` is optimized out here
        const m = new FakeMachine();
        for (const p of loc.pieces) if (p.location.kind === 'stack') m.stackSlots.set(p.location.index, 42);
        const read = a.read(m);
        assert.equal(read.reason, 'partly optimized out');
        assert.match(formatValue(a.type, read.bytes!), /^\{x = (42|0), y = (42|0)\}$/);
        checkedPieces = true;
      }
    }
    assert.ok(checkedScopes);
    assert.ok(checkedPieces);
  });
}
