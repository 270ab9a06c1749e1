// The `name` custom section (with the extended-name subsections: labels, types, tables, memories,
// globals, elems, datas, fields, tags) into maps the debugger and disassembler show.
import type { ByteReader } from './leb128';
import type { IndirectNameMap, NameMap, Names } from './module';

export function emptyNames(): Names {
  return {
    functions: new Map(), locals: new Map(), labels: new Map(), types: new Map(), tables: new Map(),
    memories: new Map(), globals: new Map(), elems: new Map(), datas: new Map(), fields: new Map(), tags: new Map(),
  };
}

export function decodeNames(r: ByteReader): Names {
  const names = emptyNames();
  while (!r.atEnd) {
    const id = r.u8();
    const size = r.u32();
    const end = r.pos + size;
    const saveEnd = r.end;
    r.end = end;
    switch (id) {
      case 0: names.module = r.name(); break;
      case 1: names.functions = nameMap(r); break;
      case 2: names.locals = indirectNameMap(r); break;
      case 3: names.labels = indirectNameMap(r); break;
      case 4: names.types = nameMap(r); break;
      case 5: names.tables = nameMap(r); break;
      case 6: names.memories = nameMap(r); break;
      case 7: names.globals = nameMap(r); break;
      case 8: names.elems = nameMap(r); break;
      case 9: names.datas = nameMap(r); break;
      case 10: names.fields = indirectNameMap(r); break;
      case 11: names.tags = nameMap(r); break;
      default: break;
    }
    r.end = saveEnd;
    r.pos = end;
  }
  return names;
}

function nameMap(r: ByteReader): NameMap {
  const map: NameMap = new Map();
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const idx = r.u32();
    map.set(idx, r.name());
  }
  return map;
}

function indirectNameMap(r: ByteReader): IndirectNameMap {
  const map: IndirectNameMap = new Map();
  const n = r.u32();
  for (let i = 0; i < n; i++) {
    const idx = r.u32();
    map.set(idx, nameMap(r));
  }
  return map;
}
