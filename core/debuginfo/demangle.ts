// Readable names for mangled symbols, whichever compiler made them: Rust v0 (`_R…`), Rust legacy
// (`_ZN…17h<hash>E`, shown without the hash) and C++ Itanium (`_Z…`).

import { demangleItanium } from './demangle-itanium';
import { demangleRustLegacy, demangleRustV0 } from './demangle-rust';

export { demangleItanium } from './demangle-itanium';
export { demangleRustLegacy, demangleRustV0 } from './demangle-rust';

const cache = new Map<string, string | null>();

/** The demangled name, or undefined when `symbol` is not a mangled name we can read. */
export function demangle(symbol: string): string | undefined {
  const hit = cache.get(symbol);
  if (hit !== undefined) return hit ?? undefined;
  let out: string | undefined;
  if (/^_?_R/.test(symbol)) out = demangleRustV0(symbol);
  else if (/^_?_?_Z/.test(symbol)) out = demangleRustLegacy(symbol) ?? demangleItanium(symbol);
  if (cache.size > 50_000) cache.clear();
  cache.set(symbol, out ?? null);
  return out;
}

/** The demangled name, or the symbol itself. */
export function displayName(symbol: string): string {
  return demangle(symbol) ?? symbol;
}
