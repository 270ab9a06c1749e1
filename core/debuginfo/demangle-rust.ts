// Rust symbol names, both manglings rustc emits: legacy (`_ZN6values4main17h…E`, Itanium-shaped
// with a hash) shown without the hash, and v0 (`_RNvCs…_6values4main`, RFC 2603), printed as
// rustc-demangle and llvm-cxxfilt print them.

/** `$LT$`-style escapes of legacy identifiers. */
const LEGACY_ESCAPES: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};

/** `values::main` for `_ZN6values4main17h64bdef3f491a94a1E`; undefined when it is not a legacy Rust name. */
export function demangleRustLegacy(symbol: string): string | undefined {
  const m = /^_?_?_ZN/.exec(symbol);
  if (!m) return undefined;
  let i = m[0].length;
  const parts: string[] = [];
  while (i < symbol.length && symbol[i] !== 'E') {
    const len = /^\d+/.exec(symbol.slice(i));
    if (!len) return undefined;
    i += len[0].length;
    const n = Number(len[0]);
    if (n === 0 || i + n > symbol.length) return undefined;
    parts.push(symbol.slice(i, i + n));
    i += n;
  }
  if (symbol[i] !== 'E' || parts.length === 0) return undefined;
  const rest = symbol.slice(i + 1);
  if (rest !== '' && !rest.startsWith('.')) return undefined;
  // the last part is `h` + 16 hex digits: the crate hash, which is what makes it a Rust name
  const hash = parts[parts.length - 1]!;
  if (!/^h[0-9a-f]{16}$/.test(hash)) return undefined;
  parts.pop();
  const out: string[] = [];
  for (const p of parts) {
    const text = unescapeLegacy(p);
    if (text === undefined) return undefined;
    out.push(text);
  }
  return out.join('::');
}

function unescapeLegacy(part: string): string | undefined {
  let s = part.startsWith('_$') ? part.slice(1) : part;
  let out = '';
  while (s.length > 0) {
    if (s.startsWith('..')) {
      out += '::';
      s = s.slice(2);
    } else if (s[0] === '$') {
      const end = s.indexOf('$', 1);
      if (end < 0) return undefined;
      const code = s.slice(1, end);
      if (LEGACY_ESCAPES[code] !== undefined) out += LEGACY_ESCAPES[code];
      else if (/^u[0-9a-f]+$/.test(code)) out += String.fromCodePoint(parseInt(code.slice(1), 16));
      else return undefined;
      s = s.slice(end + 1);
    } else if (s[0] === '.') {
      out += '.';
      s = s.slice(1);
    } else {
      out += s[0];
      s = s.slice(1);
    }
  }
  return out;
}

class V0Error extends Error {}

const BASIC: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32', m: 'u32',
  n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!', p: '_',
};

/** Recursive-descent printer over a v0 symbol; backrefs jump back and print again. */
class V0Printer {
  private pos = 0;
  private depth = 0;
  /** Lifetimes bound by enclosing `for<…>` binders. */
  private boundLifetimes = 0;

  constructor(private readonly s: string) {}

  private peek(): string {
    return this.s[this.pos] ?? '';
  }

  private next(): string {
    const c = this.s[this.pos];
    if (c === undefined) throw new V0Error('unexpected end');
    this.pos++;
    return c;
  }

  private eat(c: string): boolean {
    if (this.s[this.pos] === c) {
      this.pos++;
      return true;
    }
    return false;
  }

  private enter(): void {
    if (++this.depth > 300) throw new V0Error('nested too deeply');
  }

  /** `{0-9a-zA-Z} _`: `_` is 0, otherwise the digits' value + 1. */
  private base62(): number {
    if (this.eat('_')) return 0;
    let x = 0;
    for (;;) {
      const c = this.next();
      if (c === '_') return x + 1;
      const d = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[a-z]/.test(c) ? c.charCodeAt(0) - 87 : /[A-Z]/.test(c) ? c.charCodeAt(0) - 29 : -1;
      if (d < 0) throw new V0Error('bad base-62 digit');
      // crate disambiguators are 64-bit hashes: only their presence matters, so precision may go
      x = x * 62 + d;
    }
  }

  private optBase62(tag: string): number {
    return this.eat(tag) ? this.base62() + 1 : 0;
  }

  private decimal(): number {
    const m = /^(0|[1-9][0-9]*)/.exec(this.s.slice(this.pos));
    if (!m) throw new V0Error('expected a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private ident(): { name: string; disambiguator: number } {
    const disambiguator = this.optBase62('s');
    const punycode = this.eat('u');
    const len = this.decimal();
    this.eat('_');
    if (this.pos + len > this.s.length) throw new V0Error('identifier past the end');
    const name = this.s.slice(this.pos, this.pos + len);
    this.pos += len;
    // punycode identifiers (non-ASCII names) are shown in their encoded form rather than guessed
    return { name: punycode ? `punycode{${name}}` : name, disambiguator };
  }

  private backref<T>(f: () => T): T {
    const start = this.pos - 1;
    const target = this.base62();
    if (target >= start) throw new V0Error('backref points forward');
    const saved = this.pos;
    this.pos = target;
    try {
      return f();
    } finally {
      this.pos = saved;
    }
  }

  /** A path; `value` paths write generic arguments `::<…>`, type paths `<…>`. */
  path(value: boolean): string {
    this.enter();
    try {
      const tag = this.next();
      switch (tag) {
        case 'C':
          return this.ident().name;
        case 'M': {
          this.implPath();
          return `<${this.type()}>`;
        }
        case 'X': {
          this.implPath();
          const self = this.type();
          return `<${self} as ${this.path(false)}>`;
        }
        case 'Y': {
          const self = this.type();
          return `<${self} as ${this.path(false)}>`;
        }
        case 'N': {
          const ns = this.next();
          const outer = this.path(value);
          const { name, disambiguator } = this.ident();
          if (/[A-Z]/.test(ns)) {
            const kind = ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns;
            return `${outer}::{${kind}${name ? `:${name}` : ''}#${disambiguator}}`;
          }
          return name ? `${outer}::${name}` : outer;
        }
        case 'I': {
          const base = this.path(value);
          const args: string[] = [];
          while (!this.eat('E')) args.push(this.genericArg());
          return `${base}${value ? '::' : ''}<${args.join(', ')}>`;
        }
        case 'B':
          return this.backref(() => this.path(value));
        default:
          throw new V0Error(`bad path tag ${tag}`);
      }
    } finally {
      this.depth--;
    }
  }

  private implPath(): void {
    this.optBase62('s');
    this.path(false);
  }

  private genericArg(): string {
    if (this.peek() === 'L') {
      this.pos++;
      return this.lifetime(this.base62());
    }
    if (this.eat('K')) return this.konst();
    return this.type();
  }

  private lifetime(index: number): string {
    if (index === 0) return "'_";
    const depth = this.boundLifetimes - index;
    if (depth < 0) throw new V0Error('unbound lifetime');
    // rustc-demangle names bound lifetimes 'a, 'b, … by binder depth
    return depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`;
  }

  private binder<T>(f: (names: string[]) => T): T {
    const n = this.optBase62('G');
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(this.lifetimeName(this.boundLifetimes + i));
    this.boundLifetimes += n;
    try {
      return f(names);
    } finally {
      this.boundLifetimes -= n;
    }
  }

  private lifetimeName(depth: number): string {
    return depth < 26 ? `'${String.fromCharCode(97 + depth)}` : `'_${depth}`;
  }

  type(): string {
    this.enter();
    try {
      const c = this.next();
      const basic = BASIC[c];
      if (basic !== undefined) return basic;
      switch (c) {
        case 'R':
        case 'Q': {
          let lt = '';
          if (this.eat('L')) {
            const i = this.base62();
            if (i !== 0) lt = `${this.lifetime(i)} `;
          }
          return `&${lt}${c === 'Q' ? 'mut ' : ''}${this.type()}`;
        }
        case 'P':
          return `*const ${this.type()}`;
        case 'O':
          return `*mut ${this.type()}`;
        case 'A': {
          const t = this.type();
          return `[${t}; ${this.konst()}]`;
        }
        case 'S':
          return `[${this.type()}]`;
        case 'T': {
          const items: string[] = [];
          while (!this.eat('E')) items.push(this.type());
          return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
        }
        case 'F':
          return this.binder((names) => {
            const unsafe = this.eat('U');
            let abi = '';
            if (this.eat('K')) {
              if (this.eat('C')) abi = 'C';
              else abi = this.ident().name.replace(/_/g, '-');
            }
            const params: string[] = [];
            while (!this.eat('E')) params.push(this.type());
            const ret = this.type();
            const forPart = names.length ? `for<${names.join(', ')}> ` : '';
            return `${forPart}${unsafe ? 'unsafe ' : ''}${abi ? `extern "${abi}" ` : ''}fn(${params.join(', ')})${ret === '()' ? '' : ` -> ${ret}`}`;
          });
        case 'D': {
          const bounds = this.binder((names) => {
            const traits: string[] = [];
            while (!this.eat('E')) traits.push(this.dynTrait());
            return `${names.length ? `for<${names.join(', ')}> ` : ''}${traits.join(' + ')}`;
          });
          if (!this.eat('L')) throw new V0Error('dyn without a lifetime');
          const i = this.base62();
          return `dyn ${bounds}${i !== 0 ? ` + ${this.lifetime(i)}` : ''}`;
        }
        case 'B':
          return this.backref(() => this.type());
        default:
          this.pos--;
          return this.path(false);
      }
    } finally {
      this.depth--;
    }
  }

  /** A trait of a `dyn`, with its associated type bindings: `Fn<(i32,), Output = i32>`. */
  private dynTrait(): string {
    let p = this.path(false);
    const bindings: string[] = [];
    while (this.eat('p')) {
      const name = this.ident().name;
      bindings.push(`${name} = ${this.type()}`);
    }
    if (bindings.length === 0) return p;
    if (p.endsWith('>')) return `${p.slice(0, -1)}, ${bindings.join(', ')}>`;
    p += `<${bindings.join(', ')}>`;
    return p;
  }

  private konst(): string {
    this.enter();
    try {
      if (this.eat('p')) return '_';
      if (this.eat('B')) return this.backref(() => this.konst());
      const t = this.next();
      const negative = this.eat('n');
      const m = /^[0-9a-f]*_/.exec(this.s.slice(this.pos));
      if (!m) throw new V0Error('bad constant');
      this.pos += m[0].length;
      const hex = m[0].slice(0, -1);
      const v = hex === '' ? 0n : BigInt(`0x${hex}`);
      if (t === 'b') return v === 0n ? 'false' : 'true';
      if (t === 'c') return `'${String.fromCodePoint(Number(v))}'`;
      if (!/[hmjytonlsaxi]/.test(t)) throw new V0Error(`constant of type ${t}`);
      return `${negative ? '-' : ''}${v}`;
    } finally {
      this.depth--;
    }
  }

  symbol(): string {
    if (/[0-9]/.test(this.peek())) this.decimal(); // encoding version
    const p = this.path(true);
    // an instantiating crate may follow; it is not part of the name
    if (this.pos < this.s.length && /[A-Z]/.test(this.peek())) this.path(false);
    if (this.pos < this.s.length && this.s[this.pos] !== '.') throw new V0Error('trailing characters');
    return p;
  }
}

/** `values::main` for `_RNvCs1234_6values4main`; undefined when it is not a v0 Rust name. */
export function demangleRustV0(symbol: string): string | undefined {
  const m = /^_?_R/.exec(symbol);
  if (!m) return undefined;
  try {
    return new V0Printer(symbol.slice(m[0].length)).symbol();
  } catch (err) {
    if (err instanceof V0Error) return undefined;
    throw err;
  }
}
