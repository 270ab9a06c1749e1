// Validation of a decoded component: builds every index space in definition order, resolves
// type indices (aliases, outer references, `eq` exports) to types.ts objects, and checks what the
// spec requires of each definition — indices in range, sorts that match, core signatures of
// canon lift/lower, canonical options, instantiation arguments, unique names. Errors are
// ValidationErrors at the definition's byte offset.
import { ValidationError } from '../errors';
import type { Module } from '../binary/module';
import type { Features } from '../features';
import { validateModule } from '../validate';
import { MAX_FLAT_PARAMS, coreSignature, flatten, usesMemory, type CoreNum } from './abi';
import {
  sortName, type Alias, type BuiltinDef, type CanonOpts, type Component, type CoreTypeDef, type CoreExternDesc, type Decl, type DefValType,
  type ExternDesc, type Sort, type TypeDef, type ValTypeRef,
} from './model';
import {
  containsBorrow, isValType, type ComponentType, type CoreExtern, type CoreModuleType, type ExternType, type FuncType,
  type InstanceType, type ResourceType, type TypeEntry, type ValType,
} from './types';

export type CoreFuncType = Extract<CoreExtern, { kind: 'func' }>;

/** One scope's index spaces: a component, or a component/instance type being declared. */
export interface Scope {
  parent: Scope | undefined;
  /** A component definition (true) or a type declarator (false): outer aliases may not cross a component boundary for non-type sorts. */
  isComponent: boolean;
  types: TypeEntry[];
  coreTypes: (CoreFuncType | CoreModuleType | undefined)[];
  funcs: FuncType[];
  values: ValType[];
  instances: InstanceType[];
  components: ComponentType[];
  coreFuncs: CoreFuncType[];
  coreTables: CoreExtern[];
  coreMemories: CoreExtern[];
  coreGlobals: CoreExtern[];
  coreTags: CoreExtern[];
  coreModules: CoreModuleType[];
  coreInstances: Map<string, CoreExtern>[];
}

/** What validation learnt about one component, for instantiation and for the WIT view. */
export interface ComponentInfo {
  component: Component;
  scope: Scope;
  imports: { name: string; type: ExternType }[];
  exports: { name: string; type: ExternType; sort: Sort; index: number }[];
  /** Nested components by their index in the component index space (only those defined here). */
  nested: Map<number, ComponentInfo>;
  /** The resolved function type of each `canon lift`/`lower` definition, by definition index. */
  canonTypes: Map<number, FuncType>;
  /** Resource types referenced by resource.new/drop/rep, by definition index. */
  canonResources: Map<number, ResourceType>;
  /** What the async built-ins refer to, by definition index. */
  canonBuiltins: Map<number, BuiltinInfo>;
}

/** The resolved immediates of an async built-in. */
export interface BuiltinInfo {
  /** stream.* / future.*: the stream or future type. */
  type?: Extract<ValType, { kind: 'stream' | 'future' }>;
  /** task.return: its result type (undefined: none). */
  result?: ValType;
}

export interface ValidateOptions {
  /** Validate nested core modules' code too (default true; inspect skips it for speed). */
  coreCode?: boolean;
  /** The proposals nested core modules may use (as validateModule's). */
  features?: Features;
}

function newScope(parent: Scope | undefined, isComponent: boolean): Scope {
  return {
    parent, isComponent, types: [], coreTypes: [], funcs: [], values: [], instances: [], components: [],
    coreFuncs: [], coreTables: [], coreMemories: [], coreGlobals: [], coreTags: [], coreModules: [], coreInstances: [],
  };
}

export function validateComponent(c: Component, options: ValidateOptions = {}): ComponentInfo {
  return new Validator(options).component(c, undefined);
}

const PRIM_CACHE = new Map<string, ValType>();
function prim(p: string): ValType {
  let t = PRIM_CACHE.get(p);
  if (!t) {
    t = { kind: 'prim', prim: p as Extract<ValType, { kind: 'prim' }>['prim'] };
    PRIM_CACHE.set(p, t);
  }
  return t;
}

/** Core module type of a decoded module, from its imports and exports. */
export function moduleType(m: Module): CoreModuleType {
  const funcType = (i: number): CoreFuncType => {
    const t = m.types[i];
    return { kind: 'func', params: t?.params ?? [], results: t?.results ?? [] };
  };
  const imports: CoreModuleType['imports'] = [];
  const funcs: CoreFuncType[] = [];
  const tables: CoreExtern[] = [];
  const memories: CoreExtern[] = [];
  const globals: CoreExtern[] = [];
  for (const imp of m.imports) {
    let type: CoreExtern;
    switch (imp.desc.kind) {
      case 'func': type = funcType(imp.desc.typeIndex); funcs.push(type); break;
      case 'table': type = { kind: 'table', elemType: imp.desc.type.elemType }; tables.push(type); break;
      case 'memory': type = { kind: 'memory' }; memories.push(type); break;
      case 'global': type = { kind: 'global', type: imp.desc.type.type, mutable: imp.desc.type.mutable }; globals.push(type); break;
      default: type = { kind: 'tag' }; break;
    }
    imports.push({ module: imp.module, name: imp.name, type });
  }
  for (const f of m.funcs) funcs.push(funcType(f.typeIndex));
  for (const t of m.tables) tables.push({ kind: 'table', elemType: t.elemType });
  for (const _ of m.memories) memories.push({ kind: 'memory' });
  for (const g of m.globals) globals.push({ kind: 'global', type: g.type.type, mutable: g.type.mutable });
  const exports = new Map<string, CoreExtern>();
  for (const e of m.exports) {
    const space = e.kind === 'func' ? funcs : e.kind === 'table' ? tables : e.kind === 'memory' ? memories : globals;
    const t = space[e.index];
    if (t) exports.set(e.name, t);
  }
  return { kind: 'module', imports, exports };
}

function sameCoreFunc(a: CoreFuncType, b: { params: readonly (number | string)[]; results: readonly (number | string)[] }): boolean {
  const code = (t: number | string): number => (typeof t === 'number' ? t : CORE_CODES[t as CoreNum]);
  return a.params.length === b.params.length && a.results.length === b.results.length
    && a.params.every((p, i) => p === code(b.params[i]!)) && a.results.every((r, i) => r === code(b.results[i]!));
}

const CORE_CODES: Record<CoreNum, number> = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c };
const CORE_NAMES: Record<number, string> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };
export function coreFuncText(t: { params: readonly number[]; results: readonly number[] }): string {
  const n = (x: number): string => CORE_NAMES[x] ?? `0x${x.toString(16)}`;
  return `(func (param ${t.params.map(n).join(' ')}) (result ${t.results.map(n).join(' ')}))`;
}

/** `[method]descriptor.stat` → resource "descriptor"; plain names → undefined. */
export function resourceOfName(name: string): string | undefined {
  const m = /^\[(constructor|method|static)\]([^.]+)/.exec(name);
  return m ? m[2] : undefined;
}

class Validator {
  private readonly coreCode: boolean;
  private readonly features: Features | undefined;
  constructor(options: ValidateOptions) {
    this.coreCode = options.coreCode ?? true;
    this.features = options.features;
  }

  component(c: Component, parent: Scope | undefined): ComponentInfo {
    const scope = newScope(parent, true);
    const info: ComponentInfo = {
      component: c, scope, imports: [], exports: [], nested: new Map(), canonTypes: new Map(), canonResources: new Map(), canonBuiltins: new Map(),
    };
    const importNames = new Set<string>();
    const exportNames = new Set<string>();
    c.definitions.forEach((d, defIndex) => {
      const fail = (msg: string): never => {
        throw new ValidationError(msg, d.offset);
      };
      switch (d.kind) {
        case 'core-module': {
          if (this.coreCode) {
            try {
              validateModule(d.module, undefined, undefined, this.features);
            } catch (err) {
              if (err instanceof ValidationError) throw new ValidationError(`in core module ${scope.coreModules.length}: ${err.reason}`, err.offset + d.offset, err.funcIndex);
              throw err;
            }
          }
          scope.coreModules.push(moduleType(d.module));
          break;
        }
        case 'core-type':
          scope.coreTypes.push(this.coreType(d.type, scope, fail));
          break;
        case 'core-instance':
          scope.coreInstances.push(this.coreInstance(d.def, scope, fail));
          break;
        case 'component': {
          const nested = this.component(d.component, scope);
          info.nested.set(scope.components.length, nested);
          scope.components.push({
            kind: 'component',
            imports: new Map(nested.imports.map((i) => [i.name, i.type])),
            exports: new Map(nested.exports.map((e) => [e.name, e.type])),
          });
          break;
        }
        case 'instance':
          scope.instances.push(this.instance(d.def, scope, fail));
          break;
        case 'alias':
          this.alias(d.alias, scope, fail);
          break;
        case 'type':
          scope.types.push(this.typeDef(d.type, scope, fail));
          break;
        case 'canon':
          this.canon(d.def, scope, fail, info, defIndex);
          break;
        case 'start': {
          const f = scope.funcs[d.func] ?? fail(`unknown function ${d.func} in start`);
          if (f.params.length !== d.args.length) fail(`start function expects ${f.params.length} arguments, got ${d.args.length}`);
          for (const a of d.args) if (scope.values[a] === undefined) fail(`unknown value ${a}`);
          if (d.results !== (f.result ? 1 : 0)) fail('start result count does not match the function');
          if (f.result) scope.values.push(f.result);
          break;
        }
        case 'import': {
          if (importNames.has(d.name.name)) fail(`duplicate import name "${d.name.name}"`);
          importNames.add(d.name.name);
          const t = this.externDesc(d.desc, scope, fail, d.name.name);
          this.push(scope, t);
          info.imports.push({ name: d.name.name, type: t });
          break;
        }
        case 'export': {
          if (exportNames.has(d.name.name)) fail(`duplicate export name "${d.name.name}"`);
          exportNames.add(d.name.name);
          let t = this.sortItem(scope, d.item.sort, d.item.index, fail);
          if (typeof d.item.sort !== 'string' && d.item.sort.core !== 'module') fail(`cannot export a core ${d.item.sort.core}`);
          if (d.desc) {
            const declared = this.externDesc(d.desc, scope, fail, d.name.name);
            if (declared.kind !== t.kind) fail(`export "${d.name.name}" is declared as ${declared.kind} but is a ${t.kind}`);
            // An ascribed type names the export's resource/type from now on (as `eq` does).
            if (declared.kind !== 'type' || t.kind !== 'type' || declared.type.kind !== 'resource') t = declared;
          }
          if (t.kind === 'type' && t.type.kind === 'resource' && t.type.name === undefined) t.type.name = d.name.name;
          if (t.kind === 'func' && t.type.result && containsBorrow(t.type.result)) fail('exported function results cannot hold borrow handles');
          this.push(scope, t);
          info.exports.push({ name: d.name.name, type: t, sort: d.item.sort, index: d.item.index });
          break;
        }
      }
    });
    return info;
  }

  /** Adds an imported/exported item to its index space. */
  private push(scope: Scope, t: ExternType): void {
    switch (t.kind) {
      case 'func': scope.funcs.push(t.type); break;
      case 'type': scope.types.push(t.type); break;
      case 'instance': scope.instances.push(t.type); break;
      case 'component': scope.components.push(t.type); break;
      case 'module': scope.coreModules.push(t.type); break;
      case 'value': scope.values.push(t.type); break;
    }
  }

  private sortItem(scope: Scope, sort: Sort, index: number, fail: (m: string) => never): ExternType {
    const bad = (): never => fail(`unknown ${sortName(sort)} ${index}`);
    if (typeof sort !== 'string') {
      if (sort.core === 'module') return { kind: 'module', type: scope.coreModules[index] ?? bad() };
      this.coreItem(scope, sort.core, index, fail);
      // Core items other than modules have no component extern type; the caller refuses them where needed.
      return { kind: 'module', type: { kind: 'module', imports: [], exports: new Map() } };
    }
    switch (sort) {
      case 'func': return { kind: 'func', type: scope.funcs[index] ?? bad() };
      case 'value': return { kind: 'value', type: scope.values[index] ?? bad() };
      case 'type': return { kind: 'type', type: scope.types[index] ?? bad() };
      case 'component': return { kind: 'component', type: scope.components[index] ?? bad() };
      case 'instance': return { kind: 'instance', type: scope.instances[index] ?? bad() };
    }
  }

  private coreItem(scope: Scope, sort: string, index: number, fail: (m: string) => never): CoreExtern {
    const space = sort === 'func' ? scope.coreFuncs : sort === 'table' ? scope.coreTables : sort === 'memory' ? scope.coreMemories
      : sort === 'global' ? scope.coreGlobals : sort === 'tag' ? scope.coreTags : undefined;
    if (!space) return fail(`a core ${sort} cannot be used here`);
    return space[index] ?? fail(`unknown core ${sort} ${index}`);
  }

  private coreType(t: CoreTypeDef, scope: Scope, fail: (m: string) => never): CoreFuncType | CoreModuleType | undefined {
    if (t.kind === 'func') return { kind: 'func', params: t.params, results: t.results };
    if (t.kind === 'other') return undefined;
    // A module type has its own core type index space (outer aliases reach the enclosing one).
    const types: (CoreFuncType | CoreModuleType | undefined)[] = [];
    const imports: CoreModuleType['imports'] = [];
    const exports = new Map<string, CoreExtern>();
    const desc = (d: CoreExternDesc): CoreExtern => {
      switch (d.kind) {
        case 'func': case 'tag': {
          const ft = types[d.typeIndex];
          if (!ft || ft.kind !== 'func') return fail(`unknown core function type ${d.typeIndex} in module type`);
          return d.kind === 'func' ? ft : { kind: 'tag' };
        }
        case 'table': return { kind: 'table', elemType: d.elemType };
        case 'memory': return { kind: 'memory' };
        case 'global': return { kind: 'global', type: d.type, mutable: d.mutable };
      }
    };
    for (const d of t.decls) {
      switch (d.kind) {
        case 'type': types.push(d.type.kind === 'func' ? { kind: 'func', params: d.type.params, results: d.type.results } : undefined); break;
        case 'alias': {
          let s: Scope | undefined = scope;
          for (let i = 1; i < d.outer && s; i++) s = s.parent;
          if (d.outer === 0 || !s) fail('outer alias in a module type must reach an enclosing scope');
          const target = s!.coreTypes[d.index];
          if (target === undefined) fail(`unknown core type ${d.index} in outer alias`);
          types.push(target);
          break;
        }
        case 'import': imports.push({ module: d.module, name: d.name, type: desc(d.desc) }); break;
        case 'export':
          if (exports.has(d.name)) fail(`duplicate export "${d.name}" in module type`);
          exports.set(d.name, desc(d.desc));
          break;
      }
    }
    return { kind: 'module', imports, exports };
  }

  private coreInstance(def: import('./model').CoreInstanceDef, scope: Scope, fail: (m: string) => never): Map<string, CoreExtern> {
    if (def.kind === 'exports') {
      const m = new Map<string, CoreExtern>();
      for (const e of def.exports) {
        if (m.has(e.name)) fail(`duplicate core export "${e.name}"`);
        m.set(e.name, this.coreItem(scope, e.item.sort, e.item.index, fail));
      }
      return m;
    }
    const mt = scope.coreModules[def.module] ?? fail(`unknown core module ${def.module}`);
    const args = new Map<string, Map<string, CoreExtern>>();
    for (const a of def.args) {
      if (args.has(a.name)) fail(`duplicate instantiation argument "${a.name}"`);
      args.set(a.name, scope.coreInstances[a.instance] ?? fail(`unknown core instance ${a.instance}`));
    }
    for (const imp of mt.imports) {
      const inst = args.get(imp.module) ?? fail(`missing instantiation argument "${imp.module}" (core module ${def.module} imports from it)`);
      const got = inst.get(imp.name) ?? fail(`instance "${imp.module}" has no export "${imp.name}" (core module ${def.module} imports it)`);
      if (got.kind !== imp.type.kind) fail(`"${imp.module}" "${imp.name}": expected a ${imp.type.kind}, got a ${got.kind}`);
      if (got.kind === 'func' && imp.type.kind === 'func' && !sameCoreFunc(imp.type, got)) {
        fail(`"${imp.module}" "${imp.name}": type mismatch, expected ${coreFuncText(imp.type)}, got ${coreFuncText(got)}`);
      }
      if (got.kind === 'global' && imp.type.kind === 'global' && (got.type !== imp.type.type || got.mutable !== imp.type.mutable)) {
        fail(`"${imp.module}" "${imp.name}": global type mismatch`);
      }
    }
    return mt.exports;
  }

  private instance(def: import('./model').InstanceDef, scope: Scope, fail: (m: string) => never): InstanceType {
    const exports = new Map<string, ExternType>();
    const typeNames = new Map<TypeEntry, string>();
    if (def.kind === 'exports') {
      for (const e of def.exports) {
        if (exports.has(e.name.name)) fail(`duplicate export "${e.name.name}"`);
        if (typeof e.item.sort !== 'string' && e.item.sort.core !== 'module') fail(`an instance cannot export a core ${e.item.sort.core}`);
        const t = this.sortItem(scope, e.item.sort, e.item.index, fail);
        exports.set(e.name.name, t);
        if (t.kind === 'type') typeNames.set(t.type, e.name.name);
      }
      return { kind: 'instance', exports, typeNames };
    }
    const ct = scope.components[def.component] ?? fail(`unknown component ${def.component}`);
    const args = new Map<string, ExternType>();
    for (const a of def.args) {
      if (args.has(a.name)) fail(`duplicate instantiation argument "${a.name}"`);
      args.set(a.name, this.sortItem(scope, a.item.sort, a.item.index, fail));
    }
    for (const [name, want] of ct.imports) {
      const got = args.get(name) ?? fail(`missing instantiation argument "${name}"`);
      if (got.kind !== want.kind) fail(`instantiation argument "${name}": expected a ${want.kind}, got a ${got.kind}`);
      if (want.kind === 'func' && got.kind === 'func' && !sameFunc(want.type, got.type)) fail(`instantiation argument "${name}": function type mismatch`);
    }
    for (const [name, t] of ct.exports) {
      exports.set(name, t);
      if (t.kind === 'type') typeNames.set(t.type, name);
    }
    return { kind: 'instance', exports, typeNames };
  }

  private alias(a: Alias, scope: Scope, fail: (m: string) => never): void {
    switch (a.kind) {
      case 'export': {
        const inst = scope.instances[a.instance] ?? fail(`unknown instance ${a.instance}`);
        const t = inst.exports.get(a.name) ?? fail(`instance ${a.instance} has no export "${a.name}"`);
        const want = typeof a.sort === 'string' ? a.sort : a.sort.core;
        if (t.kind !== want) fail(`export "${a.name}" of instance ${a.instance} is a ${t.kind}, not a ${sortName(a.sort)}`);
        this.push(scope, t);
        break;
      }
      case 'core-export': {
        const inst = scope.coreInstances[a.instance] ?? fail(`unknown core instance ${a.instance}`);
        const t = inst.get(a.name) ?? fail(`core instance ${a.instance} has no export "${a.name}"`);
        if (t.kind !== a.sort) fail(`export "${a.name}" of core instance ${a.instance} is a ${t.kind}, not a ${a.sort}`);
        switch (t.kind) {
          case 'func': scope.coreFuncs.push(t); break;
          case 'table': scope.coreTables.push(t); break;
          case 'memory': scope.coreMemories.push(t); break;
          case 'global': scope.coreGlobals.push(t); break;
          case 'tag': scope.coreTags.push(t); break;
        }
        break;
      }
      case 'outer': {
        let s: Scope | undefined = scope;
        for (let i = 0; i < a.count; i++) {
          if (!s) break;
          // Only types, modules and components may be aliased from outside a component (they are closed).
          if (s.isComponent && typeof a.sort === 'string' && a.sort !== 'type' && a.sort !== 'component') fail(`outer alias of a ${sortName(a.sort)} cannot cross a component`);
          s = s.parent;
        }
        if (!s) fail(`outer alias count ${a.count} exceeds the enclosing scopes`);
        const target = s!;
        if (a.sort === 'type') {
          const t = target.types[a.index] ?? fail(`unknown type ${a.index} in outer alias`);
          // Resources are generative: only a resource defined in a type scope may be aliased (not through a component).
          scope.types.push(t);
        } else if (a.sort === 'component') {
          scope.components.push(target.components[a.index] ?? fail(`unknown component ${a.index} in outer alias`));
        } else if (typeof a.sort !== 'string' && a.sort.core === 'module') {
          scope.coreModules.push(target.coreModules[a.index] ?? fail(`unknown core module ${a.index} in outer alias`));
        } else if (typeof a.sort !== 'string' && a.sort.core === 'type') {
          scope.coreTypes.push(target.coreTypes[a.index] ?? fail(`unknown core type ${a.index} in outer alias`));
        } else fail(`outer alias of a ${sortName(a.sort)} is not allowed`);
        break;
      }
    }
  }

  valType(r: ValTypeRef, scope: Scope, fail: (m: string) => never): ValType {
    if ('prim' in r) return prim(r.prim);
    const t = scope.types[r.index] ?? fail(`unknown type ${r.index}`);
    if (!isValType(t)) fail(`type ${r.index} is a ${t.kind} type, not a value type`);
    return t as ValType;
  }

  private resource(index: number, scope: Scope, fail: (m: string) => never): ResourceType {
    const t = scope.types[index] ?? fail(`unknown type ${index}`);
    if (t.kind !== 'resource') fail(`type ${index} is not a resource type`);
    return t as ResourceType;
  }

  private defVal(t: DefValType, scope: Scope, fail: (m: string) => never): ValType {
    const vt = (r: ValTypeRef): ValType => this.valType(r, scope, fail);
    const unique = (names: string[], what: string): void => {
      const seen = new Set<string>();
      for (const n of names) {
        const k = n.toLowerCase();
        if (seen.has(k)) fail(`duplicate ${what} name "${n}"`);
        seen.add(k);
      }
    };
    switch (t.kind) {
      // A defined primitive gets an object of its own, so `type filesize = u64` keeps its name.
      case 'prim': return { kind: 'prim', prim: t.prim };
      case 'record':
        if (t.fields.length === 0) fail('record type must have at least one field');
        unique(t.fields.map((f) => f.name), 'field');
        return { kind: 'record', fields: t.fields.map((f) => ({ name: f.name, type: vt(f.type) })) };
      case 'variant':
        if (t.cases.length === 0) fail('variant type must have at least one case');
        unique(t.cases.map((c) => c.name), 'case');
        return { kind: 'variant', cases: t.cases.map((c) => ({ name: c.name, type: c.type && vt(c.type) })) };
      case 'list':
        if (t.length === 0) fail('fixed-size list must have a length greater than 0');
        return { kind: 'list', elem: vt(t.elem), length: t.length };
      case 'tuple':
        if (t.elems.length === 0) fail('tuple type must have at least one element');
        return { kind: 'tuple', elems: t.elems.map(vt) };
      case 'flags':
        if (t.names.length === 0 || t.names.length > 32) fail('flags type must have between 1 and 32 flags');
        unique(t.names, 'flag');
        return { kind: 'flags', names: t.names };
      case 'enum':
        if (t.names.length === 0) fail('enum type must have at least one case');
        unique(t.names, 'enum case');
        return { kind: 'enum', names: t.names };
      case 'option': return { kind: 'option', elem: vt(t.elem) };
      case 'result': return { kind: 'result', ok: t.ok && vt(t.ok), err: t.err && vt(t.err) };
      case 'own': return { kind: 'own', resource: this.resource(t.index, scope, fail) };
      case 'borrow': return { kind: 'borrow', resource: this.resource(t.index, scope, fail) };
      case 'stream': return { kind: 'stream', elem: t.elem && vt(t.elem) };
      case 'future': return { kind: 'future', elem: t.elem && vt(t.elem) };
      case 'map': return { kind: 'map', key: vt(t.key), value: vt(t.value) };
    }
  }

  typeDef(t: TypeDef, scope: Scope, fail: (m: string) => never): TypeEntry {
    switch (t.kind) {
      case 'defval': return this.defVal(t.type, scope, fail);
      case 'func': {
        const seen = new Set<string>();
        for (const p of t.params) {
          if (seen.has(p.name.toLowerCase())) fail(`duplicate parameter name "${p.name}"`);
          seen.add(p.name.toLowerCase());
        }
        const ft: FuncType = {
          kind: 'func', async: t.async, params: t.params.map((p) => ({ name: p.name, type: this.valType(p.type, scope, fail) })),
          result: t.result && this.valType(t.result, scope, fail),
        };
        if (ft.result && containsBorrow(ft.result)) fail('function results cannot hold borrow handles');
        return ft;
      }
      case 'resource': {
        if (!scope.isComponent) fail('resource types cannot be defined inside component or instance types');
        if (t.rep !== 0x7f) fail('resource representation must be i32');
        if (t.dtor !== undefined) {
          const d = scope.coreFuncs[t.dtor] ?? fail(`unknown core function ${t.dtor} (resource destructor)`);
          if (!sameCoreFunc(d, { params: [0x7f], results: [] })) fail(`resource destructor must have type (func (param i32)), got ${coreFuncText(d)}`);
        }
        return { kind: 'resource', name: undefined, local: { rep: t.rep, dtor: t.dtor } };
      }
      case 'instance': case 'component': return this.typeDecls(t.kind, t.decls, scope, fail);
    }
  }

  private typeDecls(kind: 'instance' | 'component', decls: Decl[], parent: Scope, outerFail: (m: string) => never): InstanceType | ComponentType {
    const scope = newScope(parent, false);
    const imports = new Map<string, ExternType>();
    const exports = new Map<string, ExternType>();
    const typeNames = new Map<TypeEntry, string>();
    for (const d of decls) {
      const fail = (m: string): never => {
        throw new ValidationError(m, d.offset);
      };
      switch (d.kind) {
        case 'core-type': scope.coreTypes.push(this.coreType(d.type, scope, fail)); break;
        case 'type': scope.types.push(this.typeDef(d.type, scope, fail)); break;
        case 'alias':
          if (d.alias.kind === 'core-export') fail('core export aliases are not allowed in type declarations');
          this.alias(d.alias, scope, fail);
          break;
        case 'import': case 'export': {
          const map = d.kind === 'import' ? imports : exports;
          if (map.has(d.name.name)) fail(`duplicate ${d.kind} name "${d.name.name}"`);
          const t = this.externDesc(d.desc, scope, fail, d.name.name);
          const owner = resourceOfName(d.name.name);
          if (owner !== undefined && t.kind === 'func') {
            const r = map.get(owner);
            if (!r || r.kind !== 'type' || r.type.kind !== 'resource') fail(`"${d.name.name}" names resource "${owner}", which is not declared before it`);
          }
          map.set(d.name.name, t);
          if (t.kind === 'type') typeNames.set(t.type, d.name.name);
          this.push(scope, t);
          break;
        }
      }
    }
    void outerFail;
    return kind === 'instance' ? { kind: 'instance', exports, typeNames } : { kind: 'component', imports, exports };
  }

  private externDesc(d: ExternDesc, scope: Scope, fail: (m: string) => never, name: string): ExternType {
    switch (d.kind) {
      case 'module': {
        const t = scope.coreTypes[d.typeIndex];
        if (!t || t.kind !== 'module') return fail(`core type ${d.typeIndex} is not a module type`);
        return { kind: 'module', type: t };
      }
      case 'func': {
        const t = scope.types[d.typeIndex] ?? fail(`unknown type ${d.typeIndex}`);
        if (t.kind !== 'func') fail(`type ${d.typeIndex} is not a function type`);
        return { kind: 'func', type: t as FuncType };
      }
      case 'value':
        return { kind: 'value', type: 'eq' in d.bound ? (scope.values[d.bound.eq] ?? fail(`unknown value ${d.bound.eq}`)) : this.valType(d.bound.type, scope, fail) };
      case 'type': {
        if (d.bound === 'sub-resource') return { kind: 'type', type: { kind: 'resource', name } };
        const t = scope.types[d.bound.eq] ?? fail(`unknown type ${d.bound.eq}`);
        return { kind: 'type', type: t };
      }
      case 'component': {
        const t = scope.types[d.typeIndex] ?? fail(`unknown type ${d.typeIndex}`);
        if (t.kind !== 'component') fail(`type ${d.typeIndex} is not a component type`);
        return { kind: 'component', type: t as ComponentType };
      }
      case 'instance': {
        const t = scope.types[d.typeIndex] ?? fail(`unknown type ${d.typeIndex}`);
        if (t.kind !== 'instance') fail(`type ${d.typeIndex} is not an instance type`);
        return { kind: 'instance', type: t as InstanceType };
      }
    }
  }

  private checkOpts(o: CanonOpts, scope: Scope, fail: (m: string) => never, needMemory: boolean, needRealloc: boolean, lift: boolean): void {
    if (o.memory !== undefined) this.coreItem(scope, 'memory', o.memory, fail);
    else if (needMemory) fail('canonical option memory is required (the function passes strings, lists or spilled values)');
    if (o.realloc !== undefined) {
      const f = this.coreItem(scope, 'func', o.realloc, fail) as CoreFuncType;
      if (!sameCoreFunc(f, { params: [0x7f, 0x7f, 0x7f, 0x7f], results: [0x7f] })) fail(`realloc must have type (func (param i32 i32 i32 i32) (result i32)), got ${coreFuncText(f)}`);
    } else if (needRealloc) fail('canonical option realloc is required (values must be allocated in guest memory)');
    if (o.postReturn !== undefined) {
      if (!lift) fail('post-return is only allowed on canon lift');
      this.coreItem(scope, 'func', o.postReturn, fail);
    }
    if (o.async && o.postReturn !== undefined) fail('canonical options async and post-return cannot be combined');
    if (o.callback !== undefined) {
      if (!lift) fail('the callback option is only allowed on canon lift');
      if (!o.async) fail('the callback option needs the async option');
      const f = this.coreItem(scope, 'func', o.callback, fail) as CoreFuncType;
      if (!sameCoreFunc(f, { params: [0x7f, 0x7f, 0x7f], results: [0x7f] })) fail(`callback must have type (func (param i32 i32 i32) (result i32)), got ${coreFuncText(f)}`);
    }
  }

  private canon(def: import('./model').CanonDef, scope: Scope, fail: (m: string) => never, info: ComponentInfo, defIndex: number): void {
    switch (def.kind) {
      case 'lift': {
        const core = this.coreItem(scope, 'func', def.coreFunc, fail) as CoreFuncType;
        const t = scope.types[def.typeIndex] ?? fail(`unknown type ${def.typeIndex}`);
        if (t.kind !== 'func') fail(`type ${def.typeIndex} is not a function type`);
        const ft = t as FuncType;
        const sig = coreSignature(ft, 'lift', def.opts.async ? { callback: def.opts.callback !== undefined } : undefined);
        if (!sameCoreFunc(core, sig)) fail(`canon lift: core function ${def.coreFunc} has type ${coreFuncText(core)}, the lifted type needs ${coreFuncText({ params: sig.params.map((p) => CORE_CODES[p]), results: sig.results.map((p) => CORE_CODES[p]) })}`);
        const paramsMem = sig.paramsInMemory || ft.params.some((p) => usesMemory(p.type));
        // An async lift passes its result through task.return, whose own options say how.
        const resultMem = !def.opts.async && (sig.resultsInMemory || (ft.result !== undefined && usesMemory(ft.result)));
        this.checkOpts(def.opts, scope, fail, paramsMem || resultMem, paramsMem, true);
        if (def.opts.postReturn !== undefined) {
          const pr = scope.coreFuncs[def.opts.postReturn]!;
          if (!sameCoreFunc(pr, { params: sig.results, results: [] })) fail(`post-return must take the core results ${coreFuncText({ params: sig.results.map((p) => CORE_CODES[p]), results: [] })}`);
        }
        info.canonTypes.set(defIndex, ft);
        scope.funcs.push(ft);
        break;
      }
      case 'lower': {
        const ft = scope.funcs[def.func] ?? fail(`unknown function ${def.func}`);
        const sig = coreSignature(ft, 'lower', def.opts.async ? { callback: false } : undefined);
        const paramsMem = sig.paramsInMemory || ft.params.some((p) => usesMemory(p.type));
        const resultMem = sig.resultsInMemory || (ft.result !== undefined && usesMemory(ft.result));
        const resultAlloc = ft.result !== undefined && usesMemory(ft.result);
        this.checkOpts(def.opts, scope, fail, paramsMem || resultMem, resultAlloc, false);
        info.canonTypes.set(defIndex, ft);
        scope.coreFuncs.push({ kind: 'func', params: sig.params.map((p) => CORE_CODES[p]), results: sig.results.map((p) => CORE_CODES[p]) });
        break;
      }
      case 'resource.new': case 'resource.drop': case 'resource.rep': {
        const r = this.resource(def.typeIndex, scope, fail);
        if (def.kind !== 'resource.drop' && !r.local) fail(`${def.kind} needs a resource type defined by this component`);
        info.canonResources.set(defIndex, r);
        scope.coreFuncs.push(def.kind === 'resource.drop' ? { kind: 'func', params: [0x7f], results: [] } : { kind: 'func', params: [0x7f], results: [0x7f] });
        break;
      }
      case 'builtin': {
        const t = this.builtin(def, scope, fail, info, defIndex);
        scope.coreFuncs.push({ kind: 'func', params: t.params.map((p) => CORE_CODES[p]), results: t.results.map((p) => CORE_CODES[p]) });
        break;
      }
    }
  }

  /** Checks an async built-in's immediates and gives its core function type (CanonicalABI.md, each built-in's "validation specifies"). */
  private builtin(def: BuiltinDef, scope: Scope, fail: (m: string) => never, info: ComponentInfo, defIndex: number): { params: CoreNum[]; results: CoreNum[] } {
    const bi: BuiltinInfo = {};
    info.canonBuiltins.set(defIndex, bi);
    const sig = (params: CoreNum[], results: CoreNum[] = []): { params: CoreNum[]; results: CoreNum[] } => ({ params, results });
    const typed = (want: 'stream' | 'future'): void => {
      const t = scope.types[def.type!] ?? fail(`unknown type ${def.type}`);
      if (t.kind !== want) fail(`canon ${def.name}: type ${def.type} is not a ${want} type`);
      bi.type = t as Extract<ValType, { kind: 'stream' | 'future' }>;
    };
    switch (def.name) {
      case 'task.cancel': case 'backpressure.inc': case 'backpressure.dec': return sig([]);
      case 'task.return': {
        if (def.result) bi.result = this.valType(def.result, scope, fail);
        const o = def.opts!;
        if (o.realloc !== undefined || o.postReturn !== undefined || o.async || o.callback !== undefined) fail('canon task.return: only the memory and string-encoding options are allowed');
        const flat = bi.result === undefined ? [] : flatten(bi.result);
        const inMemory = flat.length > MAX_FLAT_PARAMS;
        this.checkOpts(o, scope, fail, inMemory || (bi.result !== undefined && usesMemory(bi.result)), false, false);
        return sig(inMemory ? ['i32'] : flat);
      }
      case 'context.get': case 'context.set':
        if (def.slotType !== 0x7f) fail(`canon ${def.name}: the slot type must be i32`);
        if (def.slot! >= 2) fail(`canon ${def.name}: slot ${def.slot} is out of range (there are 2)`);
        return def.name === 'context.get' ? sig([], ['i32']) : sig(['i32']);
      case 'subtask.cancel': return sig(['i32'], ['i32']);
      case 'subtask.drop': return sig(['i32']);
      case 'thread.yield': return sig([], ['i32']);
      case 'stream.new': typed('stream'); return sig([], ['i64']);
      case 'future.new': typed('future'); return sig([], ['i64']);
      case 'stream.read': case 'stream.write': case 'future.read': case 'future.write': {
        typed(def.name.startsWith('stream') ? 'stream' : 'future');
        const elem = bi.type!.elem;
        const o = def.opts!;
        if (o.postReturn !== undefined || o.callback !== undefined) fail(`canon ${def.name}: post-return and callback are not allowed`);
        if (elem !== undefined && containsBorrow(elem)) fail(`canon ${def.name}: the element type may not hold borrow handles`);
        const mem = elem !== undefined;
        const reading = def.name.endsWith('read');
        this.checkOpts(o, scope, fail, mem, reading && elem !== undefined && usesMemory(elem), false);
        return def.name.startsWith('stream') ? sig(['i32', 'i32', 'i32'], ['i32']) : sig(['i32', 'i32'], ['i32']);
      }
      case 'stream.cancel-read': case 'stream.cancel-write': typed('stream'); return sig(['i32'], ['i32']);
      case 'future.cancel-read': case 'future.cancel-write': typed('future'); return sig(['i32'], ['i32']);
      case 'stream.drop-readable': case 'stream.drop-writable': typed('stream'); return sig(['i32']);
      case 'future.drop-readable': case 'future.drop-writable': typed('future'); return sig(['i32']);
      case 'error-context.new': this.checkOpts(def.opts!, scope, fail, true, false, false); return sig(['i32', 'i32'], ['i32']);
      case 'error-context.debug-message': this.checkOpts(def.opts!, scope, fail, true, true, false); return sig(['i32', 'i32']);
      case 'error-context.drop': return sig(['i32']);
      case 'waitable-set.new': return sig([], ['i32']);
      case 'waitable-set.wait': case 'waitable-set.poll':
        this.coreItem(scope, 'memory', def.memory!, fail);
        return sig(['i32', 'i32'], ['i32']);
      case 'waitable-set.drop': return sig(['i32']);
      case 'waitable.join': return sig(['i32', 'i32']);
      case 'thread.index': return sig([], ['i32']);
      default:
        return fail(`canon ${def.name} (component-model threads) is not supported`);
    }
  }
}

function sameFunc(a: FuncType, b: FuncType): boolean {
  return a === b || (a.params.length === b.params.length && coreSignature(a, 'lift').params.join() === coreSignature(b, 'lift').params.join()
    && coreSignature(a, 'lift').results.join() === coreSignature(b, 'lift').results.join());
}
