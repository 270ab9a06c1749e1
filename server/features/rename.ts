// textDocument/prepareRename and textDocument/rename: renames a `$name` at its definition and every named use.
import { ResponseError, ErrorCodes, type Position, type Range, type WorkspaceEdit } from 'vscode-languageserver/node';
import { isIdChar } from '../../core/text/index';
import type { Analysis } from '../documents';
import { occurrences, symbolAt } from '../symbol-at';

/** textDocument/prepareRename: only named definitions can be renamed (an index has nothing to rename). */
export function prepareRename(analysis: Analysis, position: Position): { range: Range; placeholder: string } | null {
  const hit = symbolAt(analysis, analysis.offsetAt(position));
  if (!hit?.def || hit.def.name === undefined) return null;
  if (hit.ref && !hit.ref.isName) return null;
  return { range: analysis.range(hit.start, hit.end), placeholder: hit.def.name };
}

/** textDocument/rename */
export function rename(analysis: Analysis, position: Position, newName: string): WorkspaceEdit | null {
  const hit = symbolAt(analysis, analysis.offsetAt(position));
  if (!hit?.def || hit.def.name === undefined || (hit.ref && !hit.ref.isName)) return null;
  const name = newName.startsWith('$') ? newName : `$${newName}`;
  if (name.length < 2 || ![...name.slice(1)].every((c) => isIdChar(c.charCodeAt(0)))) {
    throw new ResponseError(ErrorCodes.InvalidParams, `'${newName}' is not a valid WebAssembly identifier`);
  }
  const def = hit.def;
  const clash = hit.module.symbols.defs.find(
    (d) => d !== def && d.name === name && d.space === def.space && (def.funcIndex === undefined || d.funcIndex === def.funcIndex) && d.ownerType === def.ownerType,
  );
  const scope = def.space === 'local' ? 'function' : def.space === 'field' ? 'struct' : 'module';
  if (clash) throw new ResponseError(ErrorCodes.InvalidParams, `${name} is already defined in this ${scope}`);
  const edits = occurrences(def, true)
    .filter((o) => o.isName)
    .map((o) => ({ range: analysis.range(o.start, o.end), newText: name }));
  return { changes: { [analysis.uri]: edits } };
}
