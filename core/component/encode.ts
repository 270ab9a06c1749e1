// Encoder of the component binary format (Binary.md, layer 1, version 0x0d): the inverse of
// decode.ts, section by section. The component text parser (text.ts) builds its input; a decoded
// component re-encodes to the same bytes (custom sections aside), which the tests hold.
import { ByteWriter } from '../text/byte-writer';
import { COMPONENT_VERSION } from './decode';
import type {
  Alias, BuiltinDef, CanonDef, CanonOpts, Component, CoreExternDesc, CoreInstanceDef, CoreModuleDecl, CoreSort, CoreTypeDef, Decl,
  DefValType, Definition, ExternDesc, InstanceDef, PrimValType, Sort, SortIdx, TypeDef, ValTypeRef,
} from './model';

/** A definition to encode: a core module or nested component is carried by its bytes / parts. */
export type EncodeDefinition =
  | Exclude<Definition, { kind: 'core-module' } | { kind: 'component' }>
  | { kind: 'core-module'; bytes: Uint8Array }
  | { kind: 'component'; component: EncodeComponent };

export interface EncodeComponent {
  definitions: EncodeDefinition[];
  /** Custom sections written after the definitions (the `component-name` section, for one). */
  customSections?: { name: string; data: Uint8Array }[];
  /** Text ranges of the definitions, for errors found after encoding (the encoder ignores them). */
  spans?: { start: number; end: number }[];
}

export const PRIM_CODE: Record<PrimValType, number> = {
  bool: 0x7f, s8: 0x7e, u8: 0x7d, s16: 0x7c, u16: 0x7b, s32: 0x7a, u32: 0x79, s64: 0x78, u64: 0x77,
  f32: 0x76, f64: 0x75, char: 0x74, string: 0x73, 'error-context': 0x64,
};

export const CORE_SORT_CODE: Record<CoreSort, number> = {
  func: 0x00, table: 0x01, memory: 0x02, global: 0x03, tag: 0x04, type: 0x10, module: 0x11, instance: 0x12,
};

/** The canonical option tags, in the order used when a definition does not record its own. */
const OPT_MEMORY = 0x03;
const OPT_REALLOC = 0x04;
const OPT_POST_RETURN = 0x05;
const OPT_ASYNC = 0x06;
const OPT_CALLBACK = 0x07;

const utf8 = new TextEncoder();

/** The section id of each definition kind (consecutive definitions of one id share a section). */
const SECTION: Record<EncodeDefinition['kind'], number> = {
  'core-module': 1, 'core-instance': 2, 'core-type': 3, component: 4, instance: 5, alias: 6, type: 7, canon: 8,
  start: 9, import: 10, export: 11,
};

/** A decoded component as encoder input (its core modules and nested components by their bytes). */
export function toEncodable(c: Component): EncodeComponent {
  return {
    definitions: c.definitions.map((d): EncodeDefinition => {
      if (d.kind === 'core-module') return { kind: 'core-module', bytes: c.bytes.subarray(d.offset, d.offset + d.size) };
      if (d.kind === 'component') return { kind: 'component', component: toEncodable(d.component) };
      return d;
    }),
  };
}

/** The component's binary. */
export function encodeComponent(c: EncodeComponent): Uint8Array {
  const w = new Writer();
  encodeInto(w, c);
  return w.toBytes();
}

class Writer extends ByteWriter {
  str(s: string): void {
    this.name(utf8.encode(s));
  }
  /** A value type index is an s33: an index of 64 or more needs the sign bit clear. */
  s33(v: number): void {
    this.s32(v);
  }
  vec<T>(items: readonly T[], each: (t: T) => void): void {
    this.u32(items.length);
    for (const t of items) each(t);
  }
  optional<T>(v: T | undefined, each: (t: T) => void): void {
    if (v === undefined) this.byte(0);
    else {
      this.byte(1);
      each(v);
    }
  }
  /** Writes `body` into its own buffer, then the id and size-prefixed contents. */
  section(id: number, body: (w: Writer) => void): void {
    const inner = new Writer();
    body(inner);
    this.byte(id);
    this.u32(inner.length);
    this.bytes(inner.toBytes());
  }
}

function encodeInto(w: Writer, c: EncodeComponent): void {
  w.bytes(new Uint8Array([0x00, 0x61, 0x73, 0x6d, COMPONENT_VERSION, 0x00, 0x01, 0x00]));
  const defs = c.definitions;
  for (let i = 0; i < defs.length;) {
    const d = defs[i]!;
    const id = SECTION[d.kind];
    if (d.kind === 'core-module') {
      w.section(1, (s) => s.bytes(d.bytes));
      i++;
      continue;
    }
    if (d.kind === 'component') {
      w.section(4, (s) => encodeInto(s, d.component));
      i++;
      continue;
    }
    if (d.kind === 'start') {
      w.section(9, (s) => {
        s.u32(d.func);
        s.vec(d.args, (a) => s.u32(a));
        s.u32(d.results);
      });
      i++;
      continue;
    }
    let j = i;
    while (j < defs.length && SECTION[defs[j]!.kind] === id) j++;
    const group = defs.slice(i, j);
    w.section(id, (s) => s.vec(group, (g) => definition(s, g)));
    i = j;
  }
  for (const cs of c.customSections ?? []) {
    w.section(0, (s) => {
      s.str(cs.name);
      s.bytes(cs.data);
    });
  }
}

function definition(w: Writer, d: EncodeDefinition): void {
  switch (d.kind) {
    case 'core-instance': coreInstance(w, d.def); break;
    case 'core-type': coreType(w, d.type); break;
    case 'instance': instance(w, d.def); break;
    case 'alias': alias(w, d.alias); break;
    case 'type': typeDef(w, d.type); break;
    case 'canon': canon(w, d.def); break;
    case 'import':
      externName(w, d.name.name);
      externDesc(w, d.desc);
      break;
    case 'export':
      externName(w, d.name.name);
      sortIdx(w, d.item);
      w.optional(d.desc, (desc) => externDesc(w, desc));
      break;
    case 'core-module': case 'component': case 'start':
      throw new Error(`${d.kind} has a section of its own`);
  }
}

function externName(w: Writer, name: string): void {
  w.byte(0x00);
  w.str(name);
}

function sort(w: Writer, s: Sort): void {
  if (typeof s !== 'string') {
    w.byte(0x00);
    w.byte(CORE_SORT_CODE[s.core]);
    return;
  }
  w.byte({ func: 0x01, value: 0x02, type: 0x03, component: 0x04, instance: 0x05 }[s]);
}

function sortIdx(w: Writer, i: SortIdx): void {
  sort(w, i.sort);
  w.u32(i.index);
}

function coreInstance(w: Writer, d: CoreInstanceDef): void {
  if (d.kind === 'instantiate') {
    w.byte(0x00);
    w.u32(d.module);
    w.vec(d.args, (a) => {
      w.str(a.name);
      w.byte(0x12);
      w.u32(a.instance);
    });
    return;
  }
  w.byte(0x01);
  w.vec(d.exports, (e) => {
    w.str(e.name);
    w.byte(CORE_SORT_CODE[e.item.sort]);
    w.u32(e.item.index);
  });
}

function instance(w: Writer, d: InstanceDef): void {
  if (d.kind === 'instantiate') {
    w.byte(0x00);
    w.u32(d.component);
    w.vec(d.args, (a) => {
      w.str(a.name);
      sortIdx(w, a.item);
    });
    return;
  }
  w.byte(0x01);
  w.vec(d.exports, (e) => {
    externName(w, e.name.name);
    sortIdx(w, e.item);
  });
}

function alias(w: Writer, a: Alias): void {
  switch (a.kind) {
    case 'export':
      sort(w, a.sort);
      w.byte(0x00);
      w.u32(a.instance);
      w.str(a.name);
      break;
    case 'core-export':
      sort(w, { core: a.sort });
      w.byte(0x01);
      w.u32(a.instance);
      w.str(a.name);
      break;
    case 'outer':
      sort(w, a.sort);
      w.byte(0x02);
      w.u32(a.count);
      w.u32(a.index);
      break;
  }
}

function limits(w: Writer, min: number, max: number | undefined, shared: boolean, memory64: boolean): void {
  w.byte((max !== undefined ? 1 : 0) | (shared ? 2 : 0) | (memory64 ? 4 : 0));
  const n = (v: number): void => (memory64 ? w.u64(BigInt(v)) : w.u32(v));
  n(min);
  if (max !== undefined) n(max);
}

function coreExternDesc(w: Writer, d: CoreExternDesc): void {
  switch (d.kind) {
    case 'func': w.byte(0x00); w.u32(d.typeIndex); break;
    case 'table': w.byte(0x01); w.byte(d.elemType); limits(w, d.min, d.max, false, false); break;
    case 'memory': w.byte(0x02); limits(w, d.min, d.max, d.shared, d.memory64); break;
    case 'global': w.byte(0x03); w.byte(d.type); w.byte(d.mutable ? 1 : 0); break;
    case 'tag': w.byte(0x04); w.byte(0x00); w.u32(d.typeIndex); break;
  }
}

function coreModuleDecl(w: Writer, d: CoreModuleDecl): void {
  switch (d.kind) {
    case 'import': w.byte(0x00); w.str(d.module); w.str(d.name); coreExternDesc(w, d.desc); break;
    case 'type': w.byte(0x01); coreType(w, d.type); break;
    case 'alias': w.byte(0x02); w.byte(0x10); w.byte(0x01); w.u32(d.outer); w.u32(d.index); break;
    case 'export': w.byte(0x03); w.str(d.name); coreExternDesc(w, d.desc); break;
  }
}

function coreType(w: Writer, t: CoreTypeDef): void {
  switch (t.kind) {
    case 'func':
      w.byte(0x60);
      w.vec(t.params, (p) => w.byte(p));
      w.vec(t.results, (r) => w.byte(r));
      break;
    case 'module':
      w.byte(0x50);
      w.vec(t.decls, (d) => coreModuleDecl(w, d));
      break;
    case 'other':
      throw new Error(`cannot encode core type form 0x${t.code.toString(16)}`);
  }
}

function valType(w: Writer, t: ValTypeRef): void {
  if ('prim' in t) w.byte(PRIM_CODE[t.prim]);
  else w.s33(t.index);
}

function defValType(w: Writer, t: DefValType): void {
  const opt = (v: ValTypeRef | undefined): void => w.optional(v, (x) => valType(w, x));
  switch (t.kind) {
    case 'prim': w.byte(PRIM_CODE[t.prim]); break;
    case 'record': w.byte(0x72); w.vec(t.fields, (f) => { w.str(f.name); valType(w, f.type); }); break;
    case 'variant':
      w.byte(0x71);
      w.vec(t.cases, (c) => {
        w.str(c.name);
        opt(c.type);
        w.byte(0x00);
      });
      break;
    case 'list':
      if (t.length !== undefined) {
        w.byte(0x67);
        valType(w, t.elem);
        w.u32(t.length);
      } else {
        w.byte(0x70);
        valType(w, t.elem);
      }
      break;
    case 'tuple': w.byte(0x6f); w.vec(t.elems, (e) => valType(w, e)); break;
    case 'flags': w.byte(0x6e); w.vec(t.names, (n) => w.str(n)); break;
    case 'enum': w.byte(0x6d); w.vec(t.names, (n) => w.str(n)); break;
    case 'option': w.byte(0x6b); valType(w, t.elem); break;
    case 'result': w.byte(0x6a); opt(t.ok); opt(t.err); break;
    case 'own': w.byte(0x69); w.u32(t.index); break;
    case 'borrow': w.byte(0x68); w.u32(t.index); break;
    case 'stream': w.byte(0x66); opt(t.elem); break;
    case 'future': w.byte(0x65); opt(t.elem); break;
    case 'map': w.byte(0x63); valType(w, t.key); valType(w, t.value); break;
  }
}

function decl(w: Writer, d: Decl): void {
  switch (d.kind) {
    case 'core-type': w.byte(0x00); coreType(w, d.type); break;
    case 'type': w.byte(0x01); typeDef(w, d.type); break;
    case 'alias': w.byte(0x02); alias(w, d.alias); break;
    case 'import': w.byte(0x03); externName(w, d.name.name); externDesc(w, d.desc); break;
    case 'export': w.byte(0x04); externName(w, d.name.name); externDesc(w, d.desc); break;
  }
}

function typeDef(w: Writer, t: TypeDef): void {
  switch (t.kind) {
    case 'defval': defValType(w, t.type); break;
    case 'func':
      w.byte(t.async ? 0x43 : 0x40);
      w.vec(t.params, (p) => { w.str(p.name); valType(w, p.type); });
      if (t.result !== undefined) {
        w.byte(0x00);
        valType(w, t.result);
      } else {
        w.byte(0x01);
        w.byte(0x00);
      }
      break;
    case 'component': w.byte(0x41); w.vec(t.decls, (d) => decl(w, d)); break;
    case 'instance': w.byte(0x42); w.vec(t.decls, (d) => decl(w, d)); break;
    case 'resource':
      if (t.async) {
        if (t.dtor === undefined) throw new Error('an async resource destructor needs a function');
        w.byte(0x3e);
        w.byte(t.rep);
        w.u32(t.dtor);
        w.byte(0x00);
      } else {
        w.byte(0x3f);
        w.byte(t.rep);
        w.optional(t.dtor, (f) => w.u32(f));
      }
      break;
  }
}

function externDesc(w: Writer, d: ExternDesc): void {
  switch (d.kind) {
    case 'module': w.byte(0x00); w.byte(0x11); w.u32(d.typeIndex); break;
    case 'func': w.byte(0x01); w.u32(d.typeIndex); break;
    case 'value':
      w.byte(0x02);
      if ('eq' in d.bound) {
        w.byte(0x00);
        w.u32(d.bound.eq);
      } else {
        w.byte(0x01);
        valType(w, d.bound.type);
      }
      break;
    case 'type':
      w.byte(0x03);
      if (d.bound === 'sub-resource') {
        w.byte(0x01);
      } else {
        w.byte(0x00);
        w.u32(d.bound.eq);
      }
      break;
    case 'component': w.byte(0x04); w.u32(d.typeIndex); break;
    case 'instance': w.byte(0x05); w.u32(d.typeIndex); break;
  }
}

/** The option tags of `o` in the order written (when known), else in the spec's order. */
export function optionOrder(o: CanonOpts): number[] {
  if (o.order) return o.order;
  const tags: number[] = [];
  if (o.stringEncoding !== 'utf8') tags.push(o.stringEncoding === 'utf16' ? 0x01 : 0x02);
  if (o.memory !== undefined) tags.push(OPT_MEMORY);
  if (o.realloc !== undefined) tags.push(OPT_REALLOC);
  if (o.postReturn !== undefined) tags.push(OPT_POST_RETURN);
  if (o.async) tags.push(OPT_ASYNC);
  if (o.callback !== undefined) tags.push(OPT_CALLBACK);
  return tags;
}

function canonOpts(w: Writer, o: CanonOpts | undefined): void {
  if (!o) {
    w.u32(0);
    return;
  }
  w.vec(optionOrder(o), (tag) => {
    w.byte(tag);
    switch (tag) {
      case OPT_MEMORY: w.u32(o.memory ?? 0); break;
      case OPT_REALLOC: w.u32(o.realloc ?? 0); break;
      case OPT_POST_RETURN: w.u32(o.postReturn ?? 0); break;
      case OPT_CALLBACK: w.u32(o.callback ?? 0); break;
      default: break;
    }
  });
}

function canon(w: Writer, d: CanonDef): void {
  switch (d.kind) {
    case 'lift':
      w.byte(0x00); w.byte(0x00); w.u32(d.coreFunc); canonOpts(w, d.opts); w.u32(d.typeIndex);
      break;
    case 'lower':
      w.byte(0x01); w.byte(0x00); w.u32(d.func); canonOpts(w, d.opts);
      break;
    case 'resource.new': w.byte(0x02); w.u32(d.typeIndex); break;
    case 'resource.drop': w.byte(d.async ? 0x07 : 0x03); w.u32(d.typeIndex); break;
    case 'resource.rep': w.byte(0x04); w.u32(d.typeIndex); break;
    case 'builtin': builtin(w, d); break;
  }
}

function builtin(w: Writer, d: BuiltinDef): void {
  w.byte(d.code);
  const flag = (): void => w.byte(d.flag ? 1 : 0);
  const type = (): void => w.u32(d.type ?? 0);
  switch (d.code) {
    case 0x09:
      if (d.result) {
        w.byte(0x00);
        valType(w, d.result);
      } else {
        w.byte(0x01);
        w.byte(0x00);
      }
      canonOpts(w, d.opts);
      break;
    case 0x0a: case 0x0b: w.byte(d.slotType ?? 0x7f); w.u32(d.slot ?? 0); break;
    case 0x06: flag(); break;
    // cancellable's byte (component-model#716 took the option out): always 0.
    case 0x0c: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d: w.byte(0); break;
    case 0x0e: case 0x13: case 0x14: case 0x15: case 0x1a: case 0x1b: type(); break;
    case 0x0f: case 0x10: case 0x16: case 0x17: type(); canonOpts(w, d.opts); break;
    case 0x11: case 0x12: case 0x18: case 0x19: type(); flag(); break;
    case 0x1c: case 0x1d: canonOpts(w, d.opts); break;
    case 0x20: case 0x21: w.byte(0); w.u32(d.memory ?? 0); break;
    case 0x27: type(); w.u32(d.table ?? 0); break;
    default: break;
  }
}
