// The index spaces of a module as the validator sees them (imports first), built once per module
// and shared by the body validator, the constant-expression checker and the compiler.
import { ValidationError } from '../errors';
import type { FuncType, GlobalType, MemoryType, Module, RefType, TableType, ValType } from '../binary/module';
import { resolveFeatures, type FeatureName, type Features } from '../features';
import {
  canonicalize, canonType, checkSubtypeDecls, matchComposite, mapTypeIndex, TypeDefError, type CanonType,
} from '../types';

/** Every type here is canonical: type indices inside value types are canonical ids (core/types),
 * so equality is `===` and subtyping is `matchValType`, within and across modules. */
export interface ModuleContext {
  module: Module;
  /** Function signatures by type index (canonical value types; `id` is the canonical id). */
  types: FuncType[];
  /** Canonical id of each type index, and the canonical definitions. */
  canon: number[];
  defs: CanonType[];
  /** Declared locals of each module-defined function (canonical). */
  locals: ValType[][];
  /** Type index of every function, imports first. */
  funcs: number[];
  tables: TableType[];
  memories: MemoryType[];
  globals: GlobalType[];
  /** Type index of every tag, imports first (exception handling). */
  tags: number[];
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
  let canon: number[];
  try {
    canon = canonicalize(m.subTypes ?? m.types.map((t) => ({ final: true, supers: [], comp: { kind: 'func', params: t.params, results: t.results } })),
      m.recGroups ?? m.types.map((_, i) => ({ start: i, size: 1 })));
    checkSubtypeDecls(canon, matchComposite);
  } catch (e) {
    if (e instanceof TypeDefError) throw new ValidationError(e.message, 0);
    throw e;
  }
  const n = canon.length;
  const ct = (t: ValType): ValType => mapTypeIndex(t, (i) => {
    if (i >= n) throw new ValidationError(`unknown type ${i}`, 0);
    return canon[i]!;
  }) as ValType;
  const defs = canon.map(canonType);
  const types: FuncType[] = defs.map((d) => {
    const c = d.comp;
    return c.kind === 'func' ? { params: c.params as ValType[], results: c.results as ValType[], id: d.id }
      : { params: [], results: [], kind: c.kind, id: d.id };
  });
  const table = (t: TableType): TableType => ({ ...t, elemType: ct(t.elemType) });
  const global = (g: GlobalType): GlobalType => ({ type: ct(g.type), mutable: g.mutable });
  const ctx: ModuleContext = {
    module: m, types, canon, defs, locals: m.funcs.map((f) => f.locals.map(ct)),
    funcs: [], tables: [], memories: [], globals: [], tags: [], importedGlobals: m.importedGlobals,
    elems: m.elems.map((e) => ct(e.type)), datas: m.dataCount ?? m.datas.length, refs: m.declaredFuncRefs,
    features: features !== undefined ? resolveFeatures(features) : m.features ?? resolveFeatures(),
  };
  for (const imp of m.imports) {
    switch (imp.desc.kind) {
      case 'func':
        if (imp.desc.typeIndex >= m.types.length) throw new ValidationError('unknown type', 0);
        ctx.funcs.push(imp.desc.typeIndex);
        break;
      case 'table': ctx.tables.push(table(imp.desc.type)); break;
      case 'memory': ctx.memories.push(imp.desc.type); break;
      case 'global': ctx.globals.push(global(imp.desc.type)); break;
      case 'tag': ctx.tags.push(imp.desc.typeIndex); break;
    }
  }
  for (const f of m.funcs) {
    // Checked up front: a body may call a later function before that function's own body is validated.
    if (f.typeIndex >= m.types.length) throw new ValidationError('unknown type', 0, ctx.funcs.length);
    ctx.funcs.push(f.typeIndex);
  }
  ctx.tables.push(...m.tables.map(table));
  ctx.memories.push(...m.memories);
  for (const g of m.globals) ctx.globals.push(global(g.type));
  for (const t of m.tags) ctx.tags.push(t.typeIndex);
  return ctx;
}

/** The type of tag `tagIndex`; ValidationError when the tag or its type is unknown, or the type
 * has results (a tag type is a function type with empty results). */
export function tagTypeOf(ctx: ModuleContext, tagIndex: number, offset: number, funcIndex?: number): FuncType {
  const ti = ctx.tags[tagIndex];
  if (ti === undefined) throw new ValidationError(`unknown tag ${tagIndex}`, offset, funcIndex);
  const t = ctx.types[ti];
  if (t === undefined) throw new ValidationError(`unknown type ${ti}`, offset, funcIndex);
  if (t.results.length !== 0) throw new ValidationError('non-empty tag result type', offset, funcIndex);
  return t;
}

export function funcTypeOf(ctx: ModuleContext, funcIndex: number): FuncType {
  const t = ctx.types[ctx.funcs[funcIndex]!];
  if (t === undefined) throw new ValidationError('unknown type', 0, funcIndex);
  return t;
}
