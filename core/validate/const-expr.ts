// Constant expressions, checked (validation) and evaluated (instantiation) by one table: each
// constant instruction is one row with its type rule and its evaluation, so a proposal adds its
// constant instructions as rows (extended-const's i32/i64 add/sub/mul are here; GC's struct.new,
// array.new, ref.i31 ... go in the same table).
import { ValidationError } from '../errors';
import { InstrReader } from '../binary/instructions';
import { ByteReader } from '../binary/leb128';
import { ValType, type ConstExpr } from '../binary/module';
import {
  concreteHeap, HeapCode, isConcreteHeap, isNullable, isRef, matchValType, refOf, unpacked, type CanonType, type FieldType,
} from '../types';
import type { FeatureName } from '../features';
import type { ModuleContext } from './context';

/** A constant value as 4 words: scalars in w[0] (and w[1] for 64-bit), v128 in all 4, references
 * as the engine's handle in w[0] — the layout of a GlobalInstance and of the value stack. */
export type ConstWords = Int32Array;

/** What evaluation reads from the instance being built. */
export interface ConstEnv {
  /** The words of global `index` (already initialised: validation allows only earlier ones). */
  global(index: number): Int32Array;
  /** The reference handle of function `index`. */
  funcRef(index: number): number;
  /** GC: the handle of a new struct or array (struct.new*, array.new*) of module type `typeIndex`;
   * it pops its operands from `stack` (array.new_fixed: `count` of them). */
  gcNew?(op: number, typeIndex: number, count: number, stack: ConstWords[]): number;
}

/** The validator's state while checking one expression. */
export interface ConstCheck {
  readonly ctx: ModuleContext;
  /** Globals below this index may be read (the module's own earlier globals, or only imports). */
  readonly globalLimit: number;
  readonly stack: ValType[];
  /** Throws the ValidationError for the current instruction. */
  fail(message: string): never;
  pop(t: ValType): void;
}

export interface ConstOp {
  /** The proposal that made it constant; when off it is `constant expression required`. */
  feature?: FeatureName;
  check(c: ConstCheck, ir: InstrReader): void;
  eval(stack: ConstWords[], ir: InstrReader, env: ConstEnv): void;
}

const v128Words = (b: Uint8Array): ConstWords => {
  const w = new Int32Array(4);
  for (let i = 0; i < 4; i++) w[i] = b[i * 4]! | (b[i * 4 + 1]! << 8) | (b[i * 4 + 2]! << 16) | (b[i * 4 + 3]! << 24);
  return w;
};
const words = (lo: number, hi = 0): ConstWords => Int32Array.of(lo, hi, 0, 0);
const big = (w: ConstWords): bigint => (BigInt(w[1]!) << 32n) | BigInt(w[0]! >>> 0);
const ofBig = (x: bigint): ConstWords => words(Number(BigInt.asIntN(32, x)), Number(BigInt.asIntN(32, x >> 32n)));

/** i32/i64 add, sub, mul (extended constant expressions). */
function arith(t: ValType.i32 | ValType.i64, f: (a: bigint, b: bigint) => bigint, f32: (a: number, b: number) => number): ConstOp {
  return {
    feature: 'extendedConst',
    check(c) { c.pop(t); c.pop(t); c.stack.push(t); },
    eval(stack) {
      const b = stack.pop()!;
      const a = stack.pop()!;
      stack.push(t === ValType.i32 ? words(f32(a[0]!, b[0]!)) : ofBig(f(big(a), big(b))));
    },
  };
}

/** The constant instructions by opcode key (see binary/opcodes.ts). */
export const CONST_OPS = new Map<number, ConstOp>([
  [0x41, { check: (c) => { c.stack.push(ValType.i32); }, eval: (s, ir) => { s.push(words(ir.a)); } }],
  [0x42, { check: (c) => { c.stack.push(ValType.i64); }, eval: (s, ir) => { s.push(words(ir.lo, ir.hi)); } }],
  [0x43, { check: (c) => { c.stack.push(ValType.f32); }, eval: (s, ir) => { s.push(words(ir.a)); } }],
  [0x44, { check: (c) => { c.stack.push(ValType.f64); }, eval: (s, ir) => { s.push(words(ir.lo, ir.hi)); } }],
  [0xfd000c, { check: (c) => { c.stack.push(ValType.v128); }, eval: (s, ir) => { s.push(v128Words(ir.bytes16)); } }],
  [0xd0, {
    check(c, ir) {
      let h = ir.a;
      if (isConcreteHeap(h)) {
        const id = c.ctx.canon[h - concreteHeap(0)];
        if (id === undefined) c.fail(`unknown type ${h - concreteHeap(0)}`);
        h = concreteHeap(id!);
      }
      c.stack.push(refOf(true, h) as ValType);
    },
    eval: (s) => { s.push(words(0)); },
  }],
  [0xd2, {
    check(c, ir) {
      if (ir.a >= c.ctx.funcs.length) c.fail(`unknown function ${ir.a}`);
      c.stack.push(refOf(false, concreteHeap(c.ctx.canon[c.ctx.funcs[ir.a]!]!)) as ValType);
    },
    eval: (s, ir, env) => { s.push(words(env.funcRef(ir.a))); },
  }],
  [0x23, {
    check(c, ir) {
      const g = c.ctx.globals[ir.a];
      if (g === undefined || ir.a >= c.globalLimit) return c.fail(`unknown global ${ir.a}`);
      if (g.mutable) c.fail(`constant expression required: global ${ir.a} is mutable`);
      c.stack.push(g.type);
    },
    eval: (s, ir, env) => { s.push(Int32Array.from(env.global(ir.a))); },
  }],
  [0x6a, arith(ValType.i32, (a, b) => a + b, (a, b) => (a + b) | 0)],
  [0x6b, arith(ValType.i32, (a, b) => a - b, (a, b) => (a - b) | 0)],
  [0x6c, arith(ValType.i32, (a, b) => a * b, (a, b) => Math.imul(a, b))],
  [0x7c, arith(ValType.i64, (a, b) => a + b, () => 0)],
  [0x7d, arith(ValType.i64, (a, b) => a - b, () => 0)],
  [0x7e, arith(ValType.i64, (a, b) => a * b, () => 0)],
]);

/** GC's constant instructions: allocation through the environment, i31 and the conversions in place. */
function gcDef(c: ConstCheck, i: number, kind: 'struct' | 'array'): CanonType {
  const d = c.ctx.defs[i];
  if (d === undefined) return c.fail(`unknown type ${i}`);
  if (d.comp.kind !== kind) c.fail(`type mismatch: not a${kind === 'array' ? 'n' : ''} ${kind} type`);
  return d;
}
const gcRef = (id: number): ValType => refOf(false, concreteHeap(id)) as ValType;
const defaultable = (t: number): boolean => !isRef(t) || isNullable(t);
const gcAlloc: ConstOp['eval'] = (s, ir, env) => {
  if (env.gcNew === undefined) throw new Error('GC constant expressions need an environment that allocates');
  s.push(words(env.gcNew(ir.op, ir.a, ir.b, s)));
};
function gcCheck(check: (c: ConstCheck, ir: InstrReader) => void): ConstOp {
  return { feature: 'gc', check, eval: gcAlloc };
}
const GC_CONST_OPS: [number, ConstOp][] = [
  [0xfb0000, gcCheck((c, ir) => {
    const d = gcDef(c, ir.a, 'struct');
    const fs = d.comp.kind === 'struct' ? d.comp.fields : [];
    for (let k = fs.length - 1; k >= 0; k--) c.pop(unpacked(fs[k]!.type) as ValType);
    c.stack.push(gcRef(d.id));
  })],
  [0xfb0001, gcCheck((c, ir) => {
    const d = gcDef(c, ir.a, 'struct');
    if (d.comp.kind === 'struct' && !d.comp.fields.every((f) => defaultable(f.type))) c.fail('type mismatch: field type is not defaultable');
    c.stack.push(gcRef(d.id));
  })],
  [0xfb0006, gcCheck((c, ir) => {
    const d = gcDef(c, ir.a, 'array');
    c.pop(ValType.i32);
    c.pop(unpacked((d.comp as { field: FieldType }).field.type) as ValType);
    c.stack.push(gcRef(d.id));
  })],
  [0xfb0007, gcCheck((c, ir) => {
    const d = gcDef(c, ir.a, 'array');
    if (!defaultable((d.comp as { field: FieldType }).field.type)) c.fail('type mismatch: array type is not defaultable');
    c.pop(ValType.i32);
    c.stack.push(gcRef(d.id));
  })],
  [0xfb0008, gcCheck((c, ir) => {
    const d = gcDef(c, ir.a, 'array');
    for (let k = 0; k < ir.b; k++) c.pop(unpacked((d.comp as { field: FieldType }).field.type) as ValType);
    c.stack.push(gcRef(d.id));
  })],
  [0xfb001c, {
    feature: 'gc',
    check(c) { c.pop(ValType.i32); c.stack.push(refOf(false, HeapCode.i31) as ValType); },
    eval(s) { const w = s.pop()!; s.push(words((w[0]! & 0x7fffffff) | 0x80000000)); },
  }],
  [0xfb001a, {
    feature: 'gc',
    check(c) { convert(c, HeapCode.extern, HeapCode.any); },
    eval() { /* the same reference */ },
  }],
  [0xfb001b, {
    feature: 'gc',
    check(c) { convert(c, HeapCode.any, HeapCode.extern); },
    eval() { /* the same reference */ },
  }],
];

/** any.convert_extern / extern.convert_any: the nullability carries over. */
function convert(c: ConstCheck, from: HeapCode, to: HeapCode): void {
  const t = c.stack[c.stack.length - 1];
  c.pop(refOf(true, from) as ValType);
  c.stack.push(refOf(t === undefined || isNullable(t), to) as ValType);
}
for (const [op, row] of GC_CONST_OPS) CONST_OPS.set(op, row);

/** Validates a constant expression producing one value of `type`. `globalIndex` is the index of
 * the global being initialised (its own and later globals are out of reach), or the number of
 * globals for segment offsets and element items. */
export function checkConstExpr(ctx: ModuleContext, x: ConstExpr, type: ValType, globalIndex: number): void {
  const ir = new InstrReader(new ByteReader(ctx.module.bytes, x.start, x.end), ctx.features);
  const stack: ValType[] = [];
  // Wasm 2.0 reads only imported globals; 3.0 (with GC's relaxation) any earlier immutable one.
  const anyEarlier = ctx.features.extendedConst || ctx.features.gc;
  const c: ConstCheck = {
    ctx,
    globalLimit: anyEarlier ? globalIndex : Math.min(globalIndex, ctx.importedGlobals),
    stack,
    fail(message: string): never {
      throw new ValidationError(message, ir.start);
    },
    pop(t: ValType): void {
      if (stack.length === 0 || !matchValType(stack.pop()!, t)) this.fail('type mismatch');
    },
  };
  for (;;) {
    ir.read();
    if (ir.op === 0x0b) {
      if (stack.length !== 1 || !matchValType(stack[0]!, type)) c.fail('type mismatch');
      return;
    }
    const row = CONST_OPS.get(ir.op);
    if (row === undefined || (row.feature !== undefined && !ctx.features[row.feature])) {
      c.fail(`constant expression required: ${ir.info?.name ?? `opcode 0x${ir.op.toString(16)}`} is not constant${row?.feature !== undefined ? ` without ${row.feature}` : ''}`);
    }
    row.check(c, ir);
  }
}

/** Evaluates a validated constant expression into `out` (4 words). */
export function evalConstExpr(bytes: Uint8Array, x: ConstExpr, env: ConstEnv, out: Int32Array): void {
  const ir = new InstrReader(new ByteReader(bytes, x.start, x.end));
  const stack: ConstWords[] = [];
  for (;;) {
    ir.read();
    if (ir.op === 0x0b) break;
    const row = CONST_OPS.get(ir.op);
    if (row === undefined) throw new Error(`not a constant instruction: ${ir.info?.name ?? ir.op}`);
    row.eval(stack, ir, env);
  }
  out.set(stack[stack.length - 1]!);
}
