// Finding a function by the name its programmer knows: the mangled symbol, its demangled form
// (`geo::Shape::sides(int) const`), the path alone (`geo::Shape::sides`, `values::main`), or a tail
// of that path (`Shape::sides`), as function breakpoints in LLDB and GDB accept them.

import { demangle } from './demangle';

/** The path of a demangled name: no return type, parameter list, cv-qualifiers or ABI tags. */
export function functionPath(demangled: string): string {
  const s = demangled.replace(/\(anonymous namespace\)/g, '{anonymous}').replace(/\[abi:[^\]]*\]/g, '');
  let depth = 0;
  let start = 0;
  let end = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '<' && s.startsWith('operator<', i - 8)) continue;
    if (depth === 0 && c === '(' && !s.startsWith('operator()', i - 8)) {
      end = i;
      break;
    }
    if (c === '<' || c === '(' || c === '[') depth++;
    else if ((c === '>' && !s.startsWith('->', i - 1)) || c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ' ' && depth === 0 && !s.startsWith('operator', i - 8)) start = i + 1; // after a return type
  }
  return s.slice(start, end).trim();
}

/** The path without template or generic arguments: `geo::scaled<int>` → `geo::scaled`. */
export function withoutGenerics(path: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '<' && !(i === 0 || path[i - 1] === ':')) depth++;
    else if (c === '>' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}

/** Every name under which `find` knows a function, most exact first. */
export function functionNameForms(symbol: string): string[] {
  // wasm-ld writes C++ names already demangled into the name section: read those as demangled too
  const d = demangle(symbol) ?? (/::|\(/.test(symbol) ? symbol : undefined);
  const forms = [symbol];
  if (d !== undefined) {
    const path = functionPath(d);
    forms.push(d, path, withoutGenerics(path));
  }
  return [...new Set(forms.filter((f) => f.length > 0))];
}

/** Looks functions up by any of their name forms; built once per module. */
export class FunctionNameIndex {
  /** One map per form rank (0 = the symbol itself), name → the first function index with it. */
  private readonly ranks: Map<string, number>[] = [new Map(), new Map(), new Map(), new Map()];
  /** Path forms, for matching a tail of the path (`Shape::sides`). */
  private readonly paths: [string, number][] = [];

  /** `names` in order of preference: where two functions share a form, the first one keeps it. */
  constructor(names: Iterable<readonly [number, string]>) {
    for (const [index, symbol] of names) {
      const forms = functionNameForms(symbol);
      forms.forEach((f, rank) => {
        const map = this.ranks[rank]!;
        if (f && !map.has(f)) map.set(f, index);
      });
      const plain = forms[forms.length - 1]!;
      this.paths.push([plain, index]);
    }
  }

  /** The function `query` names, exact forms before a path tail; undefined when none. */
  find(query: string): number | undefined {
    const q = query.trim();
    if (!q) return undefined;
    for (const map of this.ranks) {
      const hit = map.get(q);
      if (hit !== undefined) return hit;
    }
    const plainQuery = withoutGenerics(functionPath(q));
    for (const map of this.ranks.slice(2)) {
      const hit = map.get(plainQuery);
      if (hit !== undefined) return hit;
    }
    const tail = `::${plainQuery}`;
    return this.paths.find(([p]) => p.endsWith(tail))?.[1];
  }
}
