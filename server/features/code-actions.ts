// textDocument/codeAction: quick fixes for an undefined name (its near match, or a declaration) and for an export a script action needs,
// and a refactoring that exports the function, global, memory or table under the cursor.
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver/node';
import { missingExports } from '../../core/check/index';
import { headKeyword, isList, type Instr, type SList, type SymbolDef, type SymbolRef, type TextModule } from '../../core/text/index';
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
    out.push(...makeFieldMutable(analysis, m, lo, hi, diagnostics));
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
  if (ref.space === 'field') {
    // Only the fields of the struct type the instruction names.
    const owner = instrOf(m, ref)?.refs?.[0]?.index;
    return m.symbols.defs.filter((d) => d.kind === 'field' && owner !== undefined && d.ownerType === owner);
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
  if (ref.space === 'tag' && m.node?.close) {
    const at = m.node.close.start;
    return [{
      title: `Declare (tag ${ref.text})`,
      kind: CodeActionKind.QuickFix,
      diagnostics: related,
      edit: { changes: { [analysis.uri]: [{ range: analysis.range(at, at), newText: `\n  (tag ${ref.text}${tagParams(m, ref)})` }] } },
    }];
  }
  if (ref.space === 'field') {
    const owner = instrOf(m, ref);
    const typeRef = owner?.refs?.[0];
    const t = typeRef ? m.types[typeRef.index] : undefined;
    const struct = t ? structList(t.node) : undefined;
    if (!owner || !t || !struct?.close) return [];
    const type = owner.op === 'struct.set' ? '(mut i32)' : 'i32';
    const at = struct.close.start;
    return [{
      title: `Declare (field ${ref.text} ${type}) in ${t.def.name ?? `type ${t.index}`}`,
      kind: CodeActionKind.QuickFix,
      diagnostics: related,
      edit: { changes: { [analysis.uri]: [{ range: analysis.range(at, at), newText: ` (field ${ref.text} ${type})` }] } },
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

/** The instruction whose immediates hold `ref`. */
function instrOf(m: TextModule, ref: SymbolRef): Instr | undefined {
  return funcAt(m, ref.start)?.body.find((i) => i.refs?.includes(ref));
}

/** `(param i32 f64)` for a `throw $e` whose operands are plain constants or typed locals; else nothing. */
function tagParams(m: TextModule, ref: SymbolRef): string {
  const f = funcAt(m, ref.start);
  const at = f?.body.findIndex((i) => i.refs?.includes(ref)) ?? -1;
  if (!f || at < 0 || f.body[at]?.op !== 'throw') return '';
  // Folded operands are emitted right before the instruction but written after its keyword.
  const throwAt = f.body[at]!.start;
  const types: string[] = [];
  for (let k = at - 1; k >= 0 && f.body[k]!.start > throwAt; k--) {
    const i = f.body[k]!;
    const c = /^(i32|i64|f32|f64)\.const$/.exec(i.op);
    const t = c ? c[1] : i.op === 'local.get' ? i.refs?.[0]?.def?.valType : undefined;
    if (!t) return '';
    types.unshift(t);
  }
  return types.length > 0 ? ` (param ${types.join(' ')})` : '';
}

/** The `(struct ...)` list of a type definition (directly or inside `(sub ...)`). */
function structList(node: SList): SList | undefined {
  for (const c of node.children) {
    if (!isList(c)) continue;
    const head = headKeyword(c);
    if (head === 'struct') return c;
    if (head === 'sub') return structList(c);
  }
  return undefined;
}

/** Quick fix: `struct.set` of an immutable field makes the field `(mut ...)` in its type. */
function makeFieldMutable(analysis: Analysis, m: TextModule, lo: number, hi: number, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const f of m.funcs) {
    if (f.import || f.node.end < lo || f.node.start > hi) continue;
    for (const i of f.body) {
      if (i.op !== 'struct.set' || i.end < lo || i.start > hi) continue;
      const def = i.refs?.[1]?.def;
      if (!def || def.kind !== 'field' || def.mutable || def.name === undefined) continue;
      // A named field's list is `(field $x T)`: T runs from after the name to the closing paren.
      const typeText = analysis.text.slice(def.nameEnd, def.end - 1).trim();
      const typeStart = analysis.text.indexOf(typeText, def.nameEnd);
      if (!typeText || typeStart < 0) continue;
      const range = analysis.range(i.start, i.end);
      out.push({
        title: `Make field ${def.name} mutable`,
        kind: CodeActionKind.QuickFix,
        isPreferred: true,
        diagnostics: diagnostics.filter((d) => overlaps(d.range, range)),
        edit: { changes: { [analysis.uri]: [{ range: analysis.range(typeStart, typeStart + typeText.length), newText: `(mut ${typeText})` }] } },
      });
    }
  }
  return out;
}
