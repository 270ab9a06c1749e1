// textDocument/foldingRange: multi-line lists, flat block/loop/if ... end, block comments and runs of line comments.
import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver/node';
import { isList, type SNode } from '../../core/text/index';
import type { Analysis } from '../documents';

/** textDocument/foldingRange */
export function foldingRanges(analysis: Analysis): FoldingRange[] {
  const tree = analysis.tree;
  const lines = tree.lines;
  const out: FoldingRange[] = [];
  const add = (startLine: number, endLine: number, kind?: FoldingRangeKind): void => {
    if (endLine > startLine) out.push(kind ? { startLine, endLine, kind } : { startLine, endLine });
  };
  // A closing `)` alone on its line stays visible, like a closing brace in other languages.
  const closeLine = (closeStart: number): number => {
    const line = lines.lineAt(closeStart);
    const lineStart = lines.lineStarts[line] ?? 0;
    return analysis.text.slice(lineStart, closeStart).trim() === '' ? line - 1 : line;
  };
  // An explicit stack: 50,000 nested lists must not overflow the call stack.
  const pending: SNode[] = [...tree.nodes];
  for (let n = pending.pop(); n !== undefined; n = pending.pop()) {
    if (!isList(n)) continue;
    add(lines.lineAt(n.start), n.close ? closeLine(n.close.start) : lines.lineAt(n.end));
    for (const c of n.children) pending.push(c);
  }
  for (const m of analysis.modules) {
    for (const f of m.funcs) {
      const open: number[] = [];
      for (const instr of f.body) {
        if (instr.folded) continue;
        if (instr.op === 'block' || instr.op === 'loop' || instr.op === 'if') open.push(instr.start);
        else if (instr.op === 'else' && open.length > 0) {
          add(lines.lineAt(open.pop() as number), lines.lineAt(instr.start) - 1);
          open.push(instr.start);
        } else if (instr.op === 'end' && open.length > 0) add(lines.lineAt(open.pop() as number), closeLine(instr.start));
      }
    }
  }
  let run: { start: number; end: number } | undefined;
  for (const c of tree.comments) {
    const first = lines.lineAt(c.start);
    const last = lines.lineAt(c.end);
    if (c.kind === 'blockComment') {
      add(first, last, FoldingRangeKind.Comment);
      continue;
    }
    if (run && first === run.end + 1) run.end = first;
    else {
      if (run) add(run.start, run.end, FoldingRangeKind.Comment);
      run = { start: first, end: first };
    }
  }
  if (run) add(run.start, run.end, FoldingRangeKind.Comment);
  return out;
}
