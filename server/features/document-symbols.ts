// textDocument/documentSymbol: the outline — modules, then types, imports, functions (with params and locals), tables, memories, globals, segments, exports.
import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver/node';
import type { SymbolDef, TextModule } from '../../core/text/index';
import { signatureOf } from '../describe';
import type { Analysis } from '../documents';
import type { ComponentOutlineItem } from '../../core/component/text';

const KIND: Record<SymbolDef['kind'], SymbolKind> = {
  type: SymbolKind.Interface,
  tag: SymbolKind.Event,
  func: SymbolKind.Function,
  table: SymbolKind.Array,
  memory: SymbolKind.Object,
  global: SymbolKind.Variable,
  elem: SymbolKind.Array,
  data: SymbolKind.String,
  param: SymbolKind.Variable,
  local: SymbolKind.Variable,
  label: SymbolKind.Key,
  field: SymbolKind.Field,
};

/** textDocument/documentSymbol */
export function documentSymbols(analysis: Analysis): DocumentSymbol[] {
  const component = analysis.component;
  if (component) return component.outline.map((item) => componentSymbol(analysis, item));
  const modules = analysis.modules;
  if (analysis.language === 'wat' && modules[0]) return moduleChildren(analysis, modules[0]);
  return modules
    .filter((m) => m.node !== undefined)
    .map((m, i) => {
      const node = m.node as NonNullable<TextModule['node']>;
      return {
        name: m.name ?? `module ${i}`,
        kind: SymbolKind.Module,
        range: analysis.range(node.start, node.end),
        selectionRange: analysis.range(node.open.start, node.open.end),
        children: moduleChildren(analysis, m),
      };
    });
}

const COMPONENT_KIND: Record<string, SymbolKind> = {
  'core module': SymbolKind.Module, component: SymbolKind.Module, 'core instance': SymbolKind.Object, instance: SymbolKind.Object,
  'core type': SymbolKind.Interface, type: SymbolKind.Interface, func: SymbolKind.Function, 'core func': SymbolKind.Function,
  import: SymbolKind.Package, export: SymbolKind.Event, alias: SymbolKind.Variable, start: SymbolKind.Event,
};

/** One item of a `(component ...)`: its form, and its `$name` or import/export name. */
function componentSymbol(analysis: Analysis, item: ComponentOutlineItem): DocumentSymbol {
  const range = analysis.range(item.start, item.end);
  return {
    name: item.name === undefined ? item.kind : item.kind === 'import' || item.kind === 'export' ? `"${item.name}"` : item.name,
    detail: item.kind,
    kind: COMPONENT_KIND[item.kind] ?? SymbolKind.Field,
    range,
    selectionRange: analysis.range(item.start, Math.min(item.end, item.start + 1)),
    children: item.children.map((c) => componentSymbol(analysis, c)),
  };
}

function moduleChildren(analysis: Analysis, m: TextModule): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  // Implicit types (inserted for inline signatures) are not written in the source.
  for (const t of m.types) {
    if (t.implicit) continue;
    const s = symbolFor(analysis, m, t.def);
    const fields = t.gc?.kind === 'struct' ? t.gc.fields.flatMap((f) => (f.def ? [symbolFor(analysis, m, f.def)] : [])) : [];
    if (fields.length > 0) s.children = fields;
    out.push(s);
  }
  for (const f of m.funcs) {
    const s = symbolFor(analysis, m, f.def);
    s.children = [...f.params, ...f.locals].filter((l) => l.def.name !== undefined).map((l) => symbolFor(analysis, m, l.def));
    out.push(s);
  }
  for (const field of [...m.tables, ...m.memories, ...m.globals, ...m.tags, ...m.elems, ...m.datas]) out.push(symbolFor(analysis, m, field.def));
  for (const e of m.exports) {
    out.push({
      name: `"${e.name}"`,
      detail: `export ${e.kind} ${e.ref.text}`,
      kind: SymbolKind.Event,
      range: analysis.range(e.node.start, e.node.end),
      selectionRange: analysis.range(e.node.start, e.node.end),
    });
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

function symbolFor(analysis: Analysis, m: TextModule, def: SymbolDef): DocumentSymbol {
  const named = def.name !== undefined;
  const range = analysis.range(def.start, Math.max(def.end, def.nameEnd));
  return {
    name: def.name ?? `${def.kind} ${def.index}`,
    detail: signatureOf(m, def) + (def.import ? ` (import "${def.import.module}" "${def.import.name}")` : ''),
    kind: def.kind === 'global' && !def.mutable ? SymbolKind.Constant : KIND[def.kind],
    range,
    selectionRange: named ? analysis.range(def.nameStart, def.nameEnd) : analysis.range(def.start, Math.min(def.end, def.start + 1)),
  };
}
