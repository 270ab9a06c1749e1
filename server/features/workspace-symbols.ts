// workspace/symbol: named functions, globals, types, tables, memories and exports of every open document.
import { SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';

const KIND = { func: SymbolKind.Function, global: SymbolKind.Variable, type: SymbolKind.Interface, table: SymbolKind.Array, memory: SymbolKind.Object, elem: SymbolKind.Array, data: SymbolKind.String, tag: SymbolKind.Event } as const;

/** workspace/symbol: a case-insensitive subsequence match, like VS Code's own filtering. */
export function workspaceSymbols(analyses: Analysis[], query: string, limit = 500): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const q = query.toLowerCase();
  for (const a of analyses) {
    for (const m of a.modules) {
      for (const def of m.symbols.defs) {
        if (def.name === undefined || def.kind === 'param' || def.kind === 'local' || def.kind === 'label' || def.kind === 'field') continue;
        if (!matches(def.name.toLowerCase(), q)) continue;
        out.push({ name: def.name, kind: KIND[def.kind], containerName: m.name, location: { uri: a.uri, range: a.range(def.nameStart, def.nameEnd) } });
        if (out.length >= limit) return out;
      }
      for (const e of m.exports) {
        if (!matches(e.name.toLowerCase(), q)) continue;
        out.push({ name: `"${e.name}"`, kind: SymbolKind.Event, containerName: m.name, location: { uri: a.uri, range: a.range(e.node.start, e.node.end) } });
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

function matches(name: string, query: string): boolean {
  let i = 0;
  for (const c of name) if (c === query[i]) i++;
  return i === query.length;
}
