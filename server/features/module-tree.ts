// wasmscope/moduleTree: imports, exports and every other field of each module, with ranges, for the tree view.
import type { FieldBase, SymbolDef, TextModule } from '../../core/text/index';
import { signatureOf, storageText } from '../describe';
import type { Analysis } from '../documents';
import { exportList, exportNameSpan } from '../export-node';
import type { ExternKind, ModuleExport, ModuleFieldItem, ModuleImport, ModuleItem, ModuleTree, ModuleTreeModule } from '../lsp-ext';

/** wasmscope/moduleTree */
export function moduleTree(analysis: Analysis): ModuleTree {
  return { uri: analysis.uri, version: analysis.version, modules: analysis.modules.map((m) => treeOf(analysis, m)) };
}

function treeOf(analysis: Analysis, m: TextModule): ModuleTreeModule {
  const item = (def: SymbolDef, node: { start: number; end: number }): ModuleItem => {
    const out: ModuleItem = {
      kind: def.kind as ModuleItem['kind'],
      index: def.index,
      signature: signatureOf(m, def),
      range: analysis.range(node.start, node.end),
      selectionRange: def.name !== undefined ? analysis.range(def.nameStart, def.nameEnd) : analysis.range(node.start, Math.min(node.end, node.start + 1)),
    };
    if (def.name !== undefined) out.id = def.name;
    if (def.exports.length > 0) out.exportNames = [...def.exports];
    if (def.import) out.import = { module: def.import.module, name: def.import.name };
    return out;
  };
  const field = (f: FieldBase): ModuleItem => item(f.def, f.node);
  const whole = m.node ?? { start: 0, end: analysis.text.length };
  const imports: ModuleImport[] = m.imports.map(({ kind, field: f }) => {
    const it = field(f);
    const out: ModuleImport = {
      module: f.import?.module ?? '',
      name: f.import?.name ?? '',
      kind: kind as ExternKind,
      index: f.index,
      signature: it.signature,
      range: it.range,
      selectionRange: it.selectionRange,
    };
    if (it.id !== undefined) out.id = it.id;
    return out;
  });
  const exports: ModuleExport[] = m.exports.map((e) => {
    const def = e.ref.def;
    const list = exportList(e);
    const name = exportNameSpan(e);
    const out: ModuleExport = {
      name: e.name,
      kind: e.kind as ExternKind,
      index: def ? def.index : -1,
      signature: def ? signatureOf(m, def) : '',
      range: analysis.range(list.start, list.end),
      selectionRange: analysis.range(name.start, name.end),
    };
    if (def?.name !== undefined) out.id = def.name;
    return out;
  });
  const tree: ModuleTreeModule = {
    range: analysis.range(whole.start, whole.end),
    imports,
    exports,
    types: m.types.filter((t) => !t.implicit).map((t) => {
      const it = item(t.def, t.node);
      if (t.gc && t.gc.rec >= 0) it.recGroup = t.gc.rec;
      if (t.gc?.kind === 'struct') {
        it.fields = t.gc.fields.map((f, index) => {
          const d = f.def;
          const out: ModuleFieldItem = {
            index,
            signature: storageText(m, f),
            range: d ? analysis.range(d.start, d.end) : it.range,
            selectionRange: d ? analysis.range(d.nameStart, Math.max(d.nameEnd, d.nameStart + (d.name ? 0 : 1))) : it.selectionRange,
          };
          if (f.name !== undefined) out.id = f.name;
          return out;
        });
      }
      return it;
    }),
    functions: m.funcs.map(field),
    tables: m.tables.map(field),
    memories: m.memories.map(field),
    globals: m.globals.map(field),
    tags: m.tags.map(field),
    data: m.datas.map((d) => item(d.def, d.node)),
    elements: m.elems.map((e) => item(e.def, e.node)),
  };
  if (m.name !== undefined) tree.id = m.name;
  const start = m.start;
  if (start) {
    tree.start = {
      kind: 'start',
      index: start.index,
      signature: start.def ? signatureOf(m, start.def) : '',
      range: analysis.range(start.start, start.end),
      selectionRange: analysis.range(start.start, start.end),
      ...(start.def?.name !== undefined ? { id: start.def.name } : {}),
    };
  }
  return tree;
}
