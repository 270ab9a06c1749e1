// The reader against real program state: the C fixtures run on core/interp's Machine under WASI,
// stop at DWARF line breakpoints, and their source variables are read through an accessor over
// the paused frame — frame-base memory at -O0, Wasm locals and stack slots at -O2, inline frames.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule, type Module } from '../../../core/binary';
import { compileModule, instantiate, Machine, type Instance, type Value } from '../../../core/interp';
import { BufferSink, BufferSource, nodeClock, nodeRandom, Wasi, WasiExit, type WasiMemory } from '../../../core/wasi';
import { type DwarfInfo, formatValue, pointerTarget, readDwarf, type SourceVariable, type WasmScalar, type WasmStateAccessor } from '../../../core/debuginfo';
import { FIXTURES } from './fixture-loader';

interface Session {
  info: DwarfInfo;
  module: Module;
  instance: Instance;
  m: Machine;
}

function start(name: string): Session {
  const bytes = new Uint8Array(readFileSync(join(FIXTURES, name)));
  const info = readDwarf(bytes)!;
  const module = decodeModule(bytes);
  const wasi = new Wasi({
    args: ['shapes'],
    io: { stdin: new BufferSource('', { ended: true }), stdout: new BufferSink(), stderr: new BufferSink(), clock: nodeClock, random: nodeRandom },
  });
  const instance = instantiate(compileModule(module), wasi.imports);
  const memory = instance.exports.memory;
  if (memory?.kind === 'memory') wasi.memory = memory as unknown as WasiMemory;
  const m = new Machine();
  m.start(instance, '_start', []);
  return { info, module, instance, m };
}

function funcIndexAt(module: Module, offset: number): number {
  const imported = module.imports.filter((i) => i.desc.kind === 'func').length;
  const i = module.funcs.findIndex((f) => offset >= f.bodyStart && offset < f.bodyEnd);
  assert.ok(i >= 0, `no function body holds offset ${offset}`);
  return imported + i;
}

/** Runs to the next breakpoint; fails on anything else. */
function runToBreakpoint(m: Machine): void {
  for (;;) {
    let r;
    try {
      r = m.run(1_000_000);
    } catch (e) {
      if (e instanceof WasiExit) assert.fail(`program exited (${e.code}) before the breakpoint`);
      throw e;
    }
    if (r.reason === 'breakpoint') return;
    if (r.reason !== 'budget') assert.fail(`stopped for ${r.reason}`);
  }
}

function scalar(v: Value | undefined): WasmScalar | undefined {
  return v && (v.type === 'i32' || v.type === 'i64' || v.type === 'f32' || v.type === 'f64' || v.type === 'v128') ? v : undefined;
}

/** The accessor the debugger builds over one paused physical frame. */
function accessor(s: Session, frame: number): WasmStateAccessor {
  const memory = s.instance.exports.memory as unknown as { buffer: ArrayBuffer };
  return {
    local: (i) => scalar(s.m.locals(frame)[i]?.value),
    global: (i) => scalar(s.instance.globals[i]?.value),
    stack: (i) => scalar(s.m.operandStack(frame)[i]),
    readMemory: (address, length) =>
      address + length <= memory.buffer.byteLength ? new Uint8Array(memory.buffer, address, length).slice() : undefined,
  };
}

function show(v: SourceVariable, a: WasmStateAccessor): string {
  const r = v.read(a);
  return r.bytes ? formatValue(v.type, r.bytes, { readMemory: a.readMemory }) : `<${r.reason}>`;
}

function variables(s: Session, offset: number, depth = 0): Map<string, SourceVariable> {
  return new Map(s.info.variablesAt(offset, depth).flatMap((sc) => sc.variables).map((v) => [v.name, v]));
}

for (const version of [4, 5] as const) {
  test(`-O0 DWARF ${version}: at main.c:47 every local of main reads back its value from the frame`, () => {
    const s = start(`shapes-O0-dwarf${version}.wasm`);
    const bp = s.info.offsetsForLine('main.c', 47)!;
    for (const o of bp.offsets) s.m.setBreakpoint(funcIndexAt(s.module, o), o);
    runToBreakpoint(s.m);
    const pc = s.m.frames()[0]!.offset;
    assert.ok(bp.offsets.includes(pc));
    assert.equal(s.info.functionAt(pc)?.function.name, 'main');
    const a = accessor(s, 0);
    const vars = variables(s, pc);
    assert.equal(show(vars.get('argc')!, a), '1');
    assert.equal(show(vars.get('p')!, a), '12');
    assert.equal(show(vars.get('s')!, a), '78');
    assert.equal(show(vars.get('square_corners')!, a), 'len=4 [{x = 0, y = 0}, {x = 0, y = 3}, {x = 3, y = 3}, {x = 3, y = 0}]');
    const second = vars.get('second')!.locate(a);
    assert.equal(second.kind, 'memory');
    const secondAt = second.kind === 'memory' ? second.address : 0;
    assert.equal(
      show(vars.get('first')!, a),
      `{name = "alpha", color = GREEN, weight = 0.25, flags = 1 '\\x01', next = 0x${secondAt.toString(16).padStart(8, '0')}, n = {i = 7, f = 1e-44}}`,
    );
    assert.equal(show(vars.get('second')!, a), `{name = "beta", color = BLUE, weight = 1.5, flags = 2 '\\x02', next = 0x00000000, n = {i = 1075838976, f = 2.5}}`);
    // argv[0] through two pointers
    const argv = vars.get('argv')!.read(a).bytes!;
    const argv0 = pointerTarget(vars.get('argv')!.type, argv)!;
    assert.equal(formatValue(argv0.type, a.readMemory(argv0.address, 4)!, { readMemory: a.readMemory }).split(' ')[1], '"shapes"');
  });

  test(`-O2 DWARF ${version}: Wasm-local variables and an inline frame on a live stack`, () => {
    const s = start(`shapes-O2-dwarf${version}.wasm`);
    // sum_records' `while (r)`: on entry `r` lives in Wasm local 0 (clang's location list leaves
    // it undescribed inside the loop body)
    const bp = s.info.offsetsForLine('main.c', 30)!;
    for (const o of bp.offsets) s.m.setBreakpoint(funcIndexAt(s.module, o), o);
    runToBreakpoint(s.m);
    let pc = s.m.frames()[0]!.offset;
    assert.equal(s.info.functionAt(pc)?.function.name, 'sum_records');
    const a = accessor(s, 0);
    const r = variables(s, pc).get('r')!;
    assert.equal(r.locate(a).kind, 'local');
    const target = pointerTarget(r.type, r.read(a).bytes!)!;
    assert.match(formatValue(target.type, a.readMemory(target.address, 40)!), /^\{name = "alpha", color = GREEN, weight = 0.25, /);
    // the caller frame: main, at its call of sum_records
    const caller = s.m.frames()[1]!;
    assert.equal(s.info.functionAt(caller.offset)?.function.name, 'main');
    assert.equal(s.info.lineForOffset(caller.offset)?.line, 46);

    // the inlined manhattan in perimeter: two source frames in one Wasm frame
    for (const o of bp.offsets) s.m.clearBreakpoint(funcIndexAt(s.module, o), o);
    const s2 = start(`shapes-O2-dwarf${version}.wasm`);
    const inl = s2.info.offsetsForLine('shapes.h', 15)!;
    for (const o of inl.offsets) s2.m.setBreakpoint(funcIndexAt(s2.module, o), o);
    runToBreakpoint(s2.m);
    pc = s2.m.frames()[0]!.offset;
    const frames = s2.info.functionAt(pc)!.frames;
    assert.deepEqual(
      frames.map((f) => `${f.function.name}@${f.location?.line}`),
      ['manhattan@15', 'perimeter@8'],
    );
    // the whole stack: two source frames in perimeter's Wasm frame, then main, then libc's callers
    const stack = s2.info.expandFrames(s2.m.frames().map((f) => f.offset));
    assert.deepEqual(
      stack.slice(0, 3).map((f) => `${f.physical}.${f.inlineDepth} ${f.function?.name}:${f.location?.line}`),
      ['0.0 manhattan:15', '0.1 perimeter:8', '1.0 main:45'],
    );
    assert.ok(stack.some((f) => f.function?.name === '__main_void' || f.function?.name === '_start'), stack.map((f) => f.function?.name).join(' '));
    const a2 = accessor(s2, 0);
    const outer = variables(s2, pc, 1);
    const nShown = show(outer.get('n')!, a2);
    assert.ok(nShown === '4' || nShown === '<optimized out>', nShown);
    // `dx` sits on the operand stack at line 15: |x1 - x0| for each pair of corners in turn
    const dxs: string[] = [];
    for (let hit = 0; hit < 3; hit++) {
      if (hit > 0) runToBreakpoint(s2.m);
      const at = s2.m.frames()[0]!.offset;
      const dx = variables(s2, at, 0).get('dx')!;
      assert.equal(dx.locate(accessor(s2, 0)).kind, 'stack');
      dxs.push(show(dx, accessor(s2, 0)));
      for (const v of variables(s2, at, 0).values()) {
        const shown = show(v, accessor(s2, 0));
        assert.ok(/^(-?\d+|\{x = -?\d+, y = -?\d+\}|<[a-z ]+>)$/.test(shown), `${v.name} = ${shown}`);
      }
    }
    assert.deepEqual(dxs, ['0', '3', '0']);
  });
}

/**
 * Source-level step over as README describes it: single-step until the stack is no deeper than at
 * the start, the pc has left the start line's code, and it sits at the start of a statement row
 * with a line.
 */
function stepOverLine(s: Session): void {
  const depth = s.m.frames().length;
  const range = s.info.lineRangeAt(s.m.frames()[0]!.offset)!;
  for (let i = 0; i < 1_000_000; i++) {
    const r = s.m.stepInstruction();
    if (r.reason === 'finished') return;
    const frames = s.m.frames();
    const pc = frames[0]!.offset;
    if (frames.length > depth) continue;
    if (frames.length === depth && pc >= range.start && pc < range.end) continue;
    const loc = s.info.lineForOffset(pc);
    if (loc && loc.isStmt && loc.line !== 0 && loc.offset === pc) return;
  }
  assert.fail('step over did not finish');
}

test('-O0: stepping over source lines in main goes 45 → 46 → 47 (calls run through)', () => {
  const s = start('shapes-O0-dwarf5.wasm');
  const bp = s.info.offsetsForLine('main.c', 45)!;
  for (const o of bp.offsets) s.m.setBreakpoint(funcIndexAt(s.module, o), o);
  runToBreakpoint(s.m);
  for (const o of bp.offsets) s.m.clearBreakpoint(funcIndexAt(s.module, o), o);
  const line = () => s.info.lineForOffset(s.m.frames()[0]!.offset)?.line;
  assert.equal(line(), 45);
  stepOverLine(s);
  assert.equal(line(), 46);
  assert.equal(show(variables(s, s.m.frames()[0]!.offset).get('p')!, accessor(s, 0)), '12');
  stepOverLine(s);
  assert.equal(line(), 47);
  assert.equal(show(variables(s, s.m.frames()[0]!.offset).get('s')!, accessor(s, 0)), '78');
});
