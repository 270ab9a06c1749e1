// Renders the instruction an `InstrReader` just read as WAT text, with names from the name section.
import { Imm, valTypeName, type InstrReader, type Module } from '../binary';
import { idText } from './describe';
import { formatHeapType, formatType } from '../types';

/** Names a function body's instructions refer to, looked up once per function. */
export interface NameScope {
  module: Module;
  funcIndex: number;
}

function named(map: Map<number, string> | undefined, index: number): string {
  return idText(map?.get(index)) ?? String(index);
}

export function blockTypeText(blockType: number, typeNames?: Map<number, string>): string {
  if (blockType === -64) return '';
  if (blockType < 0) return ` (result ${valTypeName(blockType & 0x7f)})`;
  return ` (type ${named(typeNames, blockType)})`;
}

export function f32Text(bits: number): string {
  const exp = (bits >>> 23) & 0xff;
  const frac = bits & 0x7fffff;
  const sign = bits >>> 31 ? '-' : '';
  if (exp === 0xff) return frac === 0 ? `${sign}inf` : frac === 0x400000 ? `${sign}nan` : `${sign}nan:0x${frac.toString(16)}`;
  const f = new Float32Array(new Uint32Array([bits >>> 0]).buffer)[0]!;
  if (f === 0) return `${sign}0`;
  // Shortest decimal that reads back to the same f32, instead of the f64 expansion.
  for (let p = 1; p <= 9; p++) {
    const s = f.toPrecision(p);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

export function f64Text(lo: number, hi: number): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, lo >>> 0, true);
  view.setUint32(4, hi >>> 0, true);
  const exp = (hi >>> 20) & 0x7ff;
  const sign = hi >>> 31 ? '-' : '';
  if (exp === 0x7ff) {
    const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo >>> 0);
    return frac === 0n ? `${sign}inf` : frac === 1n << 51n ? `${sign}nan` : `${sign}nan:0x${frac.toString(16)}`;
  }
  const f = view.getFloat64(0, true);
  return f === 0 ? `${sign}0` : String(f);
}

export function i64Text(lo: number, hi: number): string {
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString();
}

/** ` $mem` for a memory other than memory 0 (multi-memory), else nothing. */
function memText(index: number, scope: NameScope): string {
  return index === 0 ? '' : ` ${named(scope.module.names.memories, index)}`;
}

/** A memarg: the memory (when not 0), then `offset=` as a u64 (memory64) and `align=`. */
function memArgText(ins: InstrReader, scope: NameScope): string {
  const parts: string[] = [];
  if (ins.b !== 0 || ins.offHi !== 0) parts.push(`offset=${ins.offHi === 0 ? ins.b >>> 0 : ((BigInt(ins.offHi >>> 0) << 32n) | BigInt(ins.b >>> 0)).toString()}`);
  if (ins.info?.align !== undefined && ins.a !== ins.info.align) parts.push(`align=${2 ** ins.a}`);
  return memText(ins.mem, scope) + (parts.length ? ` ${parts.join(' ')}` : '');
}

function bytesText(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
}

const CATCH_NAMES = ['catch', 'catch_ref', 'catch_all', 'catch_all_ref'];

/** try_table's clauses: ` (catch $e 0) (catch_all_ref 1)`. */
function catchClausesText(ins: InstrReader, scope: NameScope): string {
  let out = '';
  const l = ins.list;
  for (let i = 0; i < l.length; i += 3) {
    const kind = l[i]!;
    const tag = kind < 2 ? ` ${named(scope.module.names.tags, l[i + 1]!)}` : '';
    out += ` (${CATCH_NAMES[kind] ?? 'catch'}${tag} ${l[i + 2]!})`;
  }
  return out;
}

/** A heap type immediate: an abstract type's name, or a concrete type by its name section name. */
function heapText(h: number, scope: NameScope): string {
  return formatHeapType(h, (i) => idText(scope.module.names.types.get(i)));
}

/** The second index of a two-index GC instruction: a field, a count, a data or elem segment, or the source type. */
function typeFieldSecond(name: string, ins: InstrReader, scope: NameScope): string {
  const names = scope.module.names;
  if (name === 'array.new_fixed') return String(ins.b);
  if (name === 'array.new_data' || name === 'array.init_data') return named(names.datas, ins.b);
  if (name === 'array.new_elem' || name === 'array.init_elem') return named(names.elems, ins.b);
  if (name === 'array.copy') return named(names.types, ins.b);
  // struct.get/get_s/get_u/set: the field by its name (name subsection 10), e.g. `struct.get $point $x`.
  if (name.startsWith('struct.')) return named(names.fields.get(ins.a), ins.b);
  return String(ins.b);
}

/** The instruction's text: name and immediates, e.g. `call $fd_write`, `i32.load offset=8`. */
export function instructionText(ins: InstrReader, scope: NameScope): string {
  const info = ins.info;
  if (!info) return '<unknown>';
  const names = scope.module.names;
  const name = info.name;
  switch (info.imm) {
    case Imm.None: return name;
    case Imm.MemZero: return name + memText(ins.a, scope);
    case Imm.MemoryCopy: return ins.a === 0 && ins.b === 0 ? name : `${name} ${named(names.memories, ins.a)} ${named(names.memories, ins.b)}`;
    case Imm.Block: return name + blockTypeText(ins.a, names.types);
    case Imm.Label: return `${name} ${ins.a}`;
    case Imm.BrTable: return `${name} ${ins.list.join(' ')}`;
    case Imm.Func: return `${name} ${named(names.functions, ins.a)}`;
    case Imm.CallIndirect: return `${name}${ins.b !== 0 ? ` ${named(names.tables, ins.b)}` : ''} (type ${named(names.types, ins.a)})`;
    case Imm.Local: return `${name} ${named(names.locals.get(scope.funcIndex), ins.a)}`;
    case Imm.Global: return `${name} ${named(names.globals, ins.a)}`;
    case Imm.Table: return `${name} ${named(names.tables, ins.a)}`;
    case Imm.MemArg: return name + memArgText(ins, scope);
    case Imm.I32: return `${name} ${ins.a | 0}`;
    case Imm.I64: return `${name} ${i64Text(ins.lo, ins.hi)}`;
    case Imm.F32: return `${name} ${f32Text(ins.a)}`;
    case Imm.F64: return `${name} ${f64Text(ins.lo, ins.hi)}`;
    case Imm.SelectT: return `${name} (result ${ins.list.map(valTypeName).join(' ')})`;
    case Imm.RefType: return `${name} ${heapText(ins.a, scope)}`;
    case Imm.TypeIdx: return `${name} ${named(names.types, ins.a)}`;
    case Imm.TypeField: return `${name} ${named(names.types, ins.a)} ${typeFieldSecond(name, ins, scope)}`;
    case Imm.HeapType: {
      // ref.test / ref.cast: sub-opcodes 21 and 23 are the nullable forms.
      const nullable = (ins.op & 0xffff) === 21 || (ins.op & 0xffff) === 23;
      return `${name} (ref ${nullable ? 'null ' : ''}${heapText(ins.a, scope)})`;
    }
    case Imm.LabelHeapTypes: return `${name} ${ins.a} ${formatType(ins.lo, (i) => idText(names.types.get(i)))} ${formatType(ins.hi, (i) => idText(names.types.get(i)))}`;
    case Imm.Tag: return `${name} ${named(names.tags, ins.a)}`;
    case Imm.TryTable: return name + blockTypeText(ins.a, names.types) + catchClausesText(ins, scope);
    case Imm.TableInit: return `${name}${ins.b !== 0 ? ` ${named(names.tables, ins.b)}` : ''} ${named(names.elems, ins.a)}`;
    case Imm.TableCopy: return ins.a === 0 && ins.b === 0 ? name : `${name} ${named(names.tables, ins.a)} ${named(names.tables, ins.b)}`;
    case Imm.MemoryInit: return `${name}${memText(ins.b, scope)} ${named(names.datas, ins.a)}`;
    case Imm.Data: return `${name} ${named(names.datas, ins.a)}`;
    case Imm.Elem: return `${name} ${named(names.elems, ins.a)}`;
    case Imm.MemArgLane: return `${name}${memArgText(ins, scope)} ${ins.lo}`;
    case Imm.Lane: return `${name} ${ins.a}`;
    case Imm.Shuffle: return `${name} ${Array.from(ins.bytes16).join(' ')}`;
    case Imm.V128: return `${name} i8x16 ${bytesText(ins.bytes16)}`;
    default: return name;
  }
}
