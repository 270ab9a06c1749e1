// A bounds-checked little-endian cursor over one DWARF section, with the LEB128 and
// offset-size readers every DWARF table needs.

/** Thrown when a read runs past the end of its section; callers catch it and keep what parsed. */
export class DwarfRangeError extends Error {
  constructor(
    readonly section: string,
    readonly offset: number,
  ) {
    super(`${section}: read past end at offset 0x${offset.toString(16)}`);
  }
}

const decoder = new TextDecoder('utf-8');

export class ByteReader {
  pos: number;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly section: string,
    pos = 0,
    /** Exclusive end: unit headers narrow the readable window to their unit_length. */
    public end = bytes.length,
  ) {
    this.pos = pos;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  private need(n: number): number {
    const p = this.pos;
    if (p + n > this.end || p < 0) throw new DwarfRangeError(this.section, p);
    this.pos = p + n;
    return p;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }
  i8(): number {
    return this.view.getInt8(this.need(1));
  }
  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }
  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }
  u24(): number {
    const p = this.need(3);
    return this.view.getUint16(p, true) | (this.view.getUint8(p + 2) << 16);
  }
  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }
  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }
  u64(): bigint {
    return this.view.getBigUint64(this.need(8), true);
  }
  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  /** A u64 as a number: offsets and addresses in Wasm DWARF never exceed 2^53. */
  u64n(): number {
    return Number(this.u64());
  }

  /** Unsigned LEB128 as a number; values beyond 2^53 lose precision but never throw. */
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }

  /** Signed LEB128 as a number (DWARF's sdata, fbreg offsets, line advances). */
  sleb(): number {
    let result = 0;
    let mul = 1;
    let b: number;
    do {
      b = this.u8();
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    return result;
  }

  /** Unsigned LEB128 as a bigint, for DW_OP_constu and 64-bit constants. */
  ulebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) return result;
    }
  }

  slebBig(): bigint {
    let result = 0n;
    let shift = 0n;
    let b: number;
    do {
      b = this.u8();
      result |= BigInt(b & 0x7f) << shift;
      shift += 7n;
    } while (b & 0x80);
    if (b & 0x40) result -= 1n << shift;
    return result;
  }

  /** A 4- or 8-byte offset, as chosen by the unit's 32/64-bit DWARF format. */
  offset(size: 4 | 8): number {
    return size === 4 ? this.u32() : this.u64n();
  }

  /** An address of the unit's address_size (4 in wasm32, 8 in wasm64). */
  address(size: number): number {
    switch (size) {
      case 1:
        return this.u8();
      case 2:
        return this.u16();
      case 4:
        return this.u32();
      case 8:
        return this.u64n();
      default:
        throw new DwarfRangeError(this.section, this.pos);
    }
  }

  /** NUL-terminated UTF-8. */
  cstring(): string {
    const start = this.pos;
    let p = start;
    while (p < this.end && this.bytes[p] !== 0) p++;
    if (p >= this.end) throw new DwarfRangeError(this.section, start);
    this.pos = p + 1;
    return decoder.decode(this.bytes.subarray(start, p));
  }

  slice(n: number): Uint8Array {
    const p = this.need(n);
    return this.bytes.subarray(p, p + n);
  }

  skip(n: number): void {
    this.need(n);
  }

  /**
   * Reads an initial length (DWARF 32- or 64-bit format) and returns the offset size and the
   * exclusive end of the unit it introduces.
   */
  unitLength(): { offsetSize: 4 | 8; end: number } {
    let length = this.u32();
    let offsetSize: 4 | 8 = 4;
    if (length === 0xffffffff) {
      length = this.u64n();
      offsetSize = 8;
    }
    return { offsetSize, end: this.pos + length };
  }
}

/** Reads a NUL-terminated string at `offset` in a string section, or undefined when out of range. */
export function stringAt(bytes: Uint8Array | undefined, offset: number): string | undefined {
  if (!bytes || offset < 0 || offset >= bytes.length) return undefined;
  const end = bytes.indexOf(0, offset);
  return decoder.decode(bytes.subarray(offset, end < 0 ? bytes.length : end));
}
