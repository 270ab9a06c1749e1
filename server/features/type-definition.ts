// textDocument/typeDefinition: from a function (or a call to it, or a call_indirect) to the `(type ...)` it uses.
import type { Location, Position } from 'vscode-languageserver/node';
import type { Analysis } from '../documents';
import { symbolAt } from '../symbol-at';

/** textDocument/typeDefinition */
export function typeDefinition(analysis: Analysis, position: Position): Location | null {
  const offset = analysis.offsetAt(position);
  const hit = symbolAt(analysis, offset);
  let typeIndex: number | undefined;
  if (hit?.def?.kind === 'func') typeIndex = hit.module.funcs[hit.def.index]?.typeIndex;
  else if (hit?.def?.kind === 'type') typeIndex = hit.def.index;
  const module = hit?.module ?? analysis.moduleAt(offset);
  if (typeIndex === undefined && module) {
    // On a call_indirect (its mnemonic or immediates): the type named by its type use.
    for (const f of module.funcs) {
      const instr = f.body.find((i) => i.typeIndex !== undefined && i.start <= offset && offset <= i.end);
      if (instr) typeIndex = instr.typeIndex;
    }
  }
  const t = typeIndex === undefined ? undefined : module?.types[typeIndex];
  // Types inserted for inline signatures are not written anywhere.
  if (!t || t.implicit) return null;
  const def = t.def;
  return { uri: analysis.uri, range: def.name !== undefined ? analysis.range(def.nameStart, def.nameEnd) : analysis.range(t.node.start, t.node.end) };
}
