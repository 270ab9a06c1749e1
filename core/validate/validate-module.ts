// Module-level validation of Wasm 2.0: limits, constant expressions, segments, exports, start,
// and every function body. Throws ValidationError with the spec's message.
import { ValidationError } from '../errors';
import { checkBodies } from '../binary/decode';
import { ValType, type ConstExpr, type Limits, type Module } from '../binary/module';
import type { Features } from '../features';
import { isNullable, matchValType } from '../types';
import { buildContext, tagTypeOf, type ModuleContext } from './context';
import { checkConstExpr } from './const-expr';
import { validateFunctionBody, type CodeSink, type FunctionValidator } from './function-body';

/** Validates everything; `sinkFor` lets the compiler see each body as it is checked. A module
 * decoded with `deferBodyCheck` has its bodies' structure checked in the same pass; a malformed
 * body fails with its DecodeError even when something else is invalid, as if decodeModule had
 * checked it. */
export function validateModule(
  m: Module,
  sinkFor?: (funcIndex: number) => CodeSink | undefined,
  onBody?: (funcIndex: number, v: FunctionValidator) => void,
  features?: Features,
): ModuleContext {
  if (m.bodiesUnchecked !== true) return validateChecked(m, sinkFor, onBody, features);
  let ctx: ModuleContext;
  try {
    ctx = validateChecked(m, sinkFor, onBody, features);
  } catch (err) {
    // Decoding comes first: a malformed body (anywhere) wins over a validation error, with the
    // message decodeModule gives (its 'END opcode expected' where the validator's reader ran out).
    // The error path alone reads the bodies a second time.
    checkBodies(m);
    throw err;
  }
  // Every body has been read whole and checked.
  m.bodiesUnchecked = false;
  return ctx;
}

function validateChecked(
  m: Module,
  sinkFor: ((funcIndex: number) => CodeSink | undefined) | undefined,
  onBody: ((funcIndex: number, v: FunctionValidator) => void) | undefined,
  features: Features | undefined,
): ModuleContext {
  const ctx = buildContext(m, features);
  for (const imp of m.imports) {
    if (imp.desc.kind === 'table') checkLimits(imp.desc.type.limits, 'table');
    if (imp.desc.kind === 'memory') checkLimits(imp.desc.type.limits, 'memory');
  }
  for (const t of m.tables) checkLimits(t.limits, 'table');
  for (const mem of m.memories) checkLimits(mem.limits, 'memory');
  if (ctx.memories.length > 1 && !ctx.features.multiMemory) throw new ValidationError('multiple memories', 0);
  if (ctx.tables.length > 1 && !ctx.features.referenceTypes) throw new ValidationError('multiple tables', 0);
  for (let i = 0; i < ctx.tags.length; i++) tagTypeOf(ctx, i, 0);
  m.globals.forEach((g, i) => {
    checkConstExpr(ctx, g.init, ctx.globals[m.importedGlobals + i]!.type, m.importedGlobals + i);
  });
  m.tables.forEach((t, i) => {
    const tt = ctx.tables[m.importedTables + i]!;
    if (t.init !== undefined) checkConstExpr(ctx, t.init, tt.elemType, m.importedGlobals);
    else if (!isNullable(tt.elemType)) throw new ValidationError('type mismatch', 0);
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
  for (const [ei, e] of m.elems.entries()) {
    const et = ctx.elems[ei]!;
    if (e.mode.kind === 'active') {
      const t = ctx.tables[e.mode.table];
      if (t === undefined) throw new ValidationError(`unknown table ${e.mode.table}`, e.offset);
      if (!matchValType(et, t.elemType)) throw new ValidationError('type mismatch', e.offset);
      checkConstExpr(ctx, e.mode.offset, t.limits.i64 ? ValType.i64 : ValType.i32, ctx.globals.length);
    }
    if (e.funcIndices) {
      for (const f of e.init as number[]) {
        if (f >= ctx.funcs.length) throw new ValidationError(`unknown function ${f}`, e.offset);
      }
    } else {
      for (const x of e.init as ConstExpr[]) checkConstExpr(ctx, x, et, ctx.globals.length);
    }
  }
  for (const d of m.datas) {
    if (d.mode.kind === 'active') {
      const mem = ctx.memories[d.mode.memory];
      if (mem === undefined) throw new ValidationError(`unknown memory ${d.mode.memory}`, d.offset);
      checkConstExpr(ctx, d.mode.offset, mem.limits.i64 ? ValType.i64 : ValType.i32, ctx.globals.length);
    }
  }
  for (let i = 0; i < m.funcs.length; i++) {
    const fi = m.importedFuncs + i;
    const v = validateFunctionBody(ctx, fi, sinkFor?.(fi));
    onBody?.(fi, v);
  }
  return ctx;
}

/** Memory sizes are pages: at most 2^16 (4 GiB) for i32 memories, 2^48 for memory64; table64
 * sizes are bounded by the u64 encoding, i32 tables by u32. */
function checkLimits(l: Limits, what: 'table' | 'memory'): void {
  if (what === 'memory') {
    const bound = l.i64 ? 2 ** 48 : 65536;
    if (l.min > bound || (l.max !== undefined && l.max > bound)) {
      throw new ValidationError(l.i64 ? 'memory size must be at most 2^48 pages' : 'memory size must be at most 65536 pages (4GiB)', 0);
    }
  }
  if (what === 'table' && !l.i64 && (l.min > 0xffffffff || (l.max !== undefined && l.max > 0xffffffff))) {
    throw new ValidationError('table size must be at most 2^32-1', 0);
  }
  if (l.max !== undefined && l.min > l.max) throw new ValidationError('size minimum must not be greater than maximum', 0);
  if (l.shared && l.max === undefined) throw new ValidationError('shared memory must have maximum', 0);
}
