// The text-format view of the instruction table: mnemonic → opcode bytes and immediate shape (Wasm
// 2.0, SIMD included; exception handling). The assembler encodes from it; the language server lists and describes from it.
import { Imm, PREFIX_FB, PREFIX_FC, PREFIX_FD, PREFIX_FE, allOps, type OpInfo } from '../binary';

export type ImmKind =
  | 'none'
  | 'block' // block, loop, if: label? blocktype
  | 'label' // br, br_if
  | 'br_table'
  | 'func' // call, ref.func
  | 'call_indirect' // table? typeuse
  | 'local'
  | 'global'
  | 'table' // table.get/set/size/grow/fill: table? (default 0)
  | 'table.init' // table? elem
  | 'table.copy' // (table table)?
  | 'elem' // elem.drop
  | 'data' // data.drop
  | 'memory' // memory.size/grow/fill: memory? (encoded as a 0x00 byte)
  | 'memory.init' // memory? data
  | 'memory.copy' // (memory memory)?
  | 'memarg'
  | 'i32'
  | 'i64'
  | 'f32'
  | 'f64'
  | 'v128'
  | 'shuffle'
  | 'lane'
  | 'memarg_lane'
  | 'select'
  | 'heaptype'
  | 'typeidx' // call_ref, struct.new, array.new, array.get...: a type index
  | 'typefield' // struct.get/set: type index, field index or name
  | 'type_count' // array.new_fixed: type index, element count
  | 'type_data' // array.new_data, array.init_data: type index, data index
  | 'type_elem' // array.new_elem, array.init_elem: type index, elem index
  | 'type_type' // array.copy: destination and source type indices
  | 'reftype' // ref.test, ref.cast: a reference type (the opcode depends on its nullability)
  | 'br_on_cast' // br_on_cast(_fail): label, source and target reference types
  | 'else' // else / end: optional label repeating the block's
  | 'end'
  | 'tag' // throw: a tag index
  | 'try_table' // label? blocktype catch-clause*
  | 'catch' // legacy catch: a tag; continues a try like else
  | 'catch_all' // legacy catch_all: continues a try like else
  | 'delegate' // legacy delegate: a label; closes a try like end
  | 'zero'; // atomic.fence: no text immediate, a reserved 0x00 byte in the binary

export interface InstrInfo {
  readonly name: string;
  /** Encoded opcode: a single byte, or a prefix byte (0xFC / 0xFD / 0xFE) followed by a LEB128 u32. */
  readonly code: number;
  readonly prefix: 0 | 0xfb | 0xfc | 0xfd | 0xfe;
  readonly imm: ImmKind;
  /** Natural alignment in bytes for memory instructions. */
  readonly align?: number;
  /** Number of lanes for lane instructions. */
  readonly lanes?: number;
}

// Derived from the binary layer's opcode table (core/binary/opcodes.ts), the one list of opcodes
// shared by the decoder, the validator, the disassembler and this assembler.
const table = new Map<string, InstrInfo>();

function immKind(op: OpInfo): ImmKind | undefined {
  switch (op.imm) {
    case Imm.None:
      return op.name === 'else' ? 'else' : op.name === 'end' ? 'end' : op.name === 'select' ? 'select' : op.name === 'catch_all' ? 'catch_all' : 'none';
    case Imm.Block: return 'block';
    case Imm.Label: return op.name === 'delegate' ? 'delegate' : 'label';
    case Imm.Tag: return op.name === 'catch' ? 'catch' : 'tag';
    case Imm.TryTable: return 'try_table';
    case Imm.BrTable: return 'br_table';
    case Imm.Func: return 'func';
    case Imm.CallIndirect: return 'call_indirect';
    case Imm.Local: return 'local';
    case Imm.Global: return 'global';
    case Imm.Table: return 'table';
    case Imm.MemArg: return 'memarg';
    case Imm.MemZero: return 'memory';
    case Imm.I32: return 'i32';
    case Imm.I64: return 'i64';
    case Imm.F32: return 'f32';
    case Imm.F64: return 'f64';
    case Imm.SelectT: return undefined; // `select (result t)` is the text form of 0x1c; the name maps to 0x1b
    case Imm.RefType: return 'heaptype';
    case Imm.TableInit: return 'table.init';
    case Imm.TableCopy: return 'table.copy';
    case Imm.MemoryInit: return 'memory.init';
    case Imm.Data: return 'data';
    case Imm.MemoryCopy: return 'memory.copy';
    case Imm.Elem: return 'elem';
    case Imm.MemArgLane: return 'memarg_lane';
    case Imm.Shuffle: return 'shuffle';
    case Imm.Lane: return 'lane';
    case Imm.V128: return 'v128';
    case Imm.TypeIdx: return 'typeidx';
    case Imm.HeapType: return 'reftype';
    case Imm.LabelHeapTypes: return 'br_on_cast';
    case Imm.TypeField:
      if (op.name.startsWith('struct.')) return 'typefield';
      if (op.name === 'array.new_fixed') return 'type_count';
      if (op.name === 'array.copy') return 'type_type';
      return op.name.endsWith('_data') ? 'type_data' : 'type_elem';
    case Imm.Zero: return 'zero';
  }
  return undefined;
}

/** Lane count of a lane instruction: from its shape (`i16x8.…`) or its access width (`v128.load16_lane`). */
function laneCount(name: string): number | undefined {
  const shape = /^[if](8x16|16x8|32x4|64x2)\./.exec(name);
  if (shape) return Number(shape[1]?.split('x')[1]);
  const width = /^v128\.(?:load|store)(8|16|32|64)_lane$/.exec(name);
  return width ? 128 / Number(width[1]) : undefined;
}

for (const op of allOps) {
  const imm = immKind(op);
  if (imm === undefined || table.has(op.name)) continue;
  const prefix = op.code >> 16;
  const info: InstrInfo = {
    name: op.name,
    code: prefix === 0 ? op.code : op.code & 0xffff,
    prefix: prefix === PREFIX_FC ? 0xfc : prefix === PREFIX_FD ? 0xfd : prefix === PREFIX_FE ? 0xfe : prefix === PREFIX_FB ? 0xfb : 0,
    imm,
    ...(op.align !== undefined ? { align: 1 << op.align } : {}),
    ...(imm === 'lane' || imm === 'memarg_lane' ? { lanes: laneCount(op.name) } : {}),
  };
  table.set(op.name, info);
}

/** The instruction named `name`, or undefined when the text format has no such instruction. */
export function instrInfo(name: string): InstrInfo | undefined {
  return table.get(name);
}

/** Every instruction, in table order (for completion lists). */
export function allInstructions(): readonly InstrInfo[] {
  return [...table.values()];
}
