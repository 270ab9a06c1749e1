// Typed access to the guest's linear memory for one host call. The buffer is re-read per call:
// memory.grow replaces it, so a view must never outlive the call that made it.
import { Trap } from '../errors';
import { Errno, WasiError } from './errno';

/** Anything with a current `buffer`: WebAssembly.Memory, or our engine's MemoryInstance. */
export interface WasiMemory {
  readonly buffer: ArrayBuffer;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class GuestMemory {
  readonly view: DataView;
  readonly u8: Uint8Array;
  constructor(buffer: ArrayBuffer) {
    this.view = new DataView(buffer);
    this.u8 = new Uint8Array(buffer);
  }

  /** A pointer outside memory traps the program, as the witx rules (and Wasmtime) say. */
  private check(ptr: number, len: number): void {
    if (ptr < 0 || len < 0 || ptr + len > this.u8.length) throw new Trap('out of bounds memory access');
  }

  /** A live window onto guest memory (writes go straight to the guest). */
  bytes(ptr: number, len: number): Uint8Array {
    this.check(ptr, len);
    return this.u8.subarray(ptr, ptr + len);
  }

  /** A guest string: invalid UTF-8 is EILSEQ. */
  string(ptr: number, len: number): string {
    try {
      return utf8.decode(this.bytes(ptr, len));
    } catch (err) {
      if (err instanceof WasiError) throw err;
      throw new WasiError(Errno.ILSEQ, 'path is not valid UTF-8');
    }
  }

  u8At(ptr: number, value: number): void {
    this.check(ptr, 1);
    this.view.setUint8(ptr, value);
  }
  u16At(ptr: number, value: number): void {
    this.check(ptr, 2);
    this.view.setUint16(ptr, value, true);
  }
  u32At(ptr: number, value: number): void {
    this.check(ptr, 4);
    this.view.setUint32(ptr, value >>> 0, true);
  }
  u64At(ptr: number, value: bigint): void {
    this.check(ptr, 8);
    this.view.setBigUint64(ptr, BigInt.asUintN(64, value), true);
  }
  readU8(ptr: number): number {
    this.check(ptr, 1);
    return this.view.getUint8(ptr);
  }
  readU16(ptr: number): number {
    this.check(ptr, 2);
    return this.view.getUint16(ptr, true);
  }
  readU32(ptr: number): number {
    this.check(ptr, 4);
    return this.view.getUint32(ptr, true);
  }
  readU64(ptr: number): bigint {
    this.check(ptr, 8);
    return this.view.getBigUint64(ptr, true);
  }

  /** An (c)iovec array as windows onto guest memory. */
  iovecs(ptr: number, count: number): Uint8Array[] {
    this.check(ptr, count * 8);
    const out: Uint8Array[] = [];
    for (let i = 0; i < count; i++) {
      const buf = this.view.getUint32(ptr + i * 8, true);
      const len = this.view.getUint32(ptr + i * 8 + 4, true);
      out.push(this.bytes(buf, len));
    }
    return out;
  }
}
