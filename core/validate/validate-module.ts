// Module-level validation of Wasm 2.0: limits, constant expressions, segments, exports, start,
// and every function body. Throws ValidationError with the spec's message.
import { ValidationError } from '../errors';
import { InstrReader } from '../binary/instructions';
import { ByteReader } from '../binary/leb128';
import { ValType, type ConstExpr, type Limits, type Module } from '../binary/module';
import { buildContext, tagTypeOf, type ModuleContext } from './context';
import { validateFunctionBody, type CodeSink, type FunctionValidator } from './function-body';

/** Validates everything; `sinkFor` lets the compiler see each body as it is checked. */
export function validateModule(
  m: Module,
  sinkFor?: (funcIndex: number) => CodeSink | undefined,
  onBody?: (funcIndex: number, v: FunctionValidator) => void,
): ModuleContext {
  const ctx = buildContext(m);
  for (const imp of m.imports) {
    if (imp.desc.kind === 'table') checkLimits(imp.desc.type.limits, 0xffffffff, 'table');
    if (imp.desc.kind === 'memory') checkLimits(imp.desc.type.limits, 65536, 'memory');
  }
  for (const t of m.tables) checkLimits(t.limits, 0xffffffff, 'table');
  for (const mem of m.memories) checkLimits(mem.limits, 65536, 'memory');
  if (ctx.memories.length > 1) throw new ValidationError('multiple memories', 0);
  for (let i = 0; i < ctx.tags.length; i++) tagTypeOf(ctx, i, 0);
  m.globals.forEach((g, i) => {
    checkConstExpr(ctx, g.init, g.type.type, m.importedGlobals + i);
  });
  const names = new Set<string>();
  for (const e of m.exports) {
    if (names.has(e.name)) throw new ValidationError('duplicate export name', 0);
    names.add(e.name);
    const space = e.kind === 'func' ? ctx.funcs : e.kind === 'table' ? ctx.tables : e.kind === 'memory' ? ctx.memories
      : e.kind === 'tag' ? ctx.tags : ctx.globals;
    if (e.index >= space.length) throw new ValidationError(`unknown ${e.kind} ${e.index}`, 0);
  }
  if (m.start !== undefined) {
    const ti = ctx.funcs[m.start];
    if (ti === undefined) throw new ValidationError(`unknown function ${m.start}`, 0);
    const t = ctx.types[ti]!;
    if (t.params.length !== 0 || t.results.length !== 0) throw new ValidationError('start function', 0);
  }
  for (const e of m.elems) {
    if (e.mode.kind === 'active') {
      const t = ctx.tables[e.mode.table];
      if (t === undefined) throw new ValidationError(`unknown table ${e.mode.table}`, e.offset);
      if (t.elemType !== e.type) throw new ValidationError('type mismatch', e.offset);
      checkConstExpr(ctx, e.mode.offset, ValType.i32, ctx.globals.length);
    }
    if (e.funcIndices) {
      for (const f of e.init as number[]) {
        if (f >= ctx.funcs.length) throw new ValidationError(`unknown function ${f}`, e.offset);
      }
    } else {
      for (const x of e.init as ConstExpr[]) checkConstExpr(ctx, x, e.type, ctx.globals.length);
    }
  }
  for (const d of m.datas) {
    if (d.mode.kind === 'active') {
      if (d.mode.memory >= ctx.memories.length) throw new ValidationError(`unknown memory ${d.mode.memory}`, d.offset);
      checkConstExpr(ctx, d.mode.offset, ValType.i32, ctx.globals.length);
    }
  }
  for (let i = 0; i < m.funcs.length; i++) {
    const fi = m.importedFuncs + i;
    const v = validateFunctionBody(ctx, fi, sinkFor?.(fi));
    onBody?.(fi, v);
  }
  return ctx;
}

function checkLimits(l: Limits, bound: number, what: 'table' | 'memory'): void {
  if (what === 'memory' && (l.min > bound || (l.max !== undefined && l.max > bound))) {
    throw new ValidationError('memory size must be at most 65536 pages (4GiB)', 0);
  }
  if (l.max !== undefined && l.min > l.max) throw new ValidationError('size minimum must not be greater than maximum', 0);
}

/** A constant expression: one value of `type`, made of consts, ref.null/ref.func and global.get
 * of an immutable global among the first `globalLimit` globals. */
export function checkConstExpr(ctx: ModuleContext, x: ConstExpr, type: ValType, globalLimit: number): void {
  const ir = new InstrReader(new ByteReader(ctx.module.bytes, x.start, x.end));
  const stack: ValType[] = [];
  for (;;) {
    ir.read();
    const at = ir.start;
    switch (ir.op) {
      case 0x41: stack.push(ValType.i32); break;
      case 0x42: stack.push(ValType.i64); break;
      case 0x43: stack.push(ValType.f32); break;
      case 0x44: stack.push(ValType.f64); break;
      case 0xfd000c: stack.push(ValType.v128); break;
      case 0xd0: stack.push(ir.a as ValType); break;
      case 0xd2:
        if (ir.a >= ctx.funcs.length) throw new ValidationError(`unknown function ${ir.a}`, at);
        stack.push(ValType.funcref);
        break;
      case 0x23: {
        const g = ctx.globals[ir.a];
        if (g === undefined || ir.a >= Math.min(globalLimit, ctx.importedGlobals)) {
          throw new ValidationError(`unknown global ${ir.a}`, at);
        }
        if (g.mutable) throw new ValidationError('constant expression required', at);
        stack.push(g.type);
        break;
      }
      case 0x0b:
        if (stack.length !== 1 || stack[0] !== type) throw new ValidationError('type mismatch', at);
        return;
      default:
        throw new ValidationError('constant expression required', at);
    }
  }
}
