// A component (the decoded model) as component text, in the syntax of wasm-tools' printer:
// `(component (core module ...) (core instance ...) (alias ...) (type ...) (canon ...) ...)`.
// Items are referred to by index, and each definition carries its index as a `(;N;)` comment.
// The engine prints no core code itself: the caller passes the printer of a core module (the
// .wasm→.wat converter), whose `(module ...)` text is nested as `(core module ...)`.
import type { ValTypeCode } from '../types';
import { formatType } from '../types';
import type {
  Alias, CanonDef, CanonOpts, Component, CoreExternDesc, CoreModuleDecl, CoreTypeDef, Decl, DefValType, Definition,
  ExternDesc, InstanceDef, CoreInstanceDef, Sort, SortIdx, TypeDef, ValTypeRef,
} from './model';
import { optionOrder } from './encode';
import { decodeComponentNames, type ComponentNames } from './names';
import { isIdChar } from '../text/lexer';
import type { Wabt } from '../check/wabt-loader';
import type { Features } from '../features';
import { nestedModuleToWat } from '../inspect/wabt-convert';
import { decodeComponent } from './decode';
import { validateComponent } from './validate';

export interface PrintOptions {
  /** Text of one core module, starting with `(module`: the bytes are a copy of the module's binary. */
  coreModule: (bytes: Uint8Array) => string;
}

const str = (s: string): string => JSON.stringify(s);
const idx = (n: number): string => `(;${n};)`;

/** Counts of each index space, so every definition shows its index (and its name, when it has one). */
class Spaces {
  private readonly counts = new Map<string, number>();
  /** Names already printed, per space: a name is printed once (a second `$x` would not read back). */
  private readonly used = new Map<string, Set<string>>();
  constructor(private readonly names?: ComponentNames) {}

  next(space: string): number {
    const n = this.counts.get(space) ?? 0;
    this.counts.set(space, n + 1);
    return n;
  }

  /** `$name ` for index `n` of `space` (from the name section, else `fallback`), or '' when it has none or it is taken. */
  label(space: string, n: number, fallback?: string): string {
    const name = this.names?.spaces.get(space)?.get(n) ?? fallback;
    if (name === undefined || name === '') return '';
    let used = this.used.get(space);
    if (!used) this.used.set(space, (used = new Set()));
    if (used.has(name)) return '';
    used.add(name);
    return `${identifier(name)} `;
  }

  /** The next index of `space` as `$name (;n;)` or `(;n;)`. */
  def(space: string): string {
    const n = this.next(space);
    return `${this.label(space, n)}${idx(n)}`;
  }
}

/** `$name`, or `$"name"` when a character is not an idchar. */
function identifier(name: string): string {
  let plain = true;
  for (let i = 0; i < name.length; i++) if (!isIdChar(name.charCodeAt(i))) plain = false;
  if (plain) return `$${name}`;
  let out = '';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (c < 0x20 || c === 0x7f) out += `\\${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `$"${out}"`;
}

const sortKey = (s: Sort): string => (typeof s === 'string' ? s : `core ${s.core}`);

function coreValType(t: number): string {
  return formatType(t as ValTypeCode);
}

function valType(t: ValTypeRef | undefined): string {
  if (t === undefined) return '';
  return 'prim' in t ? t.prim : String(t.index);
}

function defValType(t: DefValType): string {
  switch (t.kind) {
    case 'prim': return t.prim;
    case 'record': return `(record${t.fields.map((f) => ` (field ${str(f.name)} ${valType(f.type)})`).join('')})`;
    case 'variant': return `(variant${t.cases.map((c) => ` (case ${str(c.name)}${c.type ? ` ${valType(c.type)}` : ''})`).join('')})`;
    case 'list': return `(list ${valType(t.elem)}${t.length !== undefined ? ` ${t.length}` : ''})`;
    case 'tuple': return `(tuple${t.elems.map((e) => ` ${valType(e)}`).join('')})`;
    case 'flags': return `(flags${t.names.map((n) => ` ${str(n)}`).join('')})`;
    case 'enum': return `(enum${t.names.map((n) => ` ${str(n)}`).join('')})`;
    case 'option': return `(option ${valType(t.elem)})`;
    case 'result': return `(result${t.ok ? ` ${valType(t.ok)}` : ''}${t.err ? ` (error ${valType(t.err)})` : ''})`;
    case 'own': return `(own ${t.index})`;
    case 'borrow': return `(borrow ${t.index})`;
    case 'stream': return `(stream${t.elem ? ` ${valType(t.elem)}` : ''})`;
    case 'future': return `(future${t.elem ? ` ${valType(t.elem)}` : ''})`;
    case 'map': return `(map ${valType(t.key)} ${valType(t.value)})`;
  }
}

class Printer {
  readonly out: string[] = [];
  constructor(private readonly options: PrintOptions, private readonly bytes: Uint8Array) {}

  line(depth: number, text: string): void {
    this.out.push(`${'  '.repeat(depth)}${text}`);
  }

  component(c: Component, depth: number, head: string | undefined): void {
    const names = decodeComponentNames(c);
    const own = names.component !== undefined && head === undefined ? ` ${identifier(names.component)}` : '';
    this.line(depth, head === undefined ? `(component${own}` : `(component ${head}`);
    const spaces = new Spaces(names);
    for (const d of c.definitions) this.definition(d, depth + 1, spaces);
    this.out[this.out.length - 1] += ')';
  }

  private definition(d: Definition, depth: number, spaces: Spaces): void {
    switch (d.kind) {
      case 'core-module': {
        const n = spaces.next('core module');
        const text = this.options.coreModule(new Uint8Array(this.bytes.subarray(d.offset, d.offset + d.size))).trimEnd();
        const m = /^\(module\b( \$[^\s()]+)?/.exec(text);
        if (!m) throw new Error('the core module printer did not produce a (module ...)');
        // The component's name for the module, else the module's own (`$name` as the core printer wrote it).
        const own = m[1]?.slice(2);
        const label = spaces.label('core module', n, own !== undefined && !own.startsWith('"') ? own : undefined);
        const lines = `(core module ${label}${idx(n)}${text.slice(m[0].length)}`.split('\n');
        for (const l of lines) this.line(depth, l);
        break;
      }
      case 'core-instance':
        this.line(depth, `(core instance ${spaces.def('core instance')}${coreInstance(d.def)})`);
        break;
      case 'core-type':
        this.coreType(d.type, depth, spaces.def('core type'));
        break;
      case 'component':
        this.component(d.component, depth, spaces.def('component'));
        break;
      case 'instance':
        this.line(depth, `(instance ${spaces.def('instance')}${instance(d.def)})`);
        break;
      case 'alias':
        this.line(depth, alias(d.alias, spaces));
        break;
      case 'type':
        this.type(d.type, depth, spaces.def('type'), spaces);
        break;
      case 'canon':
        this.line(depth, canon(d.def, spaces));
        break;
      case 'start': {
        const results = Array.from({ length: d.results }, () => ` (result (value ${spaces.def('value')}))`).join('');
        this.line(depth, `(start ${d.func}${d.args.map((a) => ` (value ${a})`).join('')}${results})`);
        break;
      }
      case 'import':
        this.line(depth, `(import ${str(d.name.name)} ${externDesc(d.desc, spaces)})`);
        break;
      case 'export': {
        this.line(depth, `(export ${spaces.def(sortKey(d.item.sort))} ${str(d.name.name)} ${sortIdx(d.item)}${d.desc ? ` ${externDesc(d.desc, undefined)}` : ''})`);
        break;
      }
    }
  }

  private coreType(t: CoreTypeDef, depth: number, head: string): void {
    if (t.kind === 'module') {
      this.line(depth, `(core type ${head} (module`);
      const s = new Spaces();
      for (const d of t.decls) this.line(depth + 1, coreModuleDecl(d, s));
      this.out[this.out.length - 1] += '))';
      return;
    }
    this.line(depth, `(core type ${head} ${coreTypeBody(t)})`);
  }

  /** A type definition; `spaces` is the enclosing scope (resource dtor indices are not counted). */
  private type(t: TypeDef, depth: number, head: string, _spaces: Spaces): void {
    if (t.kind === 'component' || t.kind === 'instance') {
      this.line(depth, `(type ${head}`);
      this.line(depth + 1, `(${t.kind}`);
      const inner = new Spaces();
      for (const d of t.decls) this.decl(d, depth + 2, inner);
      this.out[this.out.length - 1] += '))';
      return;
    }
    this.line(depth, `(type ${head} ${typeBody(t)})`);
  }

  private decl(d: Decl, depth: number, spaces: Spaces): void {
    switch (d.kind) {
      case 'core-type': this.coreType(d.type, depth, spaces.def('core type')); break;
      case 'type': this.type(d.type, depth, spaces.def('type'), spaces); break;
      case 'alias': this.line(depth, alias(d.alias, spaces)); break;
      case 'import': this.line(depth, `(import ${str(d.name.name)} ${externDesc(d.desc, spaces)})`); break;
      case 'export': this.line(depth, `(export ${str(d.name.name)} ${externDesc(d.desc, spaces)})`); break;
    }
  }
}

function coreTypeBody(t: CoreTypeDef): string {
  switch (t.kind) {
    case 'func': {
      const params = t.params.length ? ` (param${t.params.map((p) => ` ${coreValType(p)}`).join('')})` : '';
      const results = t.results.length ? ` (result${t.results.map((p) => ` ${coreValType(p)}`).join('')})` : '';
      return `(func${params}${results})`;
    }
    case 'module': return `(module${t.decls.map((d) => ` ${coreModuleDecl(d, new Spaces())}`).join('')})`;
    case 'other': throw new Error(`cannot print core type form 0x${t.code.toString(16)} (GC types in a component)`);
  }
}

function coreModuleDecl(d: CoreModuleDecl, s: Spaces): string {
  switch (d.kind) {
    case 'import': return `(import ${str(d.module)} ${str(d.name)} ${coreExternDesc(d.desc, s)})`;
    case 'export': return `(export ${str(d.name)} ${coreExternDesc(d.desc, undefined)})`;
    case 'type': return `(type ${s.def('type')} ${coreTypeBody(d.type)})`;
    case 'alias': return `(alias outer ${d.outer} ${d.index} (type ${s.def('type')}))`;
  }
}

function limits(min: number, max: number | undefined): string {
  return `${min}${max !== undefined ? ` ${max}` : ''}`;
}

function coreExternDesc(d: CoreExternDesc, s: Spaces | undefined): string {
  const n = s ? ` ${s.def(d.kind)}` : '';
  switch (d.kind) {
    case 'func': return `(func${n} (type ${d.typeIndex}))`;
    case 'tag': return `(tag${n} (type ${d.typeIndex}))`;
    case 'table': return `(table${n} ${limits(d.min, d.max)} ${coreValType(d.elemType)})`;
    case 'memory': return `(memory${n}${d.memory64 ? ' i64' : ''} ${limits(d.min, d.max)}${d.shared ? ' shared' : ''})`;
    case 'global': return `(global${n} ${d.mutable ? `(mut ${coreValType(d.type)})` : coreValType(d.type)})`;
  }
}

function typeBody(t: TypeDef): string {
  switch (t.kind) {
    case 'defval': return defValType(t.type);
    case 'func': {
      const params = t.params.map((p) => ` (param ${str(p.name)} ${valType(p.type)})`).join('');
      return `(func${t.async ? ' async' : ''}${params}${t.result ? ` (result ${valType(t.result)})` : ''})`;
    }
    case 'resource':
      return `(resource (rep ${coreValType(t.rep)})${t.dtor !== undefined ? ` (dtor${t.async ? ' async' : ''} (func ${t.dtor}))` : ''})`;
    case 'component': case 'instance':
      throw new Error('nested component/instance types are printed by the printer');
  }
}

function sortText(s: Sort): string {
  return typeof s === 'string' ? s : `core ${s.core}`;
}

function sortIdx(i: SortIdx): string {
  return `(${sortText(i.sort)} ${i.index})`;
}

function externDesc(d: ExternDesc, s: Spaces | undefined): string {
  const space = d.kind === 'module' ? 'core module' : d.kind;
  const n = s ? ` ${s.def(space)}` : '';
  switch (d.kind) {
    case 'module': return `(core module${n} (type ${d.typeIndex}))`;
    case 'func': case 'component': case 'instance': return `(${d.kind}${n} (type ${d.typeIndex}))`;
    case 'value': return `(value${n} ${'eq' in d.bound ? `(eq ${d.bound.eq})` : valType(d.bound.type)})`;
    case 'type': return `(type${n} ${d.bound === 'sub-resource' ? '(sub resource)' : `(eq ${d.bound.eq})`})`;
  }
}

function coreInstance(d: CoreInstanceDef): string {
  if (d.kind === 'instantiate') {
    return ` (instantiate ${d.module}${d.args.map((a) => ` (with ${str(a.name)} (instance ${a.instance}))`).join('')})`;
  }
  return d.exports.map((e) => ` (export ${str(e.name)} (${e.item.sort} ${e.item.index}))`).join('');
}

function instance(d: InstanceDef): string {
  if (d.kind === 'instantiate') {
    return ` (instantiate ${d.component}${d.args.map((a) => ` (with ${str(a.name)} ${sortIdx(a.item)})`).join('')})`;
  }
  return d.exports.map((e) => ` (export ${str(e.name.name)} ${sortIdx(e.item)})`).join('');
}

function alias(a: Alias, s: Spaces): string {
  switch (a.kind) {
    case 'export': return `(alias export ${a.instance} ${str(a.name)} (${sortText(a.sort)} ${s.def(sortKey(a.sort))}))`;
    case 'core-export': return `(alias core export ${a.instance} ${str(a.name)} (core ${a.sort} ${s.def(`core ${a.sort}`)}))`;
    case 'outer': return `(alias outer ${a.count} ${a.index} (${sortText(a.sort)} ${s.def(sortKey(a.sort))}))`;
  }
}

function opts(o: CanonOpts | undefined): string {
  if (!o) return '';
  let t = '';
  for (const tag of optionOrder(o)) {
    switch (tag) {
      case 0x00: t += ' string-encoding=utf8'; break;
      case 0x01: t += ' string-encoding=utf16'; break;
      case 0x02: t += ' string-encoding=latin1+utf16'; break;
      case 0x03: t += ` (memory ${o.memory ?? 0})`; break;
      case 0x04: t += ` (realloc ${o.realloc ?? 0})`; break;
      case 0x05: t += ` (post-return ${o.postReturn ?? 0})`; break;
      case 0x06: t += ' async'; break;
      case 0x07: t += ` (callback ${o.callback ?? 0})`; break;
      default: break;
    }
  }
  return t;
}

function canon(d: CanonDef, s: Spaces): string {
  switch (d.kind) {
    case 'lift':
      return `(func ${s.def('func')} (type ${d.typeIndex}) (canon lift (core func ${d.coreFunc})${opts(d.opts)}))`;
    case 'lower':
      return `(core func ${s.def('core func')} (canon lower (func ${d.func})${opts(d.opts)}))`;
    case 'resource.new': case 'resource.rep':
      return `(core func ${s.def('core func')} (canon ${d.kind} ${d.typeIndex}))`;
    case 'resource.drop':
      return `(core func ${s.def('core func')} (canon resource.drop ${d.typeIndex}${d.async ? ' async' : ''}))`;
    case 'builtin': {
      let t = '';
      if (d.code === 0x09) t += d.result ? ` (result ${valType(d.result)})` : '';
      if (d.slotType !== undefined) t += ` ${coreValType(d.slotType)} ${d.slot ?? 0}`;
      if (d.type !== undefined) t += ` ${d.type}`;
      if (d.table !== undefined) t += ` (table ${d.table})`;
      if (d.flag) t += ' async';
      if (d.memory !== undefined) t += ` (memory ${d.memory})`;
      return `(core func ${s.def('core func')} (canon ${d.name}${t}${opts(d.opts)}))`;
    }
  }
}

/** The component as text (a `(component ...)` form ending in a newline). */
export function printComponent(c: Component, options: PrintOptions): string {
  const p = new Printer(options, c.bytes);
  p.component(c, 0, undefined);
  return `${p.out.join('\n')}\n`;
}

/**
 * A component binary's `(component ...)` text, its core modules through nestedModuleToWat (wabt's
 * wasm2wat, or our own printer for what wabt cannot print). Validated first, so the text of a
 * component that is not valid is never shown as if it were (a WasmError).
 */
export function componentToText(wabt: Wabt, bytes: Uint8Array, features: Features = {}): string {
  const component = decodeComponent(bytes, { features });
  validateComponent(component, { coreCode: false, features });
  return printComponent(component, { coreModule: (b) => nestedModuleToWat(wabt, b, features) });
}
