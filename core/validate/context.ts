// The index spaces of a module as the validator sees them (imports first), built once per module
// and shared by the body validator, the constant-expression checker and the compiler.
import { ValidationError } from '../errors';
import type { FuncType, GlobalType, MemoryType, Module, RefType, TableType } from '../binary/module';
import { resolveFeatures, type FeatureName, type Features } from '../features';

export interface ModuleContext {
  module: Module;
  types: FuncType[];
  /** Type index of every function, imports first. */
  funcs: number[];
  tables: TableType[];
  memories: MemoryType[];
  globals: GlobalType[];
  /** Number of imported globals (constant expressions may only read those). */
  importedGlobals: number;
  elems: RefType[];
  datas: number;
  /** Function indices that ref.func may name inside bodies. */
  refs: Set<number>;
  /** The proposals the module may use. */
  features: Readonly<Record<FeatureName, boolean>>;
}

/** `features` (over the engine defaults) wins; otherwise the set the module was decoded with. */
export function buildContext(m: Module, features?: Features): ModuleContext {
  const ctx: ModuleContext = {
    module: m, types: m.types, funcs: [], tables: [], memories: [], globals: [], importedGlobals: m.importedGlobals,
    elems: m.elems.map((e) => e.type), datas: m.dataCount ?? m.datas.length, refs: m.declaredFuncRefs,
    features: features !== undefined ? resolveFeatures(features) : m.features ?? resolveFeatures(),
  };
  for (const imp of m.imports) {
    switch (imp.desc.kind) {
      case 'func':
        if (imp.desc.typeIndex >= m.types.length) throw new ValidationError('unknown type', 0);
        ctx.funcs.push(imp.desc.typeIndex);
        break;
      case 'table': ctx.tables.push(imp.desc.type); break;
      case 'memory': ctx.memories.push(imp.desc.type); break;
      case 'global': ctx.globals.push(imp.desc.type); break;
    }
  }
  for (const f of m.funcs) {
    // Checked up front: a body may call a later function before that function's own body is validated.
    if (f.typeIndex >= m.types.length) throw new ValidationError('unknown type', 0, ctx.funcs.length);
    ctx.funcs.push(f.typeIndex);
  }
  ctx.tables.push(...m.tables);
  ctx.memories.push(...m.memories);
  for (const g of m.globals) ctx.globals.push(g.type);
  return ctx;
}

export function funcTypeOf(ctx: ModuleContext, funcIndex: number): FuncType {
  const t = ctx.types[ctx.funcs[funcIndex]!];
  if (t === undefined) throw new ValidationError('unknown type', 0, funcIndex);
  return t;
}
