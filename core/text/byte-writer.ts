// A growable byte buffer with the Wasm binary encodings the assembler needs (LEB128, IEEE bits).

export class ByteWriter {
  private buf = new Uint8Array(256);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  u32(v: number): void {
    let x = v >>> 0;
    do {
      let b = x & 0x7f;
      x >>>= 7;
      if (x !== 0) b |= 0x80;
      this.byte(b);
    } while (x !== 0);
  }

  s32(v: number): void {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  s64(v: bigint): void {
    let x = BigInt.asIntN(64, v);
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) {
        this.byte(b);
        return;
      }
      this.byte(b | 0x80);
    }
  }

  u64(v: bigint): void {
    let x = BigInt.asUintN(64, v);
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x !== 0n) b |= 0x80;
      this.byte(b);
    } while (x !== 0n);
  }

  f32Bits(bits: number): void {
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset).setUint32(this.length, bits >>> 0, true);
    this.length += 4;
  }

  f64Bits(bits: bigint): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset).setBigUint64(this.length, BigInt.asUintN(64, bits), true);
    this.length += 8;
  }

  /** A length-prefixed UTF-8 (or raw) name. */
  name(bytes: Uint8Array): void {
    this.u32(bytes.length);
    this.bytes(bytes);
  }

  toBytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
