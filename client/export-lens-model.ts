// Which functions of a .wat get "Run" / "Debug" code lenses: the exported, module-defined ones,
// with their parameter types so the lens can ask for arguments. Pure, for headless tests.
import type { Range } from 'vscode-languageserver-protocol';
import type { ModuleTree } from '../server/lsp-ext';

export interface ExportLens {
  exportName: string;
  /** The function's whole definition; the lens sits on its first line. */
  range: Range;
  params: string[];
}

/** `(param $a i32) (param i64 f32) (result i32)` → `['i32', 'i64', 'f32']`. */
export function paramTypes(signature: string): string[] {
  const out: string[] = [];
  for (const m of signature.matchAll(/\(param((?:\s+[^()\s]+)*)\s*\)/g)) {
    for (const token of (m[1] ?? '').trim().split(/\s+/)) {
      if (token && !token.startsWith('$')) out.push(token);
    }
  }
  return out;
}

export function exportLenses(tree: ModuleTree | null): ExportLens[] {
  // A .wast script can hold several modules; running one by export name only makes sense for a .wat.
  if (!tree || tree.modules.length !== 1) return [];
  const lenses: ExportLens[] = [];
  for (const fn of tree.modules[0]!.functions) {
    // An imported function has no body here: running it would need its provider.
    if (fn.import) continue;
    for (const name of fn.exportNames ?? []) lenses.push({ exportName: name, range: fn.range, params: paramTypes(fn.signature) });
  }
  return lenses;
}
