// The module tree's nodes, built from a decoded binary (core/binary) or from the language server's
// `wasmscope/moduleTree` answer. Pure: no `vscode` import, so it is tested headless. Children are
// functions evaluated only when a node is expanded, and long lists are split into pages, so a
// 5 MB module shows its top level at once.
import type { Module } from '../../core/binary';
import { demangle } from '../../core/debuginfo/demangle';
import {
  funcSignature, exportTargetText, globalTypeText, idText, importDescText, memoryTypeText, tableTypeText, funcTypeText,
  constExprText, recGroupOf, subTypeText, type AnchorKey,
} from '../../core/inspect';
import type { CoreModuleView, WitItem, WorldView } from '../../core/component';
import type { Range } from 'vscode-languageserver-protocol';
import type { ModuleItem, ModuleTree, ModuleTreeModule } from '../../server/lsp-ext';

export type NodeIcon =
  | 'module' | 'imports' | 'exports' | 'type' | 'func' | 'table' | 'memory' | 'global' | 'tag' | 'data' | 'elem'
  | 'custom' | 'start' | 'page' | 'error' | 'rec' | 'field';

/** Where clicking a node goes: a range in the .wat, or an item of the .wasm view. */
export type RevealTarget = { kind: 'text'; range: Range } | { kind: 'wasm'; anchor: AnchorKey };

export interface TreeNode {
  /** Stable across refreshes of the same document, so expanded nodes stay expanded. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  icon: NodeIcon;
  target?: RevealTarget;
  /** Present on nodes that expand; evaluated on expansion. */
  children?: () => TreeNode[];
}

export interface TreeModel {
  roots: TreeNode[];
  /** Shown above the tree (the view's message): why it is empty, or that the input is invalid. */
  message?: string;
}

/** Largest number of children a node shows before splitting them into pages of this size. */
export const PAGE_SIZE = 500;

/** `count` children made by `make(i)`, split into `[a … b]` pages (nested for huge counts). */
export function paged(idPrefix: string, count: number, make: (i: number) => TreeNode, first = 0): TreeNode[] {
  if (count <= PAGE_SIZE) return Array.from({ length: count }, (_, k) => make(first + k));
  // Each page holds `span` items, chosen so there are at most PAGE_SIZE pages at this level.
  let span = PAGE_SIZE;
  while (Math.ceil(count / span) > PAGE_SIZE) span *= PAGE_SIZE;
  const pages: TreeNode[] = [];
  for (let start = 0; start < count; start += span) {
    const n = Math.min(span, count - start);
    const from = first + start;
    pages.push({
      id: `${idPrefix}/page:${from}`,
      label: `[${from} … ${from + n - 1}]`,
      icon: 'page',
      children: () => paged(idPrefix, n, make, from),
    });
  }
  return pages;
}

function group(id: string, label: string, count: number, icon: NodeIcon, make: (i: number) => TreeNode): TreeNode | undefined {
  if (count === 0) return undefined;
  return { id, label, description: String(count), icon, children: () => paged(id, count, make) };
}

function present(nodes: (TreeNode | undefined)[]): TreeNode[] {
  return nodes.filter((n): n is TreeNode => n !== undefined);
}

// ---------------------------------------------------------------------------------------------
// From a component: its world as WIT, then its core modules

function witItemNode(id: string, item: WitItem): TreeNode {
  const kids = (): TreeNode[] => [
    ...item.types.map((t, i): TreeNode => ({
      id: `${id}/type${i}`, label: t.name, description: t.kind, tooltip: t.wit, icon: 'type',
      ...(t.methods?.length ? { children: () => t.methods!.map((m, j): TreeNode => ({ id: `${id}/type${i}/m${j}`, label: m.name, description: m.signature, icon: 'func' })) } : {}),
    })),
    ...item.functions.map((f, i): TreeNode => ({ id: `${id}/func${i}`, label: f.name, description: f.signature, icon: 'func' })),
  ];
  const count = item.types.length + item.functions.length;
  return { id, label: item.name, description: item.kind === 'instance' ? 'interface' : item.kind, icon: item.kind === 'func' ? 'func' : 'module', ...(count > 0 ? { children: kids } : {}) };
}

function coreModuleNode(m: CoreModuleView): TreeNode {
  const id = `core${m.index}`;
  return {
    id,
    label: `core module ${m.index}${m.name !== undefined ? ` "${m.name}"` : ''}`,
    description: `${m.functions} functions, ${m.size} bytes at 0x${m.offset.toString(16)}`,
    icon: 'module',
    children: () => present([
      group(`${id}/imports`, 'Imports', m.imports.length, 'imports', (i) => {
        const imp = m.imports[i]!;
        return { id: `${id}/import${i}`, label: `${imp.module}.${imp.name}`, description: imp.type ?? imp.kind, icon: imp.kind === 'func' ? 'func' : (imp.kind as NodeIcon) };
      }),
      group(`${id}/exports`, 'Exports', m.exports.length, 'exports', (i) => {
        const e = m.exports[i]!;
        return { id: `${id}/export${i}`, label: e.name, description: e.kind, icon: e.kind === 'func' ? 'func' : (e.kind as NodeIcon) };
      }),
    ]),
  };
}

/** The tree of a component: the world's imports and exports (interfaces → types and functions, as WIT), then its core modules. */
export function modelFromComponent(world: WorldView): TreeModel {
  const roots = present([
    group('world/imports', 'Imports', world.imports.length, 'imports', (i) => witItemNode(`world/import${i}`, world.imports[i]!)),
    group('world/exports', 'Exports', world.exports.length, 'exports', (i) => witItemNode(`world/export${i}`, world.exports[i]!)),
    group('core', 'Core modules', world.coreModules.length, 'module', (i) => coreModuleNode(world.coreModules[i]!)),
  ]);
  return roots.length ? { roots } : { roots, message: 'This component is empty.' };
}

// ---------------------------------------------------------------------------------------------
// From a decoded binary

/** The tree of a .wasm file; `error` (a DecodeError) gives a model with only the message. */
export function modelFromWasm(module: Module): TreeModel {
  // Names are read only by the nodes that show them: a viewer's decode reads the name section when
  // a name is first asked for, so the first level of a 50 MB module does not wait for 200,000 names.
  const kindNames = (kind: keyof typeof counts) => {
    const names = module.names;
    return { func: names.functions, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[kind];
  };
  const counts = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  // Each import's index in its own index space, computed once (imports are few next to functions).
  const importIndex = module.imports.map((imp) => counts[imp.desc.kind]++);
  const importOf = (kind: keyof typeof counts, index: number): number => {
    let seen = 0;
    return module.imports.findIndex((imp) => imp.desc.kind === kind && seen++ === index);
  };
  /** The anchor of an item's definition: its import line when it is imported. */
  const definition = (kind: keyof typeof counts, index: number): AnchorKey => {
    const imported = {
      func: module.importedFuncs, table: module.importedTables, memory: module.importedMemories, global: module.importedGlobals, tag: module.importedTags,
    }[kind];
    return index < imported ? `import:${importOf(kind, index)}` : (`${kind}:${index}` as AnchorKey);
  };
  const label = (kind: keyof typeof counts, index: number) => idText(kindNames(kind).get(index)) ?? `${kind} ${index}`;

  const roots = present([
    group('imports', 'Imports', module.imports.length, 'imports', (i) => {
      const imp = module.imports[i]!;
      const index = importIndex[i]!;
      const id = idText(kindNames(imp.desc.kind).get(index));
      return {
        id: `import:${i}`,
        label: `${imp.module}.${imp.name}`,
        description: `${imp.desc.kind}${id ? ` ${id}` : ` ${index}`} ${importDescText(module, imp.desc)}`.trimEnd(),
        tooltip: `(import "${imp.module}" "${imp.name}" (${imp.desc.kind} ${id ?? index}))`,
        icon: imp.desc.kind,
        target: { kind: 'wasm', anchor: `import:${i}` },
      };
    }),
    group('exports', 'Exports', module.exports.length, 'exports', (i) => {
      const e = module.exports[i]!;
      const id = idText(kindNames(e.kind).get(e.index));
      return {
        id: `export:${i}`,
        label: e.name,
        description: `${e.kind} ${e.index}${id ? ` ${id}` : ''} ${exportTargetText(module, e.kind, e.index)}`.trimEnd(),
        icon: e.kind,
        target: { kind: 'wasm', anchor: definition(e.kind, e.index) },
      };
    }),
    group('types', 'Types', module.types.length, 'type', (i) => {
      const rec = recGroupOf(module, i);
      return {
        id: `type:${i}`,
        label: idText(module.names.types.get(i)) ?? `type ${i}`,
        description: `${rec ? `rec ${rec.start}–${rec.start + rec.size - 1}  ` : ''}${subTypeText(module, i)}`,
        icon: 'type',
        target: { kind: 'wasm', anchor: `type:${i}` },
      };
    }),
    group('funcs', 'Functions', module.importedFuncs + module.funcs.length, 'func', (i) => {
      const own = module.funcs[i - module.importedFuncs];
      // Rust and C++ symbols read demangled; the symbol itself stays in the tooltip
      const symbol = module.names.functions.get(i);
      const readable = symbol === undefined ? undefined : demangle(symbol);
      return {
        id: `func:${i}`,
        label: readable ?? label('func', i),
        ...(readable !== undefined ? { tooltip: idText(symbol) } : {}),
        description: `${funcSignature(module, i)}${own ? `  ${own.bodyEnd - own.entryStart} bytes` : '  imported'}`.trim(),
        icon: 'func',
        target: { kind: 'wasm', anchor: definition('func', i) },
      };
    }),
    group('tables', 'Tables', module.importedTables + module.tables.length, 'table', (i) => {
      const own = module.tables[i - module.importedTables];
      return {
        id: `table:${i}`,
        label: label('table', i),
        description: own ? tableTypeText(own) : `imported ${exportTargetText(module, 'table', i)}`,
        icon: 'table',
        target: { kind: 'wasm', anchor: definition('table', i) },
      };
    }),
    group('memories', 'Memories', module.importedMemories + module.memories.length, 'memory', (i) => {
      const own = module.memories[i - module.importedMemories];
      return {
        id: `memory:${i}`,
        label: label('memory', i),
        description: own ? memoryTypeText(own) : `imported ${exportTargetText(module, 'memory', i)}`,
        icon: 'memory',
        target: { kind: 'wasm', anchor: definition('memory', i) },
      };
    }),
    group('globals', 'Globals', module.importedGlobals + module.globals.length, 'global', (i) => {
      const own = module.globals[i - module.importedGlobals];
      return {
        id: `global:${i}`,
        label: label('global', i),
        description: own ? `${globalTypeText(own.type)} = ${constExprText(module, own.init)}` : `imported ${exportTargetText(module, 'global', i)}`,
        icon: 'global',
        target: { kind: 'wasm', anchor: definition('global', i) },
      };
    }),
    group('tags', 'Tags', module.importedTags + module.tags.length, 'tag', (i) => {
      const own = module.tags[i - module.importedTags];
      return {
        id: `tag:${i}`,
        label: label('tag', i),
        description: own ? funcTypeText(module.types[own.typeIndex]) : `imported ${exportTargetText(module, 'tag', i)}`,
        icon: 'tag',
        target: { kind: 'wasm', anchor: definition('tag', i) },
      };
    }),
    group('datas', 'Data Segments', module.datas.length, 'data', (i) => {
      const d = module.datas[i]!;
      return {
        id: `data:${i}`,
        label: idText(module.names.datas.get(i)) ?? `data ${i}`,
        description: `${d.mode.kind === 'active' ? `active memory ${d.mode.memory} at ${constExprText(module, d.mode.offset)}` : 'passive'}, ${d.end - d.start} bytes`,
        icon: 'data',
        target: { kind: 'wasm', anchor: `data:${i}` },
      };
    }),
    group('elems', 'Element Segments', module.elems.length, 'elem', (i) => {
      const e = module.elems[i]!;
      return {
        id: `elem:${i}`,
        label: idText(module.names.elems.get(i)) ?? `elem ${i}`,
        description: `${e.mode.kind === 'active' ? `active table ${e.mode.table} at ${constExprText(module, e.mode.offset)}` : e.mode.kind}, ${e.init.length} elements`,
        icon: 'elem',
        target: { kind: 'wasm', anchor: `elem:${i}` },
      };
    }),
    group('customs', 'Custom Sections', module.customSections.length, 'custom', (i) => {
      const c = module.customSections[i]!;
      return {
        id: `custom:${i}`,
        label: c.name,
        description: `${c.end - c.start} bytes`,
        icon: 'custom',
        target: { kind: 'wasm', anchor: `custom:${i}` },
      };
    }),
    module.start === undefined
      ? undefined
      : { id: 'start', label: 'Start', description: label('func', module.start), icon: 'start', target: { kind: 'wasm', anchor: definition('func', module.start) } },
  ]);
  return roots.length ? { roots } : { roots, message: 'This module is empty.' };
}

// ---------------------------------------------------------------------------------------------
// From the language server (a .wat or .wast document)

/** The tree of a .wat/.wast document from `wasmscope/moduleTree`; null means the server does not know it. */
export function modelFromServer(tree: ModuleTree | null): TreeModel {
  if (!tree) return { roots: [], message: 'The language server has no structure for this document yet.' };
  if (tree.modules.length === 0) return { roots: [], message: 'No module in this document.' };
  if (tree.modules.length === 1) return { roots: moduleGroups(tree.modules[0]!, 'm0') };
  return {
    roots: tree.modules.map((m, i) => ({
      id: `m${i}`,
      label: m.id ? `module ${m.id}` : `module ${i}`,
      description: `line ${m.range.start.line + 1}`,
      icon: 'module' as const,
      target: { kind: 'text' as const, range: m.range },
      children: () => moduleGroups(m, `m${i}`),
    })),
  };
}

function itemNode(prefix: string, item: ModuleItem): TreeNode {
  const extra: string[] = [];
  if (item.import) extra.push(`import "${item.import.module}" "${item.import.name}"`);
  for (const name of item.exportNames ?? []) extra.push(`export "${name}"`);
  const fields = item.fields;
  const id = `${prefix}/${item.kind}:${item.index}`;
  return {
    ...(fields && fields.length > 0
      ? {
          children: () => fields.map((f) => ({
            id: `${id}/field:${f.index}`,
            label: f.id ?? `field ${f.index}`,
            description: f.signature,
            icon: 'field' as const,
            target: { kind: 'text' as const, range: f.selectionRange },
          })),
        }
      : {}),
    id: `${prefix}/${item.kind}:${item.index}`,
    label: item.id ?? `${item.kind} ${item.index}`,
    description: [item.signature, ...extra].filter((s) => s.length > 0).join('  '),
    tooltip: `${item.kind} ${item.index}${item.id ? ` ${item.id}` : ''}\n${item.signature}`,
    icon: item.kind === 'type' ? 'type' : item.kind,
    target: { kind: 'text', range: item.selectionRange },
  };
}

/** The Types group: a `(rec ...)` group is one node holding its types; struct types expand to their fields. */
function typeGroups(types: ModuleItem[], prefix: string): TreeNode | undefined {
  if (types.length === 0) return undefined;
  const top: TreeNode[] = [];
  for (let i = 0; i < types.length; ) {
    const t = types[i]!;
    const rec = t.recGroup;
    let j = i + 1;
    if (rec !== undefined) while (j < types.length && types[j]!.recGroup === rec) j++;
    if (rec === undefined) top.push(itemNode(prefix, t));
    else {
      const members = types.slice(i, j);
      top.push({
        id: `${prefix}/rec:${rec}`,
        label: 'rec',
        description: `${members.length} type${members.length === 1 ? '' : 's'}: ${members.map((x) => x.id ?? `type ${x.index}`).join(', ')}`,
        icon: 'rec',
        target: { kind: 'text', range: members[0]!.range },
        children: () => members.map((x) => itemNode(prefix, x)),
      });
    }
    i = j;
  }
  return { id: `${prefix}/types`, label: 'Types', description: String(types.length), icon: 'type', children: () => paged(`${prefix}/types`, top.length, (k) => top[k]!) };
}

function moduleGroups(m: ModuleTreeModule, prefix: string): TreeNode[] {
  const items = (id: string, label: string, list: ModuleItem[], icon: NodeIcon) =>
    group(`${prefix}/${id}`, label, list.length, icon, (i) => itemNode(prefix, list[i]!));
  /** The definition an export names, so clicking it lands on the function rather than the export. */
  const definitionOf = (kind: string, index: number): ModuleItem | undefined => {
    const list = { func: m.functions, table: m.tables, memory: m.memories, global: m.globals, tag: m.tags }[kind];
    return list?.find((x) => x.index === index);
  };
  return present([
    group(`${prefix}/imports`, 'Imports', m.imports.length, 'imports', (i) => {
      const imp = m.imports[i]!;
      return {
        id: `${prefix}/import:${i}`,
        label: `${imp.module}.${imp.name}`,
        description: `${imp.kind} ${imp.id ?? imp.index} ${imp.signature}`.trimEnd(),
        icon: imp.kind,
        target: { kind: 'text', range: imp.selectionRange },
      };
    }),
    group(`${prefix}/exports`, 'Exports', m.exports.length, 'exports', (i) => {
      const e = m.exports[i]!;
      const def = e.index >= 0 ? definitionOf(e.kind, e.index) : undefined;
      return {
        id: `${prefix}/export:${i}`,
        label: e.name,
        description: e.index < 0 ? `${e.kind} (unresolved)` : `${e.kind} ${e.index}${e.id ? ` ${e.id}` : ''} ${e.signature}`.trimEnd(),
        icon: e.kind,
        target: { kind: 'text', range: def?.selectionRange ?? e.selectionRange },
      };
    }),
    typeGroups(m.types, prefix),
    items('funcs', 'Functions', m.functions, 'func'),
    items('tables', 'Tables', m.tables, 'table'),
    items('memories', 'Memories', m.memories, 'memory'),
    items('globals', 'Globals', m.globals, 'global'),
    items('tags', 'Tags', m.tags, 'tag'),
    items('datas', 'Data Segments', m.data, 'data'),
    items('elems', 'Element Segments', m.elements, 'elem'),
    m.start ? { ...itemNode(prefix, m.start), id: `${prefix}/start`, label: 'Start', description: m.start.id ?? m.start.signature } : undefined,
  ]);
}
