// The debug-console expression language, shared by evaluate (repl, watch, hover), conditional
// breakpoints and logpoints: names, `local 0`, `global $g`, memory loads, `mem[a..b]`, integer
// arithmetic; with DWARF, source-language places too: `p.x`, `v[2]`, `m["k"]`, `*ptr`, `p->x`,
// `&x`, `s.len()` over the variables of C, C++ and Rust (through the value formatters).
import type { Value } from './engine';
import type { SourceValue } from './source-variables';
import { f32FromBits, f64FromBits, bitsFromF64, bitsFromF32, formatValue } from './value-format';

export class ExpressionError extends Error {}

type Ref = number | string;

export type LoadOp =
  | 'i32.load' | 'i64.load' | 'f32.load' | 'f64.load'
  | 'i32.load8_s' | 'i32.load8_u' | 'i32.load16_s' | 'i32.load16_u'
  | 'i64.load8_s' | 'i64.load8_u' | 'i64.load16_s' | 'i64.load16_u' | 'i64.load32_s' | 'i64.load32_u'
  | 'v128.load';

const loadOps: ReadonlySet<string> = new Set<LoadOp>([
  'i32.load', 'i64.load', 'f32.load', 'f64.load',
  'i32.load8_s', 'i32.load8_u', 'i32.load16_s', 'i32.load16_u',
  'i64.load8_s', 'i64.load8_u', 'i64.load16_s', 'i64.load16_u', 'i64.load32_s', 'i64.load32_u',
  'v128.load',
]);

type BinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>' | '>>>'
  | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

/** One step from a source place to another: a member, an element or entry, the pointee, a method. */
export type PlaceStep =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: Expr }
  | { kind: 'key'; key: string }
  | { kind: 'deref' }
  | { kind: 'call'; method: string };

export type Expr =
  | { kind: 'int'; value: bigint }
  | { kind: 'str'; value: string }
  /** A source variable (`base` a name) or a place an expression yields (`(*p).x`), then its steps. */
  | { kind: 'place'; base: string | Expr; steps: PlaceStep[] }
  | { kind: 'deref'; arg: Expr }
  | { kind: 'addressOf'; arg: Expr }
  | { kind: 'float'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'local'; ref: Ref }
  | { kind: 'global'; ref: Ref }
  | { kind: 'stack'; index: number }
  /** `memory`: which memory (multi-memory), by index or name; absent: memory 0. */
  | { kind: 'load'; op: LoadOp; addr: Expr; memory?: Ref }
  | { kind: 'mem'; start: Expr; end?: Expr; memory?: Ref }
  | { kind: 'unary'; op: '-' | '~' | '!'; arg: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

/** What an expression can see: the stopped frame's locals and stack, the globals, the memories. */
export interface EvalScope {
  local(ref: Ref): Value;
  global(ref: Ref): Value;
  /** Operand stack value, 0 = top. */
  stack(index: number): Value;
  /** Locals first, then globals; throws when neither has the name. */
  name(name: string): Value;
  /** Memory `ref` (an index or a name; memory 0 when absent); throws when there is none. */
  memory(ref?: Ref): Uint8Array;
  /** A source variable (DWARF) named `name`, when the frame has one. */
  place?(name: string): Place | undefined;
}

/** A typed source value an expression walks through; each step throws ExpressionError when it cannot. */
export interface Place {
  readonly source: SourceValue;
  field(name: string): Place;
  index(i: number): Place;
  key(k: string): Place;
  deref(): Place;
  /** `len()`, `size()`, `is_empty()`, `empty()`: a number. */
  call(method: string): Value;
  /** The value as a number, for arithmetic and conditions. */
  scalar(): Value;
  /** Where it lives in linear memory. */
  address(): number;
  /** As the Variables view shows it. */
  render(): string;
}

export type EvalResult =
  | { kind: 'value'; value: Value; /** `&x`: the address, for the Memory view */ address?: number }
  | { kind: 'bytes'; address: number; bytes: Uint8Array }
  | { kind: 'place'; place: Place };

// ---- lexer -----------------------------------------------------------------------------------

type Token =
  | { t: 'int'; v: bigint; text: string }
  | { t: 'float'; v: number; text: string }
  | { t: 'name'; v: string; text: string }
  | { t: 'word'; v: string; text: string }
  | { t: 'str'; v: string; text: string }
  | { t: 'punct'; v: string; text: string };

const puncts = ['>>>', '..', '->', '<<', '>>', '==', '!=', '<=', '>=', '&&', '||',
  '(', ')', '[', ']', '.', '+', '-', '*', '/', '%', '&', '|', '^', '~', '!', '<', '>'];

// Name characters: Wasm allows almost any printable character in `$id`s, but `+`, `-`, `*`, `<`
// would make `$i+1` ambiguous here, so they need the quoted form `$"..."`.
const nameChar = /[A-Za-z0-9_.@#?'`:]/;

function lex(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '$') {
      if (src[i + 1] === '"') {
        const end = src.indexOf('"', i + 2);
        if (end < 0) throw new ExpressionError('unterminated quoted name');
        out.push({ t: 'name', v: src.slice(i + 2, end), text: src.slice(i, end + 1) });
        i = end + 1;
        continue;
      }
      let j = i + 1;
      while (j < src.length && nameChar.test(src[j]!)) j++;
      if (j === i + 1) throw new ExpressionError("'$' must be followed by a name");
      out.push({ t: 'name', v: src.slice(i + 1, j), text: src.slice(i, j) });
      i = j;
      continue;
    }
    if (c === '"') {
      // a string literal, for map keys: `ages["ann"]`
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== '"') {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        v += src[j]!;
        j++;
      }
      if (j >= src.length) throw new ExpressionError('unterminated string');
      out.push({ t: 'str', v, text: src.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(0x[0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?)/.exec(src.slice(i))!;
      const text = m[0];
      // `1..4` is a range, not the float `1.` followed by `.4`.
      const isRange = text.endsWith('.') && src[i + text.length] === '.';
      const lit = isRange ? text.slice(0, -1) : text;
      const clean = lit.replace(/_/g, '');
      if (/^0x/i.test(clean) || /^[0-9]+$/.test(clean)) out.push({ t: 'int', v: BigInt(clean), text: lit });
      else out.push({ t: 'float', v: Number(clean), text: lit });
      i += lit.length;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_.]/.test(src[j]!)) j++;
      const w = src.slice(i, j);
      out.push({ t: 'word', v: w, text: w });
      i = j;
      continue;
    }
    const p = puncts.find((q) => src.startsWith(q, i));
    if (!p) throw new ExpressionError(`unexpected character '${c}'`);
    out.push({ t: 'punct', v: p, text: p });
    i += p.length;
  }
  return out;
}

// ---- parser (precedence climbing) ------------------------------------------------------------

const precedence: Record<string, number> = {
  '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7, '<<': 8, '>>': 8, '>>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
};

class Parser {
  private pos = 0;
  constructor(private readonly toks: Token[]) {}

  parseAll(): Expr {
    if (this.toks.length === 0) throw new ExpressionError('empty expression');
    const e = this.binary(1);
    const rest = this.toks[this.pos];
    if (rest) throw new ExpressionError(`unexpected '${rest.text}'`);
    return e;
  }

  private peek(): Token | undefined { return this.toks[this.pos]; }
  private isPunct(v: string): boolean { const t = this.peek(); return t?.t === 'punct' && t.v === v; }
  private isPunctAt(ahead: number, v: string): boolean { const t = this.toks[this.pos + ahead]; return t?.t === 'punct' && t.v === v; }
  private expect(v: string): void {
    if (!this.isPunct(v)) throw new ExpressionError(`expected '${v}'${this.peek() ? ` before '${this.peek()!.text}'` : ' at the end'}`);
    this.pos++;
  }

  private binary(minPrec: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      if (t?.t !== 'punct') break;
      const prec = precedence[t.v];
      if (prec === undefined || prec < minPrec) break;
      this.pos++;
      const right = this.binary(prec + 1);
      left = { kind: 'binary', op: t.v as BinaryOp, left, right };
    }
    return left;
  }

  private unary(): Expr {
    const t = this.peek();
    if (t?.t === 'punct' && (t.v === '*' || t.v === '&')) {
      // in operand position these are C's and Rust's pointer operators
      this.pos++;
      const arg = this.unary();
      return t.v === '*' ? { kind: 'deref', arg } : { kind: 'addressOf', arg };
    }
    if (t?.t === 'punct' && (t.v === '-' || t.v === '~' || t.v === '!')) {
      this.pos++;
      const arg = this.unary();
      // Fold `-5` into a literal so `-2147483648` stays an i32.
      if (t.v === '-' && arg.kind === 'int') return { kind: 'int', value: -arg.value };
      if (t.v === '-' && arg.kind === 'float') return { kind: 'float', value: -arg.value };
      return { kind: 'unary', op: t.v, arg };
    }
    return this.primary();
  }

  /** `[i]`, `["key"]`, `.field`, `.0`, `->field`, `.method()` after a place. */
  private postfix(e: Expr): Expr {
    const steps: PlaceStep[] = e.kind === 'place' ? [...e.steps] : [];
    const base = e.kind === 'place' ? e.base : e;
    const fieldsOf = (t: Token | undefined): string[] => {
      if (t?.t === 'word') return t.v.split('.');
      if (t?.t === 'int' && /^[0-9]+$/.test(t.text)) return [t.text];
      // `.0.1` lexes as a float
      if (t?.t === 'float' && /^[0-9]+(\.[0-9]+)?$/.test(t.text)) return t.text.split('.');
      throw new ExpressionError(`expected a member name${t ? ` before '${t.text}'` : ' at the end'}`);
    };
    for (;;) {
      if (this.isPunct('(') && steps[steps.length - 1]?.kind === 'field') {
        this.pos++;
        this.expect(')');
        const last = steps.pop() as { kind: 'field'; name: string };
        steps.push({ kind: 'call', method: last.name });
      } else if (this.isPunct('[')) {
        this.pos++;
        const index = this.binary(1);
        this.expect(']');
        steps.push(index.kind === 'str' ? { kind: 'key', key: index.value } : { kind: 'index', index });
      } else if (this.isPunct('.') || this.isPunct('->')) {
        if (this.isPunct('->')) steps.push({ kind: 'deref' });
        this.pos++;
        const t = this.peek();
        this.pos++;
        for (const name of fieldsOf(t)) steps.push({ kind: 'field', name });
      } else break;
    }
    return steps.length === 0 && typeof base !== 'string' ? base : { kind: 'place', base, steps };
  }

  private ref(what: string): Ref {
    const t = this.peek();
    if (t?.t === 'int') { this.pos++; return Number(t.v); }
    if (t?.t === 'name') { this.pos++; return t.v; }
    throw new ExpressionError(`${what} needs an index or a $name`);
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw new ExpressionError('expression ends too early');
    this.pos++;
    switch (t.t) {
      case 'int': return { kind: 'int', value: t.v };
      case 'float': return { kind: 'float', value: t.v };
      case 'name': return { kind: 'name', name: t.v };
      case 'str': return { kind: 'str', value: t.v };
      case 'punct':
        if (t.v === '(') {
          const e = this.binary(1);
          this.expect(')');
          return this.postfix(e);
        }
        throw new ExpressionError(`unexpected '${t.text}'`);
      case 'word': {
        const w = t.v;
        if (w === 'local' || w === 'local.get') return { kind: 'local', ref: this.ref(w) };
        if (w === 'global' || w === 'global.get') return { kind: 'global', ref: this.ref(w) };
        if (w === 'stack') {
          this.expect('[');
          const idx = this.peek();
          if (idx?.t !== 'int') throw new ExpressionError('stack[...] needs a number (0 = top)');
          this.pos++;
          this.expect(']');
          return { kind: 'stack', index: Number(idx.v) };
        }
        if (w === 'mem' || w === 'memory') {
          // `memory 1[a]`, `mem $wide[a..b]`: another memory than 0.
          const n = this.peek();
          const memory = (n?.t === 'int' || n?.t === 'name') && this.isPunctAt(1, '[') ? this.ref(w) : undefined;
          this.expect('[');
          const start = this.binary(1);
          let end: Expr | undefined;
          if (this.isPunct('..')) { this.pos++; end = this.binary(1); }
          this.expect(']');
          const e: Expr = end ? { kind: 'mem', start, end } : { kind: 'mem', start };
          if (memory !== undefined) e.memory = memory;
          return e;
        }
        if (loadOps.has(w)) {
          // `i32.load 1 0x10`, `i64.load $wide $p`: as in WAT, a memory before the address; a lone
          // operand is the address in memory 0.
          const n = this.peek();
          const after = this.toks[this.pos + 1];
          const twoOperands = (n?.t === 'int' || n?.t === 'name')
            && (after?.t === 'int' || after?.t === 'name' || after?.t === 'word' || (after?.t === 'punct' && after.v === '('));
          const memory = twoOperands ? this.ref(w) : undefined;
          const e: Expr = { kind: 'load', op: w as LoadOp, addr: this.unary() };
          if (memory !== undefined) e.memory = memory;
          return e;
        }
        // A bare word is a source place (`p.x`), or a name without its `$` (hovering in the editor may drop it).
        const [base, ...fields] = w.split('.');
        if (!base || fields.some((f) => f === '')) return { kind: 'name', name: w };
        return this.postfix({ kind: 'place', base, steps: fields.map((name) => ({ kind: 'field', name })) });
      }
    }
  }
}

export function parseExpression(src: string): Expr {
  return new Parser(lex(src)).parseAll();
}

// ---- evaluation ------------------------------------------------------------------------------

/** Integers computed as Wasm would: i32 unless an operand is i64; wraps at the width. */
type Num = { t: 'i32' | 'i64'; v: bigint } | { t: 'f'; v: number; ty: 'f32' | 'f64' };

function toNum(v: Value): Num {
  switch (v.type) {
    case 'i32': return { t: 'i32', v: BigInt(v.value) };
    case 'i64': return { t: 'i64', v: v.value };
    case 'f32': return { t: 'f', v: f32FromBits(v.bits), ty: 'f32' };
    case 'f64': return { t: 'f', v: f64FromBits(v.bits), ty: 'f64' };
    default: throw new ExpressionError(`a ${v.type} cannot be used in arithmetic`);
  }
}

function fromNum(n: Num): Value {
  if (n.t === 'f') return n.ty === 'f32' ? { type: 'f32', bits: bitsFromF32(n.v) } : { type: 'f64', bits: bitsFromF64(n.v) };
  return n.t === 'i32' ? { type: 'i32', value: Number(BigInt.asIntN(32, n.v)) } : { type: 'i64', value: BigInt.asIntN(64, n.v) };
}

function literal(v: bigint): Num {
  return v >= -(1n << 31n) && v < 1n << 32n ? { t: 'i32', v } : { t: 'i64', v };
}

function truthy(n: Num): boolean {
  return n.t === 'f' ? n.v !== 0 && !Number.isNaN(n.v) : n.v !== 0n;
}

function bool(b: boolean): Num { return { t: 'i32', v: b ? 1n : 0n }; }

function asAddress(n: Num): number {
  if (n.t === 'f') throw new ExpressionError('a memory address must be an integer');
  // Addresses are unsigned: i32 -1 means 0xffffffff, as in Wasm.
  return Number(BigInt.asUintN(n.t === 'i32' ? 32 : 64, n.v));
}

function checkRange(mem: Uint8Array, addr: number, len: number): void {
  if (addr + len > mem.length) throw new ExpressionError(`address ${addr}+${len} is outside memory (${mem.length} bytes)`);
}

function load(op: LoadOp, mem: Uint8Array, addr: number): Value {
  const size = op === 'v128.load' ? 16 : /8_/.test(op) ? 1 : /16_/.test(op) ? 2 : /32_/.test(op) ? 4
    : op.startsWith('i64') || op.startsWith('f64') ? 8 : 4;
  checkRange(mem, addr, size);
  const dv = new DataView(mem.buffer, mem.byteOffset + addr, size);
  switch (op) {
    case 'i32.load': return { type: 'i32', value: dv.getInt32(0, true) };
    case 'i64.load': return { type: 'i64', value: dv.getBigInt64(0, true) };
    case 'f32.load': return { type: 'f32', bits: dv.getUint32(0, true) };
    case 'f64.load': return { type: 'f64', bits: dv.getBigUint64(0, true) };
    case 'i32.load8_s': return { type: 'i32', value: dv.getInt8(0) };
    case 'i32.load8_u': return { type: 'i32', value: dv.getUint8(0) };
    case 'i32.load16_s': return { type: 'i32', value: dv.getInt16(0, true) };
    case 'i32.load16_u': return { type: 'i32', value: dv.getUint16(0, true) };
    case 'i64.load8_s': return { type: 'i64', value: BigInt(dv.getInt8(0)) };
    case 'i64.load8_u': return { type: 'i64', value: BigInt(dv.getUint8(0)) };
    case 'i64.load16_s': return { type: 'i64', value: BigInt(dv.getInt16(0, true)) };
    case 'i64.load16_u': return { type: 'i64', value: BigInt(dv.getUint16(0, true)) };
    case 'i64.load32_s': return { type: 'i64', value: BigInt(dv.getInt32(0, true)) };
    case 'i64.load32_u': return { type: 'i64', value: BigInt(dv.getUint32(0, true)) };
    case 'v128.load': return { type: 'v128', bytes: mem.slice(addr, addr + 16) };
  }
}

function arith(op: BinaryOp, a: Num, b: Num): Num {
  if (a.t === 'f' || b.t === 'f') {
    const x = Number(a.v);
    const y = Number(b.v);
    // f32 only when no operand asks for more: f32 op f32, or f32 op integer literal.
    const ty = (a.t === 'f' && a.ty === 'f64') || (b.t === 'f' && b.ty === 'f64') ? 'f64' : 'f32';
    const f = (v: number): Num => ({ t: 'f', v: ty === 'f32' ? Math.fround(v) : v, ty });
    switch (op) {
      case '+': return f(x + y);
      case '-': return f(x - y);
      case '*': return f(x * y);
      case '/': return f(x / y);
      case '==': return bool(x === y);
      case '!=': return bool(x !== y);
      case '<': return bool(x < y);
      case '<=': return bool(x <= y);
      case '>': return bool(x > y);
      case '>=': return bool(x >= y);
      default: throw new ExpressionError(`'${op}' needs integers`);
    }
  }
  const t: 'i32' | 'i64' = a.t === 'i64' || b.t === 'i64' ? 'i64' : 'i32';
  const width = t === 'i32' ? 32 : 64;
  const x = BigInt.asIntN(width, a.v);
  const y = BigInt.asIntN(width, b.v);
  const n = (v: bigint): Num => ({ t, v: BigInt.asIntN(width, v) });
  switch (op) {
    case '+': return n(x + y);
    case '-': return n(x - y);
    case '*': return n(x * y);
    case '/': if (y === 0n) throw new ExpressionError('integer divide by zero'); return n(x / y);
    case '%': if (y === 0n) throw new ExpressionError('integer divide by zero'); return n(x % y);
    case '&': return n(x & y);
    case '|': return n(x | y);
    case '^': return n(x ^ y);
    case '<<': return n(x << (y & BigInt(width - 1)));
    case '>>': return n(x >> (y & BigInt(width - 1)));
    case '>>>': return n(BigInt.asUintN(width, x) >> (y & BigInt(width - 1)));
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    case '>=': return bool(x >= y);
    case '&&': case '||': throw new ExpressionError('unreachable'); // handled before, for short-circuiting
  }
}

function evalNum(e: Expr, scope: EvalScope): Num {
  const r = evalExpr(e, scope);
  if (r.kind === 'bytes') throw new ExpressionError('a memory range cannot be used in arithmetic');
  return toNum(r.kind === 'place' ? r.place.scalar() : r.value);
}

/** The place `e` stands for (a source variable, `*p`, `(...)` of one), or an error saying why not. */
function placeOf(e: Expr, scope: EvalScope, what: string): Place {
  const r = evalExpr(e, scope);
  if (r.kind !== 'place') throw new ExpressionError(`${what} needs a source variable (a C, C++ or Rust value with DWARF)`);
  return r.place;
}

function evalPlace(e: Extract<Expr, { kind: 'place' }>, scope: EvalScope): EvalResult {
  let p: Place | undefined;
  if (typeof e.base === 'string') {
    p = scope.place?.(e.base);
    if (!p) {
      // not a source variable: a Wasm name, which may itself hold dots (`$a.b` written without `$`)
      if (e.steps.every((s) => s.kind === 'field')) {
        return { kind: 'value', value: scope.name([e.base, ...e.steps.map((s) => (s as { name: string }).name)].join('.')) };
      }
      throw new ExpressionError(`no source variable named ${e.base}`);
    }
  } else {
    p = placeOf(e.base, scope, 'a member or element');
  }
  for (let i = 0; i < e.steps.length; i++) {
    const step = e.steps[i]!;
    switch (step.kind) {
      case 'field': p = p.field(step.name); break;
      case 'key': p = p.key(step.key); break;
      case 'deref': p = p.deref(); break;
      case 'index': {
        const n = evalNum(step.index, scope);
        if (n.t === 'f') throw new ExpressionError('an index must be an integer');
        p = p.index(Number(n.v));
        break;
      }
      case 'call':
        if (i !== e.steps.length - 1) throw new ExpressionError(`${step.method}() gives a number; it has no members`);
        return { kind: 'value', value: p.call(step.method) };
    }
  }
  return { kind: 'place', place: p };
}

function evalExpr(e: Expr, scope: EvalScope): EvalResult {
  const value = (v: Value): EvalResult => ({ kind: 'value', value: v });
  switch (e.kind) {
    case 'int': return value(fromNum(literal(e.value)));
    case 'str': throw new ExpressionError('a string can only be a map key: m["key"]');
    case 'place': return evalPlace(e, scope);
    case 'deref': return { kind: 'place', place: placeOf(e.arg, scope, "'*'").deref() };
    case 'addressOf': {
      const address = placeOf(e.arg, scope, "'&'").address();
      return { kind: 'value', value: { type: 'i32', value: address | 0 }, address };
    }
    case 'float': return value({ type: 'f64', bits: bitsFromF64(e.value) });
    case 'name': return value(scope.name(e.name));
    case 'local': return value(scope.local(e.ref));
    case 'global': return value(scope.global(e.ref));
    case 'stack': return value(scope.stack(e.index));
    case 'load': return value(load(e.op, scope.memory(e.memory), asAddress(evalNum(e.addr, scope))));
    case 'mem': {
      const mem = scope.memory(e.memory);
      const start = asAddress(evalNum(e.start, scope));
      if (!e.end) {
        checkRange(mem, start, 1);
        return value({ type: 'i32', value: mem[start]! });
      }
      const end = asAddress(evalNum(e.end, scope));
      if (end < start) throw new ExpressionError('mem[a..b] needs a <= b');
      if (end - start > 1 << 20) throw new ExpressionError('mem[a..b] shows at most 1 MiB');
      checkRange(mem, start, end - start);
      return { kind: 'bytes', address: start, bytes: mem.slice(start, end) };
    }
    case 'unary': {
      const a = evalNum(e.arg, scope);
      if (e.op === '!') return value(fromNum(bool(!truthy(a))));
      if (a.t === 'f') {
        if (e.op === '~') throw new ExpressionError("'~' needs an integer");
        return value(fromNum({ t: 'f', ty: a.ty, v: -a.v }));
      }
      return value(fromNum({ t: a.t, v: e.op === '-' ? -a.v : ~a.v }));
    }
    case 'binary': {
      if (e.op === '&&') return value(fromNum(bool(truthy(evalNum(e.left, scope)) && truthy(evalNum(e.right, scope)))));
      if (e.op === '||') return value(fromNum(bool(truthy(evalNum(e.left, scope)) || truthy(evalNum(e.right, scope)))));
      return value(fromNum(arith(e.op, evalNum(e.left, scope), evalNum(e.right, scope))));
    }
  }
}

export function evaluateExpression(src: string | Expr, scope: EvalScope): EvalResult {
  return evalExpr(typeof src === 'string' ? parseExpression(src) : src, scope);
}

/** Truth of a breakpoint condition: nonzero. */
export function isTruthy(r: EvalResult): boolean {
  if (r.kind === 'place') return truthy(toNum(r.place.scalar()));
  return r.kind === 'bytes' ? r.bytes.length > 0 : truthy(toNum(r.value));
}

/** Splits a logpoint message into text and `{expression}` parts (`{{` and `}}` are literal braces). */
export function parseLogMessage(msg: string): (string | Expr)[] {
  const parts: (string | Expr)[] = [];
  let text = '';
  for (let i = 0; i < msg.length; i++) {
    const c = msg[i]!;
    if ((c === '{' || c === '}') && msg[i + 1] === c) { text += c; i++; continue; }
    if (c === '{') {
      const end = msg.indexOf('}', i + 1);
      if (end < 0) throw new ExpressionError("a '{' in the log message has no matching '}'");
      if (text) parts.push(text);
      text = '';
      parts.push(parseExpression(msg.slice(i + 1, end)));
      i = end;
      continue;
    }
    text += c;
  }
  if (text) parts.push(text);
  return parts;
}

/** A result as the console shows it: the value, or a hex dump for `mem[a..b]`. */
export function renderResult(r: EvalResult): string {
  if (r.kind === 'place') return r.place.render();
  if (r.kind === 'value') return r.address !== undefined ? `0x${r.address.toString(16).padStart(8, '0')}` : formatValue(r.value);
  return hexDump(r.address, r.bytes);
}

/** 16 bytes a row: address, hex, and the printable ASCII. */
export function hexDump(address: number, bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) {
    const row = bytes.subarray(i, i + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`0x${(address + i).toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}
