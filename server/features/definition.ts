// textDocument/definition: from a `$name` or index reference to the field, param, local or label it denotes.
import type { Location, Position } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';
import { symbolAt } from '../symbol-at';

/** textDocument/definition */
export function definition(analysis: Analysis, position: Position): Location | null {
  const hit = symbolAt(analysis, analysis.offsetAt(position));
  if (!hit?.def) return null;
  const def = hit.def;
  const [start, end] = def.name !== undefined ? [def.nameStart, def.nameEnd] : [def.start, def.end];
  return { uri: analysis.uri, range: analysis.range(start, end) };
}
