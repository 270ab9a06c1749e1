// The table of value formatters by language: the first row whose pattern matches a type's spelling
// (and whose `accepts` agrees) shows values of that type. Specific library types come before the
// catch-all rows for Rust enums, structs and C arrays.

import { resolveType, typeName, type DwarfType } from '../types';
import { C_FORMATTERS } from './c';
import { CPP_FORMATTERS } from './cpp';
import { RUST_FORMATTERS } from './rust';
import type { TypeFormatter } from './formatter';

export const FORMATTERS: readonly TypeFormatter[] = [...RUST_FORMATTERS, ...CPP_FORMATTERS, ...C_FORMATTERS];

const cache = new WeakMap<DwarfType, TypeFormatter | null>();

/** The formatter for a type (typedefs and qualifiers stripped first), if any row takes it. */
export function findFormatter(type: DwarfType): TypeFormatter | undefined {
  const t = resolveType(type);
  const hit = cache.get(t);
  if (hit !== undefined) return hit ?? undefined;
  if (t.kind === 'struct' && t.declaration) return undefined;
  const name = typeName(t);
  const found = FORMATTERS.find((f) => f.pattern.test(name) && (f.accepts ? f.accepts(t) : t.kind === 'struct'));
  cache.set(t, found ?? null);
  return found;
}

export type { FormatContext, NamedValue, TypeFormatter, TypedValue, Val } from './formatter';
