// One-line WAT-style descriptions of a module's types and definitions, shared by the disassembler,
// `wasmscope inspect` and the module tree view so all three say the same thing.
import {
  valTypeName, type FuncType, type GlobalType, type ImportDesc, type Limits, type MemoryType, type Module, type TableType,
} from '../binary';
import { formatType, type FieldType, type RecGroup } from '../types';

export function funcTypeText(type: FuncType | undefined): string {
  if (!type) return '(type ?)';
  const parts: string[] = [];
  if (type.params.length) parts.push(`(param ${type.params.map(valTypeName).join(' ')})`);
  if (type.results.length) parts.push(`(result ${type.results.map(valTypeName).join(' ')})`);
  return parts.join(' ');
}

/** `i64 1 10` for a memory64/table64, `1 10` otherwise (the text format's address type, then limits). */
export function limitsText(limits: Limits): string {
  const at = limits.i64 ? 'i64 ' : '';
  return limits.max === undefined ? `${at}${limits.min}` : `${at}${limits.min} ${limits.max}`;
}

export function tableTypeText(type: TableType): string {
  return `${limitsText(type.limits)} ${valTypeName(type.elemType)}`;
}

/** `1 2`, `1 2 shared` (threads). */
export function memoryTypeText(type: MemoryType): string {
  return type.limits.shared ? `${limitsText(type.limits)} shared` : limitsText(type.limits);
}

export function globalTypeText(type: GlobalType): string {
  return type.mutable ? `(mut ${valTypeName(type.type)})` : valTypeName(type.type);
}

/** The signature of a function by index in the function index space (imports first). */
export function funcSignature(module: Module, funcIndex: number): string {
  const typeIndex = funcTypeIndex(module, funcIndex);
  return typeIndex === undefined ? '' : funcTypeText(module.types[typeIndex]);
}

export function funcTypeIndex(module: Module, funcIndex: number): number | undefined {
  if (funcIndex < module.importedFuncs) {
    let seen = 0;
    for (const imp of module.imports) {
      if (imp.desc.kind !== 'func') continue;
      if (seen++ === funcIndex) return imp.desc.typeIndex;
    }
    return undefined;
  }
  return module.funcs[funcIndex - module.importedFuncs]?.typeIndex;
}

export function importDescText(module: Module, desc: ImportDesc): string {
  switch (desc.kind) {
    case 'func': return funcTypeText(module.types[desc.typeIndex]);
    case 'table': return tableTypeText(desc.type);
    case 'memory': return memoryTypeText(desc.type);
    case 'global': return globalTypeText(desc.type);
    case 'tag': return funcTypeText(module.types[desc.typeIndex]);
  }
}

/** The signature of whatever an export refers to. */
export function exportTargetText(module: Module, kind: 'func' | 'table' | 'memory' | 'global' | 'tag', index: number): string {
  switch (kind) {
    case 'func': return funcSignature(module, index);
    case 'table': {
      const own = module.tables[index - module.importedTables];
      if (own) return tableTypeText(own);
      const imp = nthImport(module, 'table', index);
      return imp?.desc.kind === 'table' ? tableTypeText(imp.desc.type) : '';
    }
    case 'memory': {
      const own = module.memories[index - module.importedMemories];
      if (own) return memoryTypeText(own);
      const imp = nthImport(module, 'memory', index);
      return imp?.desc.kind === 'memory' ? memoryTypeText(imp.desc.type) : '';
    }
    case 'global': {
      const own = module.globals[index - module.importedGlobals];
      if (own) return globalTypeText(own.type);
      const imp = nthImport(module, 'global', index);
      return imp?.desc.kind === 'global' ? globalTypeText(imp.desc.type) : '';
    }
    case 'tag': {
      const own = module.tags[index - module.importedTags];
      if (own) return funcTypeText(module.types[own.typeIndex]);
      const imp = nthImport(module, 'tag', index);
      return imp?.desc.kind === 'tag' ? funcTypeText(module.types[imp.desc.typeIndex]) : '';
    }
  }
}

function nthImport(module: Module, kind: ImportDesc['kind'], n: number) {
  let seen = 0;
  for (const imp of module.imports) {
    if (imp.desc.kind === kind && seen++ === n) return imp;
  }
  return undefined;
}

/** `$name` from the name section, or undefined. Names with spaces or quotes use the `$"..."` form. */
export function idText(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  return /^[0-9A-Za-z!#$%&'*+\-./:<=>?@\\^_`|~]+$/.test(name) ? `$${name}` : `$${JSON.stringify(name)}`;
}

/** A type-section entry as WAT, types by name where the name section has them: `(func ...)`,
 * `(struct (field (mut i32)) ...)`, `(array i8)`, in `(sub final? $super ...)` when it is not a plain final type. */
export function subTypeText(module: Module, index: number): string {
  const s = module.subTypes?.[index];
  if (!s) return `(func ${funcTypeText(module.types[index])})`.replace('(func )', '(func)');
  const name = (i: number): string | undefined => idText(module.names.types.get(i));
  const vt = (t: number): string => formatType(t, name);
  const field = (f: FieldType): string => (f.mutable ? `(mut ${vt(f.type)})` : vt(f.type));
  const fieldNames = module.names.fields.get(index);
  const fieldId = (k: number): string => {
    const id = idText(fieldNames?.get(k));
    return id === undefined ? '' : `${id} `;
  };
  const c = s.comp;
  let comp: string;
  if (c.kind === 'struct') comp = c.fields.length === 0 ? '(struct)' : `(struct ${c.fields.map((f, k) => `(field ${fieldId(k)}${field(f)})`).join(' ')})`;
  else if (c.kind === 'array') comp = `(array ${field(c.field)})`;
  else {
    const parts: string[] = [];
    if (c.params.length) parts.push(`(param ${c.params.map(vt).join(' ')})`);
    if (c.results.length) parts.push(`(result ${c.results.map(vt).join(' ')})`);
    comp = parts.length ? `(func ${parts.join(' ')})` : '(func)';
  }
  if (s.final && s.supers.length === 0) return comp;
  return `(sub${s.final ? ' final' : ''}${s.supers.map((j) => ` ${name(j) ?? j}`).join('')} ${comp})`;
}

/** The rec group holding type `index` when it has more than one type. */
export function recGroupOf(module: Module, index: number): RecGroup | undefined {
  return module.recGroups?.find((g) => g.size > 1 && g.start <= index && index < g.start + g.size);
}
