// compileModule: validates a module and compiles every function body, in the same pass, into
// internal code (Int32Array): branch targets and stack-height adjustments resolved, i32/f32
// reinterpretations and wraps erased, f32/f64 loads and stores mapped onto their bit-moving integer twins.
import { ValidationError } from '../errors';
import type { InstrReader } from '../binary/instructions';
import { ValType, type FuncType, type Module } from '../binary/module';
import { slotWords, type CodeSink, type FunctionValidator } from '../validate/function-body';
import { validateModule } from '../validate/validate-module';
import { Op } from './ops';
import { typeIdOf, type CompiledFunc, type CompiledModule, type EngineOptions } from './runtime';

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

class FunctionCompiler implements CodeSink {
  readonly code: number[] = [];
  readonly pcs: number[] = [];
  readonly offs: number[] = [];
  readonly ctl: Ctl[];
  private localsWords = 0;
  private started = false;
  /** Branches to the function's label from br_if/br_table: they jump to the final `return`. */
  private readonly returnPatches: number[] = [];

  constructor(readonly type: FuncType) {
    this.ctl = [{ kind: 0, dead: false, base: 0, labelWords: words(type.results), loopPc: 0, patches: [], elsePatch: -1 }];
  }

  private emit(...xs: number[]): void {
    for (const x of xs) this.code.push(x);
  }

  private mark(offset: number): void {
    this.pcs.push(this.code.length);
    this.offs.push(offset);
  }

  /** Emits a branch to label `depth` with `h` operand words on the stack (condition already popped). */
  private branch(kind: 'br' | 'br_if', depth: number, h: number): void {
    const target = this.ctl[this.ctl.length - 1 - depth];
    if (target === undefined) return; // the validator reports the unknown label
    const n = target.labelWords;
    if (target.kind === 0) {
      if (kind === 'br') this.emit(Op.RETURN, n);
      else {
        // br_if to the function label: branch to a shared `return` stub emitted after the body.
        this.emit(Op.BR_IF, 0);
        this.returnPatches.push(this.code.length - 1);
      }
      return;
    }
    const move = h - n !== target.base;
    const isLoop = target.kind === 0x03;
    if (move) this.emit(kind === 'br' ? Op.BR_MOVE : Op.BR_IF_MOVE, 0, this.localsWords + target.base, n);
    else this.emit(kind === 'br' ? (isLoop ? Op.BR_LOOP : Op.BR) : (isLoop ? Op.BR_IF_LOOP : Op.BR_IF), 0);
    const at = move ? this.code.length - 3 : this.code.length - 1;
    if (isLoop) this.code[at] = target.loopPc;
    else target.patches.push(at);
  }

  instr(ir: InstrReader, v: FunctionValidator): void {
    if (!this.started) {
      this.started = true;
      this.localsWords = v.localsSize;
    }
    const op = ir.op;
    const dead = v.top.unreachable || this.ctl[this.ctl.length - 1]!.dead;
    const code = this.code;
    switch (op) {
      case 0x02: case 0x03: case 0x04: {
        const bt = v.blockType(ir.a);
        const pw = words(bt.params);
        const h = v.wordHeight - (op === 0x04 ? 2 : 0);
        const c: Ctl = {
          kind: op, dead, base: h - pw, labelWords: op === 0x03 ? pw : words(bt.results), loopPc: code.length,
          patches: [], elsePatch: -1,
        };
        if (!dead && op === 0x04) {
          this.mark(ir.start);
          this.emit(Op.BR_UNLESS, 0);
          c.elsePatch = code.length - 1;
        }
        this.ctl.push(c);
        return;
      }
      case 0x05: {
        const c = this.ctl[this.ctl.length - 1]!;
        if (c.dead) return;
        if (!v.top.unreachable) {
          this.mark(ir.start);
          this.emit(Op.BR, 0);
          c.patches.push(code.length - 1);
        }
        code[c.elsePatch] = code.length;
        c.elsePatch = -1;
        return;
      }
      case 0x0b: {
        const c = this.ctl.pop()!;
        if (c.kind === 0) {
          if (!v.top.unreachable || this.returnPatches.length > 0) {
            this.mark(ir.start);
            for (const p of this.returnPatches) code[p] = code.length;
            this.emit(Op.RETURN, c.labelWords);
          }
          return;
        }
        if (c.dead) return;
        if (c.elsePatch >= 0) code[c.elsePatch] = code.length;
        for (const p of c.patches) code[p] = code.length;
        return;
      }
    }
    if (dead) return;
    this.mark(ir.start);
    const h = v.wordHeight;
    if (op >= 0x45 && op <= 0xc4) {
      // i32.wrap_i64 and the reinterpretations only relabel the bits already in the slot.
      if (op === 0xa7 || (op >= 0xbc && op <= 0xbf)) {
        this.pcs.pop();
        this.offs.pop();
        return;
      }
      this.emit(Op.I32_EQZ + (op - 0x45));
      return;
    }
    if (op >= 0x28 && op <= 0x3e) {
      this.emit(LOAD_STORE[op - 0x28]!, ir.b | 0);
      return;
    }
    if (op >= 0xfc0000 && op <= 0xfc0007) {
      this.emit(Op.I32_TRUNC_SAT_F32_S + (op - 0xfc0000));
      return;
    }
    switch (op) {
      case 0x00: this.emit(Op.UNREACHABLE); break;
      case 0x01: this.emit(Op.NOP); break;
      case 0x0c: this.branch('br', ir.a, h); break;
      case 0x0d: this.branch('br_if', ir.a, h - 2); break;
      case 0x0e: {
        const list = ir.list;
        const hh = h - 2;
        this.emit(Op.BR_TABLE, list.length - 1);
        for (const depth of list) {
          const t = this.ctl[this.ctl.length - 1 - depth];
          if (t === undefined) return; // the validator reports the unknown label
          const n = t.labelWords;
          if (t.kind === 0) {
            this.emit(0, -1, n);
            this.returnPatches.push(code.length - 3);
            continue;
          }
          const move = hh - n !== t.base;
          this.emit(t.kind === 0x03 ? t.loopPc : 0, move ? this.localsWords + t.base : -1, n);
          if (t.kind !== 0x03) t.patches.push(code.length - 3);
        }
        break;
      }
      case 0x0f: this.emit(Op.RETURN, this.ctl[0]!.labelWords); break;
      case 0x10: this.emit(Op.CALL, ir.a); break;
      case 0x11: this.emit(Op.CALL_INDIRECT, ir.a, ir.b); break;
      case 0x1a: this.emit(Op.DROP, slotWords(v.vals[v.vals.length - 1]!)); break;
      case 0x1b: case 0x1c: {
        const t = v.vals[v.vals.length - 2];
        this.emit(t === ValType.v128 ? Op.SELECT4 : Op.SELECT);
        break;
      }
      case 0x20: case 0x21: case 0x22: {
        const t = v.localType(ir.a);
        const w = slotWords(t) === 4 ? 2 : t === ValType.i64 || t === ValType.f64 ? 1 : 0;
        const base = op === 0x20 ? Op.LOCAL_GET1 : op === 0x21 ? Op.LOCAL_SET1 : Op.LOCAL_TEE1;
        this.emit(base + w, v.localWords[ir.a]!);
        break;
      }
      case 0x23: this.emit(Op.GLOBAL_GET, ir.a); break;
      case 0x24: this.emit(Op.GLOBAL_SET, ir.a); break;
      case 0x25: this.emit(Op.TABLE_GET, ir.a); break;
      case 0x26: this.emit(Op.TABLE_SET, ir.a); break;
      case 0x3f: this.emit(Op.MEMORY_SIZE); break;
      case 0x40: this.emit(Op.MEMORY_GROW); break;
      case 0x41: case 0x43: this.emit(Op.I32_CONST, ir.a); break;
      case 0x42: case 0x44: this.emit(Op.I64_CONST, ir.lo, ir.hi); break;
      case 0xd0: this.emit(Op.REF_NULL); break;
      case 0xd1: this.emit(Op.REF_IS_NULL); break;
      case 0xd2: this.emit(Op.REF_FUNC, ir.a); break;
      case 0xfc0008: this.emit(Op.MEMORY_INIT, ir.a); break;
      case 0xfc0009: this.emit(Op.DATA_DROP, ir.a); break;
      case 0xfc000a: this.emit(Op.MEMORY_COPY); break;
      case 0xfc000b: this.emit(Op.MEMORY_FILL); break;
      case 0xfc000c: this.emit(Op.TABLE_INIT, ir.a, ir.b); break;
      case 0xfc000d: this.emit(Op.ELEM_DROP, ir.a); break;
      case 0xfc000e: this.emit(Op.TABLE_COPY, ir.a, ir.b); break;
      case 0xfc000f: this.emit(Op.TABLE_GROW, ir.a); break;
      case 0xfc0010: this.emit(Op.TABLE_SIZE, ir.a); break;
      case 0xfc0011: this.emit(Op.TABLE_FILL, ir.a); break;
      default:
        throw new ValidationError(`unsupported instruction ${ir.info?.name ?? op.toString(16)}`, ir.start, v.funcIndex);
    }
  }
}

/** Validates `module` (ValidationError) and compiles all its functions. */
export function compileModule(module: Module, options: EngineOptions = {}): CompiledModule {
  const compilers = new Map<number, FunctionCompiler>();
  const funcs: CompiledFunc[] = [];
  const ctx = validateModule(
    module,
    (fi) => {
      const f = module.funcs[fi - module.importedFuncs]!;
      const c = new FunctionCompiler(module.types[f.typeIndex] ?? { params: [], results: [] });
      compilers.set(fi, c);
      return c;
    },
    (fi, v) => {
      const c = compilers.get(fi)!;
      compilers.delete(fi);
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
        pcs: Int32Array.from(c.pcs),
        offsets: Int32Array.from(c.offs),
        patched: new Map(),
      });
    },
  );
  return { module, ctx, funcs, typeIds: module.types.map(typeIdOf), options };
}
