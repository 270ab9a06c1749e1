// The component's world as a user reads it: imported and exported interfaces with their WIT
// types, functions and resources, plus the nested core modules. `describeWorld` gives plain
// data (inspect --json, the module tree), `formatWit` prints it as WIT text.
import { decodeComponentNames } from './names';
import { valTypeName, type Module } from '../binary/module';
import type { ExternType, FuncType, InstanceType, ResourceType, TypeEntry, ValType } from './types';
import type { ComponentInfo } from './validate';

export interface WitFunction {
  name: string;
  /** `func(path: string) -> result<descriptor, error-code>` */
  signature: string;
}

export interface WitTypeDef {
  name: string;
  kind: 'record' | 'variant' | 'enum' | 'flags' | 'resource' | 'alias' | 'use';
  /** The definition as WIT (`record x { a: u32, }`, `use wasi:io/streams@0.2.12.{error}`). */
  wit: string;
  /** Resources: constructor, methods and static functions. */
  methods?: WitFunction[];
}

export interface WitItem {
  /** `wasi:filesystem/types@0.2.12`, or a plain name (`run`) for a function or type import/export. */
  name: string;
  kind: ExternType['kind'];
  types: WitTypeDef[];
  functions: WitFunction[];
}

export interface CoreModuleView {
  index: number;
  name: string | undefined;
  /** Byte offset and size of the module inside the component binary. */
  offset: number;
  size: number;
  imports: { module: string; name: string; kind: string; type?: string }[];
  exports: { name: string; kind: string }[];
  functions: number;
}

export interface WorldView {
  imports: WitItem[];
  exports: WitItem[];
  coreModules: CoreModuleView[];
  components: number;
}

/** Who names a type: the interface that exports it, and the name. */
interface Owner {
  iface: string;
  name: string;
}

export function describeWorld(info: ComponentInfo): WorldView {
  const owners = new Map<TypeEntry, Owner>();
  const all = [...info.imports, ...info.exports];
  for (const item of all) {
    if (item.type.kind !== 'instance') continue;
    for (const [t, name] of item.type.type.typeNames) if (!owners.has(t)) owners.set(t, { iface: item.name, name });
  }
  const view = (item: { name: string; type: ExternType }): WitItem => describeItem(item.name, item.type, owners);
  const moduleNames = decodeComponentNames(info.component).spaces.get('core module');
  const coreModules: CoreModuleView[] = [];
  let components = 0;
  for (const d of info.component.definitions) {
    if (d.kind === 'component') components++;
    if (d.kind !== 'core-module') continue;
    const index = coreModules.length;
    coreModules.push(coreModuleView(d.module, index, moduleNames?.get(index), d.offset, d.size));
  }
  return { imports: info.imports.map(view), exports: info.exports.map(view), coreModules, components };
}

function coreModuleView(m: Module, index: number, name: string | undefined, offset: number, size: number): CoreModuleView {
  return {
    index, name, offset, size,
    imports: m.imports.map((i) => {
      const t = i.desc.kind === 'func' ? m.types[i.desc.typeIndex] : undefined;
      const type = t ? `(${t.params.map(valTypeName).join(', ')}) -> (${t.results.map(valTypeName).join(', ')})` : undefined;
      return { module: i.module, name: i.name, kind: i.desc.kind, ...(type !== undefined ? { type } : {}) };
    }),
    exports: m.exports.map((e) => ({ name: e.name, kind: e.kind })),
    functions: m.funcs.length,
  };
}

function describeItem(name: string, t: ExternType, owners: Map<TypeEntry, Owner>): WitItem {
  const item: WitItem = { name, kind: t.kind, types: [], functions: [] };
  const printer = new TypePrinter(name, t.kind === 'instance' ? t.type : undefined, owners);
  switch (t.kind) {
    case 'func':
      item.functions.push({ name, signature: printer.func(t.type, false) });
      break;
    case 'type':
      item.types.push(printer.typeDef(name, t.type));
      break;
    case 'instance': {
      const inst = t.type;
      const resources = new Map<string, WitTypeDef>();
      for (const [n, e] of inst.exports) {
        if (e.kind !== 'type') continue;
        const def = printer.typeDef(n, e.type);
        if (def.kind === 'resource') resources.set(n, def);
        item.types.push(def);
      }
      for (const [n, e] of inst.exports) {
        if (e.kind !== 'func') continue;
        const m = /^\[(constructor|method|static)\](.+)$/.exec(n);
        if (m) {
          const [resName, fname] = m[1] === 'constructor' ? [m[2]!, 'constructor'] : splitDot(m[2]!);
          const r = resources.get(resName);
          if (r) {
            const sig = m[1] === 'constructor' ? printer.constructorSig(e.type) : m[1] === 'static' ? `static ${printer.func(e.type, false)}` : printer.func(e.type, true);
            r.methods!.push({ name: fname, signature: sig });
            continue;
          }
        }
        item.functions.push({ name: n, signature: printer.func(e.type, false) });
      }
      for (const r of resources.values()) {
        r.wit = r.methods!.length === 0 ? `resource ${r.name};`
          : `resource ${r.name} {\n${r.methods!.map((m) => `  ${m.name === 'constructor' ? m.signature : `${m.name}: ${m.signature}`};`).join('\n')}\n}`;
      }
      const uses = printer.usesText();
      if (uses.length > 0) item.types.unshift(...uses);
      break;
    }
    default:
      break;
  }
  return item;
}

function splitDot(s: string): [string, string] {
  const i = s.indexOf('.');
  return i < 0 ? [s, s] : [s.slice(0, i), s.slice(i + 1)];
}

class TypePrinter {
  private readonly uses = new Map<string, Set<string>>();
  constructor(private readonly iface: string, private readonly inst: InstanceType | undefined, private readonly owners: Map<TypeEntry, Owner>) {}

  /** A type's name where it has one (declared here, or used from another interface), else undefined. */
  private nameOf(t: TypeEntry): string | undefined {
    const local = this.inst?.typeNames.get(t);
    if (local !== undefined) return local;
    const o = this.owners.get(t);
    if (o === undefined) return t.kind === 'resource' ? t.name : undefined;
    if (o.iface !== this.iface) {
      let set = this.uses.get(o.iface);
      if (!set) this.uses.set(o.iface, (set = new Set()));
      set.add(o.name);
    }
    return o.name;
  }

  usesText(): WitTypeDef[] {
    return [...this.uses].map(([iface, names]) => ({ name: iface, kind: 'use' as const, wit: `use ${iface}.{${[...names].join(', ')}};` }));
  }

  ref(t: ValType): string {
    const n = this.nameOf(t);
    return n ?? this.structural(t);
  }

  private structural(t: ValType): string {
    switch (t.kind) {
      case 'prim': return t.prim;
      case 'list': return t.length !== undefined ? `list<${this.ref(t.elem)}, ${t.length}>` : `list<${this.ref(t.elem)}>`;
      case 'option': return `option<${this.ref(t.elem)}>`;
      case 'result':
        if (!t.ok && !t.err) return 'result';
        if (!t.err) return `result<${this.ref(t.ok!)}>`;
        return `result<${t.ok ? this.ref(t.ok) : '_'}, ${this.ref(t.err)}>`;
      case 'tuple': return `tuple<${t.elems.map((e) => this.ref(e)).join(', ')}>`;
      case 'own': return this.resourceName(t.resource);
      case 'borrow': return `borrow<${this.resourceName(t.resource)}>`;
      case 'stream': return t.elem ? `stream<${this.ref(t.elem)}>` : 'stream';
      case 'future': return t.elem ? `future<${this.ref(t.elem)}>` : 'future';
      case 'map': return `map<${this.ref(t.key)}, ${this.ref(t.value)}>`;
      case 'record': return `record { ${t.fields.map((f) => `${f.name}: ${this.ref(f.type)}`).join(', ')} }`;
      case 'variant': return `variant { ${t.cases.map((c) => (c.type ? `${c.name}(${this.ref(c.type)})` : c.name)).join(', ')} }`;
      case 'enum': return `enum { ${t.names.join(', ')} }`;
      case 'flags': return `flags { ${t.names.join(', ')} }`;
    }
  }

  private resourceName(r: ResourceType): string {
    return this.nameOf(r) ?? r.name ?? 'resource';
  }

  func(f: FuncType, method: boolean): string {
    const params = method ? f.params.slice(1) : f.params;
    const ps = params.map((p) => `${p.name}: ${this.ref(p.type)}`).join(', ');
    return `${f.async ? 'async ' : ''}func(${ps})${f.result ? ` -> ${this.ref(f.result)}` : ''}`;
  }

  constructorSig(f: FuncType): string {
    const ps = f.params.map((p) => `${p.name}: ${this.ref(p.type)}`).join(', ');
    // A fallible constructor returns result<own<R>, E>; plain constructors return own<R>, which WIT leaves out.
    const res = f.result && f.result.kind === 'result' ? ` -> ${this.ref(f.result)}` : '';
    return `constructor(${ps})${res}`;
  }

  typeDef(name: string, t: TypeEntry): WitTypeDef {
    const o = this.owners.get(t);
    if (o && o.iface !== this.iface) {
      this.nameOf(t);
      return { name, kind: 'use', wit: `use ${o.iface}.{${o.name === name ? name : `${o.name} as ${name}`}};` };
    }
    switch (t.kind) {
      case 'resource': return { name, kind: 'resource', wit: `resource ${name};`, methods: [] };
      case 'record': return { name, kind: 'record', wit: `record ${name} {\n${t.fields.map((f) => `  ${f.name}: ${this.ref(f.type)},`).join('\n')}\n}` };
      case 'variant': return { name, kind: 'variant', wit: `variant ${name} {\n${t.cases.map((c) => `  ${c.type ? `${c.name}(${this.ref(c.type)})` : c.name},`).join('\n')}\n}` };
      case 'enum': return { name, kind: 'enum', wit: `enum ${name} {\n${t.names.map((n) => `  ${n},`).join('\n')}\n}` };
      case 'flags': return { name, kind: 'flags', wit: `flags ${name} {\n${t.names.map((n) => `  ${n},`).join('\n')}\n}` };
      case 'func': return { name, kind: 'alias', wit: `type ${name} = ${this.func(t, false)};` };
      case 'instance': case 'component': return { name, kind: 'alias', wit: `type ${name} = ${t.kind};` };
      // Printed by structure: through its own name it would read `type x = x`.
      default: return { name, kind: 'alias', wit: `type ${name} = ${this.structural(t)};` };
    }
  }
}

/** `import wasi:cli/exit@0.2.12;` lines of the world, then each interface with its definitions, then the core modules. */
export function formatWit(w: WorldView): string {
  const out: string[] = ['package root:component;', '', 'world root {'];
  const line = (dir: 'import' | 'export', i: WitItem): string => {
    if (i.kind === 'instance') return `  ${dir} ${i.name};`;
    if (i.kind === 'func') return `  ${dir} ${i.name}: ${i.functions[0]?.signature ?? 'func()'};`;
    if (i.kind === 'type') return `  ${dir} ${i.types[0]?.wit.replace(/\n/g, '\n  ') ?? i.name}`;
    return `  ${dir} ${i.name}: ${i.kind};`;
  };
  for (const i of w.imports) out.push(line('import', i));
  if (w.imports.length > 0 && w.exports.length > 0) out.push('');
  for (const e of w.exports) out.push(line('export', e));
  out.push('}');
  for (const [dir, items] of [['import', w.imports], ['export', w.exports]] as const) {
    for (const i of items) {
      if (i.kind !== 'instance') continue;
      out.push('', `// ${dir} ${i.name}`, `interface ${interfaceShortName(i.name)} {`);
      for (const t of i.types) out.push(...t.wit.split('\n').map((l) => `  ${l}`));
      if (i.types.length > 0 && i.functions.length > 0) out.push('');
      for (const f of i.functions) out.push(`  ${f.name}: ${f.signature};`);
      out.push('}');
    }
  }
  if (w.coreModules.length > 0) {
    out.push('', `// ${w.coreModules.length} core module${w.coreModules.length === 1 ? '' : 's'}${w.components > 0 ? `, ${w.components} nested component${w.components === 1 ? '' : 's'}` : ''}`);
    for (const m of w.coreModules) {
      out.push(`// core module ${m.index}${m.name ? ` ${m.name}` : ''} (${m.size} bytes at 0x${m.offset.toString(16)}, ${m.functions} functions)`);
      for (const i of m.imports) out.push(`//   import "${i.module}" "${i.name}" (${i.kind}${i.type ? ` ${i.type}` : ''})`);
      for (const e of m.exports) out.push(`//   export "${e.name}" (${e.kind})`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** `wasi:filesystem/types@0.2.12` → `types`. */
export function interfaceShortName(name: string): string {
  const m = /^[^:]+:[^/]+\/([^@]+)/.exec(name);
  return m ? m[1]! : name;
}
