// Reads one instruction at a time from a function body or constant expression into reusable
// fields (no allocation per instruction). Used by the decoder's structural check, the
// validator/compiler and disassemblers.
import { DecodeError } from '../errors';
import { ENGINE_DEFAULT_FEATURES, type FeatureName } from '../features';
import type { ByteReader } from './leb128';
import { concreteHeap, isAbstractCode, refOf } from '../types';
import { Imm, opInfo, PREFIX_FB, PREFIX_FC, PREFIX_FD, PREFIX_FE, type OpInfo } from './opcodes';

export class InstrReader {
  /** Opcode key (see opcodes.ts) and its info. */
  op = 0;
  info: OpInfo | undefined;
  /** Byte offset of the instruction's first byte. */
  start = 0;
  /** First and second immediate (indices, block type, align/offset, f32 bits, lane). For a memarg,
   * `a` is the alignment exponent and `b` the offset's low 32 bits (unsigned). Memory indices of
   * memory.size/grow/fill are in `a`, of memory.init in `b`, of memory.copy in `a` (dst) and `b` (src). */
  a = 0;
  b = 0;
  /** A memarg's memory index (multi-memory; 0 otherwise) and its offset's high 32 bits (memory64). */
  mem = 0;
  offHi = 0;
  /** i64 value or f64 bits as two 32-bit halves. */
  lo = 0;
  hi = 0;
  /** br_table targets (the default last) or select's type vector. */
  readonly list: number[] = [];
  /** 16 immediate bytes of v128.const / i8x16.shuffle. */
  readonly bytes16 = new Uint8Array(16);
  private readonly pair = new Int32Array(2);

  /** `features` decides how the bytes read where a later proposal changed the encoding: with
   * multiMemory off, a memarg's bit 6 is part of the alignment and memory indices must be 0x00. */
  constructor(readonly r: ByteReader, readonly features: Readonly<Record<FeatureName, boolean>> = ENGINE_DEFAULT_FEATURES) {}

  /** A memarg: flags (bit 6: a memory index follows), then the offset as a u64. */
  private memArg(): void {
    const r = this.r;
    const at = r.pos;
    let flags = r.u32();
    this.mem = 0;
    if (this.features.multiMemory) {
      if (flags >= 128) r.fail('malformed memop flags', at);
      if (flags >= 64) {
        flags -= 64;
        this.mem = r.u32();
      }
    }
    this.a = flags;
    if (this.features.memory64) {
      r.u64(this.pair);
      this.b = this.pair[0]! >>> 0;
      this.offHi = this.pair[1]! >>> 0;
    } else {
      this.b = r.u32();
      this.offHi = 0;
    }
  }

  /** A memory index where Wasm 2.0 had a reserved 0x00 byte. */
  private memIndex(): number {
    const r = this.r;
    if (this.features.multiMemory) return r.u32();
    if (r.u8() !== 0) r.fail('zero byte expected', r.pos - 1);
    return 0;
  }

  get pos(): number {
    return this.r.pos;
  }

  /** Block type in `a`: -64 empty, -1..-63 a one-byte value type (`a & 0x7f`), >= 0 a type index,
   * <= BLOCK_REF a `(ref null? ht)` result: the value type is BLOCK_REF - a. */
  private readBlockType(): void {
    const r = this.r;
    const at = r.pos;
    const b = at < r.end ? r.bytes[at] : undefined;
    if (b === 0x63 || b === 0x64) {
      this.a = BLOCK_REF - valTypeAt(r);
      return;
    }
    this.a = r.s33();
    if (this.a < 0 && this.a !== -64) {
      const t = this.a & 0x7f;
      if (!isValTypeByte(t) || this.a < -64) r.fail('malformed value type', at);
    }
  }

  /** Reads the next instruction; DecodeError on an unknown opcode or malformed immediate. */
  read(): void {
    const r = this.r;
    this.start = r.pos;
    let op = r.u8();
    if (op === PREFIX_FC || op === PREFIX_FD || op === PREFIX_FE || op === PREFIX_FB) {
      const sub = r.u32();
      op = sub > 0xffff ? -1 : (op << 16) | sub;
    }
    const info = op < 0 ? undefined : opInfo(op);
    if (info === undefined) throw new DecodeError('illegal opcode', this.start);
    this.op = op;
    this.info = info;
    switch (info.imm) {
      case Imm.None:
        break;
      case Imm.Block:
        this.readBlockType();
        break;
      case Imm.Label: case Imm.Tag: case Imm.Func: case Imm.Local: case Imm.Global: case Imm.Table: case Imm.Data: case Imm.Elem:
        this.a = r.u32();
        break;
      case Imm.BrTable: {
        const n = r.u32();
        const list = this.list;
        list.length = 0;
        for (let i = 0; i <= n; i++) list.push(r.u32());
        break;
      }
      case Imm.CallIndirect:
        this.a = r.u32();
        this.b = r.u32();
        break;
      case Imm.MemArg:
        this.memArg();
        break;
      case Imm.MemZero:
        this.a = this.memIndex();
        break;
      case Imm.I32:
        this.a = r.s32();
        break;
      case Imm.I64:
        r.s64(this.pair);
        this.lo = this.pair[0]!;
        this.hi = this.pair[1]!;
        break;
      case Imm.F32:
        this.a = r.fixed32();
        break;
      case Imm.F64:
        this.lo = r.fixed32();
        this.hi = r.fixed32();
        break;
      case Imm.SelectT: {
        const n = r.u32();
        const list = this.list;
        list.length = 0;
        for (let i = 0; i < n; i++) list.push(valTypeAt(r));
        break;
      }
      case Imm.RefType:
        this.a = heapType(r);
        break;
      case Imm.HeapType:
        this.a = heapType(r);
        break;
      case Imm.TypeIdx:
        this.a = r.u32();
        break;
      case Imm.LabelHeapTypes: {
        // br_on_cast / br_on_cast_fail: flags (bit 0 source nullable, bit 1 target nullable), label, two heap types.
        const at = r.pos;
        const flags = r.u8();
        if (flags > 3) r.fail('malformed br_on_cast flags', at);
        this.a = r.u32();
        this.lo = refOf((flags & 1) !== 0, heapType(r));
        this.hi = refOf((flags & 2) !== 0, heapType(r));
        break;
      }
      case Imm.TypeField:
        this.a = r.u32();
        this.b = r.u32();
        break;
      case Imm.TableInit:
        this.a = r.u32();
        this.b = r.u32();
        break;
      case Imm.TableCopy:
        this.a = r.u32();
        this.b = r.u32();
        break;
      case Imm.MemoryInit:
        this.a = r.u32();
        this.b = this.memIndex();
        break;
      case Imm.MemoryCopy:
        this.a = this.memIndex();
        this.b = this.memIndex();
        break;
      case Imm.MemArgLane:
        this.memArg();
        this.lo = r.u8();
        break;
      case Imm.Lane:
        this.a = r.u8();
        break;
      case Imm.Zero:
        if (r.u8() !== 0) r.fail('zero byte expected', r.pos - 1);
        break;
      case Imm.Shuffle: case Imm.V128:
        this.bytes16.set(r.bytesOf(16));
        break;
      case Imm.TryTable: {
        this.readBlockType();
        const n = r.u32();
        const list = this.list;
        list.length = 0;
        for (let i = 0; i < n; i++) {
          const at = r.pos;
          const kind = r.u8();
          if (kind > 3) r.fail('malformed catch clause', at);
          const tag = kind < 2 ? r.u32() : -1;
          list.push(kind, tag, r.u32());
        }
        break;
      }
    }
  }
}

export function isValTypeByte(t: number): boolean {
  return (t >= 0x7b && t <= 0x7f) || isAbstractCode(t);
}

/** See InstrReader.readBlockType. */
export const BLOCK_REF = -0x1000;

/** A heap type immediate (s33): an abstract type's code, or CONCRETE + a type index. */
export function heapType(r: ByteReader): number {
  const at = r.pos;
  const b = at < r.end ? r.bytes[at] : undefined;
  if (b !== undefined && b >= 0x40 && b < 0x80) {
    r.pos++;
    if (!isAbstractCode(b)) r.fail('malformed heap type', at);
    return b;
  }
  const v = r.s33();
  if (v < 0) r.fail('malformed heap type', at);
  return concreteHeap(v);
}

/** A value type: a one-byte code, or 0x63/0x64 (`ref null ht` / `ref ht`) and a heap type. */
export function valTypeAt(r: ByteReader): number {
  const at = r.pos;
  const t = r.u8();
  if (t === 0x63 || t === 0x64) return refOf(t === 0x63, heapType(r));
  if (!isValTypeByte(t)) r.fail('malformed value type', at);
  return t;
}
