// textDocument/codeAction: quick fixes for an undefined name (its near match, or a declaration) and for an export a script action needs,
// and a refactoring that exports the function, global, memory or table under the cursor.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { missingExports } from '../../core/check/index';
import type { SymbolDef, SymbolRef, TextModule } from '../../core/text/index';
import type { Analysis } from '../documents';
import { editDistance } from '../edit-distance';
import { funcAt, labelsAt } from '../scope';

/** textDocument/codeAction */
export function codeActions(analysis: Analysis, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const lo = analysis.offsetAt(range.start);
  const hi = analysis.offsetAt(range.end);
  const out: CodeAction[] = [];
  for (const m of analysis.modules) {
    if (m.node && (m.node.end < lo || m.node.start > hi)) continue;
    for (const ref of m.symbols.refs) {
      if (ref.def || !ref.isName || ref.end < lo || ref.start > hi) continue;
      out.push(...renameToNearMatch(analysis, m, ref, diagnostics));
      out.push(...declareMissing(analysis, m, ref, diagnostics));
    }
    out.push(...exportRefactoring(analysis, m, lo, hi));
  }
  if (analysis.language === 'wast') out.push(...addMissingExport(analysis, lo, hi, diagnostics));
  return out;
}

/** Candidates in the reference's space that are visible where it is written. */
function visibleDefs(m: TextModule, ref: SymbolRef): SymbolDef[] {
  if (ref.space === 'local' || ref.space === 'label') {
    const f = funcAt(m, ref.start);
    if (!f) return [];
    return ref.space === 'local' ? [...f.params, ...f.locals].map((l) => l.def) : labelsAt(f, ref.start);
  }
  return m.symbols.defs.filter((d) => d.space === ref.space && d.funcIndex === undefined);
}

function renameToNearMatch(analysis: Analysis, m: TextModule, ref: SymbolRef, diagnostics: Diagnostic[]): CodeAction[] {
  const limit = Math.max(2, Math.floor(ref.text.length / 3));
  const near = visibleDefs(m, ref)
    .filter((d): d is SymbolDef & { name: string } => d.name !== undefined)
    .map((d) => ({ name: d.name, distance: editDistance(ref.text.toLowerCase(), d.name.toLowerCase()) }))
    .filter((c) => c.distance <= limit)
    .sort((a, b) => a.distance - b.distance)
    .slice(0, 3);
  const range = analysis.range(ref.start, ref.end);
  const related = diagnostics.filter((d) => overlaps(d.range, range));
  return near.map((c, i) => ({
    title: `Change to ${c.name}`,
    kind: CodeActionKind.QuickFix,
    isPreferred: i === 0,
    diagnostics: related,
    edit: { changes: { [analysis.uri]: [{ range, newText: c.name }] } },
  }));
}

/** Refactoring: `(func $f ...)` → `(func $f (export "f") ...)` for an unexported named field under the cursor. */
function exportRefactoring(analysis: Analysis, m: TextModule, lo: number, hi: number): CodeAction[] {
  const out: CodeAction[] = [];
  for (const field of [...m.funcs, ...m.globals, ...m.memories, ...m.tables]) {
    const def = field.def;
    if (def.name === undefined || def.import || def.exports.length > 0) continue;
    if (!(def.nameStart <= hi && lo <= def.nameEnd)) continue;
    const exportName = def.name.slice(1);
    out.push({
      title: `Export ${def.name} as "${exportName}"`,
      kind: CodeActionKind.RefactorRewrite,
      edit: { changes: { [analysis.uri]: [{ range: analysis.range(def.nameEnd, def.nameEnd), newText: ` (export "${exportName}")` }] } },
    });
  }
  return out;
}

/** Quick fix: an `(invoke "f")` whose module lacks export "f" gets `(export "f" (func $f))` when `$f` exists. */
function addMissingExport(analysis: Analysis, lo: number, hi: number, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const missing of missingExports(analysis.tree)) {
    if (missing.end < lo || missing.start > hi) continue;
    const module = analysis.modules.find((m) => m.node === missing.module || (m.node?.start === missing.module.start && m.node.end === missing.module.end));
    if (!module) continue;
    const wanted = `$${missing.name}`;
    const target =
      module.funcs.find((f) => f.def.name === wanted) ??
      module.globals.find((g) => g.def.name === wanted) ??
      module.funcs.find((f) => f.def.name !== undefined && editDistance(f.def.name, wanted) <= 2);
    if (!target?.def.name) continue;
    const kind = target.def.kind === 'global' ? 'global' : 'func';
    const close = missing.module.close ? missing.module.close.start : missing.module.end;
    const range = analysis.range(missing.start, missing.end);
    out.push({
      title: `Export ${target.def.name} as "${missing.name}"`,
      kind: CodeActionKind.QuickFix,
      isPreferred: true,
      diagnostics: diagnostics.filter((d) => overlaps(d.range, range)),
      edit: { changes: { [analysis.uri]: [{ range: analysis.range(close, close), newText: `\n  (export "${missing.name}" (${kind} ${target.def.name}))` }] } },
    });
  }
  return out;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

/** Quick fix: declare an undefined `$local` in its function, or an undefined `$global` at the module's end. */
function declareMissing(analysis: Analysis, m: TextModule, ref: SymbolRef, diagnostics: Diagnostic[]): CodeAction[] {
  const range = analysis.range(ref.start, ref.end);
  const related = diagnostics.filter((d) => overlaps(d.range, range));
  if (ref.space === 'local') {
    const f = funcAt(m, ref.start);
    if (!f) return [];
    // After the last param/local declaration, or right after the function's name and type use.
    const last = [...f.params, ...f.locals].map((l) => l.def.end).reduce((a, b) => Math.max(a, b), -1);
    const at = last >= 0 ? last : f.def.name !== undefined ? f.def.nameEnd : f.node.open.end + 'func'.length;
    return [{
      title: `Declare (local ${ref.text} i32)`,
      kind: CodeActionKind.QuickFix,
      diagnostics: related,
      edit: { changes: { [analysis.uri]: [{ range: analysis.range(at, at), newText: ` (local ${ref.text} i32)` }] } },
    }];
  }
  if (ref.space === 'global' && m.node?.close) {
    const at = m.node.close.start;
    return [{
      title: `Declare (global ${ref.text} (mut i32))`,
      kind: CodeActionKind.QuickFix,
      diagnostics: related,
      edit: { changes: { [analysis.uri]: [{ range: analysis.range(at, at), newText: `\n  (global ${ref.text} (mut i32) (i32.const 0))` }] } },
    }];
  }
  return [];
}
