// One-line WAT descriptions of definitions, shared by hover, completion, outline, signature help and the module tree.
import type { FieldDef, FuncType, SymbolDef, TextModule, TypeField } from '../core/text/index';

/** `(param i32 i32) (result i32)`, with parameter names when known: `(param $a i32) (param $b i32) (result i32)`. */
export function funcTypeText(type: FuncType, paramNames: readonly (string | undefined)[] = []): string {
  const parts: string[] = [];
  if (paramNames.some((n) => n !== undefined)) {
    type.params.forEach((p, i) => parts.push(paramNames[i] ? `(param ${paramNames[i]} ${p})` : `(param ${p})`));
  } else if (type.params.length > 0) parts.push(`(param ${type.params.join(' ')})`);
  if (type.results.length > 0) parts.push(`(result ${type.results.join(' ')})`);
  return parts.join(' ');
}

/** Parameter names of a function, by position (from its own `(param $x ...)` or its type's). */
export function paramNamesOf(module: TextModule, funcIndex: number): (string | undefined)[] {
  const f = module.funcs[funcIndex];
  if (!f) return [];
  const own = f.params.map((p) => p.def.name);
  if (own.some((n) => n !== undefined)) return own;
  return module.types[f.typeIndex]?.paramNames ?? [];
}

/** `1 16`, or `i64 1 16` for a 64-bit memory or table (the address type comes first in the text). */
function limitsText(l: { min: number; max: number | undefined; i64?: boolean }): string {
  const at = l.i64 ? 'i64 ' : '';
  return l.max === undefined ? `${at}${l.min}` : `${at}${l.min} ${l.max}`;
}

/** The signature part of a definition, without its keyword and name. */
export function signatureOf(module: TextModule, def: SymbolDef): string {
  switch (def.kind) {
    case 'func': {
      const f = module.funcs[def.index];
      return f ? funcTypeText(f.type, paramNamesOf(module, def.index)) : def.funcType ? funcTypeText(def.funcType) : '';
    }
    case 'type': {
      const t = module.types[def.index];
      return t ? compositeText(module, t) : '';
    }
    case 'field': {
      const t = def.ownerType === undefined ? undefined : module.types[def.ownerType];
      const f = t?.gc?.fields[def.index];
      return f ? storageText(module, f) : '';
    }
    case 'global':
      return def.mutable ? `(mut ${def.valType ?? '?'})` : (def.valType ?? '');
    case 'param':
    case 'local':
      return def.valType ?? '';
    case 'table': {
      const t = module.tables[def.index];
      return t ? `${limitsText(t.limits)} ${t.refType}` : '';
    }
    case 'memory': {
      const m = module.memories[def.index];
      return m ? `${limitsText(m.limits)}${m.limits.shared ? ' shared' : ''}` : '';
    }
    case 'data': {
      const d = module.datas[def.index];
      return d ? `${d.mode}${d.mode === 'active' ? ` memory ${d.memoryIndex}` : ''}, ${d.bytes.length} bytes` : '';
    }
    case 'elem': {
      const e = module.elems[def.index];
      return e ? `${e.mode} ${e.refType}, ${e.items.length} element${e.items.length === 1 ? '' : 's'}` : '';
    }
    case 'tag': {
      const t = module.tags[def.index];
      return t ? funcTypeText(t.type) : '';
    }
    case 'label':
      return labelBlockText(module, def);
  }
}

/** `block (result i32)` for the block a label names. */
function labelBlockText(module: TextModule, def: SymbolDef): string {
  const f = def.funcIndex === undefined ? undefined : module.funcs[def.funcIndex];
  const instr = f?.body.find((i) => i.label === def);
  if (!instr) return '';
  const bt = instr.blockType;
  if (!bt || bt.kind === 'empty') return instr.op;
  if (bt.kind === 'value') return `${instr.op} (result ${bt.type})`;
  const t = module.types[bt.index];
  return t ? `${instr.op} ${funcTypeText(t.type)}`.trimEnd() : instr.op;
}

/** A value or storage type with type indices shown by name: `(ref null 2)` → `(ref null $node)`. */
export function typeText(module: TextModule, t: string): string {
  return t.replace(/\(ref (null )?(\d+)\)/g, (whole, nul: string | undefined, i: string) => {
    const name = module.types[Number(i)]?.def.name;
    return name ? `(ref ${nul ?? ''}${name})` : whole;
  });
}

/** `(mut i8)`, `f64`. */
export function storageText(module: TextModule, f: FieldDef): string {
  const t = typeText(module, f.type);
  return f.mutable ? `(mut ${t})` : t;
}

/** A type's name, or its index when unnamed. */
export function typeName(module: TextModule, index: number): string {
  return module.types[index]?.def.name ?? String(index);
}

/** `(struct (field $x f64) ...)`, `(array (mut i8))`, `(func ...)`, wrapped in `(sub final? $super ...)` when it has a sub clause. */
export function compositeText(module: TextModule, t: TypeField, multiline = false): string {
  const gc = t.gc;
  let comp: string;
  if (gc?.kind === 'struct') {
    const fields = gc.fields.map((f) => `(field${f.name ? ` ${f.name}` : ''} ${storageText(module, f)})`);
    comp = fields.length === 0 ? '(struct)' : multiline ? `(struct\n${fields.map((f) => `    ${f}`).join('\n')})` : `(struct ${fields.join(' ')})`;
  } else if (gc?.kind === 'array') {
    const f = gc.fields[0];
    comp = `(array ${f ? storageText(module, f) : '?'})`;
  } else {
    const sig = funcTypeText({ params: t.type.params.map((p) => typeText(module, p)) as FuncType['params'], results: t.type.results.map((r) => typeText(module, r)) as FuncType['results'] }, t.paramNames);
    comp = `(func${sig ? ` ${sig}` : ''})`;
  }
  if (!gc || (gc.final && gc.supers.length === 0)) return comp;
  const supers = gc.supers.map((s) => (/^\d+$/.test(s) ? typeName(module, Number(s)) : s));
  return `(sub${gc.final ? ' final' : ''}${supers.map((s) => ` ${s}`).join('')} ${comp})`;
}

/** The other members of a type's rec group, in order (itself included); undefined outside any. */
export function recGroupOf(module: TextModule, t: TypeField): TypeField[] | undefined {
  const rec = t.gc?.rec ?? -1;
  return rec < 0 ? undefined : module.types.filter((x) => x.gc?.rec === rec);
}

/** `(func $f (param $x i32) (result i32))`, `(local $i i32)`, `(global $g (mut i32))`, `label $loop: loop`. */
export function describeDef(module: TextModule, def: SymbolDef): string {
  const name = def.name ?? String(def.index);
  const sig = signatureOf(module, def);
  if (def.kind === 'label') return `label ${name}${sig ? `: ${sig}` : ''}`;
  if (def.kind === 'field') {
    const owner = def.ownerType === undefined ? '?' : typeName(module, def.ownerType);
    return `(field ${def.name ?? def.index} ${sig}) ;; field ${def.index} of ${owner}`;
  }
  const named = def.name !== undefined ? ` ${def.name}` : '';
  const head = def.kind === 'type' ? `(type${named} ${sig})` : `(${def.kind}${named}${sig ? ` ${sig}` : ''})`;
  return def.name === undefined && def.kind !== 'type' ? `${head.slice(0, -1)}) ;; index ${def.index}` : head;
}
