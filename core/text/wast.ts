// The `.wast` script parser: commands (modules, register, actions, assertions) with their positions
// and, for text modules, the same module model `.wat` files get. Never throws; unknown or Wasm 3.0
// commands become `unsupported` commands with an error.
import { concatBytes } from '../binary/bytes';
import { HEAP_BY_NAME } from '../types';
import { isList, parseTree, type Diagnostic, type ParseTree, type SList, type SNode } from './cst';
import { buildModule, moduleFromList } from './document';
import { decodeString, utf8ToString, type Token } from './lexer';
import type { TextModule } from './model';
import { parseF32, parseF64, parseI32, parseI64, parseIntLiteral } from './numbers';

export type WastModule =
  | { kind: 'text'; name: string | undefined; module: TextModule; node: SList }
  | { kind: 'binary'; name: string | undefined; bytes: Uint8Array; node: SList }
  | { kind: 'quote'; name: string | undefined; text: string; node: SList };

/** A constant argument or result. */
export type WastConst =
  | { type: 'i32'; value: number }
  | { type: 'i64'; value: bigint }
  | { type: 'f32'; bits: number }
  | { type: 'f64'; bits: bigint }
  | { type: 'v128'; bytes: Uint8Array }
  /** `heap` is an abstract heap type's name, or '' for `(ref.null)` (a null of any type). */
  | { type: 'ref.null'; heap: string }
  | { type: 'ref.extern'; value: number }
  /** GC scripts: a host reference in the any hierarchy (the same host value as ref.extern N). */
  | { type: 'ref.host'; value: number }
  | { type: 'ref.func'; index: number };

export type NanPattern = 'canonical' | 'arithmetic';

/** An expected result: a constant, a NaN pattern, a v128 with NaN lanes, or "any reference of that kind". */
export type WastExpected =
  | WastConst
  | { type: 'f32' | 'f64'; nan: NanPattern }
  | { type: 'v128'; bytes: Uint8Array; shape: 'f32x4' | 'f64x2'; nanLanes: (NanPattern | undefined)[] }
  | { type: 'ref.extern'; value: undefined }
  | { type: 'ref.func'; index: undefined }
  // `(ref.null)` in Wasm 3.0 scripts: a null reference of any type.
  | { type: 'ref.null'; heap: undefined }
  // GC scripts: any non-null reference of that kind.
  | { type: 'ref.i31' | 'ref.struct' | 'ref.array' | 'ref.eq' | 'ref.any' }
  // Wasm 3.0 scripts (relaxed SIMD): the result may be any one of these.
  | { type: 'either'; options: WastExpected[] };

export type WastAction =
  | { kind: 'invoke'; module: string | undefined; name: string; args: WastConst[] }
  | { kind: 'get'; module: string | undefined; name: string };

interface At {
  /** UTF-16 offsets of the command. */
  start: number;
  end: number;
  /** 0-based line of the command's start. */
  line: number;
}

export type WastCommand = At &
  (
    // `definition`: `(module definition $M? ...)` compiles the module without instantiating it.
    | { kind: 'module'; module: WastModule; definition?: true }
    // `(module instance $I? $M?)`: instantiates a defined module (the last one when $M is absent).
    | { kind: 'module_instance'; instance: string | undefined; definition: string | undefined }
    | { kind: 'register'; as: string; module: string | undefined }
    | { kind: 'action'; action: WastAction }
    | { kind: 'assert_return'; action: WastAction; expected: WastExpected[] }
    | { kind: 'assert_trap'; action: WastAction; message: string }
    | { kind: 'assert_trap_module'; module: WastModule; message: string }
    | { kind: 'assert_exhaustion'; action: WastAction; message: string }
    | { kind: 'assert_exception'; action: WastAction }
    | { kind: 'assert_invalid' | 'assert_malformed' | 'assert_unlinkable' | 'assert_uninstantiable'; module: WastModule; message: string }
    | { kind: 'unsupported'; head: string; message: string }
  );

export interface WastScript {
  tree: ParseTree;
  commands: WastCommand[];
  /** Syntax errors of the script itself (not of modules expected to be malformed or invalid). */
  errors: Diagnostic[];
}

const MODULE_FIELDS = new Set(['type', 'import', 'func', 'table', 'memory', 'global', 'export', 'start', 'elem', 'data']);

class ScriptError extends Error {
  constructor(message: string, readonly at: SNode) {
    super(message);
  }
}

export function parseWast(text: string): WastScript {
  const tree = parseTree(text);
  const errors: Diagnostic[] = [...tree.errors];
  const commands: WastCommand[] = [];
  const p = new WastParser(tree);
  const first = tree.nodes.find((n) => !(isList(n) && n.annotation !== undefined));
  if (isList(first) && MODULE_FIELDS.has(p.head(first) ?? '')) {
    // A script may be just a module's fields (spec: inline module).
    const module = buildModule(tree.lines, tree.nodes, undefined, undefined);
    errors.push(...module.errors);
    const at: At = { start: first.start, end: text.length, line: tree.lines.lineAt(first.start) };
    const node: SList = { kind: 'list', open: first.open, close: undefined, children: tree.nodes, start: first.start, end: text.length, annotation: undefined };
    commands.push({ ...at, kind: 'module', module: { kind: 'text', name: undefined, module, node } });
    return { tree, commands, errors };
  }
  for (const node of tree.nodes) {
    if (!isList(node)) {
      errors.push({ message: `unexpected token '${p.text(node)}'`, start: node.start, end: node.end });
      continue;
    }
    if (node.annotation !== undefined) continue;
    const at: At = { start: node.start, end: node.end, line: tree.lines.lineAt(node.start) };
    try {
      const cmd = p.command(node, at);
      commands.push(cmd);
      if (cmd.kind === 'unsupported') errors.push({ message: cmd.message, start: node.start, end: node.end });
      if (cmd.kind === 'module' && cmd.module.kind === 'text') errors.push(...cmd.module.module.errors);
      if ((cmd.kind === 'assert_invalid' || cmd.kind === 'assert_unlinkable' || cmd.kind === 'assert_uninstantiable' || cmd.kind === 'assert_trap_module') && cmd.module.kind === 'text') {
        errors.push(...cmd.module.module.errors);
      }
    } catch (e) {
      // Never throw at an editor: anything unexpected becomes this command's error too.
      const message = e instanceof ScriptError ? e.message : `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
      const where = e instanceof ScriptError ? e.at : node;
      errors.push({ message, start: where.start, end: where.end });
      commands.push({ ...at, kind: 'unsupported', head: p.head(node) ?? '', message });
    }
  }
  return { tree, commands, errors };
}

class WastParser {
  constructor(private readonly tree: ParseTree) {}

  text(n: SNode): string {
    return this.tree.text.slice(n.start, n.end);
  }

  head(l: SList): string | undefined {
    const h = l.children[0];
    return h !== undefined && h.kind === 'keyword' ? this.text(h) : undefined;
  }

  private string(n: SNode | undefined, at: SNode): string {
    if (n === undefined || n.kind !== 'string') throw new ScriptError('unexpected token: expected a string', n ?? at);
    const d = decodeString(n.text);
    const s = d.error ? undefined : utf8ToString(d.bytes);
    if (s === undefined) throw new ScriptError(d.error ?? 'malformed UTF-8 encoding', n);
    return s;
  }

  private optId(l: SList, i: number): [string | undefined, number] {
    const n = l.children[i];
    return n !== undefined && n.kind === 'id' ? [this.text(n), i + 1] : [undefined, i];
  }

  command(l: SList, at: At): WastCommand {
    const head = this.head(l);
    const arg = l.children[1];
    const message = (): string => {
      const last = l.children[l.children.length - 1];
      return last !== undefined && last.kind === 'string' ? this.string(last, l) : '';
    };
    const moduleArg = (): WastModule => {
      if (!isList(arg) || this.head(arg) !== 'module') throw new ScriptError('unexpected token: expected (module ...)', arg ?? l);
      return this.module(arg);
    };
    switch (head) {
      case 'module': {
        const kw = l.children[1];
        if (kw?.kind === 'keyword' && this.text(kw) === 'instance') {
          const [instance, i] = this.optId(l, 2);
          const [definition, j] = this.optId(l, i);
          const extra = l.children[j];
          if (extra !== undefined) throw new ScriptError('unexpected token: expected a module name', extra);
          return { ...at, kind: 'module_instance', instance, definition };
        }
        if (kw?.kind === 'keyword' && this.text(kw) === 'definition') return { ...at, kind: 'module', module: this.module(l, 2), definition: true };
        return { ...at, kind: 'module', module: this.module(l) };
      }
      case 'register': {
        const as = this.string(arg, l);
        const [id] = this.optId(l, 2);
        return { ...at, kind: 'register', as, module: id };
      }
      case 'invoke':
      case 'get':
        return { ...at, kind: 'action', action: this.action(l) };
      case 'assert_return': {
        const action = this.action(this.listArg(arg, l));
        const expected = l.children.slice(2).map((n) => this.expected(n));
        return { ...at, kind: 'assert_return', action, expected };
      }
      case 'assert_trap': {
        const a = this.listArg(arg, l);
        if (this.head(a) === 'module') return { ...at, kind: 'assert_trap_module', module: this.module(a), message: message() };
        return { ...at, kind: 'assert_trap', action: this.action(a), message: message() };
      }
      case 'assert_exhaustion':
        return { ...at, kind: 'assert_exhaustion', action: this.action(this.listArg(arg, l)), message: message() };
      case 'assert_exception':
        return { ...at, kind: 'assert_exception', action: this.action(this.listArg(arg, l)) };
      case 'assert_invalid':
      case 'assert_malformed':
      case 'assert_unlinkable':
      case 'assert_uninstantiable':
        return { ...at, kind: head, module: moduleArg(), message: message() };
      default:
        return { ...at, kind: 'unsupported', head: head ?? '', message: `unsupported command '${head ?? this.text(l.children[0] ?? l)}'` };
    }
  }

  private listArg(n: SNode | undefined, at: SNode): SList {
    if (!isList(n)) throw new ScriptError('unexpected token: expected an action', n ?? at);
    return n;
  }

  /** `(module $id? ...)`; `from` is 2 after `module definition`. */
  module(l: SList, from = 1): WastModule {
    const [name, i] = this.optId(l, from);
    const kw = l.children[i];
    if (kw !== undefined && kw.kind === 'keyword') {
      const word = this.text(kw);
      if (word === 'binary' || word === 'quote') {
        const parts: Uint8Array[] = [];
        for (const s of l.children.slice(i + 1)) {
          if (s.kind !== 'string') throw new ScriptError('unexpected token: expected a string', s);
          const d = decodeString((s as Token).text);
          if (d.error) throw new ScriptError(d.error, s);
          parts.push(d.bytes);
        }
        const bytes = concatBytes(parts);
        if (word === 'binary') return { kind: 'binary', name, bytes, node: l };
        return { kind: 'quote', name, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes), node: l };
      }
      if (word === 'definition' || word === 'instance') throw new ScriptError(`unexpected token: module ${word} is a script command, not a module`, kw);
    }
    return { kind: 'text', name, module: moduleFromList(this.tree.lines, l), node: l };
  }

  private action(l: SList): WastAction {
    const head = this.head(l);
    const [mod, i] = this.optId(l, 1);
    const name = this.string(l.children[i], l);
    if (head === 'invoke') return { kind: 'invoke', module: mod, name, args: l.children.slice(i + 1).map((n) => this.constant(n)) };
    if (head === 'get') return { kind: 'get', module: mod, name };
    throw new ScriptError(`unexpected token: expected invoke or get`, l);
  }

  /** An argument: an expectation without NaN patterns or "any reference" wildcards. */
  private constant(n: SNode): WastConst {
    const e = this.expected(n);
    const wildcard = e.type === 'either' || e.type === 'ref.i31' || e.type === 'ref.struct' || e.type === 'ref.array' || e.type === 'ref.eq' || e.type === 'ref.any' || (e.type === 'ref.null' && e.heap === undefined) || 'nan' in e || 'nanLanes' in e || (e.type === 'ref.extern' && e.value === undefined) || (e.type === 'ref.func' && e.index === undefined);
    if (wildcard) throw new ScriptError('unexpected token: a NaN pattern or wildcard is not a constant', n);
    return e as WastConst;
  }

  private expected(n: SNode): WastExpected {
    if (!isList(n)) throw new ScriptError(`unexpected token '${this.text(n)}': expected a constant`, n);
    const op = this.head(n);
    const a = n.children[1];
    const num = (): string => {
      if (a === undefined || (a.kind !== 'number' && a.kind !== 'keyword')) throw new ScriptError('unexpected token: expected a number', a ?? n);
      return this.text(a);
    };
    const bad = (): never => {
      throw new ScriptError(`malformed constant '${this.text(n)}'`, n);
    };
    switch (op) {
      case 'i32.const': {
        const v = parseI32(num());
        return v === undefined ? bad() : { type: 'i32', value: v };
      }
      case 'i64.const': {
        const v = parseI64(num());
        return v === undefined ? bad() : { type: 'i64', value: v };
      }
      case 'f32.const':
      case 'f64.const': {
        const t = num();
        const type = op === 'f32.const' ? 'f32' : 'f64';
        if (t === 'nan:canonical' || t === 'nan:arithmetic') return { type, nan: t.slice(4) as NanPattern };
        if (type === 'f32') {
          const b = parseF32(t);
          return b === undefined ? bad() : { type, bits: b };
        }
        const b = parseF64(t);
        return b === undefined ? bad() : { type, bits: b };
      }
      case 'v128.const':
        return this.v128(n);
      case 'either': {
        const options = n.children.slice(1).map((c) => this.expected(c));
        if (options.length === 0) throw new ScriptError('unexpected token: either needs at least one result', n);
        return { type: 'either', options };
      }
      case 'ref.null': {
        if (a === undefined) return { type: 'ref.null', heap: undefined };
        const h = this.text(a);
        if (HEAP_BY_NAME[h] !== undefined) return { type: 'ref.null', heap: h };
        return bad();
      }
      case 'ref.extern': {
        if (a === undefined) return { type: 'ref.extern', value: undefined };
        const v = parseIntLiteral(num());
        return v === undefined ? bad() : { type: 'ref.extern', value: Number(v) };
      }
      case 'ref.host': {
        const v = parseIntLiteral(num());
        return v === undefined ? bad() : { type: 'ref.host', value: Number(v) };
      }
      case 'ref.i31': case 'ref.struct': case 'ref.array': case 'ref.eq': case 'ref.any':
        return { type: op };
      case 'ref.func': {
        if (a === undefined) return { type: 'ref.func', index: undefined };
        const v = parseIntLiteral(num());
        return v === undefined ? bad() : { type: 'ref.func', index: Number(v) };
      }
      default:
        throw new ScriptError(`unsupported constant '${op ?? this.text(n)}'`, n);
    }
  }

  private v128(n: SList): WastExpected {
    const shape = n.children[1] && this.text(n.children[1]);
    const lanesOf: Record<string, number> = { i8x16: 16, i16x8: 8, i32x4: 4, i64x2: 2, f32x4: 4, f64x2: 2 };
    const count = shape === undefined ? undefined : lanesOf[shape];
    if (shape === undefined || count === undefined) throw new ScriptError('unexpected token: expected a v128 shape', n);
    const lanes = n.children.slice(2);
    if (lanes.length !== count) throw new ScriptError(`v128.const ${shape} expects ${count} lanes`, n);
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    const nanLanes: (NanPattern | undefined)[] = [];
    let anyNan = false;
    lanes.forEach((lane, i) => {
      const t = this.text(lane);
      const fail = (): never => {
        throw new ScriptError(`malformed v128 lane '${t}'`, lane);
      };
      if ((shape === 'f32x4' || shape === 'f64x2') && (t === 'nan:canonical' || t === 'nan:arithmetic')) {
        nanLanes.push(t.slice(4) as NanPattern);
        anyNan = true;
        return;
      }
      nanLanes.push(undefined);
      switch (shape) {
        case 'i8x16': {
          const v = parseIntLiteral(t);
          if (v === undefined || v < -128n || v > 255n) fail();
          view.setUint8(i, Number(BigInt.asUintN(8, v as bigint)));
          break;
        }
        case 'i16x8': {
          const v = parseIntLiteral(t);
          if (v === undefined || v < -32768n || v > 65535n) fail();
          view.setUint16(i * 2, Number(BigInt.asUintN(16, v as bigint)), true);
          break;
        }
        case 'i32x4': {
          const v = parseI32(t);
          if (v === undefined) fail();
          view.setInt32(i * 4, v as number, true);
          break;
        }
        case 'i64x2': {
          const v = parseI64(t);
          if (v === undefined) fail();
          view.setBigInt64(i * 8, v as bigint, true);
          break;
        }
        case 'f32x4': {
          const v = parseF32(t);
          if (v === undefined) fail();
          view.setUint32(i * 4, v as number, true);
          break;
        }
        case 'f64x2': {
          const v = parseF64(t);
          if (v === undefined) fail();
          view.setBigUint64(i * 8, v as bigint, true);
          break;
        }
      }
    });
    if (anyNan && (shape === 'f32x4' || shape === 'f64x2')) return { type: 'v128', bytes, shape, nanLanes };
    return { type: 'v128', bytes };
  }
}

