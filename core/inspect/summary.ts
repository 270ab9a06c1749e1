// A module's summary for `wasmscope inspect`: sections with sizes, imports, exports and counts.
import type { Module } from '../binary';
import { exportTargetText, idText, importDescText } from './describe';
import { listSections, type SectionInfo } from './sections';

export interface ModuleSummary {
  size: number;
  name?: string;
  sections: SectionInfo[];
  imports: { module: string; name: string; kind: string; index: number; signature: string; id?: string }[];
  exports: { name: string; kind: string; index: number; signature: string; id?: string }[];
  counts: { types: number; funcs: number; tables: number; memories: number; globals: number; elems: number; datas: number };
  start?: number;
}

export function summarizeModule(module: Module): ModuleSummary {
  const counters = { func: 0, table: 0, memory: 0, global: 0, tag: 0 };
  const nameMaps = { func: module.names.functions, table: module.names.tables, memory: module.names.memories, global: module.names.globals, tag: module.names.tags };
  return {
    size: module.bytes.length,
    ...(module.names.module !== undefined ? { name: module.names.module } : {}),
    sections: listSections(module.bytes),
    imports: module.imports.map((imp) => {
      const index = counters[imp.desc.kind]++;
      const id = idText(nameMaps[imp.desc.kind].get(index));
      return { module: imp.module, name: imp.name, kind: imp.desc.kind, index, signature: importDescText(module, imp.desc), ...(id ? { id } : {}) };
    }),
    exports: module.exports.map((e) => {
      const id = idText(nameMaps[e.kind].get(e.index));
      return { name: e.name, kind: e.kind, index: e.index, signature: exportTargetText(module, e.kind, e.index), ...(id ? { id } : {}) };
    }),
    counts: {
      types: module.types.length,
      funcs: module.importedFuncs + module.funcs.length,
      tables: module.importedTables + module.tables.length,
      memories: module.importedMemories + module.memories.length,
      globals: module.importedGlobals + module.globals.length,
      elems: module.elems.length,
      datas: module.datas.length,
    },
    ...(module.start !== undefined ? { start: module.start } : {}),
  };
}

/** The summary as the CLI prints it. */
export function formatSummary(s: ModuleSummary): string {
  const out: string[] = [];
  out.push(`module${s.name !== undefined ? ` ${idText(s.name)}` : ''}: ${s.size} bytes`);
  out.push('', 'sections:');
  for (const sec of s.sections) {
    out.push(`  ${(sec.custom ? `custom "${sec.name}"` : sec.name).padEnd(24)} ${String(sec.size).padStart(9)} bytes  at 0x${sec.start.toString(16)}`);
  }
  out.push('', `imports (${s.imports.length}):`);
  for (const i of s.imports) out.push(`  ${JSON.stringify(i.module)} ${JSON.stringify(i.name)}  ${i.kind} ${i.id ?? i.index}  ${i.signature}`.trimEnd());
  out.push('', `exports (${s.exports.length}):`);
  for (const e of s.exports) out.push(`  ${JSON.stringify(e.name)}  ${e.kind} ${e.id ?? e.index}  ${e.signature}`.trimEnd());
  const c = s.counts;
  out.push('', `types ${c.types}, functions ${c.funcs}, tables ${c.tables}, memories ${c.memories}, globals ${c.globals}, element segments ${c.elems}, data segments ${c.datas}`);
  if (s.start !== undefined) out.push(`start function: ${s.start}`);
  return `${out.join('\n')}\n`;
}
