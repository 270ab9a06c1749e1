// textDocument/definition: from a `$name` or index reference to the field, param, local or label it denotes,
// and in a script from an `(invoke "f")` / `(get "g")` to the exported field.
import type { Location, Position } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';
import { actionTargetAt } from '../script-actions';
import { symbolAt } from '../symbol-at';

/** textDocument/definition */
export function definition(analysis: Analysis, position: Position): Location | null {
  const offset = analysis.offsetAt(position);
  // In a script, `(invoke "f")` leads to the function the module exports as "f".
  const def = symbolAt(analysis, offset)?.def ?? actionTargetAt(analysis, offset)?.export.ref.def;
  if (!def) return null;
  const [start, end] = def.name !== undefined ? [def.nameStart, def.nameEnd] : [def.start, def.end];
  return { uri: analysis.uri, range: analysis.range(start, end) };
}
