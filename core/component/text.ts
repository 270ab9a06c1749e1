// The component text format (`(component ...)`, the syntax of wasm-tools / `jco print` and of our
// printer) → the component binary, through encode.ts. Nested `(core module ...)` forms go through
// core/text's parser and assembler; `$names` are resolved per index space, scope by scope (outer
// aliases reach enclosing components and types). Inline value, function and instance types are
// expanded into type definitions before their user, as wasm-tools does. Errors carry the range
// of the form at fault and name it; one bad item does not hide the errors of the next ones.
import { decodeString, utf8ToString, type Token } from '../text/lexer';
import { isList, parseTree, type Diagnostic, type SList, type SNode } from '../text/cst';
import { moduleFromList } from '../text/document';
import { assemble } from '../text/assembler';
import { parseU32 } from '../text/numbers';
import { ParseError } from '../text/errors';
import { LineIndex } from '../text/line-index';
import type { Features } from '../features';
import { FeatureError } from '../features';
import { encodeComponent, type EncodeComponent, type EncodeDefinition } from './encode';
import { encodeComponentNames, type ComponentNames } from './names';
import { BUILTIN_CODES, decodeComponent } from './decode';
import { validateComponent } from './validate';
import { DecodeError, ValidationError } from '../errors';
import type { CheckDiagnostic } from '../check/types';
import type {
  Alias, BuiltinDef, CanonDef, CanonOpts, CoreExternDesc, CoreInstanceDef, CoreModuleDecl, CoreSort, CoreTypeDef, Decl, DefValType, ExternDesc,
  Component, PrimValType, Sort, SortIdx, TypeDef, ValTypeRef,
} from './model';

/** One item of a component for an outline: its form, `$name` or import/export name, range and children. */
export interface ComponentOutlineItem {
  kind: string;
  name: string | undefined;
  start: number;
  end: number;
  children: ComponentOutlineItem[];
}

export interface ComponentTextResult {
  /** The binary; undefined when there are errors. */
  bytes: Uint8Array | undefined;
  /** What was encoded (with the text range of each definition). */
  encoded?: EncodeComponent;
  errors: Diagnostic[];
  outline: ComponentOutlineItem[];
}

export interface ComponentTextOptions {
  features?: Features;
}

/** True when the first form of `text` is `(component ...)`. */
export function isComponentText(text: string): boolean {
  return /^(?:\s|;;[^\n]*\n|\(;[\s\S]*?;\))*\(\s*component\b/.test(text);
}

/** Parses and encodes a `.wat` holding one `(component ...)`. Never throws. */
export function parseComponentText(text: string, options: ComponentTextOptions = {}): ComponentTextResult {
  const tree = parseTree(text);
  const errors: Diagnostic[] = [...tree.errors];
  const nodes = tree.nodes;
  const first = nodes[0];
  const outline: ComponentOutlineItem[] = [];
  if (!isList(first) || first.children[0]?.kind !== 'keyword' || !first.children[0].is('component')) {
    errors.push({ message: 'expected (component ...)', start: first?.start ?? 0, end: first?.end ?? 0 });
    return { bytes: undefined, errors, outline };
  }
  for (const extra of nodes.slice(1)) {
    errors.push({ message: 'unexpected token: only one component per .wat file', start: extra.start, end: extra.end });
  }
  const p = new Parser(tree.lines, errors, options.features, tree.annotations);
  let component: EncodeComponent | undefined;
  try {
    const root = p.component(first, undefined, outline);
    component = root;
  } catch (e) {
    if (!(e instanceof TextError)) {
      errors.push({ message: `internal parser error: ${e instanceof Error ? e.message : String(e)}`, start: first.start, end: first.end });
    } else if (e.diagnostic) errors.push(e.diagnostic);
  }
  errors.sort((a, b) => a.start - b.start);
  if (errors.length > 0 || !component) return { bytes: undefined, errors, outline };
  return { bytes: encodeComponent(component), encoded: component, errors, outline };
}

/**
 * Parses, encodes, decodes and validates component text (core code included): every error at its
 * form. `component` is the decoded binary when the text is valid.
 */
export function checkComponentText(text: string, options: ComponentTextOptions = {}): ComponentTextResult & { component: Component | undefined } {
  const r = parseComponentText(text, options);
  if (!r.bytes || !r.encoded) return { ...r, component: undefined };
  let decoded: Component | undefined;
  try {
    decoded = decodeComponent(r.bytes, { features: options.features });
    validateComponent(decoded, { features: options.features });
    return { ...r, component: decoded };
  } catch (e) {
    if (!(e instanceof DecodeError || e instanceof ValidationError)) throw e;
    const span = (decoded && locate(r.encoded, decoded, e.offset)) ?? { start: 0, end: 0 };
    const what = e instanceof DecodeError ? 'malformed component' : 'invalid component';
    const errors = [{ message: `${what}: ${e.reason}`, start: span.start, end: span.end }];
    return { ...r, bytes: undefined, errors, component: undefined };
  }
}

/** {@link checkComponentText}'s errors as editor diagnostics (line and character ranges): what
 * `wasmscope check` and the language server report for a `.wat` holding a component. */
export function componentTextDiagnostics(text: string, options: ComponentTextOptions = {}): CheckDiagnostic[] {
  const lines = new LineIndex(text);
  return checkComponentText(text, options).errors.map((e) => {
    const r = lines.range(e.start, Math.max(e.end, e.start));
    return {
      range: { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } },
      message: e.message,
      severity: 'error',
      source: 'wasmscope',
    };
  });
}

/** The text range of the definition holding byte `offset` of the encoded binary (nested components searched). */
function locate(enc: EncodeComponent, dec: Component, offset: number): { start: number; end: number } | undefined {
  let best = -1;
  dec.definitions.forEach((d, i) => {
    if (d.offset <= offset) best = i;
  });
  if (best < 0) return enc.spans?.[0];
  const d = dec.definitions[best];
  const e = enc.definitions[best];
  if (d?.kind === 'component' && e?.kind === 'component') return locate(e.component, d.component, offset) ?? enc.spans?.[best];
  return enc.spans?.[best];
}

/** Parses and encodes component text; throws ParseError at the first error (for the CLI). */
export function componentTextToBinary(text: string, options: ComponentTextOptions = {}): Uint8Array {
  const r = parseComponentText(text, options);
  if (r.bytes) return r.bytes;
  const at = r.errors[0] ?? { message: 'no component', start: 0, end: 0 };
  throw new ParseError(at.message, new LineIndex(text).range(at.start, at.end));
}

/** An item's error; `diagnostic` is undefined when its errors were recorded already. */
class TextError extends Error {
  constructor(readonly diagnostic: Diagnostic | undefined) {
    super(diagnostic?.message ?? 'reported');
  }
}

const PRIMS = new Set<string>(['bool', 's8', 'u8', 's16', 'u16', 's32', 'u32', 's64', 'u64', 'f32', 'f64', 'char', 'string', 'error-context']);
/** wasm-tools also reads the older spellings of the floating-point types. */
const PRIM_ALIASES: Record<string, PrimValType> = { float32: 'f32', float64: 'f64' };

const CORE_VALTYPES: Record<string, number> = {
  i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b, funcref: 0x70, externref: 0x6f,
};

const CORE_SORTS = new Set<string>(['func', 'table', 'memory', 'global', 'tag', 'type', 'module', 'instance']);
const SORTS = new Set<string>(['func', 'value', 'type', 'component', 'instance']);

type ScopeKind = 'component' | 'component type' | 'instance type' | 'module type';

/** One index space per sort (`core func`, `type`, ...), with the `$names` defined in it. */
class Scope {
  private readonly counts = new Map<string, number>();
  private readonly names = new Map<string, Map<string, number>>();
  /** Names given by `(@name "...")` annotations (jco print's way to keep duplicate names), by space. */
  private readonly annotated = new Map<string, Map<number, string>>();
  constructor(
    readonly kind: ScopeKind,
    readonly parent: Scope | undefined,
    readonly id: string | undefined,
    private readonly nameAnnotation: (id: Token) => string | undefined = () => undefined,
  ) {}

  define(space: string, id: Token | undefined, errors: Diagnostic[]): number {
    const n = this.counts.get(space) ?? 0;
    this.counts.set(space, n + 1);
    if (id) {
      let m = this.names.get(space);
      if (!m) this.names.set(space, (m = new Map()));
      if (m.has(id.text)) errors.push({ message: `duplicate ${space} ${id.text}`, start: id.start, end: id.end });
      else m.set(id.text, n);
      const given = this.nameAnnotation(id);
      if (given !== undefined) {
        let a = this.annotated.get(space);
        if (!a) this.annotated.set(space, (a = new Map()));
        a.set(n, given);
      }
    }
    return n;
  }

  lookup(space: string, name: string): number | undefined {
    return this.names.get(space)?.get(name);
  }

  count(space: string): number {
    return this.counts.get(space) ?? 0;
  }

  /** The `$names` defined here, for the `component-name` section (`$"a b"` → `a b`). */
  componentNames(): ComponentNames {
    const spaces = new Map<string, Map<number, string>>();
    for (const [space, m] of this.names) {
      const given = this.annotated.get(space);
      spaces.set(space, new Map([...m].map(([name, idx]) => [idx, given?.get(idx) ?? idName(name)])));
    }
    return { component: this.id === undefined ? undefined : idName(this.id), spaces };
  }
}

/** The name an identifier token's text denotes. */
function idName(text: string): string {
  return text.startsWith('$"') ? text.slice(2, -1) : text.slice(1);
}

const sortSpace = (s: Sort): string => (typeof s === 'string' ? s : `core ${s.core}`);
const aliasSpace = (a: Alias): string => (a.kind === 'core-export' ? `core ${a.sort}` : sortSpace(a.sort));

/** The items a scope collects: definitions of a component, declarations of a type. */
interface Sink {
  scope: Scope;
  /** Adds a type definition (an inline type's expansion, or a `(type ...)`); returns its index. */
  addType(t: TypeDef, id: Token | undefined, at: SNode): number;
  addCoreType(t: CoreTypeDef, id: Token | undefined, at: SNode): number;
  /** Adds an alias (of an inline `(func $inst "name")` reference); returns its index. */
  addAlias(a: Alias, at: SNode): number;
}

class ComponentSink implements Sink {
  readonly definitions: EncodeDefinition[] = [];
  constructor(readonly scope: Scope, private readonly errors: Diagnostic[]) {}
  addType(type: TypeDef, id: Token | undefined, at: SNode): number {
    this.definitions.push({ kind: 'type', type, offset: at.start });
    return this.scope.define('type', id, this.errors);
  }
  addCoreType(type: CoreTypeDef, id: Token | undefined, at: SNode): number {
    this.definitions.push({ kind: 'core-type', type, offset: at.start });
    return this.scope.define('core type', id, this.errors);
  }
  addAlias(alias: Alias, at: SNode): number {
    this.definitions.push({ kind: 'alias', alias, offset: at.start });
    return this.scope.define(aliasSpace(alias), undefined, this.errors);
  }
}

class DeclSink implements Sink {
  readonly decls: Decl[] = [];
  constructor(readonly scope: Scope, private readonly errors: Diagnostic[]) {}
  addType(type: TypeDef, id: Token | undefined, at: SNode): number {
    this.decls.push({ kind: 'type', type, offset: at.start });
    return this.scope.define('type', id, this.errors);
  }
  addCoreType(type: CoreTypeDef, id: Token | undefined, at: SNode): number {
    this.decls.push({ kind: 'core-type', type, offset: at.start });
    return this.scope.define('core type', id, this.errors);
  }
  addAlias(alias: Alias, at: SNode): number {
    this.decls.push({ kind: 'alias', alias, offset: at.start });
    return this.scope.define(aliasSpace(alias), undefined, this.errors);
  }
}

/** A cursor over a list's children. */
class Cursor {
  i: number;
  constructor(readonly list: SList, start: number) {
    this.i = start;
  }
  peek(): SNode | undefined {
    return this.list.children[this.i];
  }
  next(): SNode | undefined {
    return this.list.children[this.i++];
  }
  get done(): boolean {
    return this.i >= this.list.children.length;
  }
  /** An optional `$id`. */
  id(): Token | undefined {
    const t = this.peek();
    if (t !== undefined && !isList(t) && t.kind === 'id') {
      this.i++;
      return t;
    }
    return undefined;
  }
  /** An optional keyword. */
  keyword(word: string): boolean {
    const t = this.peek();
    if (t !== undefined && !isList(t) && t.kind === 'keyword' && t.is(word)) {
      this.i++;
      return true;
    }
    return false;
  }
  /** The next child, a list starting with `word` (not consumed otherwise). */
  listOf(word: string): SList | undefined {
    const t = this.peek();
    if (isList(t) && head(t) === word) {
      this.i++;
      return t;
    }
    return undefined;
  }
}

function head(l: SList): string | undefined {
  const k = l.children[0];
  return k !== undefined && !isList(k) && k.kind === 'keyword' ? k.text : undefined;
}

/** `(core func ...)` → `core func`; `(func ...)` → `func`. */
function head2(l: SList): string | undefined {
  const h = head(l);
  if (h !== 'core') return h;
  const k = l.children[1];
  return k !== undefined && !isList(k) && k.kind === 'keyword' ? `core ${k.text}` : 'core';
}

class Parser {
  /** `(@name "...")` annotations by the offset of their `(@name`. */
  private readonly nameAnnotations = new Map<number, SList>();

  constructor(
    private readonly lines: LineIndex,
    private readonly errors: Diagnostic[],
    private readonly features: Features | undefined,
    annotations: SList[] = [],
  ) {
    for (const a of annotations) if (a.annotation === 'name') this.nameAnnotations.set(a.start, a);
  }

  /** The name an `(@name "...")` right after `id` gives it (whitespace between), if any. */
  private readonly nameAnnotation = (id: Token): string | undefined => {
    if (this.nameAnnotations.size === 0) return undefined;
    const text = this.lines.text;
    let at = id.end;
    while (at < text.length && (text[at] === ' ' || text[at] === '\n' || text[at] === '\t' || text[at] === '\r')) at++;
    const a = this.nameAnnotations.get(at);
    const s = a?.children[0];
    if (s === undefined || isList(s) || s.kind !== 'string') return undefined;
    const d = decodeString(s.text);
    return d.error === undefined ? utf8ToString(d.bytes) : undefined;
  };

  private fail(at: SNode | { start: number; end: number }, message: string): never {
    throw new TextError({ message, start: at.start, end: at.end });
  }

  private describe(n: SNode | undefined): string {
    if (n === undefined) return 'end of list';
    if (isList(n)) return `(${head2(n) ?? '...'} ...)`;
    return `'${n.text}'`;
  }

  private string(n: SNode | undefined, what: string, at: SNode): string {
    if (n === undefined || isList(n) || n.kind !== 'string') this.fail(n ?? at, `expected ${what} (a string), found ${this.describe(n)}`);
    const d = decodeString(n.text);
    const s = d.error === undefined ? utf8ToString(d.bytes) : undefined;
    if (s === undefined) this.fail(n, `${what} is not valid UTF-8`);
    return s;
  }

  private u32(n: SNode | undefined, what: string, at: SNode): number {
    if (n === undefined || isList(n) || n.kind !== 'number') this.fail(n ?? at, `expected ${what} (a number), found ${this.describe(n)}`);
    const v = parseU32(n.text);
    if (v === undefined) this.fail(n, `${what} ${n.text} is out of range (u32)`);
    return v;
  }

  /** A reference to an item of `space`: a number or a `$name` defined in `scope`. */
  private ref(n: SNode | undefined, space: string, scope: Scope, at: SNode): number {
    if (n !== undefined && !isList(n) && n.kind === 'id') {
      const v = scope.lookup(space, n.text);
      if (v === undefined) this.fail(n, `unknown ${space} ${n.text}`);
      return v;
    }
    if (n === undefined || isList(n) || n.kind !== 'number') this.fail(n ?? at, `expected a ${space} index or $name, found ${this.describe(n)}`);
    return this.u32(n, `${space} index`, at);
  }

  private end(c: Cursor, form: string): void {
    const extra = c.peek();
    if (extra !== undefined) this.fail(extra, `unexpected ${this.describe(extra)} in ${form}`);
  }

  // ---- components ------------------------------------------------------------------------------

  /** `(component $id? item*)`; `list` starts with the `component` keyword at `children[skip]`. */
  component(list: SList, parent: Scope | undefined, outline: ComponentOutlineItem[], skip = 0): EncodeComponent {
    const c = new Cursor(list, skip + 1);
    const id = c.id();
    const scope = new Scope('component', parent, id?.text, this.nameAnnotation);
    const sink = new ComponentSink(scope, this.errors);
    const spans: { start: number; end: number }[] = [];
    while (!c.done) {
      const n = c.next()!;
      const outlined = outline.length;
      try {
        if (!isList(n)) this.fail(n, `unexpected ${this.describe(n)}: expected a component item such as (core module ...), (import ...) or (export ...)`);
        this.item(n, sink, outline);
      } catch (e) {
        if (!(e instanceof TextError)) throw e;
        if (e.diagnostic) this.errors.push(e.diagnostic);
        if (isList(n)) this.recover(n, scope, outline, outlined);
      }
      // Inline types expanded from an item are reported at the item.
      while (spans.length < sink.definitions.length) spans.push({ start: n.start, end: n.end });
    }
    const names = encodeComponentNames(scope.componentNames());
    return { definitions: sink.definitions, spans, customSections: names ? [{ name: 'component-name', data: names }] : [] };
  }

  /**
   * After an item's error: its `$name` is still defined (in the space its form names) so later
   * uses do not report it again, and it keeps its place in the outline.
   */
  private recover(l: SList, scope: Scope, outline: ComponentOutlineItem[], outlined: number): void {
    const form = head2(l);
    if (form === undefined) return;
    const words = form.split(' ').length;
    const id = new Cursor(l, words).id();
    const definesItself = ['core module', 'core instance', 'core type', 'core func', 'core table', 'core memory', 'core global', 'core tag', 'component', 'instance', 'type', 'func'];
    if (id && definesItself.includes(form) && scope.lookup(form, id.text) === undefined) scope.define(form, id, this.errors);
    if (outline.length === outlined) outline.push({ kind: form, name: id?.text, start: l.start, end: l.end, children: [] });
  }

  private item(l: SList, sink: ComponentSink, outline: ComponentOutlineItem[]): void {
    const form = head2(l);
    const scope = sink.scope;
    const defs = sink.definitions;
    const out = (kind: string, name: string | undefined, children: ComponentOutlineItem[] = []): void => {
      outline.push({ kind, name, start: l.start, end: l.end, children });
    };
    switch (form) {
      case 'core module': {
        const c = new Cursor(l, 2);
        const id = c.id();
        defs.push({ kind: 'core-module', bytes: this.coreModule(l, id) });
        const n = scope.define('core module', id, this.errors);
        this.exportsOf(l, sink, { core: 'module' }, n);
        out('core module', id?.text);
        return;
      }
      case 'core instance': {
        const c = new Cursor(l, 2);
        const id = c.id();
        const def = this.coreInstanceBody(c, l, sink);
        defs.push({ kind: 'core-instance', def, offset: l.start });
        scope.define('core instance', id, this.errors);
        out('core instance', id?.text);
        return;
      }
      case 'core type': {
        const c = new Cursor(l, 2);
        const id = c.id();
        const body = c.next();
        if (!isList(body)) this.fail(body ?? l, 'expected (func ...) or (module ...) in (core type ...)');
        this.end(c, '(core type ...)');
        sink.addCoreType(this.coreTypeBody(body, scope), id, l);
        out('core type', id?.text);
        return;
      }
      case 'core func': case 'core table': case 'core memory': case 'core global': case 'core tag': {
        const sort = form.slice(5) as CoreSort;
        const c = new Cursor(l, 2);
        const id = c.id();
        const body = c.next();
        if (isList(body) && head(body) === 'alias') {
          this.end(c, `(${form} ...)`);
          defs.push({ kind: 'alias', alias: this.aliasTarget(new Cursor(body, 1), body, { core: sort }, scope), offset: l.start });
          scope.define(form, id, this.errors);
        } else if (sort === 'func' && isList(body) && head(body) === 'canon') {
          this.end(c, '(core func ...)');
          this.canonCore(body, 0, sink, id);
        } else {
          this.fail(body ?? l, `expected (canon ...) or (alias ...) in (${form} ...), found ${this.describe(body)}`);
        }
        out(form, id?.text);
        return;
      }
      case 'component': {
        const c = new Cursor(l, 1);
        const id = c.id();
        const children: ComponentOutlineItem[] = [];
        const nested = this.component(l, scope, children);
        defs.push({ kind: 'component', component: nested });
        scope.define('component', id, this.errors);
        out('component', id?.text, children);
        return;
      }
      case 'instance': {
        const c = new Cursor(l, 1);
        const id = c.id();
        this.inlineExports(c, l);
        const def = this.instanceBody(c, l, sink);
        defs.push({ kind: 'instance', def, offset: l.start });
        const n = scope.define('instance', id, this.errors);
        this.exportsOf(l, sink, 'instance', n);
        out('instance', id?.text);
        return;
      }
      case 'alias': {
        const c = new Cursor(l, 1);
        const a = this.alias(c, l, scope);
        defs.push({ kind: 'alias', alias: a.alias, offset: l.start });
        scope.define(aliasSpace(a.alias), a.id, this.errors);
        out('alias', a.id?.text ?? ('name' in a.alias ? a.alias.name : undefined));
        return;
      }
      case 'type': {
        const c = new Cursor(l, 1);
        const id = c.id();
        this.inlineExports(c, l);
        const body = c.next();
        if (body === undefined) this.fail(l, 'expected a type in (type ...)');
        this.end(c, '(type ...)');
        const n = sink.addType(this.typeBody(body, sink), id, l);
        this.exportsOf(l, sink, 'type', n);
        out('type', id?.text);
        return;
      }
      case 'canon': {
        const c = new Cursor(l, 1);
        const kw = c.peek();
        if (!isList(kw) && kw !== undefined && kw.kind === 'keyword' && kw.is('lift')) {
          // `(canon lift (core func f) opts* (func $id? (type t)))`
          const last = l.children[l.children.length - 1];
          if (!isList(last) || head(last) !== 'func') this.fail(last ?? l, 'expected (func $id? (type ...)) at the end of (canon lift ...)');
          const fc = new Cursor(last, 1);
          const id = fc.id();
          const typeIndex = this.funcTypeUse(fc, last, sink);
          this.end(fc, '(func ...)');
          this.lift(l, 1, l.children.length - 1, typeIndex, sink, id);
          out('func', id?.text);
        } else {
          const last = l.children[l.children.length - 1];
          let id: Token | undefined;
          let end = l.children.length;
          if (isList(last) && head2(last) === 'core func') {
            id = new Cursor(last, 2).id();
            end--;
          }
          this.canonCore(l, 0, sink, id, end);
          out('core func', id?.text);
        }
        return;
      }
      case 'func': {
        const c = new Cursor(l, 1);
        const id = c.id();
        this.inlineExports(c, l);
        const save = c.i;
        const body = l.children[l.children.length - 1];
        if (isList(body) && head(body) === 'alias') {
          c.i = l.children.length;
          defs.push({ kind: 'alias', alias: this.aliasTarget(new Cursor(body, 1), body, 'func', scope), offset: l.start });
          scope.define('func', id, this.errors);
        } else if (isList(body) && head(body) === 'canon') {
          c.i = save;
          const typeEnd = l.children.length - 1;
          const tc = new Cursor({ ...l, children: l.children.slice(0, typeEnd) }, save);
          const typeIndex = this.funcTypeUse(tc, l, sink);
          this.end(tc, '(func ...)');
          const kw = body.children[1];
          if (kw === undefined || isList(kw) || !kw.is('lift')) this.fail(kw ?? body, 'a component function is made by (canon lift ...)');
          this.lift(body, 1, body.children.length, typeIndex, sink, id);
        } else {
          this.fail(body ?? l, 'expected (canon lift ...) or (alias ...) in (func ...) (an imported function is (import "name" (func ...)))');
        }
        const n = scope.count('func') - 1;
        this.exportsOf(l, sink, 'func', n);
        out('func', id?.text);
        return;
      }
      case 'start': {
        const c = new Cursor(l, 1);
        const func = this.ref(c.next(), 'func', scope, l);
        const args: number[] = [];
        let results = 0;
        for (let v = c.listOf('value'); v; v = c.listOf('value')) args.push(this.ref(v.children[1], 'value', scope, v));
        for (let r = c.listOf('result'); r; r = c.listOf('result')) {
          const v = r.children[1];
          if (!isList(v) || head(v) !== 'value') this.fail(v ?? r, 'expected (value $id?) in (result ...)');
          scope.define('value', new Cursor(v, 1).id(), this.errors);
          results++;
        }
        this.end(c, '(start ...)');
        defs.push({ kind: 'start', func, args, results, offset: l.start });
        out('start', undefined);
        return;
      }
      case 'import': {
        const c = new Cursor(l, 1);
        const name = this.externName(c, l);
        const descNode = c.next();
        if (!isList(descNode)) this.fail(descNode ?? l, 'expected the imported item, e.g. (func (type 0)) or (instance (type 0)), in (import ...)');
        this.end(c, '(import ...)');
        const d = this.externDesc(descNode, sink);
        defs.push({ kind: 'import', name: { name, offset: l.start }, desc: d.desc, offset: l.start });
        scope.define(d.space, d.id, this.errors);
        out('import', name);
        return;
      }
      case 'export': {
        const c = new Cursor(l, 1);
        const id = c.id();
        const name = this.externName(c, l);
        const itemNode = c.next();
        if (!isList(itemNode)) this.fail(itemNode ?? l, 'expected the exported item, e.g. (func $f), in (export ...)');
        const item = this.sortIdx(itemNode, sink);
        let desc: ExternDesc | undefined;
        const ascribed = c.next();
        if (ascribed !== undefined) {
          if (!isList(ascribed)) this.fail(ascribed, `unexpected ${this.describe(ascribed)} in (export ...)`);
          const d = this.externDesc(ascribed, sink);
          if (d.id) this.fail(d.id, 'an export\'s type ascription takes no $name (name the export: (export $name "..." ...))');
          desc = d.desc;
        }
        this.end(c, '(export ...)');
        defs.push({ kind: 'export', name: { name, offset: l.start }, item, desc, offset: l.start });
        scope.define(sortSpace(item.sort), id, this.errors);
        out('export', name);
        return;
      }
      case 'value':
        this.fail(l, 'value definitions are not supported (nor by the decoder)');
        break;
      default:
        this.fail(l, `unknown component item ${this.describe(l)}: expected core module, core instance, core type, core func, component, instance, alias, type, canon, func, start, import or export`);
    }
  }

  /** Skips `(export "name")` inline exports (they are written after the item by exportsOf). */
  private inlineExports(c: Cursor, _l: SList): void {
    while (c.listOf('export')) { /* collected again by exportsOf */ }
  }

  /** Inline `(export "name")`s of an item: each an export definition of `sort` index `index`. */
  private exportsOf(l: SList, sink: ComponentSink, sort: Sort, index: number): void {
    const skip = typeof sort === 'string' ? 1 : 2;
    const c = new Cursor(l, skip);
    c.id();
    for (let e = c.listOf('export'); e; e = c.listOf('export')) {
      const ec = new Cursor(e, 1);
      const name = this.externName(ec, e);
      this.end(ec, '(export "name")');
      sink.definitions.push({ kind: 'export', name: { name, offset: e.start }, item: { sort, index }, desc: undefined, offset: e.start });
      sink.scope.define(sortSpace(sort), undefined, this.errors);
    }
  }

  private externName(c: Cursor, at: SList): string {
    const n = c.next();
    if (isList(n) && head(n) === 'interface') return this.string(n.children[1], 'interface name', n);
    const s = this.string(n, 'an import/export name', at);
    if (s === '') this.fail(n!, 'empty import/export name');
    return s;
  }

  private coreModule(l: SList, id: Token | undefined): Uint8Array {
    const fake: SList = { ...l, children: l.children.slice(1) };
    const m = moduleFromList(this.lines, fake, this.features);
    if (m.errors.length > 0) {
      // The core parser's errors stand on their own, at their places.
      for (const e of m.errors) this.errors.push(e);
      throw new TextError(undefined);
    }
    try {
      return assemble(m, { features: this.features }).bytes;
    } catch (e) {
      if (e instanceof ParseError || e instanceof FeatureError) this.fail(l, `in (core module${id ? ` ${id.text}` : ''}): ${e.message}`);
      throw e;
    }
  }

  private coreInstanceBody(c: Cursor, l: SList, sink: Sink): CoreInstanceDef {
    const scope = sink.scope;
    const inst = c.listOf('instantiate');
    if (inst) {
      this.end(c, '(core instance ...)');
      const ic = new Cursor(inst, 1);
      const module = this.ref(ic.next(), 'core module', scope, inst);
      const args: { name: string; instance: number }[] = [];
      for (let w = ic.listOf('with'); w; w = ic.listOf('with')) {
        const name = this.string(w.children[1], 'an instantiation argument name', w);
        const target = w.children[2];
        if (!isList(target) || head(target) !== 'instance') this.fail(target ?? w, 'expected (instance $i) in (with ...) of a core instance');
        let index: number;
        if (target.children.length === 1 || isList(target.children[1])) {
          // An inline instance of exports: defined just before this one.
          const def = this.coreExports(new Cursor(target, 1), target, scope);
          (sink as ComponentSink).definitions.push({ kind: 'core-instance', def, offset: target.start });
          index = scope.define('core instance', undefined, this.errors);
        } else {
          index = this.ref(target.children[1], 'core instance', scope, target);
        }
        args.push({ name, instance: index });
      }
      this.end(ic, '(instantiate ...)');
      return { kind: 'instantiate', module, args };
    }
    return this.coreExports(c, l, scope);
  }

  private coreExports(c: Cursor, l: SList, scope: Scope): { kind: 'exports'; exports: { name: string; item: { sort: CoreSort; index: number } }[] } {
    const exports: { name: string; item: { sort: CoreSort; index: number } }[] = [];
    for (let e = c.listOf('export'); e; e = c.listOf('export')) {
      const name = this.string(e.children[1], 'an export name', e);
      const item = e.children[2];
      if (!isList(item)) this.fail(item ?? e, 'expected (func $f), (memory $m), ... in a core instance export');
      const sort = head(item);
      if (sort === undefined || !CORE_SORTS.has(sort)) this.fail(item, `unknown core sort ${this.describe(item)}`);
      exports.push({ name, item: { sort: sort as CoreSort, index: this.ref(item.children[1], `core ${sort}`, scope, item) } });
    }
    this.end(c, '(core instance ...)');
    void l;
    return { kind: 'exports', exports };
  }

  private instanceBody(c: Cursor, l: SList, sink: ComponentSink): { kind: 'instantiate'; component: number; args: { name: string; item: SortIdx }[] } | { kind: 'exports'; exports: { name: { name: string; offset: number }; item: SortIdx }[] } {
    const scope = sink.scope;
    const inst = c.listOf('instantiate');
    if (inst) {
      this.end(c, '(instance ...)');
      const ic = new Cursor(inst, 1);
      const component = this.ref(ic.next(), 'component', scope, inst);
      const args: { name: string; item: SortIdx }[] = [];
      for (let w = ic.listOf('with'); w; w = ic.listOf('with')) {
        const name = this.string(w.children[1], 'an instantiation argument name', w);
        const target = w.children[2];
        if (!isList(target)) this.fail(target ?? w, 'expected (func $f), (instance $i), ... in (with ...)');
        args.push({ name, item: this.sortIdx(target, sink) });
      }
      this.end(ic, '(instantiate ...)');
      return { kind: 'instantiate', component, args };
    }
    const exports: { name: { name: string; offset: number }; item: SortIdx }[] = [];
    for (let e = c.listOf('export'); e; e = c.listOf('export')) {
      const ec = new Cursor(e, 1);
      const name = this.externName(ec, e);
      const item = ec.next();
      if (!isList(item)) this.fail(item ?? e, 'expected (func $f), (type $t), ... in an instance export');
      exports.push({ name: { name, offset: e.start }, item: this.sortIdx(item, sink) });
    }
    this.end(c, '(instance ...)');
    void l;
    return { kind: 'exports', exports };
  }

  /** `(func $f)`, `(core module 0)`, `(type $t)`, ...: a sort and an index in `scope`. */
  private sortIdx(l: SList, sink: Sink): SortIdx {
    const s = this.sortOf(l);
    const at = typeof s.sort === 'string' ? 1 : 2;
    const c = new Cursor(l, at);
    const target = c.next();
    const name = c.peek();
    if (name !== undefined && !isList(name) && name.kind === 'string') {
      // `(func $inst "name")`: an export of an instance, aliased just before its use.
      c.i++;
      this.end(c, this.describe(l));
      const exportName = this.string(name, 'an export name', l);
      const alias: Alias = typeof s.sort === 'string'
        ? { kind: 'export', sort: s.sort, instance: this.ref(target, 'instance', sink.scope, l), name: exportName }
        : { kind: 'core-export', sort: s.sort.core, instance: this.ref(target, 'core instance', sink.scope, l), name: exportName };
      return { sort: s.sort, index: sink.addAlias(alias, l) };
    }
    const index = this.ref(target, sortSpace(s.sort), sink.scope, l);
    this.end(c, this.describe(l));
    return { sort: s.sort, index };
  }

  private sortOf(l: SList): { sort: Sort } {
    const h = head(l);
    if (h === 'core') {
      const k = l.children[1];
      const name = k !== undefined && !isList(k) ? k.text : '';
      if (!CORE_SORTS.has(name)) this.fail(k ?? l, `unknown core sort '${name}'`);
      return { sort: { core: name as CoreSort } };
    }
    if (h === undefined || !SORTS.has(h)) this.fail(l, `unknown sort ${this.describe(l)}: expected func, value, type, component, instance or core ...`);
    return { sort: h as 'func' | 'value' | 'type' | 'component' | 'instance' };
  }

  /** `(alias export $i "name" (func $id?))`, `(alias core export ...)`, `(alias outer $c $t (type $id?))`. */
  private alias(c: Cursor, l: SList, scope: Scope): { alias: Alias; id: Token | undefined } {
    const last = l.children[l.children.length - 1];
    if (!isList(last)) this.fail(last ?? l, 'expected the aliased item, e.g. (func $id?), at the end of (alias ...)');
    const { sort } = this.sortOf(last);
    const id = new Cursor(last, typeof sort === 'string' ? 1 : 2).id();
    const body: SList = { ...l, children: l.children.slice(0, -1) };
    const bc = new Cursor(body, c.i);
    return { alias: this.aliasTarget(bc, body, sort, scope), id };
  }

  private aliasTarget(c: Cursor, l: SList, sort: Sort, scope: Scope): Alias {
    if (c.keyword('export')) {
      const instance = this.ref(c.next(), 'instance', scope, l);
      const name = this.string(c.next(), 'an export name', l);
      this.end(c, '(alias export ...)');
      return { kind: 'export', sort, instance, name };
    }
    if (c.keyword('core')) {
      if (!c.keyword('export')) this.fail(c.peek() ?? l, 'expected export after (alias core');
      if (typeof sort === 'string') this.fail(l, `a core export alias makes a core item, not a ${sort}`);
      const instance = this.ref(c.next(), 'core instance', scope, l);
      const name = this.string(c.next(), 'an export name', l);
      this.end(c, '(alias core export ...)');
      return { kind: 'core-export', sort: sort.core, instance, name };
    }
    if (c.keyword('outer')) {
      const target = c.next();
      let count: number;
      let outer: Scope | undefined;
      if (target !== undefined && !isList(target) && target.kind === 'id') {
        count = 0;
        outer = scope;
        while (outer && outer.id !== target.text) {
          outer = outer.parent;
          count++;
        }
        if (!outer) this.fail(target, `unknown enclosing component or type ${target.text}`);
      } else {
        count = this.u32(target, 'outer count', l);
        outer = scope;
        for (let i = 0; i < count && outer; i++) outer = outer.parent;
        if (!outer) this.fail(target!, `outer count ${count} reaches past the outermost component`);
      }
      const space = outer.kind === 'module type' && sortSpace(sort) === 'core type' ? 'type' : sortSpace(sort);
      const index = this.ref(c.next(), space, outer, l);
      this.end(c, '(alias outer ...)');
      return { kind: 'outer', sort, count, index };
    }
    return this.fail(c.peek() ?? l, `expected export, core export or outer in (alias ...), found ${this.describe(c.peek())}`);
  }

  // ---- canonical definitions -------------------------------------------------------------------

  /** The `(type t)` of a func, or an inline `(param ...)* (result ...)?` (expanded to a type). */
  private funcTypeUse(c: Cursor, at: SList, sink: Sink): number {
    const ty = c.listOf('type');
    if (ty) return this.ref(ty.children[1], 'type', sink.scope, ty);
    const p = c.peek();
    if (c.done || (isList(p) && (head(p) === 'param' || head(p) === 'result')) || (!isList(p) && p?.kind === 'keyword' && p.is('async'))) {
      const start = c.i;
      while (!c.done && (isList(c.peek()) || (c.peek() as Token).is('async'))) {
        const q = c.peek()!;
        if (isList(q) && head(q) !== 'param' && head(q) !== 'result') break;
        c.i++;
      }
      const fake: SList = { ...at, children: [at.children[0]!, ...at.children.slice(start, c.i)] };
      return sink.addType(this.funcType(fake, sink), undefined, at);
    }
    return this.fail(p ?? at, `expected (type ...) or (param ...)/(result ...), found ${this.describe(p)}`);
  }

  private lift(l: SList, from: number, to: number, typeIndex: number, sink: ComponentSink, id: Token | undefined): void {
    const c = new Cursor({ ...l, children: l.children.slice(0, to) }, from + 1);
    const core = c.next();
    if (!isList(core) || head2(core) !== 'core func') this.fail(core ?? l, 'expected (core func $f) after canon lift');
    const coreFunc = this.sortIdx(core, sink).index;
    const opts = this.canonOpts(c, sink);
    sink.definitions.push({ kind: 'canon', def: { kind: 'lift', coreFunc, opts: opts.opts, typeIndex }, offset: l.start });
    sink.scope.define('func', id, this.errors);
  }

  private canonOpts(c: Cursor, sink: Sink): { opts: CanonOpts } {
    const scope = sink.scope;
    const o: CanonOpts = { stringEncoding: 'utf8', memory: undefined, realloc: undefined, postReturn: undefined, async: false, callback: undefined, order: [] };
    const order = o.order!;
    while (!c.done) {
      const n = c.peek()!;
      const dup = (tag: number, what: string): void => {
        const enc = tag <= 2;
        if (order.some((t) => (enc ? t <= 2 : t === tag))) this.fail(n, `duplicate canonical option ${what}`);
        order.push(tag);
      };
      if (!isList(n)) {
        if (n.kind === 'keyword' && n.text.startsWith('string-encoding=')) {
          const enc = n.text.slice('string-encoding='.length);
          const tag = enc === 'utf8' ? 0 : enc === 'utf16' ? 1 : enc === 'latin1+utf16' ? 2 : -1;
          if (tag < 0) this.fail(n, `unknown string encoding ${enc} (utf8, utf16 or latin1+utf16)`);
          dup(tag, 'string-encoding');
          o.stringEncoding = tag === 0 ? 'utf8' : tag === 1 ? 'utf16' : 'latin1+utf16';
        } else if (n.kind === 'keyword' && n.is('async')) {
          dup(0x06, 'async');
          o.async = true;
        } else {
          break;
        }
        c.i++;
        continue;
      }
      const h = head(n);
      const refOf = (space: string): number => {
        const t = n.children[1];
        if (isList(t)) {
          const s = this.sortIdx(t, sink);
          if (sortSpace(s.sort) !== space) this.fail(t, `expected a ${space} in (${h} ...)`);
          return s.index;
        }
        return this.ref(t, space, scope, n);
      };
      if (h === 'memory') { dup(0x03, 'memory'); o.memory = refOf('core memory'); }
      else if (h === 'realloc') { dup(0x04, 'realloc'); o.realloc = refOf('core func'); }
      else if (h === 'post-return') { dup(0x05, 'post-return'); o.postReturn = refOf('core func'); }
      else if (h === 'callback') { dup(0x07, 'callback'); o.callback = refOf('core func'); }
      else break;
      c.i++;
    }
    return { opts: o };
  }

  /** `(canon lower ...)`, `(canon resource.new $t)` and the async built-ins: one core func. */
  private canonCore(l: SList, canonAt: number, sink: ComponentSink, id: Token | undefined, end = l.children.length): void {
    const scope = sink.scope;
    const c = new Cursor({ ...l, children: l.children.slice(0, end) }, canonAt + 1);
    const kw = c.next();
    if (kw === undefined || isList(kw) || kw.kind !== 'keyword') this.fail(kw ?? l, 'expected a canonical built-in (lower, resource.new, task.return, ...) after canon');
    const name = kw.text;
    const push = (def: CanonDef): void => {
      sink.definitions.push({ kind: 'canon', def, offset: l.start });
      scope.define('core func', id, this.errors);
    };
    switch (name) {
      case 'lift':
        this.fail(kw, 'canon lift makes a component function: write (func $id? (type ...) (canon lift ...))');
        break;
      case 'lower': {
        const f = c.next();
        if (!isList(f) || head(f) !== 'func') this.fail(f ?? l, 'expected (func $f) after canon lower');
        const func = this.sortIdx(f, sink).index;
        const { opts } = this.canonOpts(c, sink);
        this.end(c, '(canon lower ...)');
        push({ kind: 'lower', func, opts });
        return;
      }
      case 'resource.new': case 'resource.drop': case 'resource.rep': {
        const typeIndex = this.ref(c.next(), 'type', scope, l);
        const async = name === 'resource.drop' && c.keyword('async');
        this.end(c, `(canon ${name} ...)`);
        push(async ? { kind: 'resource.drop', typeIndex, async: true } : { kind: name, typeIndex });
        return;
      }
      default: {
        const code = BUILTIN_CODES[name];
        if (code === undefined) this.fail(kw, `unknown canonical built-in ${name}`);
        const def: BuiltinDef = { kind: 'builtin', code, name };
        this.builtinImmediates(c, l, def, sink);
        this.end(c, `(canon ${name} ...)`);
        push(def);
      }
    }
  }

  private builtinImmediates(c: Cursor, l: SList, def: BuiltinDef, sink: Sink): void {
    const scope = sink.scope;
    const code = def.code;
    const typed = [0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x27].includes(code);
    const asyncFlag = [0x06, 0x11, 0x12, 0x18, 0x19].includes(code);
    // `cancellable` (thread.yield, waitable-set.wait/poll, thread.*) was taken out of the Component
    // Model (component-model#716): its binary byte is always 0, the text form is an error.
    const cancellableByte = [0x0c, 0x20, 0x21, 0x29, 0x2a, 0x2b, 0x2c, 0x2d].includes(code);
    const withOpts = [0x09, 0x0f, 0x10, 0x16, 0x17, 0x1c, 0x1d].includes(code);
    if (code === 0x09) {
      const r = c.listOf('result');
      if (r) {
        const rc = new Cursor(r, 1);
        def.result = this.valType(rc.next(), sink, r);
        this.end(rc, '(result ...)');
      } else def.result = null;
    }
    if (code === 0x0a || code === 0x0b) {
      const t = c.next();
      const v = t !== undefined && !isList(t) ? CORE_VALTYPES[t.text] : undefined;
      if (v === undefined) this.fail(t ?? l, `expected a core value type (i32) after canon ${def.name}`);
      def.slotType = v;
      def.slot = this.u32(c.next(), 'context slot', l);
    }
    if (typed) def.type = this.ref(c.next(), 'type', scope, l);
    if (code === 0x27) {
      const t = c.listOf('table');
      if (!t) this.fail(c.peek() ?? l, 'expected (table $t) in canon thread.new-indirect');
      def.table = this.ref(t.children[1], 'core table', scope, t);
    }
    if (asyncFlag) def.flag = c.keyword('async');
    const word = c.peek();
    if (cancellableByte && c.keyword('cancellable')) this.fail(word!, `canon ${def.name}: the cancellable option was removed from the Component Model`);
    if (code === 0x20 || code === 0x21) {
      const m = c.listOf('memory');
      if (!m) this.fail(c.peek() ?? l, `expected (memory $m) in canon ${def.name}`);
      def.memory = this.ref(m.children[1], 'core memory', scope, m);
    }
    if (withOpts) def.opts = this.canonOpts(c, sink).opts;
    // An async flag written after the options (`stream.read 0 (memory 0) async`) is an option.
  }

  // ---- types -----------------------------------------------------------------------------------

  /** The body of `(type ...)`: a defined value type, func, component, instance or resource type. */
  private typeBody(n: SNode, sink: Sink): TypeDef {
    if (!isList(n)) {
      const prim = this.prim(n);
      if (prim) return { kind: 'defval', type: { kind: 'prim', prim } };
      this.fail(n, `expected a type definition, found ${this.describe(n)}`);
    }
    switch (head(n)) {
      case 'func': return this.funcType(n, sink);
      case 'component': return { kind: 'component', decls: this.decls(n, sink.scope, 'component type') };
      case 'instance': return { kind: 'instance', decls: this.decls(n, sink.scope, 'instance type') };
      case 'resource': {
        const c = new Cursor(n, 1);
        const rep = c.listOf('rep');
        if (!rep) this.fail(c.peek() ?? n, 'expected (rep i32) in (resource ...)');
        const rt = rep.children[1];
        const code = rt !== undefined && !isList(rt) ? CORE_VALTYPES[rt.text] : undefined;
        if (code === undefined) this.fail(rt ?? rep, 'expected a core value type in (rep ...)');
        let dtor: number | undefined;
        let async = false;
        const d = c.listOf('dtor');
        if (d) {
          const dc = new Cursor(d, 1);
          async = dc.keyword('async');
          const f = dc.next();
          if (isList(f)) {
            const s = this.sortIdx(f, sink);
            if (sortSpace(s.sort) !== 'core func') this.fail(f, 'a destructor is a core func');
            dtor = s.index;
          } else dtor = this.ref(f, 'core func', sink.scope, d);
          dc.listOf('callback');
          this.end(dc, '(dtor ...)');
        }
        this.end(c, '(resource ...)');
        return { kind: 'resource', rep: code, dtor, async };
      }
      default:
        return { kind: 'defval', type: this.defValType(n, sink) };
    }
  }

  private funcType(n: SList, sink: Sink): TypeDef {
    const c = new Cursor(n, 1);
    const async = c.keyword('async');
    const params: { name: string; type: ValTypeRef }[] = [];
    for (let p = c.listOf('param'); p; p = c.listOf('param')) {
      const pc = new Cursor(p, 1);
      const name = this.string(pc.next(), 'a parameter name', p);
      params.push({ name, type: this.valType(pc.next(), sink, p) });
      this.end(pc, '(param ...)');
    }
    let result: ValTypeRef | undefined;
    const r = c.listOf('result');
    if (r) {
      const rc = new Cursor(r, 1);
      if (!rc.done) {
        if (!isList(rc.peek()) && (rc.peek() as Token).kind === 'string') this.fail(rc.peek()!, 'named function results are not supported');
        result = this.valType(rc.next(), sink, r);
      }
      this.end(rc, '(result ...)');
    }
    this.end(c, '(func ...)');
    return { kind: 'func', async, params, result };
  }

  private prim(n: Token): PrimValType | undefined {
    if (n.kind !== 'keyword') return undefined;
    const t = n.text;
    if (PRIMS.has(t)) return t as PrimValType;
    return PRIM_ALIASES[t];
  }

  /** A value type: a primitive, a type index / `$name`, or an inline defined type (expanded). */
  private valType(n: SNode | undefined, sink: Sink, at: SNode): ValTypeRef {
    if (n === undefined) this.fail(at, 'expected a value type');
    if (!isList(n)) {
      const prim = this.prim(n);
      if (prim) return { prim };
      return { index: this.ref(n, 'type', sink.scope, at), offset: n.start };
    }
    const t = this.defValType(n, sink);
    return { index: sink.addType({ kind: 'defval', type: t }, undefined, n), offset: n.start };
  }

  private optValType(c: Cursor, sink: Sink, at: SNode): ValTypeRef | undefined {
    return c.done ? undefined : this.valType(c.next(), sink, at);
  }

  private defValType(n: SList, sink: Sink): DefValType {
    const c = new Cursor(n, 1);
    const kind = head(n);
    const labels = (): string[] => {
      const out: string[] = [];
      while (!c.done) out.push(this.string(c.next(), `a ${kind} name`, n));
      return out;
    };
    let t: DefValType;
    switch (kind) {
      case 'record': {
        const fields: { name: string; type: ValTypeRef }[] = [];
        for (let f = c.listOf('field'); f; f = c.listOf('field')) {
          const fc = new Cursor(f, 1);
          fc.id();
          const name = this.string(fc.next(), 'a field name', f);
          fields.push({ name, type: this.valType(fc.next(), sink, f) });
          this.end(fc, '(field ...)');
        }
        t = { kind: 'record', fields };
        break;
      }
      case 'variant': {
        const cases: { name: string; type: ValTypeRef | undefined }[] = [];
        for (let k = c.listOf('case'); k; k = c.listOf('case')) {
          const kc = new Cursor(k, 1);
          kc.id();
          const name = this.string(kc.next(), 'a case name', k);
          let type: ValTypeRef | undefined;
          const p = kc.peek();
          if (p !== undefined && !(isList(p) && head(p) === 'refines')) type = this.valType(kc.next(), sink, k);
          const ref = kc.listOf('refines');
          if (ref) this.fail(ref, 'variant case refines is not supported');
          this.end(kc, '(case ...)');
          cases.push({ name, type });
        }
        t = { kind: 'variant', cases };
        break;
      }
      case 'list': {
        const elem = this.valType(c.next(), sink, n);
        t = c.done ? { kind: 'list', elem } : { kind: 'list', elem, length: this.u32(c.next(), 'list length', n) };
        break;
      }
      case 'tuple': {
        const elems: ValTypeRef[] = [];
        while (!c.done) elems.push(this.valType(c.next(), sink, n));
        t = { kind: 'tuple', elems };
        break;
      }
      case 'flags': t = { kind: 'flags', names: labels() }; break;
      case 'enum': t = { kind: 'enum', names: labels() }; break;
      case 'option': t = { kind: 'option', elem: this.valType(c.next(), sink, n) }; break;
      case 'result': {
        let ok: ValTypeRef | undefined;
        const p = c.peek();
        if (p !== undefined && !(isList(p) && head(p) === 'error')) ok = this.valType(c.next(), sink, n);
        let err: ValTypeRef | undefined;
        const e = c.listOf('error');
        if (e) {
          const ec = new Cursor(e, 1);
          err = this.valType(ec.next(), sink, e);
          this.end(ec, '(error ...)');
        }
        t = { kind: 'result', ok, err };
        break;
      }
      case 'own': case 'borrow': t = { kind, index: this.ref(c.next(), 'type', sink.scope, n) }; break;
      case 'stream': case 'future': t = { kind, elem: this.optValType(c, sink, n) }; break;
      case 'map': {
        const key = this.valType(c.next(), sink, n);
        t = { kind: 'map', key, value: this.valType(c.next(), sink, n) };
        break;
      }
      default:
        return this.fail(n, `unknown type ${this.describe(n)}: expected a value type (record, variant, list, tuple, flags, enum, option, result, own, borrow, stream, future) or func, component, instance, resource`);
    }
    this.end(c, `(${kind} ...)`);
    return t;
  }

  /** The declarations of a component or instance type, in a scope of their own. */
  private decls(n: SList, parent: Scope, kind: 'component type' | 'instance type'): Decl[] {
    const c = new Cursor(n, 1);
    const id = c.id();
    const scope = new Scope(kind, parent, id?.text, this.nameAnnotation);
    const sink = new DeclSink(scope, this.errors);
    while (!c.done) {
      const d = c.next()!;
      if (!isList(d)) this.fail(d, `unexpected ${this.describe(d)} in a ${kind}`);
      const form = head2(d);
      switch (form) {
        case 'core type': {
          const dc = new Cursor(d, 2);
          const did = dc.id();
          const body = dc.next();
          if (!isList(body)) this.fail(body ?? d, 'expected (func ...) or (module ...) in (core type ...)');
          this.end(dc, '(core type ...)');
          sink.addCoreType(this.coreTypeBody(body, scope), did, d);
          break;
        }
        case 'type': {
          const dc = new Cursor(d, 1);
          const did = dc.id();
          const body = dc.next();
          if (body === undefined) this.fail(d, 'expected a type in (type ...)');
          this.end(dc, '(type ...)');
          sink.addType(this.typeBody(body, sink), did, d);
          break;
        }
        case 'alias': {
          const a = this.alias(new Cursor(d, 1), d, scope);
          if (a.alias.kind !== 'outer' && kind === 'component type') {
            // Export aliases are allowed in both; the binary says nothing more.
          }
          sink.decls.push({ kind: 'alias', alias: a.alias, offset: d.start });
          scope.define(aliasSpace(a.alias), a.id, this.errors);
          break;
        }
        case 'import': case 'export': {
          if (form === 'import' && kind === 'instance type') this.fail(d, 'an instance type declares exports only, not imports');
          const dc = new Cursor(d, 1);
          const name = this.externName(dc, d);
          const descNode = dc.next();
          if (!isList(descNode)) this.fail(descNode ?? d, `expected the ${form}ed item, e.g. (func (type 0)), in (${form} ...)`);
          this.end(dc, `(${form} ...)`);
          const desc = this.externDesc(descNode, sink);
          sink.decls.push({ kind: form, name: { name, offset: d.start }, desc: desc.desc, offset: d.start });
          scope.define(desc.space, desc.id, this.errors);
          break;
        }
        default:
          this.fail(d, `unexpected ${this.describe(d)} in a ${kind}: expected type, core type, alias, ${kind === 'component type' ? 'import, ' : ''}export`);
      }
    }
    return sink.decls;
  }

  /** An import/export descriptor: `(func $id? (type t))`, `(instance $id? (type t) | decls)`, ... */
  private externDesc(n: SList, sink: Sink): { desc: ExternDesc; space: string; id: Token | undefined } {
    const form = head2(n);
    const scope = sink.scope;
    const typeRef = (c: Cursor, make: () => TypeDef): number => {
      const ty = c.listOf('type');
      if (ty) {
        this.end(c, `(${form} ...)`);
        return this.ref(ty.children[1], 'type', scope, ty);
      }
      return sink.addType(make(), undefined, n);
    };
    switch (form) {
      case 'core module': {
        const c = new Cursor(n, 2);
        const id = c.id();
        const ty = c.listOf('type');
        let typeIndex: number;
        if (ty) {
          this.end(c, '(core module ...)');
          typeIndex = this.ref(ty.children[1], 'core type', scope, ty);
        } else {
          const fake: SList = { ...n, children: [n.children[1]!, ...n.children.slice(c.i)] };
          typeIndex = sink.addCoreType(this.coreTypeBody(fake, scope), undefined, n);
        }
        return { desc: { kind: 'module', typeIndex }, space: 'core module', id };
      }
      case 'func': {
        const c = new Cursor(n, 1);
        const id = c.id();
        const typeIndex = this.funcTypeUse(c, n, sink);
        this.end(c, '(func ...)');
        return { desc: { kind: 'func', typeIndex }, space: 'func', id };
      }
      case 'component': case 'instance': {
        const c = new Cursor(n, 1);
        const id = c.id();
        const typeIndex = typeRef(c, () => {
          const fake: SList = { ...n, children: [n.children[0]!, ...n.children.slice(c.i)] };
          return { kind: form, decls: this.decls(fake, scope, form === 'component' ? 'component type' : 'instance type') };
        });
        return { desc: { kind: form, typeIndex }, space: form, id };
      }
      case 'value': {
        const c = new Cursor(n, 1);
        const id = c.id();
        const eq = c.listOf('eq');
        const desc: ExternDesc = eq
          ? { kind: 'value', bound: { eq: this.ref(eq.children[1], 'value', scope, eq) } }
          : { kind: 'value', bound: { type: this.valType(c.next(), sink, n) } };
        this.end(c, '(value ...)');
        return { desc, space: 'value', id };
      }
      case 'type': {
        const c = new Cursor(n, 1);
        const id = c.id();
        const b = c.next();
        let desc: ExternDesc;
        if (isList(b) && head(b) === 'eq') desc = { kind: 'type', bound: { eq: this.ref(b.children[1], 'type', scope, b) } };
        else if (isList(b) && head(b) === 'sub' && b.children.length === 2 && !isList(b.children[1]) && b.children[1]!.is('resource')) {
          desc = { kind: 'type', bound: 'sub-resource' };
        } else this.fail(b ?? n, 'expected (eq $t) or (sub resource) in (type ...) of an import or export');
        this.end(c, '(type ...)');
        return { desc, space: 'type', id };
      }
      default:
        return this.fail(n, `expected func, instance, component, core module, value or type, found ${this.describe(n)}`);
    }
  }

  // ---- core types ------------------------------------------------------------------------------

  private coreValType(n: SNode | undefined, at: SNode): number {
    const v = n !== undefined && !isList(n) ? CORE_VALTYPES[n.text] : undefined;
    if (v === undefined) this.fail(n ?? at, `expected a core value type (i32, i64, f32, f64, v128, funcref, externref), found ${this.describe(n)}`);
    return v;
  }

  private coreFuncType(n: SList): CoreTypeDef {
    const params: number[] = [];
    const results: number[] = [];
    const c = new Cursor(n, 1);
    for (let p = c.listOf('param'); p; p = c.listOf('param')) {
      const pc = new Cursor(p, 1);
      if (pc.id()) params.push(this.coreValType(pc.next(), p));
      else while (!pc.done) params.push(this.coreValType(pc.next(), p));
      this.end(pc, '(param ...)');
    }
    for (let r = c.listOf('result'); r; r = c.listOf('result')) for (const t of r.children.slice(1)) results.push(this.coreValType(t, r));
    this.end(c, '(func ...)');
    return { kind: 'func', params, results };
  }

  private coreTypeBody(n: SList, scope: Scope): CoreTypeDef {
    const h = head(n);
    if (h === 'func') return this.coreFuncType(n);
    if (h !== 'module') this.fail(n, `expected (func ...) or (module ...), found ${this.describe(n)} (GC core types in components are not supported)`);
    const ms = new Scope('module type', scope, undefined, this.nameAnnotation);
    const decls: CoreModuleDecl[] = [];
    const c = new Cursor(n, 1);
    while (!c.done) {
      const d = c.next()!;
      if (!isList(d)) this.fail(d, `unexpected ${this.describe(d)} in a core module type`);
      switch (head(d)) {
        case 'import': {
          const module = this.string(d.children[1], 'an import module name', d);
          const name = this.string(d.children[2], 'an import name', d);
          const desc = d.children[3];
          if (!isList(desc)) this.fail(desc ?? d, 'expected (func (type ...)), (memory ...), ... in a core import');
          decls.push({ kind: 'import', module, name, desc: this.coreExternDesc(desc, ms) });
          break;
        }
        case 'export': {
          const name = this.string(d.children[1], 'an export name', d);
          const desc = d.children[2];
          if (!isList(desc)) this.fail(desc ?? d, 'expected (func (type ...)), (memory ...), ... in a core export');
          decls.push({ kind: 'export', name, desc: this.coreExternDesc(desc, ms) });
          break;
        }
        case 'type': {
          const dc = new Cursor(d, 1);
          const id = dc.id();
          const body = dc.next();
          if (!isList(body) || head(body) !== 'func') this.fail(body ?? d, 'expected (func ...) in a core module type\'s (type ...)');
          decls.push({ kind: 'type', type: this.coreFuncType(body) });
          ms.define('type', id, this.errors);
          break;
        }
        case 'alias': {
          // `(alias outer $c $t (type $id?))`: the only alias of a module type, to an outer core type.
          const dc = new Cursor(d, 1);
          const last = d.children[d.children.length - 1];
          if (!dc.keyword('outer') || !isList(last) || head(last) !== 'type' || d.children.length !== 5) {
            this.fail(d, 'a core module type aliases outer core types only: (alias outer $c $t (type))');
          }
          const target = dc.next();
          let count: number;
          let outer: Scope | undefined = ms;
          if (target !== undefined && !isList(target) && target.kind === 'id') {
            count = 0;
            while (outer && outer.id !== target.text) {
              outer = outer.parent;
              count++;
            }
          } else {
            count = this.u32(target, 'outer count', d);
            for (let i = 0; i < count && outer; i++) outer = outer.parent;
          }
          if (!outer) this.fail(target ?? d, 'the outer alias reaches past the outermost component');
          const index = this.ref(dc.next(), outer === ms ? 'type' : 'core type', outer, d);
          decls.push({ kind: 'alias', outer: count, index });
          ms.define('type', new Cursor(last, 1).id(), this.errors);
          break;
        }
        default:
          this.fail(d, `unexpected ${this.describe(d)} in a core module type: expected import, export, type or alias`);
      }
    }
    return { kind: 'module', decls };
  }

  private coreExternDesc(n: SList, ms: Scope): CoreExternDesc {
    const kind = head(n);
    const c = new Cursor(n, 1);
    c.id();
    const lim = (): { min: number; max: number | undefined } => {
      const min = this.u32(c.next(), 'minimum', n);
      const p = c.peek();
      const max = p !== undefined && !isList(p) && p.kind === 'number' ? this.u32(c.next(), 'maximum', n) : undefined;
      return { min, max };
    };
    let d: CoreExternDesc;
    switch (kind) {
      case 'func': case 'tag': {
        const ty = c.listOf('type');
        if (!ty) this.fail(c.peek() ?? n, `expected (type $t) in a core ${kind} declaration`);
        d = { kind, typeIndex: this.ref(ty.children[1], 'type', ms, ty) };
        break;
      }
      case 'table': {
        const l = lim();
        d = { kind: 'table', ...l, elemType: this.coreValType(c.next(), n) };
        break;
      }
      case 'memory': {
        const memory64 = c.keyword('i64');
        const l = lim();
        d = { kind: 'memory', ...l, memory64, shared: c.keyword('shared') };
        break;
      }
      case 'global': {
        const t = c.next();
        d = isList(t) && head(t) === 'mut'
          ? { kind: 'global', type: this.coreValType(t.children[1], t), mutable: true }
          : { kind: 'global', type: this.coreValType(t, n), mutable: false };
        break;
      }
      default:
        return this.fail(n, `expected func, table, memory, global or tag, found ${this.describe(n)}`);
    }
    this.end(c, `(${kind} ...)`);
    return d;
  }
}

export type { SortIdx };
