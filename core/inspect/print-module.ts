// A decoded core module as WAT that our text parser reads back: Wasm 3.0 included (rec groups,
// sub/struct/array types, typed references, exceptions), which wasm2wat (wabt 1.0.39) cannot
// print. The component printer uses it for nested core modules wabt rejects. Instructions are
// flat (one per line) as the disassembler writes them; names come from the name section only
// where they are unique in their space (a duplicate `$name` would not read back).
import { ByteReader, InstrReader, type ConstExpr, type Module, type NameMap, type Names, type TableType } from '../binary';
import { idText, limitsText, memoryTypeText, recGroupOf, subTypeText } from './describe';
import { instructionText } from './format-instruction';
import { formatType } from '../types';

/** The names of `map` that no other index shares. */
function unique(map: NameMap): NameMap {
  const count = new Map<string, number>();
  for (const n of map.values()) count.set(n, (count.get(n) ?? 0) + 1);
  return new Map([...map].filter(([, n]) => count.get(n) === 1 && n !== ''));
}

function uniqueNames(n: Names): Names {
  return {
    module: n.module,
    functions: unique(n.functions),
    locals: new Map([...n.locals].map(([f, m]) => [f, unique(m)])),
    // Labels and field names are left out: the instruction printer refers to them by index.
    labels: new Map(),
    fields: new Map(),
    types: unique(n.types),
    tables: unique(n.tables),
    memories: unique(n.memories),
    globals: unique(n.globals),
    elems: unique(n.elems),
    datas: unique(n.datas),
    tags: unique(n.tags),
  };
}

function bytesText(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\${b.toString(16).padStart(2, '0')}`;
  }
  return `"${s}"`;
}

const str = (s: string): string => bytesText(new TextEncoder().encode(s));

/** A constant expression as flat instructions (`i32.const 8 global.get 0 i32.add`). */
function constExpr(module: Module, expr: ConstExpr): string {
  const ins = new InstrReader(new ByteReader(module.bytes, expr.start, module.bytes.length));
  const parts: string[] = [];
  for (;;) {
    ins.read();
    if (ins.info?.name === 'end') break;
    parts.push(instructionText(ins, { module, funcIndex: -1 }));
  }
  return parts.join(' ');
}

/** The module as `(module ...)` text (ending in a newline). */
export function printModule(decoded: Module): string {
  const module: Module = { ...decoded, names: uniqueNames(decoded.names) };
  const names = module.names;
  const out: string[] = [];
  const id = (name: string | undefined, index: number): string => {
    const t = idText(name);
    return t ? `${t} (;${index};)` : `(;${index};)`;
  };
  const ref = (map: NameMap, index: number): string => idText(map.get(index)) ?? String(index);
  const vt = (t: number): string => formatType(t, (i) => idText(names.types.get(i)));
  const globalType = (g: { type: number; mutable: boolean }): string => (g.mutable ? `(mut ${vt(g.type)})` : vt(g.type));
  const tableType = (t: TableType): string => `${limitsText(t.limits)} ${vt(t.elemType)}`;
  out.push(`(module${names.module !== undefined && idText(names.module) ? ` ${idText(names.module)}` : ''}`);

  module.types.forEach((_, i) => {
    const group = recGroupOf(module, i);
    if (group?.start === i) out.push('  (rec');
    out.push(`${group ? '  ' : ''}  (type ${id(names.types.get(i), i)} ${subTypeText(module, i)})`);
    if (group && i === group.start + group.size - 1) out[out.length - 1] += ')';
  });

  const counters = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  for (const imp of module.imports) {
    const index = counters[imp.desc.kind]++;
    const map = { func: names.functions, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[imp.desc.kind];
    let desc: string;
    switch (imp.desc.kind) {
      case 'func': case 'tag': desc = `(type ${ref(names.types, imp.desc.typeIndex)})`; break;
      case 'table': desc = tableType(imp.desc.type); break;
      case 'memory': desc = memoryTypeText(imp.desc.type); break;
      case 'global': desc = globalType(imp.desc.type); break;
    }
    out.push(`  (import ${str(imp.module)} ${str(imp.name)} (${imp.desc.kind} ${id(map.get(index), index)} ${desc}))`);
  }

  module.funcs.forEach((f, i) => {
    const index = module.importedFuncs + i;
    const locals = names.locals.get(index);
    const type = module.types[f.typeIndex];
    const params = type?.params ?? [];
    const sig = [
      ...params.map((t, p) => `(param${locals?.has(p) ? ` ${idText(locals.get(p))}` : ''} ${vt(t)})`),
      ...(type?.results.length ? [`(result ${type.results.map(vt).join(' ')})`] : []),
    ];
    out.push(`  (func ${id(names.functions.get(index), index)} (type ${ref(names.types, f.typeIndex)})${sig.map((s) => ` ${s}`).join('')}`);
    if (f.locals.length) {
      out.push(`    ${f.locals.map((t, l) => `(local${locals?.has(params.length + l) ? ` ${idText(locals.get(params.length + l))}` : ''} ${vt(t)})`).join(' ')}`);
    }
    const ins = new InstrReader(new ByteReader(module.bytes, f.bodyStart, f.bodyEnd));
    const scope = { module, funcIndex: index };
    let depth = 1;
    while (ins.pos < f.bodyEnd) {
      ins.read();
      const name = ins.info?.name;
      if (name === 'end' || name === 'else' || name === 'catch' || name === 'catch_all' || name === 'delegate') depth--;
      if (name === 'end' && depth === 0) break;
      out.push(`  ${'  '.repeat(depth)}${instructionText(ins, scope)}`);
      if (name === 'block' || name === 'loop' || name === 'if' || name === 'else' || name === 'try' || name === 'try_table' || name === 'catch' || name === 'catch_all') depth++;
    }
    out[out.length - 1] += ')';
  });

  module.tables.forEach((t, i) => {
    const index = module.importedTables + i;
    out.push(`  (table ${id(names.tables.get(index), index)} ${tableType(t)}${t.init ? ` ${constExpr(module, t.init)}` : ''})`);
  });
  module.memories.forEach((m, i) => {
    const index = module.importedMemories + i;
    out.push(`  (memory ${id(names.memories.get(index), index)} ${memoryTypeText(m)})`);
  });
  module.tags.forEach((t, i) => {
    const index = module.importedTags + i;
    out.push(`  (tag ${id(names.tags.get(index), index)} (type ${ref(names.types, t.typeIndex)}))`);
  });
  module.globals.forEach((g, i) => {
    const index = module.importedGlobals + i;
    out.push(`  (global ${id(names.globals.get(index), index)} ${globalType(g.type)} ${constExpr(module, g.init)})`);
  });
  for (const e of module.exports) {
    const map = { func: names.functions, table: names.tables, memory: names.memories, global: names.globals, tag: names.tags }[e.kind];
    out.push(`  (export ${str(e.name)} (${e.kind} ${ref(map, e.index)}))`);
  }
  if (module.start !== undefined) out.push(`  (start ${ref(names.functions, module.start)})`);
  module.elems.forEach((e, i) => {
    const mode = e.mode.kind === 'active' ? ` (table ${e.mode.table}) (offset ${constExpr(module, e.mode.offset)})` : e.mode.kind === 'declarative' ? ' declare' : '';
    const items = e.funcIndices
      ? ` func ${(e.init as number[]).map((f) => ref(names.functions, f)).join(' ')}`
      : ` ${vt(e.type)} ${(e.init as { start: number; end: number }[]).map((x) => `(item ${constExpr(module, x)})`).join(' ')}`;
    out.push(`  (elem ${id(names.elems.get(i), i)}${mode}${items.trimEnd()})`);
  });
  module.datas.forEach((d, i) => {
    const mode = d.mode.kind === 'active' ? ` (memory ${d.mode.memory}) (offset ${constExpr(module, d.mode.offset)})` : '';
    out.push(`  (data ${id(names.datas.get(i), i)}${mode} ${bytesText(module.bytes.subarray(d.start, d.end))})`);
  });
  out[out.length - 1] += ')';
  return `${out.join('\n')}\n`;
}
