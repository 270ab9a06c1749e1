// compileModule: validates a module and compiles every function body, in the same pass, into
// internal code (Int32Array): branch targets and stack-height adjustments resolved, i32/f32
// reinterpretations and wraps erased, f32/f64 loads and stores mapped onto their bit-moving integer twins.
import { ValidationError } from '../errors';
import type { InstrReader } from '../binary/instructions';
import { ValType, type FuncType, type Module } from '../binary/module';
import { slotWords, validateFunctionBody, type CodeSink, type FunctionValidator } from '../validate/function-body';
import { validateModule } from '../validate/validate-module';
import {
  ALU_FORMS, ALU_SET_FORMS, BRCMP_FORMS, CMP_FORMS, CMP_SET_FORMS, F64_FORMS, I64_FORMS, LOAD_FORMS, LOOP_FORMS, NEGATED, STORE_FORMS,
} from './fusion';
import { Imm } from '../binary/opcodes';
import { refOf } from '../types';
import { Op } from './ops';
import { SIMD_GLOBAL_GET, SIMD_GLOBAL_SET } from './simd';
import { typeIdOf, type CodeForm, type CompiledFunc, type CompiledModule, type EngineOptions } from './runtime';
import { EhOp, type CatchClause, type Handler } from './exceptions';
import { addr64Slot, lowerMemExt, mem64, MemExt } from './memory64';

interface Ctl {
  kind: number;
  /** The block itself is unreachable: nothing inside is emitted. */
  dead: boolean;
  /** Operand words below the block's params at entry. */
  base: number;
  /** Words a branch to this label carries (params for loop, results otherwise). */
  labelWords: number;
  loopPc: number;
  /** Code indices holding forward targets to patch at `end`. */
  patches: number[];
  elsePatch: number;
  /** Exception handling: try_table clauses that branch to this label, resolved at its `end`. */
  clausePatches?: CatchClause[];
  /** try_table / legacy try: where the guarded code starts, and the handler being built. */
  ehStart?: number;
  handler?: Handler;
  /** Legacy try: the frame slot its catches keep the caught package in (for rethrow). */
  slot?: number;
}

function words(ts: readonly ValType[]): number {
  let n = 0;
  for (const t of ts) n += slotWords(t);
  return n;
}

const LOAD_STORE: Op[] = [
  Op.I32_LOAD, Op.I64_LOAD, Op.I32_LOAD, Op.I64_LOAD, Op.I32_LOAD8_S, Op.I32_LOAD8_U, Op.I32_LOAD16_S, Op.I32_LOAD16_U,
  Op.I64_LOAD8_S, Op.I64_LOAD8_U, Op.I64_LOAD16_S, Op.I64_LOAD16_U, Op.I64_LOAD32_S, Op.I64_LOAD32_U,
  Op.I32_STORE, Op.I64_STORE, Op.I32_STORE, Op.I64_STORE, Op.I32_STORE8, Op.I32_STORE16, Op.I64_STORE8, Op.I64_STORE16,
  Op.I64_STORE32,
];

/** Compare op (plain or fused with operands) → [the base compare, its operand form]. */
const CMP_OF_FUSED = new Map<number, [Op, 'SS' | 'SC' | 'LL' | 'LC']>();
for (const [k, v] of Object.entries(CMP_FORMS)) {
  const base = Number(k) as Op;
  CMP_OF_FUSED.set(base, [base, 'SS']);
  CMP_OF_FUSED.set(v.SC, [base, 'SC']);
  CMP_OF_FUSED.set(v.LL, [base, 'LL']);
  CMP_OF_FUSED.set(v.LC, [base, 'LC']);
}

/** i32 ALU op (plain or fused) → [the base op, its operand form], for `local.set` fusion. */
const ALU_OF_FUSED = new Map<number, [Op, 'SS' | 'LL' | 'LC' | 'SC' | 'SL']>();
for (const [k, v] of Object.entries(ALU_FORMS)) {
  const base = Number(k) as Op;
  ALU_OF_FUSED.set(base, [base, 'SS']);
  ALU_OF_FUSED.set(v.LL, [base, 'LL']);
  if (v.LC !== undefined) ALU_OF_FUSED.set(v.LC, [base, 'LC']);
  if (v.SC !== undefined) ALU_OF_FUSED.set(v.SC, [base, 'SC']);
  ALU_OF_FUSED.set(v.SL, [base, 'SL']);
}

interface Emitted {
  pc: number;
  op: Op;
  offset: number;
}

class FunctionCompiler implements CodeSink {
  readonly code: number[] = [];
  readonly pcs: number[] = [];
  readonly offs: number[] = [];
  readonly ctl: Ctl[];
  private localsWords = 0;
  private started = false;
  /** Branches to the function's label from br_if/br_table: they jump to the final `return`. */
  private readonly returnPatches: number[] = [];
  /** try_table clauses that target the function's label: they continue at the final `return`. */
  private readonly returnClauses: CatchClause[] = [];
  /** Exception handlers, innermost first for any code index (each is added when its range closes). */
  readonly handlers: Handler[] = [];
  /** Legacy try blocks seen, each with its own caught-exception slot. */
  caughtSlots = 0;
  /** Instructions emitted since the last label (the peephole window; never spans a branch target). */
  private readonly tail: Emitted[] = [];
  /** The next `op` continues the one just emitted (see `op`). */
  private joinNext = false;
  /** Byte offset of the instruction being compiled. */
  private offset = 0;
  /** Fused instructions that can trap, by code index → byte offset of the memory access inside
   * them (a trap reports that instruction, not the group's first). */
  readonly trapAt = new Map<number, number>();

  constructor(readonly type: FuncType, private readonly fuse: boolean) {
    this.ctl = [{ kind: 0, dead: false, base: 0, labelWords: words(type.results), loopPc: 0, patches: [], elsePatch: -1 }];
  }

  /** Emits one internal instruction, mapped to the current byte offset. */
  private op(op: Op, ...imms: number[]): void {
    if (this.joinNext) {
      // the second half of one Wasm instruction (after Op.ADDR64 / MemExt.NarrowIndex): no stop
      // position or peephole entry of its own, so the pair steps, breaks and fuses as one
      this.joinNext = false;
      this.code.push(op, ...imms);
      return;
    }
    const pc = this.code.length;
    this.pcs.push(pc);
    this.offs.push(this.offset);
    this.tail.push({ pc, op, offset: this.offset });
    this.code.push(op, ...imms);
  }

  /** The k-th last emitted instruction (1 = last) in the peephole window. */
  private last(k: number): Emitted | undefined {
    return this.fuse ? this.tail[this.tail.length - k] : undefined;
  }

  private imm(e: Emitted, i: number): number {
    return this.code[e.pc + 1 + i]!;
  }

  /** Drops the last `n` emitted instructions; the fused one takes the first one's byte offset. */
  private rewind(n: number): void {
    const first = this.tail[this.tail.length - n]!;
    for (let i = this.tail.length - n; i < this.tail.length; i++) this.trapAt.delete(this.tail[i]!.pc);
    this.code.length = first.pc;
    this.tail.length -= n;
    this.pcs.length -= n;
    this.offs.length -= n;
    this.offset = first.offset;
  }

  /** i32 ALU and compare operations with local/constant operands. */
  private binary(base: Op): void {
    const t1 = this.last(1);
    const t2 = this.last(2);
    if (base === Op.I32_SUB && t1 !== undefined && t1.op === Op.I32_CONST) {
      // x - c is x + (-c) mod 2^32: one family of forms (and of loop tails) serves both
      this.code[t1.pc + 1] = -this.imm(t1, 0) | 0;
      base = Op.I32_ADD;
    }
    const alu = ALU_FORMS[base];
    const cmp = CMP_FORMS[base];
    const forms = alu ?? cmp;
    if (forms !== undefined && t1 !== undefined) {
      // (i32.sub has no constant forms: with a constant it became i32.add above)
      const pairForm = t1.op === Op.LOCAL_GET1 ? forms.LL : t1.op === Op.I32_CONST ? forms.LC : undefined;
      if (t2 !== undefined && t2.op === Op.LOCAL_GET1 && pairForm !== undefined) {
        const a = this.imm(t2, 0);
        const b = this.imm(t1, 0);
        this.rewind(2);
        this.op(pairForm, a, b);
        return;
      }
      if (t1.op === Op.I32_CONST && forms.SC !== undefined) {
        const c = this.imm(t1, 0);
        this.rewind(1);
        this.op(forms.SC, c);
        return;
      }
      if (alu !== undefined && t1.op === Op.LOCAL_GET1) {
        const b = this.imm(t1, 0);
        this.rewind(1);
        this.op(alu.SL, b);
        return;
      }
    }
    const i64 = I64_FORMS[base];
    if (i64 !== undefined && t1 !== undefined) {
      if (t1.op === Op.LOCAL_GET2) {
        if (t2 !== undefined && t2.op === Op.LOCAL_GET2) {
          const a = this.imm(t2, 0);
          const b = this.imm(t1, 0);
          this.rewind(2);
          this.op(i64.LL, a, b);
          return;
        }
        const b = this.imm(t1, 0);
        this.rewind(1);
        this.op(i64.SL, b);
        return;
      }
      if (t1.op === Op.I64_CONST) {
        const lo = this.imm(t1, 0);
        const hi = this.imm(t1, 1);
        this.rewind(1);
        this.op(i64.SC, lo, hi);
        return;
      }
    }
    const f64 = F64_FORMS[base];
    if (f64 !== undefined && t1 !== undefined && t1.op === Op.LOCAL_GET2) {
      if (t2 !== undefined && t2.op === Op.LOCAL_GET2) {
        const a = this.imm(t2, 0);
        const b = this.imm(t1, 0);
        this.rewind(2);
        this.op(f64.LL, a, b);
        return;
      }
      const b = this.imm(t1, 0);
      this.rewind(1);
      this.op(f64.SL, b);
      return;
    }
    this.op(base);
  }

  /** A load or store (memory 0, i32 address) whose address and value come from locals and
   * constants: one fused instruction, which traps as the memory access itself. */
  private memAccess(internal: Op, offset: number, start: number): boolean {
    const t1 = this.last(1);
    if (t1 === undefined) return false;
    let fused: number[] | undefined;
    const load = LOAD_FORMS[internal];
    if (load !== undefined) {
      if (t1.op === Op.LOCAL_GET1) fused = [load.L, this.imm(t1, 0), offset];
      else if (t1.op === Op.I32_ADD_LC) fused = [load.A, this.imm(t1, 0), this.imm(t1, 1), offset];
      if (fused !== undefined) this.rewind(1);
    }
    const store = STORE_FORMS[internal];
    if (store !== undefined && (t1.op === Op.LOCAL_GET1 || t1.op === Op.I32_CONST)) {
      const value = this.imm(t1, 0);
      const v = t1.op === Op.LOCAL_GET1 ? 'L' : 'C';
      const t2 = this.last(2);
      if (t2 !== undefined && t2.op === Op.LOCAL_GET1) {
        fused = [store[`L${v}`], this.imm(t2, 0), value, offset];
        this.rewind(2);
      } else if (t2 !== undefined && t2.op === Op.I32_ADD_LC) {
        fused = [store[`A${v}`], this.imm(t2, 0), this.imm(t2, 1), value, offset];
        this.rewind(2);
      } else {
        fused = [store[`S${v}`], value, offset];
        this.rewind(1);
      }
    }
    if (fused === undefined) return false;
    this.op(...(fused as [Op, ...number[]]));
    this.trapAt.set(this.tail[this.tail.length - 1]!.pc, start);
    return true;
  }

  /** `local.set`/`local.tee` of an i32 straight after an ALU op: the op writes the local itself
   * (a tee then re-reads it, which later instructions may fuse again). */
  private setFused(local: number, tee: boolean, teeOffset: number): boolean {
    const t1 = this.last(1);
    if (t1 === undefined) return false;
    const simple = t1.op === Op.I32_CONST ? Op.LOCAL_SET1_C : t1.op === Op.LOCAL_GET1 ? Op.LOCAL_COPY1
      : t1.op === Op.I32_LOAD_L ? Op.I32_LOAD_L_SET : undefined;
    if (simple !== undefined) {
      const imms = t1.op === Op.I32_LOAD_L ? [this.imm(t1, 0), this.imm(t1, 1)] : [this.imm(t1, 0)];
      const trapAt = this.trapAt.get(t1.pc);
      this.rewind(1);
      this.op(simple, local, ...imms);
      if (trapAt !== undefined) this.trapAt.set(this.tail[this.tail.length - 1]!.pc, trapAt);
      if (tee) {
        this.offset = teeOffset;
        this.op(Op.LOCAL_GET1, local);
      }
      return true;
    }
    const cmp = CMP_OF_FUSED.get(t1.op);
    if (cmp !== undefined && cmp[1] === 'LC') {
      const imms = [this.imm(t1, 0), this.imm(t1, 1)];
      this.rewind(1);
      this.op(CMP_SET_FORMS[cmp[0]]!.LC, local, ...imms);
      if (tee) {
        this.offset = teeOffset;
        this.op(Op.LOCAL_GET1, local);
      }
      return true;
    }
    const found = ALU_OF_FUSED.get(t1.op);
    if (found === undefined) return false;
    const [base, form] = found;
    const fused = ALU_SET_FORMS[base]![form];
    if (fused === undefined) return false;
    const imms = form === 'SS' ? [] : form === 'SC' || form === 'SL' ? [this.imm(t1, 0)] : [this.imm(t1, 0), this.imm(t1, 1)];
    this.rewind(1);
    this.op(fused, local, ...imms);
    if (tee) {
      this.offset = teeOffset;
      this.op(Op.LOCAL_GET1, local);
    }
    return true;
  }

  /** A conditional forward/backward branch with no stack adjustment: `negate` for `if` (jump when
   * the condition is false). Returns the code index of the target immediate. */
  private condBranch(negate: boolean): number {
    const t1 = this.last(1);
    if (t1 !== undefined) {
      const base = t1.op;
      const found = CMP_OF_FUSED.get(base);
      if (found !== undefined) {
        const [cmpOp, form] = found;
        const t2 = this.last(2);
        if (form === 'LC' && t2 !== undefined && (t2.op === Op.I32_ADD_LL_SET || t2.op === Op.I32_ADD_LC_SET) && this.imm(t2, 0) === this.imm(t1, 0)) {
          // x = a + b; br_if (x <cmp> N): the loop tail in one instruction
          const imms = [this.imm(t2, 0), this.imm(t2, 1), this.imm(t2, 2), this.imm(t1, 1)];
          const tailForm = t2.op === Op.I32_ADD_LL_SET ? 'LL' : 'LC';
          this.rewind(2);
          this.op(LOOP_FORMS[negate ? NEGATED[cmpOp]! : cmpOp]![tailForm], ...imms, 0);
          return this.code.length - 1;
        }
        const imms = form === 'SS' ? [] : form === 'SC' ? [this.imm(t1, 0)] : [this.imm(t1, 0), this.imm(t1, 1)];
        this.rewind(1);
        const c = negate ? NEGATED[cmpOp]! : cmpOp;
        this.op(BRCMP_FORMS[c]![form], ...imms, 0);
        return this.code.length - 1;
      }
      if (base === Op.I32_EQZ) {
        const t2 = this.last(2);
        if (t2 !== undefined && t2.op === Op.LOCAL_GET1) {
          // local.get; i32.eqz; br_if: branch on the local being zero
          const l = this.imm(t2, 0);
          this.rewind(2);
          this.op(negate ? Op.BRIF_L : Op.BRIFNOT_L, l, 0);
          return this.code.length - 1;
        }
        this.rewind(1);
        this.op(negate ? Op.BR_IF : Op.BRIF_EQZ, 0);
        return this.code.length - 1;
      }
      if (base === Op.LOCAL_GET1) {
        const l = this.imm(t1, 0);
        const t2 = this.last(2);
        if (!negate && t2 !== undefined && (t2.op === Op.I32_ADD_LL_SET || t2.op === Op.I32_ADD_LC_SET) && this.imm(t2, 0) === l) {
          // x = a + b; br_if x (a count-down loop's `local.tee; br_if`)
          const imms = [l, this.imm(t2, 1), this.imm(t2, 2)];
          const tailForm = t2.op === Op.I32_ADD_LL_SET ? 'LL' : 'LC';
          this.rewind(2);
          this.op(LOOP_FORMS.BRNZ[tailForm], ...imms, 0);
          return this.code.length - 1;
        }
        this.rewind(1);
        this.op(negate ? Op.BRIFNOT_L : Op.BRIF_L, l, 0);
        return this.code.length - 1;
      }
    }
    this.op(negate ? Op.BR_UNLESS : Op.BR_IF, 0);
    return this.code.length - 1;
  }

  /** A `return` (not a branch target: the function's closing one is emitted by `end`): one
   * instruction with the `local.get` before it when it returns one one-word local (a leaf's
   * `local.get x; return`). */
  private emitReturn(words: number): void {
    const t1 = this.last(1);
    if (words === 2 && t1 !== undefined && t1.op === Op.LOCAL_GET1) {
      const l = this.imm(t1, 0);
      this.rewind(1);
      this.op(Op.RETURN_L1, l, words);
      return;
    }
    this.op(Op.RETURN, words);
  }

  /** Emits a branch to label `depth` with `h` operand words on the stack (condition already popped). */
  private branch(kind: 'br' | 'br_if', depth: number, h: number): void {
    const target = this.ctl[this.ctl.length - 1 - depth];
    if (target === undefined) return; // the validator reports the unknown label
    const n = target.labelWords;
    if (target.kind === 0) {
      if (kind === 'br') this.emitReturn(n);
      else {
        // br_if to the function label: branch to a shared `return` stub emitted after the body.
        this.returnPatches.push(this.condBranch(false));
      }
      return;
    }
    const move = h - n !== target.base;
    const isLoop = target.kind === 0x03;
    let at: number;
    if (move) {
      this.op(kind === 'br' ? Op.BR_MOVE : Op.BR_IF_MOVE, 0, this.localsWords + target.base, n);
      at = this.code.length - 3;
    } else if (kind === 'br') {
      this.op(isLoop ? Op.BR_LOOP : Op.BR, 0);
      at = this.code.length - 1;
    } else if (isLoop && !this.fuse) {
      this.op(Op.BR_IF_LOOP, 0);
      at = this.code.length - 1;
    } else {
      at = this.condBranch(false);
      // A plain BR_IF does not spend fuel: loops need the LOOP variant.
      if (isLoop && this.code[at - 1] === Op.BR_IF && this.tail[this.tail.length - 1]!.pc === at - 1) this.code[at - 1] = Op.BR_IF_LOOP;
    }
    if (isLoop) this.code[at] = target.loopPc;
    else target.patches.push(at);
  }

  /** A 0xFB instruction: Op.GC, the sub-opcode, then canonical type ids and indices (gc.ts). */
  private gc(ir: InstrReader, v: FunctionValidator): void {
    const sub = ir.op & 0xffff;
    const id = (i: number): number => v.ctx.canon[i]!;
    switch (ir.info!.imm) {
      case Imm.TypeIdx: this.op(Op.GC, sub, id(ir.a)); break;
      case Imm.TypeField:
        this.op(Op.GC, sub, id(ir.a), sub === 17 ? id(ir.b) : ir.b);
        break;
      case Imm.HeapType: this.op(Op.GC, sub, refOf(sub === 21 || sub === 23, v.canonHeap(ir.a))); break;
      default: this.op(Op.GC, sub); break;
    }
  }

  /** A 0xFD instruction: Op.SIMD, the sub-opcode, then its immediates (v128 bytes as 4 words). */
  private simd(ir: InstrReader): void {
    const sub = ir.op & 0xffff;
    switch (ir.info!.imm) {
      case Imm.MemArg: this.op(Op.SIMD, sub, ir.b | 0); break;
      case Imm.MemArgLane: this.op(Op.SIMD, sub, ir.b | 0, ir.lo); break;
      case Imm.Lane: this.op(Op.SIMD, sub, ir.a); break;
      case Imm.V128: case Imm.Shuffle: {
        const b = ir.bytes16;
        const w = [0, 0, 0, 0];
        for (let i = 0; i < 4; i++) w[i] = b[i * 4]! | (b[i * 4 + 1]! << 8) | (b[i * 4 + 2]! << 16) | (b[i * 4 + 3]! << 24);
        this.op(Op.SIMD, sub, ...w);
        break;
      }
      default: this.op(Op.SIMD, sub);
    }
  }

  /** try_table, and the legacy try / catch / catch_all / delegate: control structure plus the
   * handler table entry (code ranges and catch targets) the machine searches when something throws. */
  private tryBlock(ir: InstrReader, v: FunctionValidator, dead: boolean): void {
    const code = this.code;
    const op = ir.op;
    this.tail.length = 0;
    if (op === 0x1f || op === 0x06) {
      const bt = v.blockType(ir.a);
      const pw = words(bt.params);
      const c: Ctl = {
        kind: op, dead, base: v.wordHeight - pw, labelWords: words(bt.results), loopPc: code.length, patches: [], elsePatch: -1,
        ehStart: code.length,
      };
      if (op === 0x06) c.slot = this.caughtSlots++;
      if (op === 0x1f && !dead) {
        const h: Handler = { start: code.length, end: code.length, depth: this.ctl.length, delegate: -1, clauses: [] };
        const list = ir.list;
        for (let i = 0; i < list.length; i += 3) {
          const kind = list[i]!;
          const target = this.ctl[this.ctl.length - 1 - list[i + 2]!];
          if (target === undefined) return; // the validator reports the unknown label
          const cl: CatchClause = { tag: kind < 2 ? list[i + 1]! : -1, ref: kind === 1 || kind === 3, target: 0, base: target.base, slot: -1 };
          if (target.kind === 0) this.returnClauses.push(cl);
          else if (target.kind === 0x03) cl.target = target.loopPc;
          else (target.clausePatches ??= []).push(cl);
          h.clauses.push(cl);
        }
        c.handler = h;
      }
      this.ctl.push(c);
      return;
    }
    const c = this.ctl[this.ctl.length - 1]!;
    if (op === 0x18) {
      // delegate: the try's body forwards exceptions to the label it names (counted from outside the try).
      this.ctl.pop();
      if (c.dead) return;
      const targetDepth = this.ctl.length - 1 - ir.a;
      this.handlers.push({ start: c.ehStart ?? code.length, end: code.length, depth: this.ctl.length, delegate: Math.max(0, targetDepth), clauses: [] });
      for (const p of c.patches) code[p] = code.length;
      return;
    }
    // catch x / catch_all: closes the try body (or the previous catch) and starts a handler body.
    if (c.dead) {
      c.kind = op;
      return;
    }
    if (c.handler === undefined) {
      c.handler = { start: c.ehStart ?? code.length, end: code.length, depth: this.ctl.length - 1, delegate: -1, clauses: [] };
      this.handlers.push(c.handler);
    }
    if (!v.top.unreachable) {
      this.op(Op.BR, 0);
      c.patches.push(code.length - 1);
      this.tail.length = 0;
    }
    c.handler.clauses.push({ tag: op === 0x07 ? ir.a : -1, ref: false, target: code.length, base: c.base, slot: c.slot ?? -1 });
    c.kind = op;
  }

  instr(ir: InstrReader, v: FunctionValidator): void {
    if (!this.started) {
      this.started = true;
      this.localsWords = v.localsSize;
    }
    const op = ir.op;
    const dead = v.top.unreachable || this.ctl[this.ctl.length - 1]!.dead;
    const code = this.code;
    this.offset = ir.start;
    switch (op) {
      case 0x02: case 0x03: case 0x04: {
        const bt = v.blockType(ir.a);
        const pw = words(bt.params);
        const h = v.wordHeight - (op === 0x04 ? 2 : 0);
        const c: Ctl = {
          kind: op, dead, base: h - pw, labelWords: op === 0x03 ? pw : words(bt.results), loopPc: code.length,
          patches: [], elsePatch: -1,
        };
        if (!dead && op === 0x04) c.elsePatch = this.condBranch(true);
        this.ctl.push(c);
        this.tail.length = 0;
        return;
      }
      case 0x05: {
        const c = this.ctl[this.ctl.length - 1]!;
        if (c.dead) return;
        if (!v.top.unreachable) {
          this.op(Op.BR, 0);
          c.patches.push(code.length - 1);
        }
        code[c.elsePatch] = code.length;
        c.elsePatch = -1;
        this.tail.length = 0;
        return;
      }
      case 0x0b: {
        const c = this.ctl.pop()!;
        this.tail.length = 0;
        if (c.kind === 0) {
          if (!v.top.unreachable || this.returnPatches.length > 0 || this.returnClauses.length > 0) {
            for (const p of this.returnPatches) code[p] = code.length;
            for (const cl of this.returnClauses) cl.target = code.length;
            this.op(Op.RETURN, c.labelWords);
          }
          return;
        }
        if (c.dead) return;
        if (c.elsePatch >= 0) code[c.elsePatch] = code.length;
        for (const p of c.patches) code[p] = code.length;
        if (c.clausePatches !== undefined) for (const cl of c.clausePatches) cl.target = code.length;
        if (c.kind === 0x1f && c.handler !== undefined) {
          c.handler.end = code.length;
          this.handlers.push(c.handler);
        }
        return;
      }
      case 0x1f: case 0x06: case 0x07: case 0x19: case 0x18:
        this.tryBlock(ir, v, dead);
        return;
    }
    if (dead) return;
    const narrow = addr64Slot(ir, v.ctx);
    if (narrow !== 0) {
      // A scalar load/store on an i64 memory 0: check the address's high half, then the i32 op.
      this.op(Op.ADDR64, narrow);
      this.joinNext = true;
    } else {
      const ext = lowerMemExt(ir, v.ctx, v.funcIndex);
      if (ext !== null) {
        // Another memory, an i64 memory or a table64: memory64.ts runs it (call_indirect only has
        // its i64 index narrowed there, then calls as usual).
        this.op(Op.MEM_EXT, ...ext);
        if (ext[0] !== MemExt.NarrowIndex) return;
        this.joinNext = true;
      }
    }
    const h = v.wordHeight;
    if (op >= 0x45 && op <= 0xc4) {
      // i32.wrap_i64 and the reinterpretations only relabel the bits already in the slot.
      if (op === 0xa7 || (op >= 0xbc && op <= 0xbf)) return;
      this.binary(Op.I32_EQZ + (op - 0x45));
      return;
    }
    if (op >= 0x28 && op <= 0x3e) {
      const internal = LOAD_STORE[op - 0x28]!;
      if (this.memAccess(internal, ir.b | 0, ir.start)) return;
      this.op(internal, ir.b | 0);
      return;
    }
    if (op >= 0xfe0000) {
      // [sub-opcode, offset lo, offset hi, memory, i64 address (0/1)]: any memory, i32 or i64 addresses.
      this.op(Op.ATOMIC, op & 0xffff, ir.b | 0, ir.offHi | 0, ir.mem, mem64(v.ctx, ir.mem));
      return;
    }
    if (op >= 0xfd0000) {
      this.simd(ir);
      return;
    }
    if (op >>> 16 === 0xfb && op !== 0xfb0018 && op !== 0xfb0019) {
      this.gc(ir, v);
      return;
    }
    if (op >= 0xfc0000 && op <= 0xfc0007) {
      this.op(Op.I32_TRUNC_SAT_F32_S + (op - 0xfc0000));
      return;
    }
    switch (op) {
      case 0x00: this.op(Op.UNREACHABLE); break;
      case 0x01: this.op(Op.NOP); break;
      case 0x0c: this.branch('br', ir.a, h); break;
      case 0x0d: this.branch('br_if', ir.a, h - 2); break;
      case 0x0e: {
        const list = ir.list;
        const hh = h - 2;
        for (const depth of list) if (this.ctl[this.ctl.length - 1 - depth] === undefined) return; // unknown label
        this.op(Op.BR_TABLE, list.length - 1);
        for (const depth of list) {
          const t = this.ctl[this.ctl.length - 1 - depth]!;
          const n = t.labelWords;
          if (t.kind === 0) {
            code.push(0, -1, n);
            this.returnPatches.push(code.length - 3);
            continue;
          }
          const move = hh - n !== t.base;
          code.push(t.kind === 0x03 ? t.loopPc : 0, move ? this.localsWords + t.base : -1, n);
          if (t.kind !== 0x03) t.patches.push(code.length - 3);
        }
        break;
      }
      case 0x0f: this.emitReturn(this.ctl[0]!.labelWords); break;
      case 0x10: this.op(Op.CALL, ir.a); break;
      case 0x11: this.op(Op.CALL_INDIRECT, ir.a, ir.b); break;
      case 0x12: this.op(Op.RETURN_CALL, ir.a, this.ctl[0]!.labelWords); break;
      case 0x13: this.op(Op.RETURN_CALL_INDIRECT, ir.a, ir.b, this.ctl[0]!.labelWords); break;
      case 0x1a: this.op(Op.DROP, slotWords(v.vals[v.vals.length - 1]!)); break;
      case 0x1b: case 0x1c: {
        const t = v.vals[v.vals.length - 2];
        this.op(t === ValType.v128 ? Op.SELECT4 : Op.SELECT);
        break;
      }
      case 0x20: case 0x21: case 0x22: {
        const t = v.localType(ir.a);
        const w = slotWords(t) === 4 ? 2 : t === ValType.i64 || t === ValType.f64 ? 1 : 0;
        if (op !== 0x20 && t === ValType.i32 && this.setFused(v.localWords[ir.a]!, op === 0x22, ir.start)) break;
        const base = op === 0x20 ? Op.LOCAL_GET1 : op === 0x21 ? Op.LOCAL_SET1 : Op.LOCAL_TEE1;
        this.op(base + w, v.localWords[ir.a]!);
        break;
      }
      case 0x23: case 0x24:
        // v128 globals are 4 words: their moves live with the other SIMD code.
        if (v.ctx.globals[ir.a]?.type === ValType.v128) this.op(Op.SIMD, op === 0x23 ? SIMD_GLOBAL_GET : SIMD_GLOBAL_SET, ir.a);
        else this.op(op === 0x23 ? Op.GLOBAL_GET : Op.GLOBAL_SET, ir.a);
        break;
      case 0x25: this.op(Op.TABLE_GET, ir.a); break;
      case 0x26: this.op(Op.TABLE_SET, ir.a); break;
      case 0x3f: this.op(Op.MEMORY_SIZE); break;
      case 0x40: this.op(Op.MEMORY_GROW); break;
      case 0x41: case 0x43: this.op(Op.I32_CONST, ir.a); break;
      case 0x42: case 0x44: this.op(Op.I64_CONST, ir.lo, ir.hi); break;
      case 0xd0: this.op(Op.REF_NULL); break;
      case 0xd1: this.op(Op.REF_IS_NULL); break;
      case 0xd2: this.op(Op.REF_FUNC, ir.a); break;
      case 0xfb0018: case 0xfb0019: {
        // br_on_cast(_fail): GC pushes whether to branch (the ref stays), then an ordinary br_if.
        this.op(Op.GC, op & 0xffff, 0, v.canonVal(ir.hi));
        this.branch('br_if', ir.a, h);
        break;
      }
      case 0x14: this.op(Op.CALL_REF); break;
      case 0x15: this.op(Op.RETURN_CALL_REF, this.ctl[0]!.labelWords); break;
      case 0xd3: this.op(Op.REF_EQ); break;
      case 0xd4: this.op(Op.REF_AS_NON_NULL); break;
      // The PRE op leaves a condition over the stack as the branch, if taken, needs it (the null
      // dropped for br_on_null, the ref kept for br_on_non_null); then an ordinary br_if.
      case 0xd5: this.op(Op.BR_ON_NULL_PRE); this.branch('br_if', ir.a, h - 2); break;
      case 0xd6: this.op(Op.BR_ON_NON_NULL_PRE); this.branch('br_if', ir.a, h); break;
      case 0x08: this.op(Op.EH, EhOp.Throw, ir.a); break;
      case 0x0a: this.op(Op.EH, EhOp.ThrowRef); break;
      case 0x09: this.op(Op.EH, EhOp.Rethrow, this.ctl[this.ctl.length - 1 - ir.a]?.slot ?? 0); break;
      case 0xfc0008: this.op(Op.MEMORY_INIT, ir.a); break;
      case 0xfc0009: this.op(Op.DATA_DROP, ir.a); break;
      case 0xfc000a: this.op(Op.MEMORY_COPY); break;
      case 0xfc000b: this.op(Op.MEMORY_FILL); break;
      case 0xfc000c: this.op(Op.TABLE_INIT, ir.a, ir.b); break;
      case 0xfc000d: this.op(Op.ELEM_DROP, ir.a); break;
      case 0xfc000e: this.op(Op.TABLE_COPY, ir.a, ir.b); break;
      case 0xfc000f: this.op(Op.TABLE_GROW, ir.a); break;
      case 0xfc0010: this.op(Op.TABLE_SIZE, ir.a); break;
      case 0xfc0011: this.op(Op.TABLE_FILL, ir.a); break;
      default:
        throw new ValidationError(`unsupported instruction ${ir.info?.name ?? op.toString(16)}`, ir.start, v.funcIndex);
    }
  }
}

function compactOffsets(offs: number[], base: number): Uint16Array | Int32Array {
  const last = offs.length > 0 ? offs[offs.length - 1]! - base : 0;
  const out = last < 65536 ? new Uint16Array(offs.length) : new Int32Array(offs.length);
  for (let i = 0; i < offs.length; i++) out[i] = offs[i]! - base;
  return out;
}

/** Validates `module` (ValidationError) and prepares its functions. Unless `lazy` is false, each
 * body is compiled on its first call (`ensureCompiled`): validation stays eager, so an invalid
 * module still fails here, but a 30 MB program starts without compiling code it never runs. */
export function compileModule(module: Module, options: EngineOptions = {}): CompiledModule {
  const fuse = options.fuse !== false;
  if (options.lazy === false) return compileEagerly(module, options, fuse);
  const funcs: CompiledFunc[] = [];
  const ctx = validateModule(module, undefined, (fi, v) => {
    funcs.push({
      funcIndex: fi,
      type: v.type,
      code: LAZY_CODE,
      paramWords: words(v.type.params),
      localsWords: v.localsSize,
      frameWords: v.localsSize + v.maxWords + 8,
      resultWords: words(v.type.results),
      // set by ensureCompiled: two arrays per function, of every local, were a third of the heap
      // of a 30 MB program before its first instruction
      localTypes: NO_LOCALS,
      localOffsets: NO_LOCALS,
      pcs: LAZY_MAP,
      offsets: LAZY_MAP,
      offsetBase: module.funcs[fi - module.importedFuncs]!.bodyStart,
      trapOffsets: NO_TRAP_OFFSETS,
      patched: NO_PATCHES,
      handlers: NO_HANDLERS,
      caughtSlots: 0,
      lazy: null,
      fused: false,
      plain: null,
      source: null,
    });
  }, options.features);
  const compiled: CompiledModule = { module, ctx, funcs, typeIds: ctx.types.map(typeIdOf), options };
  for (const f of funcs) f.lazy = f.source = compiled;
  return compiled;
}

/** What a not-yet-compiled function runs: one COMPILE, which compiles it and re-dispatches. Shared
 * by every stub, so nothing may patch a stub (`ensureCompiled` first). */
const LAZY_CODE = Int32Array.of(Op.COMPILE);
const LAZY_MAP = Uint16Array.of(0);
const NO_TRAP_OFFSETS: ReadonlyMap<number, number> = new Map();
const NO_PATCHES = new Map<number, { op: number; users: number }>();
const NO_HANDLERS: readonly Handler[] = [];
const NO_LOCALS: never[] = [];

/** Compiles a lazy function's body in place (the same object, so breakpoints keyed by it and
 * every instance sharing it see the code). A no-op once compiled. */
export function ensureCompiled(c: CompiledFunc): void {
  const from = c.lazy;
  if (from === null) return;
  const fc = new FunctionCompiler(c.type, from.options.fuse !== false);
  const v = validateFunctionBody(from.ctx, c.funcIndex, fc);
  c.localTypes = v.locals;
  c.localOffsets = v.localWords;
  c.code = Int32Array.from(fc.code);
  c.pcs = fc.code.length < 65536 ? Uint16Array.from(fc.pcs) : Int32Array.from(fc.pcs);
  c.offsets = compactOffsets(fc.offs, c.offsetBase);
  c.trapOffsets = fc.trapAt;
  c.patched = new Map();
  c.handlers = fc.handlers;
  c.caughtSlots = fc.caughtSlots;
  c.fused = from.options.fuse !== false;
  c.lazy = null;
}

/** The function's body compiled without fusion (every Wasm instruction its own stop position),
 * for a debugger that needs it (forms.ts); the function itself is left as it is. */
export function compileUnfused(c: CompiledFunc): CodeForm {
  const from = c.source;
  if (from === null) throw new Error(`internal error: function ${c.funcIndex} has no module to compile from`);
  const fc = new FunctionCompiler(c.type, false);
  validateFunctionBody(from.ctx, c.funcIndex, fc);
  return {
    code: Int32Array.from(fc.code),
    offsetBase: c.offsetBase,
    pcs: fc.code.length < 65536 ? Uint16Array.from(fc.pcs) : Int32Array.from(fc.pcs),
    offsets: compactOffsets(fc.offs, c.offsetBase),
    trapOffsets: fc.trapAt,
    handlers: fc.handlers,
    caughtSlots: fc.caughtSlots,
  };
}

/** Validates and compiles every body up front (`lazy: false`), in the same pass. */
function compileEagerly(module: Module, options: EngineOptions, fuse: boolean): CompiledModule {
  const compilers = new Map<number, FunctionCompiler>();
  const funcs: CompiledFunc[] = [];
  const ctx = validateModule(
    module,
    (fi) => {
      const f = module.funcs[fi - module.importedFuncs]!;
      const c = new FunctionCompiler(module.types[f.typeIndex] ?? { params: [], results: [] }, fuse);
      compilers.set(fi, c);
      return c;
    },
    (fi, v) => {
      const c = compilers.get(fi)!;
      compilers.delete(fi);
      const base = module.funcs[fi - module.importedFuncs]!.bodyStart;
      funcs.push({
        funcIndex: fi,
        type: v.type,
        code: Int32Array.from(c.code),
        paramWords: words(v.type.params),
        localsWords: v.localsSize,
        frameWords: v.localsSize + v.maxWords + 8,
        resultWords: words(v.type.results),
        localTypes: v.locals,
        localOffsets: v.localWords,
        pcs: c.code.length < 65536 ? Uint16Array.from(c.pcs) : Int32Array.from(c.pcs),
        offsets: compactOffsets(c.offs, base),
        offsetBase: base,
        trapOffsets: c.trapAt,
        patched: new Map(),
        handlers: c.handlers,
        caughtSlots: c.caughtSlots,
        lazy: null,
        fused: fuse,
        plain: null,
        source: null,
      });
    },
    options.features,
  );
  const compiled: CompiledModule = { module, ctx, funcs, typeIds: ctx.types.map(typeIdOf), options };
  for (const f of funcs) f.source = compiled;
  return compiled;
}
