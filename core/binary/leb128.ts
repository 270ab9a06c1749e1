// A byte cursor over a module's bytes with the LEB128 and IEEE readers of the binary format.
// Every error is a DecodeError at the exact offset, using the spec's messages.
import { DecodeError } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class ByteReader {
  pos: number;
  constructor(readonly bytes: Uint8Array, start = 0, public end = bytes.length) {
    this.pos = start;
  }

  fail(message: string, at = this.pos): never {
    throw new DecodeError(message, at);
  }

  get atEnd(): boolean {
    return this.pos >= this.end;
  }

  u8(): number {
    if (this.pos >= this.end) this.fail(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end');
    return this.bytes[this.pos++]!;
  }

  /** Unsigned LEB128 of at most 32 bits. */
  u32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (;;) {
      const b = this.u8();
      if (shift === 28) {
        if ((b & 0x80) !== 0) this.fail('integer representation too long', start);
        if ((b & 0x70) !== 0) this.fail('integer too large', start);
        return (result | (b << 28)) >>> 0;
      }
      result |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result >>> 0;
      shift += 7;
    }
  }

  /** Signed LEB128 of at most 32 bits. */
  s32(): number {
    let result = 0;
    let shift = 0;
    const start = this.pos;
    for (;;) {
      const b = this.u8();
      if (shift === 28) {
        if ((b & 0x80) !== 0) this.fail('integer representation too long', start);
        // The unused bits must be a sign extension of bit 31.
        if ((b & 0x70) !== ((b & 0x08) !== 0 ? 0x70 : 0)) this.fail('integer too large', start);
        return result | (b << 28);
      }
      result |= (b & 0x7f) << shift;
      shift += 7;
      if ((b & 0x80) === 0) {
        if (shift < 32 && (b & 0x40) !== 0) result |= -1 << shift;
        return result;
      }
    }
  }

  /** Signed LEB128 of at most 33 bits (block types), returned as a number. */
  s33(): number {
    let result = 0;
    let mul = 1;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i === 4) {
        if ((b & 0x80) !== 0) this.fail('integer representation too long', start);
        if ((b & 0x60) !== ((b & 0x10) !== 0 ? 0x60 : 0)) this.fail('integer too large', start);
        result += (b & 0x0f) * mul;
        if ((b & 0x10) !== 0) result -= 2 ** 32;
        return result;
      }
      result += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) {
        if ((b & 0x40) !== 0) result -= mul;
        return result;
      }
    }
  }

  /** Signed LEB128 of at most 64 bits, as two 32-bit halves written into out[0] (lo) and out[1] (hi). */
  s64(out: Int32Array | number[]): void {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i === 9) {
        if ((b & 0x80) !== 0) this.fail('integer representation too long', start);
        // Bit 63 comes from bit 0 of this byte; the rest must repeat it.
        if (b !== 0 && b !== 0x7f) this.fail('integer too large', start);
        hi |= (b & 1) << 31;
        out[0] = lo;
        out[1] = hi;
        return;
      }
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else {
        hi |= v << (shift - 32);
      }
      shift += 7;
      if ((b & 0x80) === 0) {
        if ((b & 0x40) !== 0) {
          if (shift < 32) {
            lo |= -1 << shift;
            hi = -1;
          } else if (shift < 64) {
            hi |= -1 << (shift - 32);
          }
        }
        out[0] = lo;
        out[1] = hi;
        return;
      }
    }
  }

  /** Unsigned LEB128 of at most 64 bits (memory64 offsets), as halves into out[0] (lo) and out[1] (hi). */
  u64(out: Int32Array | number[]): void {
    let lo = 0;
    let hi = 0;
    let shift = 0;
    const start = this.pos;
    for (let i = 0; ; i++) {
      const b = this.u8();
      if (i === 9) {
        if ((b & 0x80) !== 0) this.fail('integer representation too long', start);
        if ((b & 0x7e) !== 0) this.fail('integer too large', start);
        hi |= (b & 1) << 31;
        break;
      }
      const v = b & 0x7f;
      if (shift < 32) {
        lo |= v << shift;
        if (shift > 25) hi |= v >>> (32 - shift);
      } else {
        hi |= v << (shift - 32);
      }
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    out[0] = lo;
    out[1] = hi;
  }

  /** Signed 64-bit LEB128 as a bigint (for tools; the compiler uses `s64`). */
  s64Big(): bigint {
    const pair = [0, 0];
    this.s64(pair);
    return (BigInt(pair[1]!) << 32n) | BigInt(pair[0]! >>> 0);
  }

  /** Raw little-endian 32 bits. */
  fixed32(): number {
    if (this.pos + 4 > this.end) { this.pos = this.end; this.u8(); }
    const b = this.bytes;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24));
  }

  bytesOf(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail(this.end < this.bytes.length ? 'unexpected end of section or function' : 'unexpected end');
    const r = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  name(): string {
    const len = this.u32();
    if (this.pos + len > this.end) this.fail(this.end < this.bytes.length ? 'length out of bounds' : 'unexpected end');
    const start = this.pos;
    // Names are nearly always short ASCII (a name section holds one per function): read those
    // directly, since a TextDecoder call costs about a microsecond, a second for a million names.
    if (len <= 256) {
      const b = this.bytes;
      let ascii = true;
      for (let i = start; i < start + len; i++) {
        if (b[i]! >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.pos = start + len;
        return String.fromCharCode.apply(null, b.subarray(start, start + len) as unknown as number[]);
      }
    }
    const raw = this.bytesOf(len);
    try {
      return utf8.decode(raw);
    } catch {
      return this.fail('malformed UTF-8 encoding', start);
    }
  }
}
