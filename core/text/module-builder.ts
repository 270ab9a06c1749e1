// Builds the module model from CST fields: expands abbreviations, resolves names in two passes
// (definitions first, so forward references work), and records every definition and reference.
import { isList, type SList, type SNode } from './cst';
import { decodeString, utf8ToString, type Token } from './lexer';
import { instrInfo, type InstrInfo } from './instructions';
import { Anchor, type LineIndex } from './line-index';
import {
  SymbolDef,
  SymbolRef,
  type Limits,
  type BlockType,
  type DataField,
  type FuncOwned,
  type ElemField,
  type ExportField,
  type FuncField,
  type FuncType,
  type GlobalField,
  type Import,
  type Instr,
  type LocalDecl,
  type MemoryField,
  type TagField,
  type ModelDiagnostic,
  type RefType,
  type Space,
  type TableField,
  type TextModule,
  type TypeField,
  type ValType,
  type FieldDef,
} from './model';
import { parseF32, parseF64, parseI32, parseI64, parseIntLiteral, parseU32, parseU64 } from './numbers';
import { resolveFeatures, type Features } from '../features';

const SHORTHAND_REFS: Record<string, RefType> = {
  funcref: 'funcref', externref: 'externref', exnref: 'exnref', anyref: 'anyref', eqref: 'eqref', i31ref: 'i31ref',
  structref: 'structref', arrayref: 'arrayref', nullref: 'nullref', nullexternref: 'nullexternref', nullfuncref: 'nullfuncref',
  nullexnref: 'nullexnref',
};
const VALTYPES: Record<string, ValType> = { i32: 'i32', i64: 'i64', f32: 'f32', f64: 'f64', v128: 'v128', ...SHORTHAND_REFS };

/** `(ref null <abstract>)` is written as its shorthand (`funcref`, `anyref`, ...). */
const NULLABLE_REFS: Record<string, RefType> = {
  func: 'funcref', extern: 'externref', exn: 'exnref', any: 'anyref', eq: 'eqref', i31: 'i31ref', struct: 'structref',
  array: 'arrayref', none: 'nullref', noextern: 'nullexternref', nofunc: 'nullfuncref', noexn: 'nullexnref',
};

/** Deepest nesting of folded instructions the model builder follows (it recurses per level). */
const MAX_FOLDED_DEPTH = 1000;

/** Cursor over a list of nodes (a list's children, or a body's flat instruction sequence). */
class Cursor {
  constructor(readonly nodes: SNode[], public pos: number) {}
  peek(k = 0): SNode | undefined {
    return this.nodes[this.pos + k];
  }
  next(): SNode | undefined {
    return this.nodes[this.pos++];
  }
  get done(): boolean {
    return this.pos >= this.nodes.length;
  }
  /** The next node when it is a list starting with `head`. */
  peekList(head: string): SList | undefined {
    const n = this.nodes[this.pos];
    if (!isList(n) || n.annotation !== undefined) return undefined;
    const h = n.children[0];
    return h !== undefined && h.kind === 'keyword' && h.is(head) ? n : undefined;
  }
  peekKeyword(word?: string): Token | undefined {
    const n = this.nodes[this.pos];
    if (n === undefined || n.kind !== 'keyword') return undefined;
    return word === undefined || n.is(word) ? n : undefined;
  }
  /** Skips annotations, which carry no module meaning. */
  skipAnnotations(): void {
    for (;;) {
      const n = this.nodes[this.pos];
      if (isList(n) && n.annotation !== undefined) this.pos++;
      else return;
    }
  }
}

interface Frame {
  def: SymbolDef;
  /** try_table and the legacy try (whose catch / catch_all / delegate continue or close it). */
  op: 'block' | 'loop' | 'if' | 'try_table' | 'try';
  /** Opened by a flat `block`/`loop`/`if` (closed by `end`), not by parentheses. */
  flat: boolean;
  sawElse: boolean;
  /** A legacy try that has a catch clause already. */
  sawCatch?: boolean;
}

interface BodyCtx {
  funcIndex: number | undefined;
  locals: Map<string, SymbolDef>;
  localDefs: SymbolDef[];
  frames: Frame[];
  labels: SymbolDef[];
  out: Instr[];
  /** The enclosing list (function or constant expression), where flat instructions live. */
  node: SList;
}

interface ParsedTypeUse {
  typeRef: SymbolRef | undefined;
  params: { type: ValType; id: Token | undefined; node: SList }[];
  results: ValType[];
  /** Any inline (param)/(result) was written. */
  inline: boolean;
}

type IndexedSpace = Exclude<Space, 'local' | 'label' | 'field'>;

/** Replaces the `old` entries of `all` by `fresh`, where the first of them was (appended when none). */
function spliceOwned<T>(all: T[], old: readonly T[], fresh: readonly T[]): void {
  if (old.length === 0) {
    all.push(...fresh);
    return;
  }
  const at = all.indexOf(old[0] as T);
  // Usually `old` is in `all` in the same order (both were appended to together; a function read
  // again has its entries in one run): found by native searches from one to the next.
  const positions: number[] = [];
  for (let j = 0, from = at; j < old.length; j++) {
    const p = from < 0 ? -1 : all.indexOf(old[j] as T, from);
    if (p < 0) {
      positions.length = 0;
      break;
    }
    positions.push(p);
    from = p + 1;
  }
  if (positions.length === old.length && at >= 0) {
    // One run (a function read again before): one native splice.
    if ((positions[positions.length - 1] as number) - at + 1 === old.length) {
      all.splice(at, old.length, ...fresh);
      return;
    }
    let w = at;
    for (let j = 0; j < positions.length; j++) {
      const next = j + 1 < positions.length ? (positions[j + 1] as number) : all.length;
      const from = (positions[j] as number) + 1;
      if (w !== from) all.copyWithin(w, from, next);
      w += next - from;
    }
    all.length = w;
    all.splice(at, 0, ...fresh);
    return;
  }
  const gone = new Set(old);
  let w = 0;
  let insertAt = -1;
  for (let r = 0; r < all.length; r++) {
    const x = all[r] as T;
    if (r === at) insertAt = w;
    if (!gone.has(x)) all[w++] = x;
  }
  all.length = w;
  all.splice(insertAt < 0 ? w : insertAt, 0, ...fresh);
}

export class ModuleBuilder {
  private readonly errors: ModelDiagnostic[] = [];
  private readonly defs: SymbolDef[] = [];
  private readonly refs: SymbolRef[] = [];
  private readonly spaceDefs: Record<IndexedSpace, SymbolDef[]> = {
    type: [], func: [], table: [], memory: [], global: [], elem: [], data: [], tag: [],
  };
  private readonly names: Record<IndexedSpace, Map<string, SymbolDef>> = {
    type: new Map(), func: new Map(), table: new Map(), memory: new Map(), global: new Map(), elem: new Map(), data: new Map(), tag: new Map(),
  };
  private readonly m: TextModule;
  /** Work for the second pass, in source order (implicit types are inserted in that order). */
  private readonly pass2: (() => void)[] = [];
  /** Whether a definition (not an import) of each kind has been seen: imports must come first. */
  private firstDefined: 'func' | 'table' | 'memory' | 'global' | 'tag' | undefined;
  private sawStart = false;
  /** `(rec ...)` groups seen (their numbers in TypeField.gc.rec). */
  private recGroups = 0;
  /** How many folded instructions enclose the one being built (see MAX_FOLDED_DEPTH). */
  private foldedDepth = 0;

  /** memory64 on: `offset=`, `align=` and limits take u64 values for every address type, and the
   * validator decides ("offset out of range", "memory size"); off, as in Wasm 2.0, they are u32s. */
  private readonly memory64: boolean;

  /** The origin of the offsets of what the field being read creates: that field's (see {@link Anchor}). */
  private anchor: Anchor;

  constructor(private readonly lines: LineIndex, node: SList | undefined, name: string | undefined, features?: Features) {
    this.anchor = new Anchor(lines, 0);
    this.memory64 = resolveFeatures(features).memory64;
    this.m = {
      node, name, types: [], imports: [], funcs: [], tables: [], memories: [], globals: [], tags: [], exports: [],
      start: undefined, elems: [], datas: [], symbols: { defs: this.defs, refs: this.refs }, errors: this.errors, lines,
    };
  }

  build(fields: SNode[]): TextModule {
    for (const f of fields) this.field(f);
    for (const task of this.pass2) task();
    return this.m;
  }

  /** What the function being read now (pass 2) creates, recorded so that it can be read again alone. */
  private owning: FuncOwned | undefined;

  /** Queues pass-2 work; what it creates still belongs to the function being read when it was queued. */
  private defer(task: () => void): void {
    const owner = this.owning;
    const anchor = this.anchor;
    this.pass2.push(() => {
      const outer = this.owning;
      const outerAnchor = this.anchor;
      this.owning = owner;
      this.anchor = anchor;
      try {
        task();
      } finally {
        this.owning = outer;
        this.anchor = outerAnchor;
      }
    });
  }

  private addRef(ref: SymbolRef): void {
    this.refs.push(ref);
    this.owning?.refs.push(ref);
  }

  /**
   * Reads function `fn` of `module` again from `list`, its new text (same header: name, type use,
   * params, results, exports), in the module's context: its definitions, params, locals, labels,
   * references and errors replace those recorded in `fn.owned`. False (and nothing changed) when
   * that cannot equal a fresh build: the body declared implicit types.
   */
  static rebuildFunc(module: TextModule, fn: FuncField, list: SList, features?: Features): boolean {
    const old = fn.owned;
    if (!old || old.bodyTypes > 0 || fn.import) return false;
    const b = new ModuleBuilder(module.lines, module.node, module.name, features);
    // The module's index spaces and names, as pass 1 left them (first definition of a name wins).
    const spaces: [IndexedSpace, { def: SymbolDef }[]][] = [
      ['type', module.types], ['func', module.funcs], ['table', module.tables], ['memory', module.memories],
      ['global', module.globals], ['tag', module.tags], ['elem', module.elems], ['data', module.datas],
    ];
    for (const [space, fields] of spaces) {
      for (const f of fields) {
        b.spaceDefs[space].push(f.def);
        if (f.def.name !== undefined && !b.names[space].has(f.def.name)) b.names[space].set(f.def.name, f.def);
      }
    }
    (b as unknown as { m: TextModule }).m = module;
    b.anchor = list.open.anchor;
    const types = module.types.length;
    const c = new Cursor(list.children, 1);
    b.optId(c);
    for (c.skipAnnotations(); c.peekList('export'); c.skipAnnotations()) c.pos++;
    if (c.peekList('import')) return false;
    const fresh: FuncField = { ...fn, node: list, params: [], locals: [], body: [], labels: [] };
    b.funcBody(fresh, list, c, false);
    for (const task of b.pass2) task();
    if (module.types.length !== types) {
      // An inline type use matched no type: the types after it would move. Undo, read it all again.
      module.types.length = types;
      for (const r of fresh.owned?.refs ?? []) r.def?.removeReference(r);
      return false;
    }
    for (const r of old.refs) r.def?.removeReference(r);
    for (const r of b.refs) r.def?.settleReference(r);
    spliceOwned(module.symbols.refs, old.refs, b.refs);
    spliceOwned(module.symbols.defs, old.defs, b.defs);
    spliceOwned(module.errors, old.errors, b.errors);
    fn.node = list;
    fn.params = fresh.params;
    fn.locals = fresh.locals;
    fn.body = fresh.body;
    fn.labels = fresh.labels;
    fn.typeIndex = fresh.typeIndex;
    fn.type = fresh.type;
    fn.owned = fresh.owned;
    fn.def.end = list.end;
    return true;
  }

  // ---------------------------------------------------------------- diagnostics and helpers

  private error(message: string, at: { start: number; end: number }): void {
    const e = { message, start: at.start, end: at.end };
    this.errors.push(e);
    this.owning?.errors.push(e);
  }

  private text(n: SNode): string {
    return this.lines.text.slice(n.start, n.end);
  }

  private newDef(kind: SymbolDef['kind'], index: number, id: Token | undefined, node: { start: number; end: number }, funcIndex?: number): SymbolDef {
    const def = new SymbolDef(
      kind, index, id?.text, id ? id.start : node.start, id ? id.end : node.start, node.start, node.end, funcIndex, this.anchor,
    );
    this.defs.push(def);
    // A function's params, locals and labels; not an implicit type its signature added (that stays).
    if (funcIndex !== undefined) this.owning?.defs.push(def);
    return def;
  }

  /** Defines a module-level symbol in its index space, reporting duplicate names. */
  private define(space: IndexedSpace, id: Token | undefined, node: { start: number; end: number }): SymbolDef {
    const list = this.spaceDefs[space];
    const def = this.newDef(space, list.length, id, node);
    list.push(def);
    if (id) {
      if (this.names[space].has(id.text)) this.error(`duplicate ${space} ${id.text}`, id);
      else this.names[space].set(id.text, def);
    }
    return def;
  }

  private optId(c: Cursor): Token | undefined {
    const n = c.peek();
    if (n !== undefined && n.kind === 'id') {
      c.pos++;
      return n;
    }
    return undefined;
  }

  /** Reads a string token; reports and returns undefined otherwise. */
  private string(c: Cursor, what: string, end: SNode): Token | undefined {
    const n = c.peek();
    if (n === undefined || n.kind !== 'string') {
      this.error(`unexpected token: expected ${what}`, n ?? end);
      return undefined;
    }
    c.pos++;
    return n;
  }

  private stringBytes(tok: Token): Uint8Array {
    const d = decodeString(tok.text);
    if (d.error) this.error(d.error, tok);
    return d.bytes;
  }

  /** A name: a string that must be valid UTF-8. */
  private name(tok: Token): { text: string; bytes: Uint8Array } {
    const bytes = this.stringBytes(tok);
    const text = utf8ToString(bytes);
    if (text === undefined) {
      this.error('malformed UTF-8 encoding', tok);
      return { text: '', bytes };
    }
    return { text, bytes };
  }

  /** Complains about anything left in a list where nothing more is expected. */
  private expectEnd(c: Cursor, _list: SList): void {
    c.skipAnnotations();
    const n = c.peek();
    if (n !== undefined) this.error(`unexpected token '${truncate(this.text(n))}'`, n);
  }

  /** A struct field or array element type: `st` or `(mut st)`, st a value type or i8 / i16. */
  private fieldType(c: Cursor, at: SNode, name: string | undefined): FieldDef | undefined {
    const n = c.next();
    if (n === undefined) {
      this.error('unexpected token: expected a field type', at);
      return undefined;
    }
    let mutable = false;
    let t: SNode | undefined = n;
    if (isList(n) && n.children[0]?.kind === 'keyword' && this.text(n.children[0]) === 'mut') {
      mutable = true;
      t = n.children[1];
      if (n.children.length !== 2) this.error('unexpected token: expected (mut <storage type>)', n);
    }
    if (t !== undefined && t.kind === 'keyword' && (t.text === 'i8' || t.text === 'i16')) return { type: t.text, mutable, name };
    const vt = this.valType(t, at);
    return vt === undefined ? undefined : { type: vt, mutable, name };
  }

  /** A type reference (supertype) written as text, checked once every type is defined. */
  private resolveLater(space: IndexedSpace, tok: Token): string {
    this.defer(() => {
      this.resolve(space, tok, undefined);
    });
    return tok.kind === 'number' ? String(parseU32(tok.text) ?? tok.text) : tok.text;
  }

  private valType(n: SNode | undefined, at: SNode): ValType | undefined {
    if (n !== undefined && n.kind === 'keyword') {
      const t = VALTYPES[n.text];
      if (t) return t;
    }
    const ref = isList(n) ? this.refList(n) : undefined;
    if (ref) return ref;
    this.error(`unexpected token: expected a value type${n ? ` but found '${truncate(this.text(n))}'` : ''}`, n ?? at);
    return undefined;
  }

  private refType(c: Cursor, at: SNode): RefType | undefined {
    const n = c.peek();
    if (n !== undefined && n.kind === 'keyword' && SHORTHAND_REFS[n.text] !== undefined) {
      c.pos++;
      return SHORTHAND_REFS[n.text];
    }
    const ref = isList(n) ? this.refList(n) : undefined;
    if (ref) {
      c.pos++;
      return ref;
    }
    this.error('unexpected token: expected a reference type', n ?? at);
    return undefined;
  }

  /** The next node as a reference type, if it is one (nothing is reported otherwise). */
  private optRefType(c: Cursor): RefType | undefined {
    const n = c.peek();
    if (n !== undefined && n.kind === 'keyword' && SHORTHAND_REFS[n.text] !== undefined) {
      c.pos++;
      return SHORTHAND_REFS[n.text];
    }
    if (isList(n) && n.children[0]?.kind === 'keyword' && this.text(n.children[0]) === 'ref') {
      c.pos++;
      return this.refList(n);
    }
    return undefined;
  }

  /** `(ref null? heaptype)`; a `$name` is checked once every type is defined (pass 2). */
  private refList(n: SList): RefType | undefined {
    if (n.children[0]?.kind !== 'keyword' || this.text(n.children[0]) !== 'ref') return undefined;
    const kids = n.children;
    let i = 1;
    const nullable = kids[i]?.kind === 'keyword' && this.text(kids[i]!) === 'null';
    if (nullable) i++;
    const h = kids[i];
    if (h === undefined || kids.length !== i + 1) {
      this.error('unexpected token: expected a heap type', h ?? n);
      return undefined;
    }
    const heap = this.heapText(h);
    if (heap === undefined) return undefined;
    if (nullable && NULLABLE_REFS[heap] !== undefined) return NULLABLE_REFS[heap];
    return `(ref ${nullable ? 'null ' : ''}${heap})`;
  }

  /** A heap type's text: an abstract type, a type index, or a `$name` (checked in pass 2). */
  private heapText(h: SNode): string | undefined {
    if (h.kind === 'keyword' && NULLABLE_REFS[h.text] !== undefined) return h.text;
    if (h.kind === 'number' && isIntText(h.text) && parseU32(h.text) !== undefined) return String(parseU32(h.text));
    if (h.kind === 'id') {
      this.defer(() => {
        this.resolve('type', h, undefined);
      });
      return h.text;
    }
    this.error(`unexpected token '${truncate(this.text(h))}': expected a heap type`, h);
    return undefined;
  }

  /** `i64`/`i32` before limits: the address type of memory64 and table64. */
  private addressType(c: Cursor): boolean {
    const t = c.peek();
    if (t !== undefined && t.kind === 'keyword' && (t.text === 'i64' || t.text === 'i32')) {
      c.pos++;
      return t.text === 'i64';
    }
    return false;
  }

  private limits(c: Cursor, at: SNode, i64 = false): Limits {
    const minTok = c.peek();
    let min = 0;
    let max: number | undefined;
    // Wasm 3.0: bounds are u64 for every address type (validation bounds i32 memories and tables).
    if (i64 || this.memory64) {
      if (minTok?.kind !== 'number') {
        this.error('unexpected token: expected limits', minTok ?? at);
        return i64 ? { min, max, i64 } : { min, max };
      }
      const bound = (t: Token): bigint => {
        c.pos++;
        const v = parseU64(t.text);
        if (v === undefined) this.error(isIntText(t.text) ? 'constant out of range' : 'unexpected token', t);
        return v ?? 0n;
      };
      const lo = bound(minTok);
      const maxTok = c.peek();
      const hi = maxTok?.kind === 'number' ? bound(maxTok) : undefined;
      const l: Limits = { min: Number(lo), max: hi === undefined ? undefined : Number(hi), exact: { min: lo, max: hi } };
      if (i64) l.i64 = true;
      return l;
    }
    if (minTok?.kind === 'number') {
      c.pos++;
      const v = parseU32(minTok.text);
      if (v === undefined) this.error(isIntText(minTok.text) ? 'constant out of range' : 'unexpected token', minTok);
      else min = v;
      const maxTok = c.peek();
      if (maxTok?.kind === 'number') {
        c.pos++;
        const w = parseU32(maxTok.text);
        if (w === undefined) this.error(isIntText(maxTok.text) ? 'constant out of range' : 'unexpected token', maxTok);
        else max = w;
      }
    } else this.error('unexpected token: expected limits', minTok ?? at);
    return { min, max };
  }

  // ---------------------------------------------------------------- fields (pass 1)

  private field(f: SNode): void {
    this.anchor = isList(f) ? f.open.anchor : f.anchor;
    if (!isList(f)) {
      this.error(`unexpected token '${truncate(this.text(f))}'`, f);
      return;
    }
    if (f.annotation !== undefined) return;
    const head = f.children[0];
    if (head === undefined || head.kind !== 'keyword') {
      this.error('unexpected token: expected a module field', head ?? f);
      return;
    }
    const c = new Cursor(f.children, 1);
    switch (head.text) {
      case 'type': return this.typeField(f, c, -1);
      case 'rec': {
        const group = this.recGroups++;
        while (!c.done) {
          c.skipAnnotations();
          const t = c.peekList('type');
          if (!t) {
            if (!c.done) this.error('unexpected token: expected (type ...)', c.peek()!);
            break;
          }
          c.pos++;
          this.typeField(t, new Cursor(t.children, 1), group);
        }
        return;
      }
      case 'import': return this.importField(f, c);
      case 'func': return this.funcField(f, c);
      case 'table': return this.tableField(f, c);
      case 'memory': return this.memoryField(f, c);
      case 'global': return this.globalField(f, c);
      case 'export': return this.exportField(f, c);
      case 'start': return this.startField(f, c);
      case 'elem': return this.elemField(f, c);
      case 'data': return this.dataField(f, c);
      case 'tag': return this.tagLike(f, c, undefined, f);
      default:
        this.error(`unexpected token '${head.text}': expected a module field`, head);
    }
  }

  /** `(type $t? comptype)` or `(type $t? (sub final? $super* comptype))`; `rec` is its group
   * (-1 outside a `(rec ...)`). */
  private typeField(f: SList, c: Cursor, rec: number): void {
    const id = this.optId(c);
    const def = this.define('type', id, f);
    const tf: TypeField = { node: f, def, index: def.index, type: { params: [], results: [] }, paramNames: [], implicit: false };
    this.m.types.push(tf);
    let gc: TypeField['gc'] = rec >= 0 ? { rec, final: true, supers: [], kind: 'func', fields: [] } : undefined;
    let outer = c;
    let outerList = f;
    const sub = c.peekList('sub');
    if (sub) {
      c.pos++;
      const sc = new Cursor(sub.children, 1);
      gc = { rec, final: false, supers: [], kind: 'func', fields: [] };
      const fin = sc.peek();
      if (fin !== undefined && fin.kind === 'keyword' && fin.text === 'final') {
        sc.pos++;
        gc.final = true;
      }
      for (let t = sc.peek(); t !== undefined && (t.kind === 'id' || t.kind === 'number'); t = sc.peek()) {
        sc.pos++;
        const ref = this.resolveLater('type', t);
        gc.supers.push(ref);
      }
      outer = sc;
      outerList = sub;
    }
    const st = outer.peekList('struct') ?? outer.peekList('array');
    if (st) {
      outer.pos++;
      gc ??= { rec, final: true, supers: [], kind: 'func', fields: [] };
      gc.kind = st.children[0]!.kind === 'keyword' && this.text(st.children[0]!) === 'struct' ? 'struct' : 'array';
      tf.type.kind = gc.kind;
      const sc = new Cursor(st.children, 1);
      if (gc.kind === 'array') {
        const fd = this.fieldType(sc, st, undefined);
        if (fd) gc.fields.push(fd);
      } else {
        const seen = new Set<string>();
        const fieldDef = (fd: FieldDef, id: Token | undefined, fl: SList): void => {
          const d = this.newDef('field', gc!.fields.length, id, fl);
          d.ownerType = def.index;
          d.valType = fd.type === 'i8' || fd.type === 'i16' ? undefined : fd.type;
          d.mutable = fd.mutable;
          fd.def = d;
          gc!.fields.push(fd);
          if (!id) return;
          if (seen.has(id.text)) this.error(`duplicate field ${id.text}${def.name ? ` in type ${def.name}` : ''}`, id);
          seen.add(id.text);
        };
        for (let fl = sc.peekList('field'); fl; fl = sc.peekList('field')) {
          sc.pos++;
          const fc = new Cursor(fl.children, 1);
          const fid = this.optId(fc);
          if (fid) {
            const fd = this.fieldType(fc, fl, fid.text);
            if (fd) fieldDef(fd, fid, fl);
          } else {
            while (!fc.done) {
              const fd = this.fieldType(fc, fl, undefined);
              if (!fd) break;
              fieldDef(fd, undefined, fl);
            }
          }
          this.expectEnd(fc, fl);
        }
      }
      this.expectEnd(sc, st);
      tf.gc = gc;
      this.expectEnd(outer, outerList);
      if (outer !== c) this.expectEnd(c, f);
      return;
    }
    if (gc) tf.gc = gc;
    def.funcType = tf.type;
    const fn = outer.peekList('func');
    if (!fn) {
      this.error('unexpected token: expected (func ...)', outer.peek() ?? f);
      return;
    }
    outer.pos++;
    if (outer !== c) this.expectEnd(outer, outerList);
    const fc = new Cursor(fn.children, 1);
    this.optId(fc); // a name on the func type itself is allowed and ignored
    const tu = this.typeUse(fc, false);
    this.expectEnd(fc, fn);
    tf.type.params = tu.params.map((p) => p.type);
    tf.type.results = tu.results;
    tf.paramNames = tu.params.map((p) => p.id?.text);
    this.expectEnd(c, f);
  }

  private inlineExports(c: Cursor, def: SymbolDef, kind: 'func' | 'table' | 'memory' | 'global' | 'tag', f: SList): string[] {
    const names: string[] = [];
    for (let e = c.peekList('export'); e; e = c.peekList('export')) {
      c.pos++;
      const ec = new Cursor(e.children, 1);
      const s = this.string(ec, 'an export name', e);
      this.expectEnd(ec, e);
      if (!s) continue;
      const n = this.name(s);
      names.push(n.text);
      def.addExport(n.text);
      const ref = new SymbolRef(kind, String(def.index), def.index, def.nameStart, def.nameEnd, undefined, this.anchor);
      ref.def = def;
      this.m.exports.push({ node: f, name: n.text, nameBytes: n.bytes, kind, ref });
    }
    return names;
  }

  private inlineImport(c: Cursor): Import | undefined {
    const im = c.peekList('import');
    if (!im) return undefined;
    c.pos++;
    const ic = new Cursor(im.children, 1);
    const mod = this.string(ic, 'a module name', im);
    const nm = mod ? this.string(ic, 'an import name', im) : undefined;
    this.expectEnd(ic, im);
    const a = mod ? this.name(mod) : { text: '', bytes: new Uint8Array() };
    const b = nm ? this.name(nm) : { text: '', bytes: new Uint8Array() };
    return { module: a.text, name: b.text, moduleBytes: a.bytes, nameBytes: b.bytes };
  }

  /** The text format requires every import to precede every func/table/memory/global definition. */
  private checkImportOrder(kind: 'func' | 'table' | 'memory' | 'global' | 'tag', imported: boolean, at: SNode): void {
    if (imported) {
      if (this.firstDefined) this.error(`import after ${this.firstDefined === 'func' ? 'function' : this.firstDefined}`, at);
    } else this.firstDefined ??= kind;
  }

  private importField(f: SList, c: Cursor): void {
    const mod = this.string(c, 'a module name', f);
    const nm = mod ? this.string(c, 'an import name', f) : undefined;
    const a = mod ? this.name(mod) : { text: '', bytes: new Uint8Array() };
    const b = nm ? this.name(nm) : { text: '', bytes: new Uint8Array() };
    const imp: Import = { module: a.text, name: b.text, moduleBytes: a.bytes, nameBytes: b.bytes };
    const desc = c.next();
    if (!isList(desc) || desc.children[0]?.kind !== 'keyword') {
      this.error('unexpected token: expected an import description', desc ?? f);
      return;
    }
    const kind = this.text(desc.children[0]);
    const dc = new Cursor(desc.children, 1);
    switch (kind) {
      case 'func': this.funcLike(desc, dc, imp, f); break;
      case 'table': this.tableLike(desc, dc, imp, f); break;
      case 'memory': this.memoryLike(desc, dc, imp, f); break;
      case 'global': this.globalLike(desc, dc, imp, f); break;
      case 'tag': this.tagLike(desc, dc, imp, f); break;
      default:
        this.error(`unexpected token '${kind}': expected func, table, memory, global or tag`, desc.children[0]);
        return;
    }
    this.expectEnd(c, f);
  }

  private funcField(f: SList, c: Cursor): void {
    this.funcLike(f, c, undefined, f);
  }

  /** A function definition or import; `c` is after the keyword. */
  private funcLike(f: SList, c: Cursor, explicitImport: Import | undefined, outer: SList): void {
    const id = this.optId(c);
    const def = this.define('func', id, f);
    const exports = explicitImport ? [] : this.inlineExports(c, def, 'func', f);
    const imp = explicitImport ?? this.inlineImport(c);
    this.checkImportOrder('func', imp !== undefined, f);
    def.import = imp ? { module: imp.module, name: imp.name } : undefined;
    const fn: FuncField = {
      node: outer, def, index: def.index, import: imp, exports, typeIndex: -1, type: { params: [], results: [] },
      params: [], locals: [], body: [], labels: [],
    };
    this.m.funcs.push(fn);
    if (imp) this.m.imports.push({ kind: 'func', field: fn });
    this.defer(() => this.funcBody(fn, f, c, imp !== undefined));
  }

  private funcBody(fn: FuncField, f: SList, c: Cursor, imported: boolean): void {
    const owned: FuncOwned = { defs: [], refs: [], errors: [], bodyTypes: 0 };
    fn.owned = owned;
    const outer = this.owning;
    this.owning = owned;
    try {
      this.funcParts(fn, f, c, imported, owned);
    } finally {
      this.owning = outer;
    }
  }

  private funcParts(fn: FuncField, f: SList, c: Cursor, imported: boolean, owned: FuncOwned): void {
    const ctx: BodyCtx = { funcIndex: fn.index, locals: new Map(), localDefs: [], frames: [], labels: fn.labels, out: fn.body, node: f };
    const tu = this.typeUse(c, true, fn.index);
    const resolved = this.resolveTypeUse(tu, f);
    const typesAfterHeader = this.m.types.length;
    fn.typeIndex = resolved.index;
    fn.type = resolved.type;
    fn.def.funcType = resolved.type;
    // Params: named only when written inline.
    const declared = tu.params.length > 0 ? tu.params : resolved.type.params.map((type) => ({ type, id: undefined, node: f }));
    for (const p of declared) {
      const d = this.newDef('param', ctx.localDefs.length, p.id, p.node, fn.index);
      d.valType = p.type;
      this.addLocal(ctx, d, p.id);
      fn.params.push({ def: d, type: p.type });
    }
    if (imported) {
      this.expectEnd(c, f);
      return;
    }
    for (let l = c.peekList('local'); l; l = c.peekList('local')) {
      c.pos++;
      for (const decl of this.paramLike(l)) {
        const d = this.newDef('local', ctx.localDefs.length, decl.id, l, fn.index);
        d.valType = decl.type;
        this.addLocal(ctx, d, decl.id);
        fn.locals.push({ def: d, type: decl.type } satisfies LocalDecl);
      }
    }
    this.instrs(c, ctx);
    this.closeFlatFrames(ctx, f);
    const endAt = f.close ?? f;
    ctx.out.push(this.synth('end', endAt.end - (f.close ? 1 : 0), endAt.end));
    owned.bodyTypes = this.m.types.length - typesAfterHeader;
  }

  private addLocal(ctx: BodyCtx, d: SymbolDef, id: Token | undefined): void {
    ctx.localDefs.push(d);
    if (!id) return;
    if (ctx.locals.has(id.text)) this.error(`duplicate local ${id.text}`, id);
    else ctx.locals.set(id.text, d);
  }

  /** `(param $x t)`, `(param t*)`, `(local ...)`: the declared entries. */
  private paramLike(l: SList): { type: ValType; id: Token | undefined }[] {
    const lc = new Cursor(l.children, 1);
    const id = this.optId(lc);
    const out: { type: ValType; id: Token | undefined }[] = [];
    if (id) {
      const t = this.valType(lc.next(), l);
      if (t) out.push({ type: t, id });
      this.expectEnd(lc, l);
      return out;
    }
    while (!lc.done) {
      lc.skipAnnotations();
      if (lc.done) break;
      const n = lc.next();
      const t = this.valType(n, l);
      if (t) out.push({ type: t, id: undefined });
    }
    return out;
  }

  /** `(type x)? (param ...)* (result ...)*` */
  private typeUse(c: Cursor, allowTypeRef: boolean, funcIndex?: number): ParsedTypeUse {
    const tu: ParsedTypeUse = { typeRef: undefined, params: [], results: [], inline: false };
    const t = allowTypeRef ? c.peekList('type') : undefined;
    if (t) {
      c.pos++;
      const tc = new Cursor(t.children, 1);
      const idx = tc.next();
      if (idx === undefined || (idx.kind !== 'id' && idx.kind !== 'number')) this.error('unexpected token: expected a type index', idx ?? t);
      else tu.typeRef = this.resolve('type', idx, funcIndex);
      this.expectEnd(tc, t);
    }
    for (let p = c.peekList('param'); p; p = c.peekList('param')) {
      c.pos++;
      tu.inline = true;
      for (const e of this.paramLike(p)) tu.params.push({ ...e, node: p });
    }
    for (let r = c.peekList('result'); r; r = c.peekList('result')) {
      c.pos++;
      tu.inline = true;
      const rc = new Cursor(r.children, 1);
      while (!rc.done) {
        const t2 = this.valType(rc.next(), r);
        if (t2) tu.results.push(t2);
      }
    }
    // A param after a result is out of order.
    const late = c.peekList('param') ?? (t === undefined && allowTypeRef ? c.peekList('type') : undefined);
    if (late) this.error('unexpected token: misplaced type use', late);
    return tu;
  }

  /** The type index a type use denotes; inserts an implicit type when an inline one matches none. */
  private resolveTypeUse(tu: ParsedTypeUse, at: SList): { index: number; type: FuncType } {
    const inline: FuncType = { params: tu.params.map((p) => p.type), results: tu.results };
    if (tu.typeRef) {
      const def = tu.typeRef.def;
      const type = def?.funcType;
      if (type && tu.inline && !sameType(type, inline)) this.error('inline function type does not match the referenced type', at);
      // With an inline signature the type must exist (malformed); without one it is the validator's call.
      if (!type && tu.inline && tu.typeRef.index >= 0) this.error(`unknown type ${tu.typeRef.text}`, tu.typeRef);
      return { index: tu.typeRef.index, type: type ?? inline };
    }
    return { index: this.typeIndexFor(inline, at), type: inline };
  }

  private typeIndexFor(type: FuncType, at: SList): number {
    const found = this.m.types.findIndex((t) => t.gc === undefined && sameType(t.type, type));
    if (found >= 0) return found;
    const def = this.newDef('type', this.spaceDefs.type.length, undefined, { start: at.start, end: at.start });
    this.spaceDefs.type.push(def);
    def.funcType = type;
    this.m.types.push({ node: at, def, index: def.index, type, paramNames: [], implicit: true });
    return def.index;
  }

  private tableField(f: SList, c: Cursor): void {
    this.tableLike(f, c, undefined, f);
  }

  private tableLike(f: SList, c: Cursor, explicitImport: Import | undefined, outer: SList): void {
    const id = this.optId(c);
    const def = this.define('table', id, f);
    const exports = explicitImport ? [] : this.inlineExports(c, def, 'table', f);
    const imp = explicitImport ?? this.inlineImport(c);
    this.checkImportOrder('table', imp !== undefined, f);
    def.import = imp ? { module: imp.module, name: imp.name } : undefined;
    const table: TableField = { node: outer, def, index: def.index, import: imp, exports, refType: 'funcref', limits: { min: 0, max: undefined } };
    this.m.tables.push(table);
    if (imp) this.m.imports.push({ kind: 'table', field: table });
    const i64 = this.addressType(c);
    const first = c.peek();
    const startsWithRefType = first !== undefined && (first.kind === 'keyword' || (isList(first) && this.text(first.children[0] ?? first) === 'ref'));
    if (!imp && startsWithRefType) {
      // reftype (elem ...) — the inline element segment abbreviation
      const rt = this.refType(c, f) ?? 'funcref';
      table.refType = rt;
      const el = c.peekList('elem');
      if (!el) {
        this.error('unexpected token: expected (elem ...)', c.peek() ?? f);
        return;
      }
      c.pos++;
      const elemDef = this.define('elem', undefined, el);
      const seg: ElemField = {
        node: el, def: elemDef, index: elemDef.index, mode: 'active', table: undefined, tableIndex: def.index, offset: [],
        refType: rt, items: [], funcIndices: false,
      };
      this.m.elems.push(seg);
      const ec = new Cursor(el.children, 1);
      this.defer(() => {
        const tref = new SymbolRef('table', String(def.index), def.index, def.nameStart, def.nameEnd, undefined, this.anchor);
        tref.def = def;
        seg.table = tref;
        seg.offset = [i64 ? this.constI64(0n, el) : this.constI32(0, el)];
        this.elemItems(ec, el, seg, true, true);
        const n = seg.items.length;
        table.limits = i64 ? { min: n, max: n, i64, exact: { min: BigInt(n), max: BigInt(n) } } : { min: n, max: n };
      });
      this.expectEnd(c, f);
      return;
    }
    table.limits = this.limits(c, f, i64);
    table.refType = this.refType(c, f) ?? 'funcref';
    if (!imp && !c.done) {
      // typed function references: an initializer expression for every element
      this.defer(() => {
        table.init = this.constExpr(c, f);
      });
      return;
    }
    this.expectEnd(c, f);
  }

  private memoryField(f: SList, c: Cursor): void {
    this.memoryLike(f, c, undefined, f);
  }

  private memoryLike(f: SList, c: Cursor, explicitImport: Import | undefined, outer: SList): void {
    const id = this.optId(c);
    const def = this.define('memory', id, f);
    const exports = explicitImport ? [] : this.inlineExports(c, def, 'memory', f);
    const imp = explicitImport ?? this.inlineImport(c);
    this.checkImportOrder('memory', imp !== undefined, f);
    def.import = imp ? { module: imp.module, name: imp.name } : undefined;
    const mem: MemoryField = { node: outer, def, index: def.index, import: imp, exports, limits: { min: 0, max: undefined } };
    this.m.memories.push(mem);
    if (imp) this.m.imports.push({ kind: 'memory', field: mem });
    const i64 = this.addressType(c);
    const dl = imp ? undefined : c.peekList('data');
    if (dl) {
      c.pos++;
      const dataDef = this.define('data', undefined, dl);
      const dc = new Cursor(dl.children, 1);
      const bytes = this.dataStrings(dc);
      const pages = Math.ceil(bytes.length / 65536);
      mem.limits = i64 ? { min: pages, max: pages, i64, exact: { min: BigInt(pages), max: BigInt(pages) } } : { min: pages, max: pages };
      const mref = new SymbolRef('memory', String(def.index), def.index, def.nameStart, def.nameEnd, undefined, this.anchor);
      mref.def = def;
      this.m.datas.push({
        node: dl, def: dataDef, index: dataDef.index, mode: 'active', memory: mref, memoryIndex: def.index,
        offset: [i64 ? this.constI64(0n, dl) : this.constI32(0, dl)], bytes,
      });
      this.expectEnd(c, f);
      return;
    }
    mem.limits = this.limits(c, f, i64);
    const sharedTok = c.peek();
    if (sharedTok !== undefined && sharedTok.kind === 'keyword' && sharedTok.text === 'shared') {
      c.pos++;
      mem.limits.shared = true;
    }
    this.expectEnd(c, f);
  }

  private globalField(f: SList, c: Cursor): void {
    this.globalLike(f, c, undefined, f);
  }

  private globalLike(f: SList, c: Cursor, explicitImport: Import | undefined, outer: SList): void {
    const id = this.optId(c);
    const def = this.define('global', id, f);
    const exports = explicitImport ? [] : this.inlineExports(c, def, 'global', f);
    const imp = explicitImport ?? this.inlineImport(c);
    this.checkImportOrder('global', imp !== undefined, f);
    def.import = imp ? { module: imp.module, name: imp.name } : undefined;
    const g: GlobalField = { node: outer, def, index: def.index, import: imp, exports, type: 'i32', mutable: false, init: [] };
    this.m.globals.push(g);
    if (imp) this.m.imports.push({ kind: 'global', field: g });
    const mut = c.peekList('mut');
    if (mut) {
      c.pos++;
      g.mutable = true;
      const mc = new Cursor(mut.children, 1);
      g.type = this.valType(mc.next(), mut) ?? 'i32';
      this.expectEnd(mc, mut);
    } else {
      g.type = this.valType(c.next(), f) ?? 'i32';
    }
    def.valType = g.type;
    def.mutable = g.mutable;
    if (imp) {
      this.expectEnd(c, f);
      return;
    }
    this.defer(() => {
      g.init = this.constExpr(c, f);
    });
  }

  /** A tag definition or import (exception handling): `(tag $id? export* import? typeuse)`. */
  private tagLike(f: SList, c: Cursor, explicitImport: Import | undefined, outer: SList): void {
    const id = this.optId(c);
    const def = this.define('tag', id, f);
    const exports = explicitImport ? [] : this.inlineExports(c, def, 'tag', f);
    const imp = explicitImport ?? this.inlineImport(c);
    this.checkImportOrder('tag', imp !== undefined, f);
    def.import = imp ? { module: imp.module, name: imp.name } : undefined;
    const tag: TagField = { node: outer, def, index: def.index, import: imp, exports, typeIndex: -1, type: { params: [], results: [] } };
    this.m.tags.push(tag);
    if (imp) this.m.imports.push({ kind: 'tag', field: tag });
    // The type use may name a type defined later: resolved with the other references in pass 2.
    this.defer(() => {
      const tu = this.typeUse(c, true);
      const r = this.resolveTypeUse(tu, f);
      tag.typeIndex = r.index;
      tag.type = r.type;
      def.funcType = r.type;
      this.expectEnd(c, f);
    });
  }

  private exportField(f: SList, c: Cursor): void {
    const s = this.string(c, 'an export name', f);
    const desc = c.next();
    if (!s) return;
    const n = this.name(s);
    if (!isList(desc) || desc.children[0]?.kind !== 'keyword') {
      this.error('unexpected token: expected an export description', desc ?? f);
      return;
    }
    const kind = this.text(desc.children[0]);
    if (kind !== 'func' && kind !== 'table' && kind !== 'memory' && kind !== 'global' && kind !== 'tag') {
      this.error(`unexpected token '${kind}': expected func, table, memory, global or tag`, desc.children[0]);
      return;
    }
    const dc = new Cursor(desc.children, 1);
    const idx = dc.next();
    this.expectEnd(dc, desc);
    this.expectEnd(c, f);
    if (idx === undefined || (idx.kind !== 'id' && idx.kind !== 'number')) {
      this.error('unexpected token: expected an index', idx ?? desc);
      return;
    }
    // Placed now to keep the source order of exports (inline ones are added in this pass too);
    // the reference is resolved in pass 2, when every definition is known.
    const pending = new SymbolRef(kind, idx.text, -1, idx.start, idx.end, undefined, this.anchor);
    const field: ExportField = { node: f, name: n.text, nameBytes: n.bytes, kind, ref: pending };
    this.m.exports.push(field);
    this.defer(() => {
      field.ref = this.resolve(kind, idx, undefined);
      field.ref.def?.addExport(n.text);
    });
  }

  private startField(f: SList, c: Cursor): void {
    if (this.sawStart) this.error('multiple start sections', f);
    this.sawStart = true;
    const idx = c.next();
    this.expectEnd(c, f);
    if (idx === undefined || (idx.kind !== 'id' && idx.kind !== 'number')) {
      this.error('unexpected token: expected a function index', idx ?? f);
      return;
    }
    this.defer(() => {
      this.m.start = this.resolve('func', idx, undefined);
    });
  }

  private elemField(f: SList, c: Cursor): void {
    const id = this.optId(c);
    const def = this.define('elem', id, f);
    const seg: ElemField = {
      node: f, def, index: def.index, mode: 'passive', table: undefined, tableIndex: 0, offset: [], refType: 'funcref', items: [], funcIndices: false,
    };
    this.m.elems.push(seg);
    this.defer(() => {
      if (c.peekKeyword('declare')) {
        c.pos++;
        seg.mode = 'declarative';
        this.elemItems(c, f, seg, false);
        return;
      }
      const tl = c.peekList('table');
      let explicitTable = false;
      const legacy = this.legacyIndex(c);
      if (legacy !== undefined) {
        // `(elem 0 (i32.const 1) $f)`: the MVP's bare table index (older spec scripts use it).
        seg.table = this.resolve('table', legacy, undefined);
        seg.tableIndex = seg.table.index;
        const next = c.peek();
        if (isList(next)) {
          seg.mode = 'active';
          seg.offset = this.offsetExpr(c);
        }
        this.elemItems(c, f, seg, true);
        return;
      }
      if (tl) {
        c.pos++;
        explicitTable = true;
        const tc = new Cursor(tl.children, 1);
        const idx = tc.next();
        this.expectEnd(tc, tl);
        if (idx === undefined || (idx.kind !== 'id' && idx.kind !== 'number')) this.error('unexpected token: expected a table index', idx ?? tl);
        else {
          seg.table = this.resolve('table', idx, undefined);
          seg.tableIndex = seg.table.index;
        }
      }
      const next = c.peek();
      const head = isList(next) ? this.text(next.children[0] ?? next) : '';
      if (isList(next) && next.annotation === undefined && (explicitTable || (head !== 'item' && head !== 'ref'))) {
        seg.mode = 'active';
        seg.offset = this.offsetExpr(c);
        // `(elem offset funcidx*)` abbreviation allowed only without a table use
        this.elemItems(c, f, seg, !explicitTable);
        return;
      }
      if (explicitTable) this.error('unexpected token: expected an offset', next ?? f);
      this.elemItems(c, f, seg, false);
    });
  }

  /** A bare numeric index followed by an offset expression (the MVP form of a table or memory use). */
  private legacyIndex(c: Cursor): Token | undefined {
    const t = c.peek();
    if (t === undefined || isList(t) || t.kind !== 'number' || !isList(c.nodes[c.pos + 1])) return undefined;
    c.pos++;
    return t;
  }

  /** `(offset instr*)` or a single folded instruction. */
  private offsetExpr(c: Cursor): Instr[] {
    const o = c.peekList('offset');
    const n = c.next() as SList; // the caller checked it is a list
    const ctx = this.constCtx(n);
    if (o) this.instrs(new Cursor(o.children, 1), ctx);
    else this.folded(n, ctx);
    this.closeFlatFrames(ctx, undefined);
    return ctx.out;
  }

  /** elemlist: `reftype elemexpr*` | `func funcidx*` | (abbreviated, active only) `funcidx*`. */
  private elemItems(c: Cursor, f: SList, seg: ElemField, bareAllowed: boolean, inlineTable = false): void {
    const k = c.peek();
    const isRefTypeKw = k !== undefined && k.kind === 'keyword' && SHORTHAND_REFS[k.text] !== undefined;
    const isRefList = isList(k) && this.text(k.children[0] ?? k) === 'ref';
    // Inside `(table reftype (elem ...))` the items may be expressions with the table's type.
    const inlineExprs = inlineTable && isList(k) && !isRefList;
    if (isRefTypeKw || isRefList || inlineExprs) {
      if (!inlineExprs) seg.refType = this.refType(c, f) ?? 'funcref';
      while (!c.done) {
        c.skipAnnotations();
        const n = c.next();
        if (n === undefined) break;
        if (!isList(n)) {
          this.error(`unexpected token '${truncate(this.text(n))}': expected an element expression`, n);
          continue;
        }
        const ctx = this.constCtx(n);
        if (this.text(n.children[0] ?? n) === 'item') this.instrs(new Cursor(n.children, 1), ctx);
        else this.folded(n, ctx);
        this.closeFlatFrames(ctx, n);
        seg.items.push(ctx.out);
      }
      return;
    }
    if (k !== undefined && k.kind === 'keyword' && k.text === 'func') c.pos++;
    else if (!bareAllowed && !c.done) {
      this.error(`unexpected token '${truncate(this.text(k as SNode))}': expected an element kind`, k as SNode);
      return;
    }
    // Inside `(table (ref $t) (elem $f ...))` the indices are items of the table's type.
    if (!inlineTable) seg.refType = 'funcref';
    seg.funcIndices = true;
    while (!c.done) {
      c.skipAnnotations();
      const n = c.next();
      if (n === undefined) break;
      if (n.kind !== 'id' && n.kind !== 'number') {
        this.error(`unexpected token '${truncate(this.text(n))}': expected a function index`, n);
        continue;
      }
      const ref = this.resolve('func', n, undefined);
      seg.items.push([{ op: 'ref.func', info: instrInfo('ref.func') as InstrInfo, start: n.start, end: n.end, folded: false, refs: [ref] }]);
    }
  }

  private dataField(f: SList, c: Cursor): void {
    const id = this.optId(c);
    const def = this.define('data', id, f);
    const seg: DataField = { node: f, def, index: def.index, mode: 'passive', memory: undefined, memoryIndex: 0, offset: [], bytes: new Uint8Array() };
    this.m.datas.push(seg);
    this.defer(() => {
      const ml = c.peekList('memory');
      const legacy = this.legacyIndex(c);
      if (legacy !== undefined) {
        // `(data 0 (i32.const 0) "…")`: the MVP's bare memory index (older spec scripts use it).
        seg.memory = this.resolve('memory', legacy, undefined);
        seg.memoryIndex = seg.memory.index;
      }
      if (ml) {
        c.pos++;
        const mc = new Cursor(ml.children, 1);
        const idx = mc.next();
        this.expectEnd(mc, ml);
        if (idx === undefined || (idx.kind !== 'id' && idx.kind !== 'number')) this.error('unexpected token: expected a memory index', idx ?? ml);
        else {
          seg.memory = this.resolve('memory', idx, undefined);
          seg.memoryIndex = seg.memory.index;
        }
      }
      const next = c.peek();
      if (isList(next) && next.annotation === undefined) {
        seg.mode = 'active';
        seg.offset = this.offsetExpr(c);
      } else if (ml) this.error('unexpected token: expected an offset', next ?? f);
      seg.bytes = this.dataStrings(c);
    });
  }

  private dataStrings(c: Cursor): Uint8Array {
    const parts: Uint8Array[] = [];
    let total = 0;
    while (!c.done) {
      c.skipAnnotations();
      const n = c.next();
      if (n === undefined) break;
      if (n.kind !== 'string') {
        this.error(`unexpected token '${truncate(this.text(n))}': expected a string`, n);
        continue;
      }
      const b = this.stringBytes(n);
      parts.push(b);
      total += b.length;
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }

  private constExpr(c: Cursor, f: SList): Instr[] {
    const ctx = this.constCtx(f);
    this.instrs(c, ctx);
    this.closeFlatFrames(ctx, f);
    return ctx.out;
  }

  private constCtx(node: SList): BodyCtx {
    return { funcIndex: undefined, locals: new Map(), localDefs: [], frames: [], labels: [], out: [], node };
  }

  private constI32(v: number, at: SList): Instr {
    return { op: 'i32.const', info: instrInfo('i32.const') as InstrInfo, start: at.start, end: at.start, folded: false, implicit: true, value: v };
  }

  private constI64(v: bigint, at: SList): Instr {
    return { op: 'i64.const', info: instrInfo('i64.const') as InstrInfo, start: at.start, end: at.start, folded: false, implicit: true, value: v };
  }

  private synth(op: string, start: number, end: number): Instr {
    return { op, info: instrInfo(op) as InstrInfo, start, end, folded: true, implicit: true };
  }

  // ---------------------------------------------------------------- references

  /** Resolves an index or `$name` token in a module-level space. */
  private resolve(space: IndexedSpace, tok: Token, funcIndex: number | undefined): SymbolRef {
    let def: SymbolDef | undefined;
    let index = -1;
    if (tok.kind === 'id') {
      def = this.names[space].get(tok.text);
      if (def) index = def.index;
      else this.error(`unknown ${space} ${tok.text}`, tok);
    } else {
      const v = parseU32(tok.text);
      if (v === undefined) this.error(isIntText(tok.text) ? 'constant out of range' : `unexpected token '${tok.text}': expected an index`, tok);
      else {
        index = v;
        def = this.spaceDefs[space][v];
      }
    }
    const ref = new SymbolRef(space, tok.text, index, tok.start, tok.end, funcIndex, this.anchor);
    ref.def = def;
    def?.addReference(ref);
    this.addRef(ref);
    return ref;
  }

  private resolveLocal(tok: Token, ctx: BodyCtx): SymbolRef {
    let def: SymbolDef | undefined;
    let index = -1;
    if (tok.kind === 'id') {
      def = ctx.locals.get(tok.text);
      if (def) index = def.index;
      else this.error(`unknown local ${tok.text}`, tok);
    } else {
      const v = parseU32(tok.text);
      if (v === undefined) this.error(isIntText(tok.text) ? 'constant out of range' : 'unexpected token: expected a local index', tok);
      else {
        index = v;
        def = ctx.localDefs[v];
      }
    }
    const ref = new SymbolRef('local', tok.text, index, tok.start, tok.end, ctx.funcIndex, this.anchor);
    ref.def = def;
    def?.addReference(ref);
    this.addRef(ref);
    return ref;
  }

  private resolveLabel(tok: Token, ctx: BodyCtx): SymbolRef {
    let def: SymbolDef | undefined;
    let depth = -1;
    const frames = ctx.frames;
    if (tok.kind === 'id') {
      for (let i = frames.length - 1; i >= 0; i--) {
        const fr = frames[i] as Frame;
        if (fr.def.name === tok.text) {
          depth = frames.length - 1 - i;
          def = fr.def;
          break;
        }
      }
      if (!def) this.error(`unknown label ${tok.text}`, tok);
    } else {
      const v = parseU32(tok.text);
      if (v === undefined) this.error(isIntText(tok.text) ? 'constant out of range' : 'unexpected token: expected a label', tok);
      else {
        depth = v;
        def = frames[frames.length - 1 - v]?.def;
      }
    }
    const ref = new SymbolRef('label', tok.text, depth, tok.start, tok.end, ctx.funcIndex, this.anchor);
    ref.def = def;
    def?.addReference(ref);
    this.addRef(ref);
    return ref;
  }

  // ---------------------------------------------------------------- instructions

  /** Parses instructions until the cursor's end, flat and folded mixed. */
  private instrs(c: Cursor, ctx: BodyCtx): void {
    while (!c.done) {
      const n = c.peek() as SNode;
      if (isList(n)) {
        c.pos++;
        if (n.annotation === undefined) this.folded(n, ctx);
        continue;
      }
      if (n.kind !== 'keyword') {
        c.pos++;
        this.error(`unexpected token '${truncate(this.text(n))}'`, n);
        continue;
      }
      this.flat(c, ctx);
    }
  }

  private unknownOp(tok: Token): void {
    this.error(`unknown operator ${truncate(tok.text)}`, tok);
  }

  /** A flat instruction at the cursor (a keyword). */
  private flat(c: Cursor, ctx: BodyCtx): void {
    const tok = c.next() as Token;
    const info = instrInfo(tok.text);
    if (!info) {
      this.unknownOp(tok);
      return;
    }
    const instr: Instr = { op: info.name, info, start: tok.start, end: tok.end, folded: false, refs: undefined };
    const op = info.name;
    if (op === 'else' || op === 'end') {
      const top = ctx.frames[ctx.frames.length - 1];
      const label = this.optId(c);
      if (label) instr.end = label.end;
      if (!top || !top.flat || (op === 'else' && (top.op !== 'if' || top.sawElse))) {
        this.error(`unexpected token '${op}'`, tok);
        return;
      }
      if (label && label.text !== top.def.name) this.error(`mismatching label ${label.text}`, label);
      else if (label) {
        // `end $l` / `else $l` names the block it closes: a reference, so rename and find-references see it
        const ref = new SymbolRef('label', label.text, 0, label.start, label.end, ctx.funcIndex, this.anchor);
        ref.def = top.def;
        top.def.addReference(ref);
        this.addRef(ref);
      }
      if (op === 'else') top.sawElse = true;
      else {
        ctx.frames.pop();
        top.def.end = instr.end;
      }
      ctx.out.push(instr);
      return;
    }
    if (op === 'catch' || op === 'catch_all' || op === 'delegate') {
      this.flatCatch(c, ctx, tok, instr);
      return;
    }
    this.immediates(c, instr, ctx, tok);
    ctx.out.push(instr);
    if (info.imm === 'block' || info.imm === 'try_table') {
      ctx.frames.push({ def: instr.label as SymbolDef, op: op as Frame['op'], flat: true, sawElse: false });
    }
  }

  /** Legacy `catch x` / `catch_all` (continue a flat `try`, as `else` continues an `if`) and
   * `delegate l` (closes it; `l` counts from outside the try). */
  private flatCatch(c: Cursor, ctx: BodyCtx, tok: Token, instr: Instr): void {
    const top = ctx.frames[ctx.frames.length - 1];
    // sawElse: a catch_all was seen (nothing may follow it); a delegate needs a try without catches.
    if (!top || !top.flat || top.op !== 'try' || top.sawElse || (instr.op === 'delegate' && top.sawCatch === true)) {
      this.error(`unexpected token '${instr.op}'`, tok);
      return;
    }
    if (instr.op === 'delegate') {
      ctx.frames.pop();
      const t = this.requireIndex(c, instr, 'a label');
      if (t) {
        instr.refs = [this.resolveLabel(t, ctx)];
        instr.end = t.end;
      }
      top.def.end = instr.end;
      ctx.out.push(instr);
      return;
    }
    if (instr.op === 'catch_all') top.sawElse = true;
    top.sawCatch = true;
    this.immediates(c, instr, ctx, tok);
    ctx.out.push(instr);
  }

  /** A folded instruction `(op imm* folded*)`, or a folded block / loop / if. */
  private folded(list: SList, ctx: BodyCtx): void {
    // Folded instructions are built recursively: past this depth the JS stack would overflow (about
    // 3000 levels), so deeper nesting is reported instead of throwing a RangeError out of parseWat.
    if (this.foldedDepth >= MAX_FOLDED_DEPTH) {
      this.error(`folded instructions nested more than ${MAX_FOLDED_DEPTH} levels deep`, list);
      return;
    }
    this.foldedDepth++;
    try {
      this.foldedInstr(list, ctx);
    } finally {
      this.foldedDepth--;
    }
  }

  private foldedInstr(list: SList, ctx: BodyCtx): void {
    const head = list.children[0];
    if (head === undefined || head.kind !== 'keyword') {
      this.error('unexpected token: expected an instruction', head ?? list);
      return;
    }
    const info = instrInfo(head.text);
    if (!info || info.imm === 'else' || info.imm === 'end') {
      this.unknownOp(head);
      return;
    }
    if (info.imm === 'catch' || info.imm === 'catch_all' || info.imm === 'delegate') {
      // Only inside a folded (try ...), which reads them itself.
      this.error(`unexpected token '${head.text}'`, head);
      return;
    }
    const c = new Cursor(list.children, 1);
    const instr: Instr = { op: info.name, info, start: head.start, end: head.end, folded: true, refs: undefined };
    if (info.name === 'try') {
      this.foldedTry(list, c, instr, ctx, head);
      return;
    }
    if (info.name === 'block' || info.name === 'loop' || info.name === 'try_table') {
      this.immediates(c, instr, ctx, head, list);
      ctx.out.push(instr);
      const depth = ctx.frames.length;
      ctx.frames.push({ def: instr.label as SymbolDef, op: info.name, flat: false, sawElse: false });
      this.instrs(c, ctx);
      this.closeFlatFrames(ctx, list, depth + 1);
      ctx.frames.length = depth;
      ctx.out.push(this.closingEnd(list));
      return;
    }
    if (info.name === 'if') {
      this.immediates(c, instr, ctx, head, list);
      // condition operands, then (then ...) and (else ...)
      while (!c.done) {
        const n = c.peek() as SNode;
        if (isList(n) && (this.text(n.children[0] ?? n) === 'then' || this.text(n.children[0] ?? n) === 'else')) break;
        c.pos++;
        if (isList(n)) {
          if (n.annotation === undefined) this.folded(n, ctx);
        } else this.error(`unexpected token '${truncate(this.text(n))}': expected (then ...)`, n);
      }
      ctx.out.push(instr);
      const depth = ctx.frames.length;
      ctx.frames.push({ def: instr.label as SymbolDef, op: 'if', flat: false, sawElse: false });
      const th = c.peekList('then');
      if (th) {
        c.pos++;
        this.instrs(new Cursor(th.children, 1), ctx);
        this.closeFlatFrames(ctx, th, depth + 1);
      } else this.error('unexpected token: expected (then ...)', c.peek() ?? list);
      const el = c.peekList('else');
      if (el) {
        c.pos++;
        const kw = el.children[0] as Token;
        ctx.out.push({ op: 'else', info: instrInfo('else') as InstrInfo, start: el.start, end: kw.end, folded: true });
        this.instrs(new Cursor(el.children, 1), ctx);
        this.closeFlatFrames(ctx, el, depth + 1);
      }
      this.expectEnd(c, list);
      ctx.frames.length = depth;
      ctx.out.push(this.closingEnd(list));
      return;
    }
    this.immediates(c, instr, ctx, head, list);
    // the rest are folded operands
    while (!c.done) {
      const n = c.next() as SNode;
      if (isList(n)) {
        if (n.annotation === undefined) this.folded(n, ctx);
      } else if (n.kind === 'keyword' && instrInfo(n.text)) {
        this.error(`unexpected token '${truncate(n.text)}': a folded instruction takes folded operands`, n);
      } else this.error(`unexpected token '${truncate(this.text(n))}'`, n);
    }
    ctx.out.push(instr);
  }

  /** `(try $l? bt (do instr*) (catch x instr*)* (catch_all instr*)?)` or `(try ... (do ...) (delegate l))`. */
  private foldedTry(list: SList, c: Cursor, instr: Instr, ctx: BodyCtx, head: Token): void {
    this.immediates(c, instr, ctx, head, list);
    ctx.out.push(instr);
    const depth = ctx.frames.length;
    ctx.frames.push({ def: instr.label as SymbolDef, op: 'try', flat: false, sawElse: false });
    const body = c.peekList('do');
    if (body) {
      c.pos++;
      this.instrs(new Cursor(body.children, 1), ctx);
      this.closeFlatFrames(ctx, body, depth + 1);
    } else this.error('unexpected token: expected (do ...)', c.peek() ?? list);
    let sawCatchAll = false;
    for (let cl = c.peekList('catch') ?? c.peekList('catch_all'); cl; cl = c.peekList('catch') ?? c.peekList('catch_all')) {
      c.pos++;
      const kw = cl.children[0] as Token;
      if (sawCatchAll) this.error(`unexpected token '${kw.text}'`, kw);
      sawCatchAll ||= kw.text === 'catch_all';
      const info = instrInfo(kw.text) as InstrInfo;
      const ci: Instr = { op: info.name, info, start: cl.start, end: kw.end, folded: true, refs: undefined };
      const cc = new Cursor(cl.children, 1);
      this.immediates(cc, ci, ctx, kw, cl);
      ctx.out.push(ci);
      this.instrs(cc, ctx);
      this.closeFlatFrames(ctx, cl, depth + 1);
    }
    const dl = sawCatchAll || ctx.out[ctx.out.length - 1]?.op === 'catch' ? undefined : c.peekList('delegate');
    ctx.frames.length = depth;
    if (dl) {
      c.pos++;
      const info = instrInfo('delegate') as InstrInfo;
      const di: Instr = { op: 'delegate', info, start: dl.start, end: dl.end, folded: true, refs: undefined };
      const dc = new Cursor(dl.children, 1);
      const t = this.requireIndex(dc, di, 'a label');
      if (t) di.refs = [this.resolveLabel(t, ctx)];
      this.expectEnd(dc, dl);
      this.expectEnd(c, list);
      ctx.out.push(di);
      return;
    }
    this.expectEnd(c, list);
    ctx.out.push(this.closingEnd(list));
  }

  /** try_table's `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)` clauses. */
  private catchClauses(c: Cursor, ctx: BodyCtx, fi: number | undefined): NonNullable<Instr['catches']> {
    const out: NonNullable<Instr['catches']> = [];
    for (;;) {
      const n = c.peek();
      if (!isList(n) || n.annotation !== undefined) break;
      const h = n.children[0];
      if (h === undefined || h.kind !== 'keyword') break;
      const kind = h.text;
      if (kind !== 'catch' && kind !== 'catch_ref' && kind !== 'catch_all' && kind !== 'catch_all_ref') break;
      c.pos++;
      const cc = new Cursor(n.children, 1);
      let tag: SymbolRef | undefined;
      if (kind === 'catch' || kind === 'catch_ref') {
        const t = this.indexTok(cc);
        if (t) tag = this.resolve('tag', t, fi);
        else this.error(`unexpected token: ${kind} expects a tag index`, cc.peek() ?? n);
      }
      const l = this.indexTok(cc);
      this.expectEnd(cc, n);
      if (!l) {
        this.error(`unexpected token: ${kind} expects a label`, n);
        continue;
      }
      out.push({ kind, tag, label: this.resolveLabel(l, ctx) });
    }
    return out;
  }

  private closingEnd(list: SList): Instr {
    return list.close ? this.synth('end', list.close.start, list.close.end) : this.synth('end', list.end, list.end);
  }

  /** Reports flat blocks left open (down to `depth` frames). */
  private closeFlatFrames(ctx: BodyCtx, at: { start: number; end: number } | undefined, depth = 0): void {
    let reported = false;
    while (ctx.frames.length > depth) {
      const fr = ctx.frames.pop() as Frame;
      if (fr.flat && !reported) {
        this.error(`unclosed '${fr.op}': expected 'end'`, at ?? fr.def);
        reported = true;
      }
    }
  }

  private indexTok(c: Cursor): Token | undefined {
    const n = c.peek();
    // an index is `$name` or an unsigned literal (a digit first; signs and floats are not indices)
    if (n !== undefined && (n.kind === 'id' || (n.kind === 'number' && isDigit(this.lines.text.charCodeAt(n.start))))) {
      c.pos++;
      return n;
    }
    return undefined;
  }

  private requireIndex(c: Cursor, instr: Instr, what: string): Token | undefined {
    const t = this.indexTok(c);
    if (!t) {
      const n = c.peek();
      this.error(`unexpected token: ${instr.op} expects ${what}`, n && !isList(n) ? n : instr);
    }
    return t;
  }

  /** `owner`: the list an inline type use belongs to (the folded instruction, or the enclosing field). */
  private immediates(c: Cursor, instr: Instr, ctx: BodyCtx, tok: Token, owner: SList = ctx.node): void {
    const info = instr.info;
    if (info.imm === 'none') return;
    const refs: SymbolRef[] = [];
    const fi = ctx.funcIndex;
    const before = c.pos;
    this.immediatesOf(c, instr, ctx, tok, owner, info, refs, fi);
    // the instruction's own text ends with its last immediate
    const last = c.pos > before ? c.nodes[c.pos - 1] : undefined;
    if (last && last.end > instr.end) instr.end = last.end;
    // an exact-size copy: a pushed-to array keeps spare capacity, and there is one per instruction
    if (refs.length > 0) instr.refs = refs.slice();
  }

  private immediatesOf(
    c: Cursor, instr: Instr, ctx: BodyCtx, tok: Token, owner: SList, info: InstrInfo, refs: SymbolRef[], fi: number | undefined,
  ): void {
    switch (info.imm) {
      case 'block':
      case 'try_table': {
        const id = this.optId(c);
        // a folded block's label spans its list; a flat one's is extended at its `end`
        const label = this.newDef('label', ctx.labels.length, id, owner !== ctx.node ? owner : tok, fi);
        ctx.labels.push(label);
        instr.label = label;
        const tu = this.typeUse(c, true, fi);
        if (tu.params.some((p) => p.id)) this.error('unexpected token: block parameters cannot be named', tok);
        instr.blockType = this.blockType(tu, owner);
        // try_table's catch labels count from outside it: its own frame is pushed after this.
        if (info.imm === 'try_table') instr.catches = this.catchClauses(c, ctx, fi);
        break;
      }
      case 'tag':
      case 'catch': {
        const t = this.requireIndex(c, instr, 'a tag index');
        if (t) refs.push(this.resolve('tag', t, fi));
        break;
      }
      case 'label': {
        const t = this.requireIndex(c, instr, 'a label');
        if (t) refs.push(this.resolveLabel(t, ctx));
        break;
      }
      case 'br_table': {
        for (let t = this.indexTok(c); t; t = this.indexTok(c)) {
          refs.push(this.resolveLabel(t, ctx));
        }
        if (refs.length === 0) this.error('unexpected token: br_table expects labels', c.peek() ?? tok);
        break;
      }
      case 'func': {
        const t = this.requireIndex(c, instr, 'a function index');
        if (t) refs.push(this.resolve('func', t, fi));
        break;
      }
      case 'local': {
        const t = this.requireIndex(c, instr, 'a local index');
        if (t) refs.push(this.resolveLocal(t, ctx));
        break;
      }
      case 'global':
      case 'elem':
      case 'data': {
        const t = this.requireIndex(c, instr, `a ${info.imm} index`);
        if (t) refs.push(this.resolve(info.imm, t, fi));
        break;
      }
      case 'table':
      case 'memory': {
        const t = this.indexTok(c);
        if (t) {
          refs.push(this.resolve(info.imm, t, fi));
        } else refs.push(this.implicitZero(info.imm, tok, fi));
        break;
      }
      case 'table.init':
      case 'memory.init': {
        const space = info.imm === 'table.init' ? 'table' : 'memory';
        const seg = info.imm === 'table.init' ? 'elem' : 'data';
        const a = this.indexTok(c);
        const b = a ? this.indexTok(c) : undefined;
        if (!a) this.error(`unexpected token: ${instr.op} expects a segment index`, c.peek() ?? tok);
        else if (b) {
          refs.push(this.resolve(space, a, fi), this.resolve(seg, b, fi));
        } else refs.push(this.implicitZero(space, tok, fi), this.resolve(seg, a, fi));
        break;
      }
      case 'table.copy':
      case 'memory.copy': {
        const space = info.imm === 'table.copy' ? 'table' : 'memory';
        const a = this.indexTok(c);
        const b = a ? this.indexTok(c) : undefined;
        if (a && !b) this.error(`unexpected token: ${instr.op} expects two indices`, a);
        if (a && b) refs.push(this.resolve(space, a, fi), this.resolve(space, b, fi));
        else refs.push(this.implicitZero(space, tok, fi), this.implicitZero(space, tok, fi));
        break;
      }
      case 'memarg':
      case 'memarg_lane': {
        // optional memory index (multi-memory); 2.0 text only ever names memory 0
        // A numeric memory index is ambiguous with a lane index: for lane instructions it is one
        // only when the lane (or a memarg keyword) still follows.
        const n0 = c.peek();
        const n1 = c.nodes[c.pos + 1];
        const laneFollows = n1 !== undefined && !isList(n1) && (n1.kind === 'number' || (n1.kind === 'keyword' && /^(offset|align)=/.test(n1.text)));
        const numericMem = n0 !== undefined && n0.kind === 'number' && isIntText(n0.text) && (info.imm === 'memarg' || laneFollows);
        if (n0 !== undefined && (n0.kind === 'id' || numericMem)) {
          c.pos++;
          refs.push(this.resolve('memory', n0, fi));
        } else refs.push(this.implicitZero('memory', tok, fi));
        const memIndex = refs[refs.length - 1]!.index;
        instr.memarg = this.memarg(c, info, this.m.memories[memIndex]?.limits.i64 === true);
        if (info.imm === 'memarg_lane') instr.lanes = [this.laneIndex(c, instr)];
        break;
      }
      case 'i32':
      case 'i64':
      case 'f32':
      case 'f64': {
        const n = c.peek();
        if (n === undefined || n.kind !== 'number') {
          this.error(`unexpected token: ${instr.op} expects a ${info.imm} literal`, n && !isList(n) ? n : tok);
          instr.value = info.imm === 'i64' || info.imm === 'f64' ? 0n : 0;
          if (n !== undefined && (n.kind === 'keyword' || n.kind === 'reserved') && !instrInfo(n.text)) c.pos++;
          break;
        }
        c.pos++;
        instr.value = this.numLiteral(info.imm, n);
        break;
      }
      case 'v128':
        instr.value = this.v128Literal(c, tok);
        break;
      case 'shuffle': {
        const lanes: number[] = [];
        for (let i = 0; i < 16; i++) {
          const n = c.peek();
          if (n === undefined || n.kind !== 'number') {
            this.error('unexpected token: i8x16.shuffle expects 16 lane indices', n && !isList(n) ? n : tok);
            break;
          }
          c.pos++;
          const v = parseU32(n.text);
          if (v === undefined || v > 255) this.error('malformed lane index', n);
          lanes.push(v ?? 0);
        }
        instr.lanes = lanes;
        break;
      }
      case 'lane':
        instr.lanes = [this.laneIndex(c, instr)];
        break;
      case 'select': {
        const types: ValType[] = [];
        let written = false;
        for (let r = c.peekList('result'); r; r = c.peekList('result')) {
          c.pos++;
          written = true;
          const rc = new Cursor(r.children, 1);
          while (!rc.done) {
            const t = this.valType(rc.next(), r);
            if (t) types.push(t);
          }
        }
        if (written) instr.types = types;
        break;
      }
      case 'heaptype': {
        const n = c.peek();
        const h = n !== undefined && !isList(n) ? this.heapTextNow(n, fi) : undefined;
        if (h !== undefined) {
          c.pos++;
          instr.heapType = h;
        } else {
          this.error('unexpected token: ref.null expects a heap type', n && !isList(n) ? n : tok);
          instr.heapType = 'func';
        }
        break;
      }
      case 'typeidx':
      case 'typefield':
      case 'type_count':
      case 'type_data':
      case 'type_elem':
      case 'type_type': {
        const t = this.requireIndex(c, instr, 'a type index');
        if (!t) break;
        const tref = this.resolve('type', t, fi);
        refs.push(tref);
        if (info.imm === 'typefield') {
          const f = this.requireIndex(c, instr, 'a field index');
          if (f) instr.fieldIndex = this.fieldIndex(tref, f, fi, refs);
        } else if (info.imm === 'type_count') {
          const n = c.peek();
          const v = n !== undefined && n.kind === 'number' ? parseU32(n.text) : undefined;
          if (v === undefined) this.error(`unexpected token: ${instr.op} expects an element count`, n && !isList(n) ? n : tok);
          else c.pos++;
          instr.fieldIndex = v ?? 0;
        } else if (info.imm !== 'typeidx') {
          const space = info.imm === 'type_data' ? 'data' : info.imm === 'type_elem' ? 'elem' : 'type';
          const x = this.requireIndex(c, instr, `a ${space} index`);
          if (x) refs.push(this.resolve(space, x, fi));
        }
        break;
      }
      case 'reftype': {
        const rt = this.refType(c, tok);
        instr.refTypes = rt !== undefined ? [rt] : ['funcref'];
        break;
      }
      case 'br_on_cast': {
        const l = this.requireIndex(c, instr, 'a label');
        if (l) refs.push(this.resolveLabel(l, ctx));
        const a = this.refType(c, tok);
        const b = a !== undefined ? this.refType(c, tok) : undefined;
        instr.refTypes = [a ?? 'anyref', b ?? 'anyref'];
        break;
      }
      case 'call_indirect': {
        const t = this.indexTok(c);
        if (t) {
          refs.push(this.resolve('table', t, fi));
        } else refs.push(this.implicitZero('table', tok, fi));
        const tu = this.typeUse(c, true, fi);
        if (tu.params.some((p) => p.id)) this.error('unexpected token: call_indirect parameters cannot be named', tok);
        instr.typeIndex = this.resolveTypeUse(tu, owner).index;
        break;
      }
      case 'else':
      case 'end':
      case 'none':
      case 'zero':
      case 'catch_all':
      case 'delegate': // its label is resolved once the try is closed (flatCatch, foldedTry)
        break;
    }
  }

  /** ref.null's heap type inside a body (every type is defined by now). */
  private heapTextNow(n: SNode, fi: number | undefined): string | undefined {
    if (n.kind === 'keyword' && NULLABLE_REFS[n.text] !== undefined) return n.text;
    if (n.kind === 'id' || (n.kind === 'number' && isIntText(n.text))) {
      const r = this.resolve('type', n, fi);
      return r.index >= 0 ? String(r.index) : undefined;
    }
    return undefined;
  }

  /** A struct field by index or by the `$name` its type gave it. */
  private fieldIndex(tref: SymbolRef, f: Token, fi: number | undefined, refs: SymbolRef[]): number {
    const type = this.m.types[tref.index];
    const fields = type?.gc?.kind === 'struct' ? type.gc.fields : [];
    let i: number;
    if (f.kind === 'number') {
      const v = parseU32(f.text);
      if (v === undefined) this.error('unexpected token: expected a field index', f);
      i = v ?? 0;
    } else {
      i = fields.findIndex((x) => x.name === f.text);
      // An unknown type is reported already; a field of it cannot be looked up.
      if (i < 0 && tref.index >= 0) this.error(`unknown field ${f.text}${tref.def?.name ? ` in type ${tref.def.name}` : ''}`, f);
    }
    const def = i >= 0 ? fields[i]?.def : undefined;
    const ref = new SymbolRef('field', f.text, def ? i : -1, f.start, f.end, fi, this.anchor);
    ref.def = def;
    def?.addReference(ref);
    this.addRef(ref);
    refs.push(ref);
    return Math.max(0, i);
  }

  /** Index 0 of a space, written implicitly (`memory.size`, `table.get` without an index). */
  private implicitZero(space: IndexedSpace, tok: Token, fi: number | undefined): SymbolRef {
    const ref = new SymbolRef(space, '0', 0, tok.end, tok.end, fi, this.anchor);
    ref.def = this.spaceDefs[space][0];
    return ref;
  }

  private blockType(tu: ParsedTypeUse, at: SList): BlockType {
    if (!tu.typeRef && tu.params.length === 0) {
      if (tu.results.length === 0) return { kind: 'empty' };
      if (tu.results.length === 1) return { kind: 'value', type: tu.results[0] as ValType };
    }
    const r = this.resolveTypeUse(tu, at);
    // Like wabt: a referenced type that fits the short form is encoded short.
    if (tu.typeRef && r.type.params.length === 0 && r.type.results.length <= 1 && tu.typeRef.def) {
      return r.type.results.length === 0 ? { kind: 'empty' } : { kind: 'value', type: r.type.results[0] as ValType };
    }
    return { kind: 'index', index: r.index };
  }

  /** `offset=` is a u32 for i32 memories and a u64 for memory64 ones (`i64` true); with memory64
   * on, a u64 on any memory (validation rejects a large one on an i32 memory). */
  private memarg(c: Cursor, info: InstrInfo, i64: boolean): { align: number; offset: bigint } {
    i64 ||= this.memory64;
    let offset = 0n;
    let align = Math.log2(info.align ?? 1);
    const o = c.peek();
    if (o !== undefined && o.kind === 'keyword' && o.text.startsWith('offset=')) {
      c.pos++;
      const v = parseU64(o.text.slice(7));
      if (v === undefined || (!i64 && v >= 1n << 32n)) {
        this.error(/^(?:\d|0x)/.test(o.text.slice(7)) ? `${i64 ? 'i64' : 'i32'} constant out of range` : 'unexpected token', o);
      } else offset = v;
    }
    const a = c.peek();
    if (a !== undefined && a.kind === 'keyword' && a.text.startsWith('align=')) {
      c.pos++;
      const v = parseU64(a.text.slice(6));
      if (v === undefined || (!i64 && v >= 1n << 32n)) this.error('unexpected token', a);
      else if (v === 0n || (v & (v - 1n)) !== 0n) this.error('alignment must be a power of two', a);
      else align = v.toString(2).length - 1;
    }
    return { align, offset };
  }

  private laneIndex(c: Cursor, instr: Instr): number {
    const n = c.peek();
    if (n === undefined || n.kind !== 'number') {
      this.error(`unexpected token: ${instr.op} expects a lane index`, n && !isList(n) ? n : instr);
      return 0;
    }
    c.pos++;
    const v = parseU32(n.text);
    if (v === undefined || v > 255) {
      this.error('malformed lane index', n);
      return 0;
    }
    return v;
  }

  private numLiteral(kind: 'i32' | 'i64' | 'f32' | 'f64', n: Token): number | bigint {
    const t = n.text;
    switch (kind) {
      case 'i32': {
        const v = parseI32(t);
        if (v === undefined) this.error(isIntText(t) ? 'constant out of range' : 'unexpected token', n);
        return v ?? 0;
      }
      case 'i64': {
        const v = parseI64(t);
        if (v === undefined) this.error(isIntText(t) ? 'constant out of range' : 'unexpected token', n);
        return v ?? 0n;
      }
      case 'f32': {
        const v = parseF32(t);
        if (v === undefined) this.error('constant out of range', n);
        return v ?? 0;
      }
      case 'f64': {
        const v = parseF64(t);
        if (v === undefined) this.error('constant out of range', n);
        return v ?? 0n;
      }
    }
  }

  private v128Literal(c: Cursor, tok: Token): Uint8Array {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    const shape = c.peek();
    if (shape === undefined || shape.kind !== 'keyword') {
      this.error('unexpected token: v128.const expects a shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)', shape && !isList(shape) ? shape : tok);
      return bytes;
    }
    const lanesOf: Record<string, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };
    const count = lanesOf[shape.text];
    if (count === undefined) {
      this.error(`unexpected token '${shape.text}': expected a v128 shape`, shape);
      return bytes;
    }
    c.pos++;
    for (let i = 0; i < count; i++) {
      const n = c.peek();
      if (n === undefined || n.kind !== 'number') {
        this.error(`unexpected token: v128.const ${shape.text} expects ${count} lanes`, n && !isList(n) ? n : shape);
        return bytes;
      }
      c.pos++;
      const t = n.text;
      switch (shape.text) {
        case 'i8x16': {
          const v = parseIntLiteral(t);
          if (v === undefined || v < -128n || v > 255n) this.error(isIntText(t) ? 'constant out of range' : 'unexpected token', n);
          else view.setUint8(i, Number(BigInt.asUintN(8, v)));
          break;
        }
        case 'i16x8': {
          const v = parseIntLiteral(t);
          if (v === undefined || v < -32768n || v > 65535n) this.error(isIntText(t) ? 'constant out of range' : 'unexpected token', n);
          else view.setUint16(i * 2, Number(BigInt.asUintN(16, v)), true);
          break;
        }
        case 'i32x4': {
          const v = parseI32(t);
          if (v === undefined) this.error(isIntText(t) ? 'constant out of range' : 'unexpected token', n);
          else view.setInt32(i * 4, v, true);
          break;
        }
        case 'i64x2': {
          const v = parseI64(t);
          if (v === undefined) this.error(isIntText(t) ? 'constant out of range' : 'unexpected token', n);
          else view.setBigInt64(i * 8, v, true);
          break;
        }
        case 'f32x4': {
          const v = parseF32(t);
          if (v === undefined) this.error('constant out of range', n);
          else view.setUint32(i * 4, v, true);
          break;
        }
        case 'f64x2': {
          const v = parseF64(t);
          if (v === undefined) this.error('constant out of range', n);
          else view.setBigUint64(i * 8, v, true);
          break;
        }
      }
    }
    return bytes;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function sameType(a: FuncType, b: FuncType): boolean {
  return (
    a.params.length === b.params.length &&
    a.results.length === b.results.length &&
    a.params.every((t, i) => t === b.params[i]) &&
    a.results.every((t, i) => t === b.results[i])
  );
}

function isIntText(s: string): boolean {
  return /^[+-]?(?:\d(?:_?\d)*|0x[0-9a-fA-F](?:_?[0-9a-fA-F])*)$/.test(s);
}

function truncate(s: string): string {
  return s.length > 40 ? s.slice(0, 37) + '...' : s;
}

/** Builds the model of one module from its fields. */
export function buildModule(lines: LineIndex, fields: SNode[], node: SList | undefined, name: string | undefined, features?: Features): TextModule {
  return new ModuleBuilder(lines, node, name, features).build(fields);
}

