// Type-checks one function body with the spec's algorithm (operand and control stacks, with the
// polymorphic stack after unconditional branches). A CodeSink (the compiler) sees each instruction
// just before it is checked, with the stacks in their pre-instruction state, so it can read types,
// heights and label targets without a second type inference.
import { DecodeError, ValidationError } from '../errors';
import { FeatureError } from '../features';
import { BLOCK_REF, InstrReader } from '../binary/instructions';
import { ByteReader } from '../binary/leb128';
import { ValType, isRefType, type FuncType } from '../binary/module';
import { Imm, allOps } from '../binary/opcodes';
import type { ModuleContext } from './context';
import { checkException } from './rules/exceptions';
import { checkTypedRef } from './rules/typed-refs';
import { checkGc } from './rules/gc';
import { concreteHeap, formatType, heapOf, isConcreteHeap, isNullable, mapTypeIndex, matchTypes, matchValType, refOf, type CanonType } from '../types';
import { checkAtomic } from './rules/threads';

/** A type on the operand stack; 0 is the unknown type of unreachable code. */
export type StackType = ValType | 0;
export const UNKNOWN = 0;

export interface ControlFrame {
  /** 0x02 block, 0x03 loop, 0x04 if, 0x05 else, 0x00 the function itself; exception handling:
   * 0x1f try_table, 0x06 try, 0x07 catch, 0x19 catch_all (rules/exceptions.ts). */
  kind: number;
  params: ValType[];
  results: ValType[];
  /** Operand count at entry (below the params). */
  height: number;
  unreachable: boolean;
  /** initLog length at entry (locals initialized inside are unset at the frame's end). */
  inits?: number;
}

export interface CodeSink {
  instr(ir: InstrReader, v: FunctionValidator): void;
}

/** Words (4 bytes) a value of type `t` takes on the machine's value stack. */
export function slotWords(t: StackType): number {
  return t === ValType.v128 ? 4 : 2;
}

const i32 = ValType.i32, i64 = ValType.i64, f32 = ValType.f32, f64 = ValType.f64;

/** [params, results] of numeric opcodes (0x45–0xc4) and the saturating truncations. */
const numericSigs = new Map<number, [ValType[], ValType[]]>();
const numericByByte: ([ValType[], ValType[]] | undefined)[] = new Array<undefined>(256).fill(undefined);
function sig(from: number, to: number, params: ValType[], results: ValType[]): void {
  for (let op = from; op <= to; op++) {
    numericSigs.set(op, [params, results]);
    if (op < 256) numericByByte[op] = [params, results];
  }
}
const EMPTY_BLOCK: FuncType = { params: [], results: [] };
const VALUE_BLOCKS = new Map<number, FuncType>();
sig(0x45, 0x45, [i32], [i32]); sig(0x46, 0x4f, [i32, i32], [i32]);
sig(0x50, 0x50, [i64], [i32]); sig(0x51, 0x5a, [i64, i64], [i32]);
sig(0x5b, 0x60, [f32, f32], [i32]); sig(0x61, 0x66, [f64, f64], [i32]);
sig(0x67, 0x69, [i32], [i32]); sig(0x6a, 0x78, [i32, i32], [i32]);
sig(0x79, 0x7b, [i64], [i64]); sig(0x7c, 0x8a, [i64, i64], [i64]);
sig(0x8b, 0x91, [f32], [f32]); sig(0x92, 0x98, [f32, f32], [f32]);
sig(0x99, 0x9f, [f64], [f64]); sig(0xa0, 0xa6, [f64, f64], [f64]);
sig(0xa7, 0xa7, [i64], [i32]); sig(0xa8, 0xa9, [f32], [i32]); sig(0xaa, 0xab, [f64], [i32]);
sig(0xac, 0xad, [i32], [i64]); sig(0xae, 0xaf, [f32], [i64]); sig(0xb0, 0xb1, [f64], [i64]);
sig(0xb2, 0xb3, [i32], [f32]); sig(0xb4, 0xb5, [i64], [f32]); sig(0xb6, 0xb6, [f64], [f32]);
sig(0xb7, 0xb8, [i32], [f64]); sig(0xb9, 0xba, [i64], [f64]); sig(0xbb, 0xbb, [f32], [f64]);
sig(0xbc, 0xbc, [f32], [i32]); sig(0xbd, 0xbd, [f64], [i64]); sig(0xbe, 0xbe, [i32], [f32]); sig(0xbf, 0xbf, [i64], [f64]);
sig(0xc0, 0xc1, [i32], [i32]); sig(0xc2, 0xc4, [i64], [i64]);
sig(0xfc0000, 0xfc0001, [f32], [i32]); sig(0xfc0002, 0xfc0003, [f64], [i32]);
sig(0xfc0004, 0xfc0005, [f32], [i64]); sig(0xfc0006, 0xfc0007, [f64], [i64]);

const v128 = ValType.v128;

const enum SimdKind { Load, Store, LoadLane, StoreLane, Const, Shuffle, Splat, Extract, Replace, Unary, Binary, Ternary, Test, Shift }

/** Operand shape of each 0xFD sub-opcode, derived from the names in the opcode table. */
const simdKinds: (SimdKind | undefined)[] = new Array<undefined>(0x120).fill(undefined);
for (const info of allOps) {
  if (info.code >>> 16 !== 0xfd) continue;
  const sub = info.code & 0xffff;
  const n = info.name;
  let k: SimdKind;
  if (info.imm === Imm.MemArgLane) k = n.includes('store') ? SimdKind.StoreLane : SimdKind.LoadLane;
  else if (info.imm === Imm.MemArg) k = n === 'v128.store' ? SimdKind.Store : SimdKind.Load;
  else if (sub === 12) k = SimdKind.Const;
  else if (sub === 13) k = SimdKind.Shuffle;
  else if (n.endsWith('.splat')) k = SimdKind.Splat;
  else if (n.includes('extract_lane')) k = SimdKind.Extract;
  else if (n.includes('replace_lane')) k = SimdKind.Replace;
  else if (n === 'v128.bitselect' || /relaxed_(n?madd|laneselect|dot_i8x16_i7x16_add_s)$/.test(n)) k = SimdKind.Ternary;
  else if (n === 'v128.any_true' || n.endsWith('all_true') || n.endsWith('bitmask')) k = SimdKind.Test;
  else if (/\.(shl|shr_s|shr_u)$/.test(n)) k = SimdKind.Shift;
  else if (/\.(not|abs|neg|popcnt|ceil|floor|trunc|nearest|sqrt)$|extadd_pairwise|extend_|convert|trunc_sat|relaxed_trunc|demote|promote/.test(n)) k = SimdKind.Unary;
  else k = SimdKind.Binary;
  simdKinds[sub] = k;
}
/** Scalar type of i8x16…f64x2 splats (sub-opcodes 15–20). */
const SPLAT_TYPES: ValType[] = [i32, i32, i32, i64, f32, f64];
/** [scalar type, lane count] of extract/replace_lane (sub-opcodes 21–34). */
const LANE_SHAPES: [ValType, number][] = [
  [i32, 16], [i32, 16], [i32, 16], [i32, 8], [i32, 8], [i32, 8], [i32, 4], [i32, 4], [i64, 2], [i64, 2], [f32, 4], [f32, 4], [f64, 2], [f64, 2],
];

/** Value type of each load (0x28–0x35) and store (0x36–0x3e). */
const memTypes: ValType[] = [i32, i64, f32, f64, i32, i32, i32, i32, i64, i64, i64, i64, i64, i64, i32, i64, f32, f64, i32, i32, i64, i64, i64];

export class FunctionValidator {
  readonly vals: StackType[] = [];
  /** wordAt[i] = value-stack words below operand i; wordAt[vals.length] is the current height. */
  readonly wordAt: number[] = [0];
  readonly ctrl: ControlFrame[] = [];
  readonly locals: ValType[];
  /** Word offset of each local in the frame, and the total words of all locals. */
  readonly localWords: number[] = [];
  readonly localsSize: number;
  maxWords = 0;
  offset = 0;
  /** Whether each local is initialized (non-defaultable locals start unset: local_init), and the
   * locals set since each control frame began (unset again when it ends). */
  readonly inited: boolean[];
  readonly initLog: number[] = [];

  constructor(readonly ctx: ModuleContext, readonly funcIndex: number, readonly type: FuncType, declared: ValType[]) {
    this.locals = [...type.params, ...declared];
    let w = 0;
    for (const t of this.locals) {
      this.localWords.push(w);
      w += slotWords(t);
    }
    this.localsSize = w;
    this.inited = this.locals.map((t, i) => i < type.params.length || isNullable(t) || !isRefType(t));
  }

  /** The canonical definition of module type index `i`. */
  defType(i: number): CanonType {
    const d = this.ctx.defs[i];
    if (d === undefined) this.error(`unknown type ${i}`);
    return d;
  }

  /** A function type by module type index (call_ref, call_indirect, block types). */
  funcType(i: number): FuncType {
    const t = this.ctx.types[i];
    if (t === undefined) this.error(`unknown type ${i}`);
    if (t.kind !== undefined) this.error('type mismatch');
    return t;
  }

  /** A heap type immediate (module type index) as a canonical heap type. */
  canonHeap(h: number): number {
    if (!isConcreteHeap(h)) return h;
    return concreteHeap(this.defType(h - concreteHeap(0)).id);
  }

  /** A value type immediate (module type indices) as a canonical value type. */
  canonVal(t: number): ValType {
    if (!isRefType(t)) return t as ValType;
    return refOf(isNullable(t), this.canonHeap(heapOf(t))) as ValType;
  }

  error(message: string): never {
    throw new ValidationError(message, this.offset, this.funcIndex);
  }

  /** A canonical type as text, concrete types by the module's type index (the editor shows them by name). */
  typeText(t: StackType): string {
    if (t === UNKNOWN) return 'any';
    const canon = this.ctx.canon;
    return formatType(mapTypeIndex(t, (id) => {
      const i = canon.indexOf(id);
      return i >= 0 ? i : id;
    }));
  }

  /** `type mismatch, expected [i32] but got [f64]`: what the instruction needs and what the stack holds. */
  mismatch(expected: readonly StackType[], found: readonly StackType[]): never {
    const list = (ts: readonly StackType[]): string => `[${ts.map((t) => this.typeText(t)).join(', ')}]`;
    this.error(`type mismatch, expected ${list(expected)} but got ${list(found)}`);
  }

  get top(): ControlFrame {
    return this.ctrl[this.ctrl.length - 1]!;
  }

  get wordHeight(): number {
    return this.wordAt[this.vals.length]!;
  }

  push(t: StackType): void {
    const n = this.vals.length;
    this.vals.push(t);
    const w = this.wordAt[n]! + slotWords(t);
    this.wordAt[n + 1] = w;
    if (w > this.maxWords) this.maxWords = w;
  }

  pushAll(ts: readonly ValType[]): void {
    for (const t of ts) this.push(t);
  }

  popAny(): StackType {
    const f = this.top;
    if (this.vals.length === f.height) {
      if (f.unreachable) return UNKNOWN;
      this.error('type mismatch');
    }
    return this.vals.pop()!;
  }

  pop(expect: StackType): StackType {
    const f = this.top;
    if (this.vals.length === f.height) {
      if (f.unreachable) return UNKNOWN;
      this.mismatch([expect], []);
    }
    const actual = this.vals.pop()!;
    if (actual !== expect && actual !== UNKNOWN && expect !== UNKNOWN && !matchValType(actual, expect)) this.mismatch([expect], [actual]);
    return actual;
  }

  /** Pops `ts` (the last on top); a mismatch names all of them and what the stack held instead. */
  popAll(ts: readonly ValType[]): void {
    const f = this.top;
    const len = this.vals.length;
    for (let i = ts.length - 1, j = len - 1; i >= 0; i--, j--) {
      if (j < f.height) {
        if (f.unreachable) break;
        this.mismatch(ts, this.vals.slice(f.height));
      }
      const actual = this.vals[j]!;
      const expect = ts[i]!;
      if (actual !== expect && actual !== UNKNOWN && !matchValType(actual, expect)) this.mismatch(ts, this.vals.slice(Math.max(f.height, len - ts.length)));
    }
    // pop() rather than a length store: this runs for nearly every instruction, and V8 makes a
    // store to `length` a runtime call (a tenth of the validation of a 30 MB program)
    const vals = this.vals;
    for (let k = len - Math.max(f.height, len - ts.length); k > 0; k--) vals.pop();
  }

  pushCtrl(kind: number, params: ValType[], results: ValType[]): void {
    this.ctrl.push({ kind, params, results, height: this.vals.length, unreachable: false, inits: this.initLog.length });
    this.pushAll(params);
  }

  popCtrl(): ControlFrame {
    const f = this.top;
    this.popAll(f.results);
    if (this.vals.length !== f.height) this.mismatch(f.results, [...this.vals.slice(f.height), ...f.results]);
    this.ctrl.pop();
    const log = this.initLog;
    while (log.length > (f.inits ?? 0)) this.inited[log.pop()!] = false;
    return f;
  }

  /** local.set / local.tee: the local is initialized until the enclosing block ends. */
  setLocal(i: number): void {
    if (!this.inited[i]) {
      this.inited[i] = true;
      this.initLog.push(i);
    }
  }

  labelTypes(f: ControlFrame): ValType[] {
    return f.kind === 0x03 ? f.params : f.results;
  }

  label(depth: number): ControlFrame {
    const f = this.ctrl[this.ctrl.length - 1 - depth];
    if (f === undefined) this.error('unknown label');
    return f;
  }

  setUnreachable(): void {
    const f = this.top;
    this.vals.length = f.height;
    f.unreachable = true;
  }

  blockType(bt: number): FuncType {
    if (bt === -64) return EMPTY_BLOCK;
    if (bt <= BLOCK_REF) return { params: [], results: [this.canonVal(BLOCK_REF - bt)] };
    if (bt < 0) {
      let t = VALUE_BLOCKS.get(bt);
      if (t === undefined) VALUE_BLOCKS.set(bt, (t = { params: [], results: [(bt & 0x7f) as ValType] }));
      return t;
    }
    return this.funcType(bt);
  }

  localType(i: number): ValType {
    const t = this.locals[i];
    if (t === undefined) this.error('unknown local');
    return t;
  }

  /** Memory `i`'s address type: i64 for memory64, i32 otherwise. */
  private memory(i: number): ValType {
    const m = this.ctx.memories[i];
    if (m === undefined) this.error(`unknown memory ${i}`);
    return m.limits.i64 ? i64 : i32;
  }

  /** A memarg: memory, alignment, and an offset that fits the address type. */
  private memArg(ir: InstrReader): ValType {
    const at = this.memory(ir.mem);
    if (ir.a > ir.info!.align!) this.error('alignment must not be larger than natural');
    if (at === i32 && ir.offHi !== 0) this.error('offset out of range');
    return at;
  }

  table(i: number): ValType {
    const t = this.ctx.tables[i];
    if (t === undefined) this.error(`unknown table ${i}`);
    return t.elemType;
  }

  /** Table `i`'s index type (table64: i64). */
  tableAddr(i: number): ValType {
    return this.ctx.tables[i]?.limits.i64 ? i64 : i32;
  }

  /** return_call / return_call_indirect: the callee's results must be the caller's. */
  tailCall(t: FuncType): void {
    if (!matchTypes(t.results, this.ctrl[0]!.results)) {
      const list = (xs: readonly ValType[]): string => `[${xs.map((x) => this.typeText(x)).join(', ')}]`;
      this.error(`type mismatch: the callee returns ${list(t.results)} but the function returns ${list(this.ctrl[0]!.results)}`);
    }
    this.popAll(t.params);
    this.setUnreachable();
  }

  /** The 0xFD instructions: memory forms check memarg and lane, the rest are typed by shape. */
  private checkSimd(ir: InstrReader): void {
    const sub = ir.op & 0xffff;
    const kind = simdKinds[sub];
    if (kind === undefined) this.error(`unsupported instruction ${ir.info?.name ?? ir.op.toString(16)}`);
    let at: ValType = i32;
    if (kind === SimdKind.Load || kind === SimdKind.Store || kind === SimdKind.LoadLane || kind === SimdKind.StoreLane) {
      at = this.memArg(ir);
      if (kind === SimdKind.LoadLane || kind === SimdKind.StoreLane) {
        if (ir.lo >= 16 >> ir.info!.align!) this.error('invalid lane index');
      }
    }
    switch (kind) {
      case SimdKind.Load: this.pop(at); this.push(v128); return;
      case SimdKind.Store: this.pop(v128); this.pop(at); return;
      case SimdKind.LoadLane: this.pop(v128); this.pop(at); this.push(v128); return;
      case SimdKind.StoreLane: this.pop(v128); this.pop(at); return;
      case SimdKind.Const: this.push(v128); return;
      case SimdKind.Shuffle:
        for (const l of ir.bytes16) if (l >= 32) this.error('invalid lane index');
        this.pop(v128); this.pop(v128); this.push(v128);
        return;
      case SimdKind.Splat: this.pop(SPLAT_TYPES[sub - 15]!); this.push(v128); return;
      case SimdKind.Extract: case SimdKind.Replace: {
        const [t, lanes] = LANE_SHAPES[sub - 21]!;
        if (ir.a >= lanes) this.error('invalid lane index');
        if (kind === SimdKind.Replace) this.pop(t);
        this.pop(v128);
        this.push(kind === SimdKind.Replace ? v128 : t);
        return;
      }
      case SimdKind.Unary: this.pop(v128); this.push(v128); return;
      case SimdKind.Binary: this.pop(v128); this.pop(v128); this.push(v128); return;
      case SimdKind.Ternary: this.pop(v128); this.pop(v128); this.pop(v128); this.push(v128); return;
      case SimdKind.Test: this.pop(v128); this.push(i32); return;
      case SimdKind.Shift: this.pop(i32); this.pop(v128); this.push(v128); return;
    }
  }

  /** Checks one instruction, updating the stacks. */
  check(ir: InstrReader): void {
    const op = ir.op;
    const ctx = this.ctx;
    this.offset = ir.start;
    const sigOf = op < 256 ? numericByByte[op] : numericSigs.get(op);
    if (sigOf !== undefined) {
      this.popAll(sigOf[0]);
      this.pushAll(sigOf[1]);
      return;
    }
    if (op >= 0xfe0000) {
      checkAtomic(this, ir);
      return;
    }
    if (op >= 0xfd0000) {
      this.checkSimd(ir);
      return;
    }
    if (op >>> 16 === 0xfb) {
      checkGc(this, ir);
      return;
    }
    if (op >= 0x28 && op <= 0x3e) {
      const at = this.memArg(ir);
      const t = memTypes[op - 0x28]!;
      if (op <= 0x35) {
        this.pop(at);
        this.push(t);
      } else {
        this.pop(t);
        this.pop(at);
      }
      return;
    }
    switch (op) {
      case 0x00: this.setUnreachable(); break;
      case 0x01: break;
      case 0x02: case 0x03: case 0x04: {
        const bt = this.blockType(ir.a);
        if (op === 0x04) this.pop(i32);
        this.popAll(bt.params);
        this.pushCtrl(op, bt.params, bt.results);
        break;
      }
      case 0x05: {
        const f = this.popCtrl();
        if (f.kind !== 0x04) this.error('else without if');
        this.pushCtrl(0x05, f.params, f.results);
        break;
      }
      case 0x0b: {
        const f = this.popCtrl();
        // An `if` without `else` behaves as if its else branch were empty: params must equal results.
        if (f.kind === 0x04 && !matchTypes(f.params, f.results)) this.error('type mismatch');
        this.pushAll(f.results);
        break;
      }
      case 0x0c: {
        const f = this.label(ir.a);
        this.popAll(this.labelTypes(f));
        this.setUnreachable();
        break;
      }
      case 0x0d: {
        this.pop(i32);
        const ts = this.labelTypes(this.label(ir.a));
        this.popAll(ts);
        this.pushAll(ts);
        break;
      }
      case 0x14: case 0x15: case 0xd3: case 0xd4: case 0xd5: case 0xd6:
        checkTypedRef(this, ir);
        break;
      case 0x0e: {
        this.pop(i32);
        const list = ir.list;
        const def = this.label(list[list.length - 1]!);
        const arity = this.labelTypes(def).length;
        for (const depth of list) {
          const ts = this.labelTypes(this.label(depth));
          if (ts.length !== arity) this.error('type mismatch');
          // Pop and re-push so each label is checked against the same operands.
          const popped: StackType[] = [];
          for (let i = ts.length - 1; i >= 0; i--) popped.push(this.pop(ts[i]!));
          for (let i = popped.length - 1; i >= 0; i--) this.push(popped[i]!);
        }
        this.popAll(this.labelTypes(def));
        this.setUnreachable();
        break;
      }
      case 0x0f:
        this.popAll(this.ctrl[0]!.results);
        this.setUnreachable();
        break;
      case 0x10: {
        const ti = ctx.funcs[ir.a];
        if (ti === undefined) this.error(`unknown function ${ir.a}`);
        const t = ctx.types[ti]!;
        this.popAll(t.params);
        this.pushAll(t.results);
        break;
      }
      case 0x11: case 0x13: {
        if (!matchValType(this.table(ir.b), ValType.funcref)) this.error('type mismatch');
        const t = this.funcType(ir.a);
        this.pop(this.tableAddr(ir.b));
        if (op === 0x13) {
          this.tailCall(t);
          break;
        }
        this.popAll(t.params);
        this.pushAll(t.results);
        break;
      }
      case 0x12: {
        const ti = ctx.funcs[ir.a];
        if (ti === undefined) this.error(`unknown function ${ir.a}`);
        this.tailCall(ctx.types[ti]!);
        break;
      }
      case 0x1a: this.popAny(); break;
      case 0x1b: {
        this.pop(i32);
        const t1 = this.popAny();
        const t2 = this.popAny();
        if (isRefType(t1) || isRefType(t2)) this.error('type mismatch');
        if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) this.error('type mismatch');
        this.push(t1 === UNKNOWN ? t2 : t1);
        break;
      }
      case 0x1c: {
        if (ir.list.length !== 1) this.error('invalid result arity');
        const t = this.canonVal(ir.list[0]!);
        this.pop(i32);
        this.pop(t);
        this.pop(t);
        this.push(t);
        break;
      }
      case 0x20: {
        const t = this.localType(ir.a);
        if (!this.inited[ir.a]) this.error('uninitialized local');
        this.push(t);
        break;
      }
      case 0x21: this.pop(this.localType(ir.a)); this.setLocal(ir.a); break;
      case 0x22: { const t = this.localType(ir.a); this.pop(t); this.setLocal(ir.a); this.push(t); break; }
      case 0x23: {
        const g = ctx.globals[ir.a];
        if (g === undefined) this.error(`unknown global ${ir.a}`);
        this.push(g.type);
        break;
      }
      case 0x24: {
        const g = ctx.globals[ir.a];
        if (g === undefined) this.error(`unknown global ${ir.a}`);
        if (!g.mutable) this.error('global is immutable');
        this.pop(g.type);
        break;
      }
      case 0x25: { const t = this.table(ir.a); this.pop(this.tableAddr(ir.a)); this.push(t); break; }
      case 0x26: { const t = this.table(ir.a); this.pop(t); this.pop(this.tableAddr(ir.a)); break; }
      case 0x3f: this.push(this.memory(ir.a)); break;
      case 0x40: { const at = this.memory(ir.a); this.pop(at); this.push(at); break; }
      case 0x41: this.push(i32); break;
      case 0x42: this.push(i64); break;
      case 0x43: this.push(f32); break;
      case 0x44: this.push(f64); break;
      case 0xd0: this.push(refOf(true, this.canonHeap(ir.a)) as ValType); break;
      case 0xd1: {
        const t = this.popAny();
        if (t !== UNKNOWN && !isRefType(t)) this.error('type mismatch');
        this.push(i32);
        break;
      }
      case 0xd2:
        if (ctx.funcs[ir.a] === undefined) this.error(`unknown function ${ir.a}`);
        if (!ctx.refs.has(ir.a)) this.error('undeclared function reference');
        this.push(refOf(false, concreteHeap(ctx.canon[ctx.funcs[ir.a]!]!)) as ValType);
        break;
      // Exception handling (rules/exceptions.ts).
      case 0x06: case 0x07: case 0x08: case 0x09: case 0x0a: case 0x18: case 0x19: case 0x1f:
        checkException(this, ir);
        break;
      case 0xfc0008: {
        const at = this.memory(ir.b);
        if (ir.a >= ctx.datas) this.error(`unknown data segment ${ir.a}`);
        this.pop(i32); this.pop(i32); this.pop(at);
        break;
      }
      case 0xfc0009:
        if (ir.a >= ctx.datas) this.error(`unknown data segment ${ir.a}`);
        break;
      case 0xfc000a: {
        const dst = this.memory(ir.a);
        const src = this.memory(ir.b);
        this.pop(dst === i64 && src === i64 ? i64 : i32); this.pop(src); this.pop(dst);
        break;
      }
      case 0xfc000b: {
        const at = this.memory(ir.a);
        this.pop(at); this.pop(i32); this.pop(at);
        break;
      }
      case 0xfc000c: {
        const t = this.table(ir.b);
        const e = ctx.elems[ir.a];
        if (e === undefined) this.error(`unknown elem segment ${ir.a}`);
        if (!matchValType(e, t)) this.error('type mismatch');
        this.pop(i32); this.pop(i32); this.pop(this.tableAddr(ir.b));
        break;
      }
      case 0xfc000d:
        if (ctx.elems[ir.a] === undefined) this.error(`unknown elem segment ${ir.a}`);
        break;
      case 0xfc000e: {
        const dst = this.table(ir.a);
        const src = this.table(ir.b);
        if (!matchValType(src, dst)) this.error('type mismatch');
        const da = this.tableAddr(ir.a), sa = this.tableAddr(ir.b);
        this.pop(da === i64 && sa === i64 ? i64 : i32); this.pop(sa); this.pop(da);
        break;
      }
      case 0xfc000f: { const t = this.table(ir.a); const at = this.tableAddr(ir.a); this.pop(at); this.pop(t); this.push(at); break; }
      case 0xfc0010: this.table(ir.a); this.push(this.tableAddr(ir.a)); break;
      case 0xfc0011: { const t = this.table(ir.a); const at = this.tableAddr(ir.a); this.pop(at); this.pop(t); this.pop(at); break; }
      default:
        this.error(`unsupported instruction ${ir.info?.name ?? op.toString(16)}`);
    }
  }
}

/** Validates the body of module-defined function `funcIndex` (imports first in the index space),
 * feeding each instruction to `sink` first. Returns the validator (its frame layout and max height). */
export function validateFunctionBody(ctx: ModuleContext, funcIndex: number, sink?: CodeSink): FunctionValidator {
  const m = ctx.module;
  const f = m.funcs[funcIndex - m.importedFuncs]!;
  const type = ctx.types[f.typeIndex];
  if (type === undefined) throw new ValidationError(`unknown type ${f.typeIndex}`, f.entryStart, funcIndex);
  if (type.kind !== undefined) throw new ValidationError('type mismatch', f.entryStart, funcIndex);
  const v = new FunctionValidator(ctx, funcIndex, type, ctx.locals[funcIndex - m.importedFuncs] ?? f.locals);
  v.ctrl.push({ kind: 0, params: [], results: type.results, height: 0, unreachable: false });
  const ir = new InstrReader(new ByteReader(m.bytes, f.bodyStart, f.bodyEnd), ctx.features);
  if (m.bodiesUnchecked === true) {
    // decodeModule left the structural check to this same pass (deferBodyCheck): what checkBody
    // checks beyond what InstrReader.read does (validateModule turns any error into the
    // DecodeError decodeModule would have given, when the module has one).
    const features = m.features ?? ctx.features;
    while (v.ctrl.length > 0) {
      ir.read();
      const info = ir.info!;
      if (info.feature !== undefined && !features[info.feature]) throw new FeatureError(info.feature, info.name, ir.start);
      if ((ir.op === 0xfc0008 || ir.op === 0xfc0009) && m.dataCount === undefined) throw new DecodeError('data count section required', m.bytes.length);
      sink?.instr(ir, v);
      v.check(ir);
    }
    if (ir.pos !== f.bodyEnd) throw new DecodeError('section size mismatch', ir.pos);
    return v;
  }
  while (v.ctrl.length > 0) {
    ir.read();
    sink?.instr(ir, v);
    v.check(ir);
  }
  return v;
}
