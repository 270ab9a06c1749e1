// textDocument/inlayHint: parameter names before the arguments of folded calls, and the function type after call_indirect.
import { InlayHintKind, type InlayHint, type Range } from 'vscode-languageserver/node';
import { headKeyword, isList, type SList, type SNode, type SymbolRef, type TextModule } from '../../core/text/index';
import { funcTypeText, paramNamesOf } from '../describe';
import type { Analysis } from '../documents';

/** textDocument/inlayHint */
export function inlayHints(analysis: Analysis, range: Range): InlayHint[] {
  const lo = analysis.offsetAt(range.start);
  const hi = analysis.offsetAt(range.end);
  const out: InlayHint[] = [];
  for (const m of analysis.modules) {
    const refsByStart = new Map<number, SymbolRef>();
    for (const r of m.symbols.refs) if (r.start >= lo && r.start <= hi) refsByStart.set(r.start, r);
    // An explicit stack: deeply nested code must not overflow the call stack.
    const pending: SNode[] = m.node ? [m.node] : [...analysis.tree.nodes];
    for (let n = pending.pop(); n !== undefined; n = pending.pop()) {
      if (!isList(n) || n.end < lo || n.start > hi) continue;
      if (headKeyword(n) === 'call' || headKeyword(n) === 'return_call') callHints(analysis, m, n, refsByStart, out);
      for (const c of n.children) pending.push(c);
    }
    for (const f of m.funcs) {
      for (const instr of f.body) {
        if ((instr.op !== 'call_indirect' && instr.op !== 'return_call_indirect') || instr.end < lo || instr.start > hi) continue;
        const t = instr.typeIndex === undefined ? undefined : m.types[instr.typeIndex];
        if (!t) continue;
        out.push({ position: analysis.range(instr.end, instr.end).start, label: `: ${funcTypeText(t.type) || '[] -> []'}`, kind: InlayHintKind.Type, paddingLeft: true });
      }
    }
  }
  return out.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

function callHints(analysis: Analysis, m: TextModule, call: SList, refs: Map<number, SymbolRef>, out: InlayHint[]): void {
  const target = call.children[1];
  if (!target || isList(target)) return;
  const def = refs.get(target.start)?.def;
  if (!def || def.kind !== 'func') return;
  const names = paramNamesOf(m, def.index);
  call.children.slice(2).forEach((arg, i) => {
    const name = names[i];
    // An argument that already is `(local.get $same)` needs no label.
    if (!name || !isList(arg) || analysis.text.slice(arg.start, arg.end).includes(name)) return;
    out.push({ position: analysis.range(arg.start, arg.start).start, label: `${name.slice(1)}:`, kind: InlayHintKind.Parameter, paddingRight: true });
  });
}
