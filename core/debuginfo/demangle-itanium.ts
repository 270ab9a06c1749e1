// C++ names in the Itanium ABI mangling (clang, gcc): the subset real programs and libc++ use —
// nested and template names with substitutions, ctors/dtors, operators, ABI tags, lambdas, local
// names, function/array/member pointers, literals, packs — printed as llvm-cxxfilt prints them.
// Expressions in signatures (decltype, SFINAE `X…E`) are not read: such names stay mangled.

class ItaniumError extends Error {}

/** A type printed around a declarator: `void (*)(int)` is left `void (*`, right `)(int)`. */
interface Ty {
  left: string;
  right: string;
  /** A function or array type: pointers to it need parentheses. */
  compound?: boolean;
  /** A template-parameter pack's elements (`J…E`), expanded by `Dp` and in parameter lists. */
  pack?: Ty[];
  /** A reference type: what it refers to and how, for reference collapsing (`T&&` with T = `U&` is `U&`). */
  refTo?: { base: Ty; kind: '&' | '&&' };
}

const simple = (s: string): Ty => ({ left: s, right: '' });
const show = (t: Ty): string => (t.pack ? t.pack.map(show).join(', ') : t.left + t.right);

const BUILTIN: Record<string, string> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char', s: 'short', t: 'unsigned short',
  i: 'int', j: 'unsigned int', l: 'long', m: 'unsigned long', x: 'long long', y: 'unsigned long long', n: '__int128',
  o: 'unsigned __int128', f: 'float', d: 'double', e: 'long double', g: '__float128', z: '...',
};
const BUILTIN_D: Record<string, string> = {
  n: 'std::nullptr_t', i: 'char32_t', s: 'char16_t', u: 'char8_t', a: 'auto', c: 'decltype(auto)', d: 'decimal64', e: 'decimal128', f: 'decimal32', h: 'half',
};

const OPERATORS: Record<string, string> = {
  nw: 'new', na: 'new[]', dl: 'delete', da: 'delete[]', ps: '+', ng: '-', ad: '&', de: '*', co: '~', pl: '+', mi: '-',
  ml: '*', dv: '/', rm: '%', an: '&', or: '|', eo: '^', aS: '=', pL: '+=', mI: '-=', mL: '*=', dV: '/=', rM: '%=',
  aN: '&=', oR: '|=', eO: '^=', ls: '<<', rs: '>>', lS: '<<=', rS: '>>=', eq: '==', ne: '!=', lt: '<', gt: '>',
  le: '<=', ge: '>=', ss: '<=>', nt: '!', aa: '&&', oo: '||', pp: '++', mm: '--', cm: ',', pm: '->*', pt: '->',
  cl: '()', ix: '[]', qu: '?', aw: 'co_await',
};

const SPECIAL_SUBS: Record<string, string> = {
  a: 'std::allocator', b: 'std::basic_string', s: 'std::string', i: 'std::istream', o: 'std::ostream', d: 'std::iostream',
};

/** What the encoding's name told the parameter parser. */
interface NameInfo {
  text: string;
  endsWithTemplateArgs: boolean;
  ctorDtorConversion: boolean;
  cv: string;
  ref: string;
}

class Parser {
  pos = 0;
  private subs: Ty[] = [];
  /** The function template's arguments, which `T_` names. */
  private params: Ty[] = [];
  private depth = 0;
  /** Inside a lambda's signature, template parameters print as `auto`. */
  private inLambda = 0;

  constructor(private readonly s: string) {}

  private peek(k = 0): string {
    return this.s[this.pos + k] ?? '';
  }

  private eat(x: string): boolean {
    if (this.s.startsWith(x, this.pos)) {
      this.pos += x.length;
      return true;
    }
    return false;
  }

  private fail(why: string): never {
    throw new ItaniumError(why);
  }

  private enter(): void {
    if (++this.depth > 256) this.fail('nested too deeply');
  }

  private number(): number {
    const m = /^n?\d+/.exec(this.s.slice(this.pos));
    if (!m) this.fail('expected a number');
    this.pos += m[0].length;
    return m[0].startsWith('n') ? -Number(m[0].slice(1)) : Number(m[0]);
  }

  /** `<seq-id>_`: base 36 in upper-case digits; `_` alone is 0, else value + 1. */
  private seqId(): number {
    if (this.eat('_')) return 0;
    let x = 0;
    for (;;) {
      const c = this.peek();
      this.pos++;
      if (c === '_') return x + 1;
      const d = /[0-9]/.test(c) ? c.charCodeAt(0) - 48 : /[A-Z]/.test(c) ? c.charCodeAt(0) - 55 : -1;
      if (d < 0) this.fail('bad sequence id');
      x = x * 36 + d;
    }
  }

  private sourceName(): string {
    const n = this.number();
    if (n <= 0 || this.pos + n > this.s.length) this.fail('bad source name');
    const id = this.s.slice(this.pos, this.pos + n);
    this.pos += n;
    return id.startsWith('_GLOBAL__N') ? '(anonymous namespace)' : id;
  }

  private abiTags(name: string): string {
    let out = name;
    while (this.eat('B')) out += `[abi:${this.sourceName()}]`;
    return out;
  }

  encoding(): string {
    this.enter();
    try {
      if (this.eat('TV')) return `vtable for ${show(this.type())}`;
      if (this.eat('TT')) return `VTT for ${show(this.type())}`;
      if (this.eat('TI')) return `typeinfo for ${show(this.type())}`;
      if (this.eat('TS')) return `typeinfo name for ${show(this.type())}`;
      if (this.eat('GV')) return `guard variable for ${this.name().text}`;
      if (this.eat('Th')) {
        this.number();
        if (!this.eat('_')) this.fail('bad thunk');
        return `non-virtual thunk to ${this.encoding()}`;
      }
      const saved = this.params;
      const name = this.name(true);
      if (this.pos >= this.s.length || this.peek() === 'E' || this.peek() === '.') return name.text;
      let attrs = '';
      if (this.eat('Ua9enable_ifI')) {
        const args: string[] = [];
        while (!this.eat('E')) args.push(show(this.templateArg()));
        attrs = ` [enable_if:${args.join(', ')}]`;
      }
      let ret: Ty | undefined;
      if (name.endsWithTemplateArgs && !name.ctorDtorConversion) ret = this.type();
      const params: string[] = [];
      if (!this.eat('v')) {
        while (this.pos < this.s.length && this.peek() !== 'E' && this.peek() !== '.') {
          const p = this.type();
          const text = show(p);
          if (text !== '') params.push(text);
        }
      }
      this.params = saved;
      const head = ret ? `${ret.left} ` : '';
      return `${head}${name.text}(${params.join(', ')})${ret ? ret.right : ''}${name.cv}${name.ref}${attrs}`;
    } finally {
      this.depth--;
    }
  }

  /** `<name>`: nested, local, unscoped (with `St`), or a substitution with template args. */
  private name(top = false): NameInfo {
    this.enter();
    try {
      const info: NameInfo = { text: '', endsWithTemplateArgs: false, ctorDtorConversion: false, cv: '', ref: '' };
      if (this.peek() === 'N') return this.nestedName(top);
      if (this.eat('Z')) {
        const fn = this.encoding();
        if (!this.eat('E')) this.fail('bad local name');
        if (this.eat('s')) {
          this.discriminator();
          info.text = `${fn}::string literal`;
          return info;
        }
        if (this.eat('d')) {
          this.number();
          this.eat('_');
        }
        const inner = this.name(top);
        this.discriminator();
        return { ...inner, text: `${fn}::${inner.text}` };
      }
      if (this.peek() === 'S' && this.peek(1) !== 't') {
        const sub = this.substitution();
        if (this.peek() !== 'I') this.fail('substitution used as a name');
        const args = this.templateArgs(top);
        info.text = show(sub) + args;
        info.endsWithTemplateArgs = true;
        return info;
      }
      const std = this.eat('St') ? 'std::' : '';
      const u = this.unqualifiedName('', info);
      let text = std + u;
      if (this.peek() === 'I') {
        this.subs.push(simple(text));
        text += this.templateArgs(top);
        info.endsWithTemplateArgs = true;
      }
      info.text = text;
      return info;
    } finally {
      this.depth--;
    }
  }

  private discriminator(): void {
    if (this.eat('__')) {
      this.number();
      this.eat('_');
    } else if (this.peek() === '_' && /\d/.test(this.peek(1))) {
      this.pos += 2;
    }
  }

  private nestedName(top: boolean): NameInfo {
    this.pos++; // N
    const info: NameInfo = { text: '', endsWithTemplateArgs: false, ctorDtorConversion: false, cv: '', ref: '' };
    if (this.eat('r')) info.cv += ' restrict';
    if (this.eat('V')) info.cv = ' volatile' + info.cv;
    if (this.eat('K')) info.cv = ' const' + info.cv;
    if (this.eat('R')) info.ref = ' &';
    else if (this.eat('O')) info.ref = ' &&';
    let soFar: string | undefined;
    let lastPlain = '';
    const pushed: Ty[] = [];
    const push = (): void => {
      const t = simple(soFar!);
      this.subs.push(t);
      pushed.push(t);
    };
    while (!this.eat('E')) {
      if (this.pos >= this.s.length) this.fail('unterminated nested name');
      info.endsWithTemplateArgs = false;
      // a constructor stays one through its template args (`C2B8abiIiE`)
      if (this.peek() !== 'I') info.ctorDtorConversion = false;
      if (this.peek() === 'T') {
        soFar = (soFar ? `${soFar}::` : '') + show(this.templateParam());
        push();
        continue;
      }
      if (this.peek() === 'I') {
        if (soFar === undefined) this.fail('template args without a name');
        soFar += this.templateArgs(top);
        info.endsWithTemplateArgs = true;
        push();
        continue;
      }
      if (this.peek() === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T')) this.fail('decltype in a name');
      if (this.peek() === 'S' && this.peek(1) !== 't') {
        const sub = this.substitution();
        const first = soFar === undefined;
        soFar = (soFar ? `${soFar}::` : '') + show(sub);
        lastPlain = show(sub).replace(/<.*$/, '').split('::').pop() ?? '';
        if (!first) push();
        continue;
      }
      if (this.peek() === 'C' || (this.peek() === 'D' && this.peek(1) !== 'C' && /[0-5]/.test(this.peek(1)))) {
        const dtor = this.peek() === 'D';
        this.pos++;
        if (!dtor && this.eat('I')) {
          this.pos++; // inheriting constructor: C I1 <type>
          this.type();
        } else this.pos++;
        if (!lastPlain) this.fail('constructor without a class');
        soFar = `${soFar}::${this.abiTags((dtor ? '~' : '') + lastPlain)}`;
        info.ctorDtorConversion = true;
        push();
        continue;
      }
      if (this.eat('L')) {
        // internal linkage marker (an extension some compilers emit)
      }
      const std = soFar === undefined && this.eat('St') ? 'std::' : '';
      const u = this.unqualifiedName(soFar ?? '', info);
      lastPlain = u.replace(/\[abi:[^\]]*\]/g, '');
      soFar = (soFar ? `${soFar}::` : '') + std + u;
      push();
    }
    if (soFar === undefined || pushed.length === 0) this.fail('empty nested name');
    // the entity itself is not a substitution candidate: only its prefixes are
    const last = pushed[pushed.length - 1]!;
    const i = this.subs.lastIndexOf(last);
    if (i >= 0) this.subs.splice(i, 1);
    info.text = soFar;
    return info;
  }

  /** A source name, operator, lambda or unnamed type, with ABI tags. */
  private unqualifiedName(scope: string, info: NameInfo): string {
    const c = this.peek();
    if (/\d/.test(c)) return this.abiTags(this.sourceName());
    if (this.eat('Ut')) {
      const n = /^\d*/.exec(this.s.slice(this.pos))![0];
      this.pos += n.length;
      if (!this.eat('_')) this.fail('bad unnamed type');
      return `'unnamed${n}'`;
    }
    if (this.eat('Ul')) {
      this.inLambda++;
      const params: string[] = [];
      try {
        if (!this.eat('v')) while (this.peek() !== 'E') params.push(show(this.type()));
      } finally {
        this.inLambda--;
      }
      this.pos++; // E
      const n = /^\d*/.exec(this.s.slice(this.pos))![0];
      this.pos += n.length;
      if (!this.eat('_')) this.fail('bad lambda');
      return `'lambda${n}'(${params.join(', ')})`;
    }
    if (this.eat('cv')) {
      info.ctorDtorConversion = true;
      return this.abiTags(`operator ${show(this.type())}`);
    }
    if (this.eat('li')) return `operator"" ${this.sourceName()}`;
    const op = OPERATORS[this.s.slice(this.pos, this.pos + 2)];
    if (op !== undefined) {
      this.pos += 2;
      return this.abiTags(`operator${/^[a-z]/.test(op) ? ' ' : ''}${op}`);
    }
    if (this.eat('DC')) {
      const names: string[] = [];
      while (!this.eat('E')) names.push(this.sourceName());
      return `[${names.join(', ')}]`;
    }
    void scope;
    this.fail(`unknown name at ${this.pos}`);
  }

  private substitution(): Ty {
    this.pos++; // S
    const c = this.peek();
    if (SPECIAL_SUBS[c] !== undefined && c !== '_') {
      this.pos++;
      return simple(SPECIAL_SUBS[c]!);
    }
    const i = this.seqId();
    const t = this.subs[i];
    if (!t) this.fail('substitution out of range');
    return t;
  }

  private templateParam(): Ty {
    this.pos++; // T
    const i = this.seqId();
    if (this.inLambda) return simple('auto');
    const t = this.params[i];
    if (!t) this.fail('template parameter out of range');
    return t;
  }

  /** `I…E` as `<a, b>`; at the encoding's top level they become what `T_` names. */
  private templateArgs(top: boolean): string {
    this.pos++; // I
    const args: Ty[] = [];
    while (!this.eat('E')) {
      if (this.pos >= this.s.length) this.fail('unterminated template args');
      args.push(this.templateArg());
    }
    if (top) this.params = args;
    const text = args.map(show).filter((x, i) => x !== '' || !args[i]!.pack).join(', ');
    return `<${text}${text.endsWith('>') ? ' ' : ''}>`;
  }

  private templateArg(): Ty {
    this.enter();
    try {
      if (this.eat('J')) {
        const pack: Ty[] = [];
        while (!this.eat('E')) pack.push(this.templateArg());
        return { left: '', right: '', pack };
      }
      if (this.peek() === 'L') return simple(this.literal());
      if (this.peek() === 'X') {
        // only the simplest expression, a template parameter (`XT_E`); others stay unread
        this.pos++;
        if (this.peek() !== 'T') this.fail('expression in template args');
        const t = this.templateParam();
        if (!this.eat('E')) this.fail('expression in template args');
        return t;
      }
      return this.type();
    } finally {
      this.depth--;
    }
  }

  private literal(): string {
    this.pos++; // L
    if (this.eat('_Z') || this.eat('Z')) {
      const e = this.encoding();
      if (!this.eat('E')) this.fail('bad external name literal');
      return e;
    }
    if (this.eat('DnE')) return 'nullptr';
    const c = this.peek();
    if (BUILTIN[c] !== undefined) {
      this.pos++;
      const neg = this.eat('n');
      const m = /^[0-9a-f]*/.exec(this.s.slice(this.pos))![0];
      this.pos += m.length;
      if (!this.eat('E')) this.fail('bad literal');
      const v = `${neg ? '-' : ''}${m}`;
      switch (c) {
        case 'b': return m === '0' ? 'false' : 'true';
        case 'i': return v;
        case 'j': return `${v}u`;
        case 'l': return `${v}l`;
        case 'm': return `${v}ul`;
        case 'x': return `${v}ll`;
        case 'y': return `${v}ull`;
        default: return `(${BUILTIN[c]})${v}`;
      }
    }
    const t = this.type();
    const neg = this.eat('n');
    const m = /^\d*/.exec(this.s.slice(this.pos))![0];
    this.pos += m.length;
    if (!this.eat('E')) this.fail('bad literal');
    return `(${show(t)})${neg ? '-' : ''}${m}`;
  }

  type(): Ty {
    this.enter();
    try {
      return this.typeInner();
    } finally {
      this.depth--;
    }
  }

  private typeInner(): Ty {
    const c = this.peek();
    if (BUILTIN[c] !== undefined) {
      this.pos++;
      return simple(BUILTIN[c]!);
    }
    if (c === 'D' && BUILTIN_D[this.peek(1)] !== undefined) {
      this.pos += 2;
      return simple(BUILTIN_D[this.s[this.pos - 1]!]!);
    }
    if (c === 'u') {
      this.pos++;
      const t = simple(this.sourceName());
      this.subs.push(t);
      return t;
    }
    const push = (t: Ty): Ty => {
      this.subs.push(t);
      return t;
    };
    switch (c) {
      case 'r':
      case 'V':
      case 'K': {
        let q = '';
        while (/[rVK]/.test(this.peek())) {
          const x = this.peek();
          this.pos++;
          q = (x === 'K' ? ' const' : x === 'V' ? ' volatile' : ' restrict') + q;
        }
        // printed base-first: `int const volatile`
        const order = [' const', ' volatile', ' restrict'].filter((x) => q.includes(x)).join('');
        const t = this.type();
        if (t.compound && t.right.startsWith('(')) return push({ left: t.left, right: t.right + order, compound: true });
        return push({ left: t.left + order, right: t.right, ...(t.compound ? { compound: true } : {}) });
      }
      case 'P':
      case 'R':
      case 'O': {
        this.pos++;
        const t = this.type();
        const sigil = c === 'P' ? '*' : c === 'R' ? '&' : '&&';
        if (t.pack) return push({ left: '', right: '', pack: t.pack.map((x) => this.wrap(x, sigil)) });
        return push(this.wrap(t, sigil));
      }
      case 'F': {
        this.pos++;
        this.eat('Y');
        const ret = this.type();
        const params: string[] = [];
        let ref = '';
        if (!this.eat('v')) {
          while (this.peek() !== 'E') {
            if (this.eat('RE')) {
              ref = ' &';
              this.pos--;
              break;
            }
            if (this.eat('OE')) {
              ref = ' &&';
              this.pos--;
              break;
            }
            const p = show(this.type());
            if (p) params.push(p);
          }
        }
        if (!this.eat('E')) this.fail('bad function type');
        return push({ left: `${ret.left} `, right: `(${params.join(', ')})${ret.right}${ref}`, compound: true });
      }
      case 'A': {
        this.pos++;
        const n = /^\d*/.exec(this.s.slice(this.pos))![0];
        this.pos += n.length;
        if (!this.eat('_')) this.fail('bad array type');
        const t = this.type();
        return push({ left: `${t.left} `, right: `[${n}]${t.right}`, compound: true });
      }
      case 'M': {
        this.pos++;
        const cls = show(this.type());
        const t = this.type();
        if (t.compound && t.right.startsWith('(')) return push({ left: `${t.left}(${cls}::*`, right: `)${t.right}` });
        return push({ left: `${t.left} ${cls}::*`, right: t.right });
      }
      case 'T': {
        const t = this.templateParam();
        this.subs.push(t);
        if (this.peek() === 'I') {
          const args = this.templateArgs(false);
          return push(simple(show(t) + args));
        }
        return t;
      }
      case 'S': {
        if (this.peek(1) === 't') {
          const n = this.name();
          return push(simple(n.text));
        }
        const sub = this.substitution();
        if (this.peek() === 'I') {
          const args = this.templateArgs(false);
          return push(simple(show(sub) + args));
        }
        return sub;
      }
      case 'D': {
        if (this.peek(1) === 'p') {
          this.pos += 2;
          const t = this.type();
          // a pack expansion in a parameter list: the pack's elements, or `T...` when not known
          return t.pack ? t : push({ left: `${t.left}...`, right: t.right });
        }
        this.fail('unsupported D type');
        break;
      }
      case 'N':
      case 'Z':
      default: {
        if (c === 'N' || c === 'Z' || /\d/.test(c)) {
          const n = this.name();
          return push(simple(n.text));
        }
        this.fail(`unknown type ${c}`);
      }
    }
  }

  private wrap(t: Ty, sigil: string): Ty {
    if (sigil !== '*' && t.refTo) {
      const kind = sigil === '&' || t.refTo.kind === '&' ? '&' : '&&';
      return { ...this.wrap(t.refTo.base, kind), refTo: { base: t.refTo.base, kind } };
    }
    // llvm writes a space before an array's bounds after a declarator: `int (*) [3]`
    const out: Ty = t.compound ? { left: `${t.left}(${sigil}`, right: `)${t.right.startsWith('[') ? ' ' : ''}${t.right}` } : { left: t.left + sigil, right: t.right };
    if (sigil !== '*') out.refTo = { base: t, kind: sigil === '&' ? '&' : '&&' };
    return out;
  }
}

/** `int geo::scaled<int>(int, int)` for `_ZN3geo6scaledIiEET_S1_i`; undefined when not (or not fully) understood. */
export function demangleItanium(symbol: string): string | undefined {
  const m = /^_?_Z/.exec(symbol);
  if (!m) return undefined;
  const body = symbol.slice(m[0].length);
  // clone suffixes (`.cold`, `.constprop.0`) follow the encoding
  const dot = body.search(/\.[A-Za-z_]/);
  const core = dot >= 0 ? body.slice(0, dot) : body;
  const suffix = dot >= 0 ? body.slice(dot) : '';
  try {
    const p = new Parser(core);
    const text = p.encoding();
    if (p.pos !== core.length) return undefined;
    return suffix ? `${text} (${suffix.slice(1)})` : text;
  } catch (err) {
    if (err instanceof ItaniumError) return undefined;
    throw err;
  }
}
