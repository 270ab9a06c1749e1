// Numeric literals of the text format → exact values and IEEE bit patterns (correctly rounded,
// round-to-nearest-even, no double rounding), with the spec's range checks.

/** Parses an unsigned or signed integer literal; undefined when the text is not an integer. */
export function parseIntLiteral(text: string): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  let v: bigint;
  if (s.startsWith('0x')) {
    const digits = s.slice(2);
    if (!/^[0-9a-fA-F](?:_?[0-9a-fA-F])*$/.test(digits)) return undefined;
    v = BigInt('0x' + digits.replace(/_/g, ''));
  } else {
    if (!/^\d(?:_?\d)*$/.test(s)) return undefined;
    v = BigInt(s.replace(/_/g, ''));
  }
  return neg ? -v : v;
}

/** An i32 literal (spec range -2^31 .. 2^32-1) as a signed 32-bit number. */
export function parseI32(text: string): number | undefined {
  // Fast path for short plain decimals, the common case in large files.
  if (text.length < 10 && /^-?\d+$/.test(text)) return Number(text) | 0;
  const v = parseIntLiteral(text);
  if (v === undefined || v < -(1n << 31n) || v >= 1n << 32n) return undefined;
  return Number(BigInt.asIntN(32, v));
}

/** An i64 literal (spec range -2^63 .. 2^64-1) as a signed 64-bit bigint. */
export function parseI64(text: string): bigint | undefined {
  const v = parseIntLiteral(text);
  if (v === undefined || v < -(1n << 63n) || v >= 1n << 64n) return undefined;
  return BigInt.asIntN(64, v);
}

/** An unsigned 32-bit literal (indices, offsets, alignments, limits). */
export function parseU32(text: string): number | undefined {
  if (text.startsWith('+') || text.startsWith('-')) return undefined;
  const v = parseIntLiteral(text);
  if (v === undefined || v >= 1n << 32n) return undefined;
  return Number(v);
}

export function parseU64(text: string): bigint | undefined {
  if (text.startsWith('+') || text.startsWith('-')) return undefined;
  const v = parseIntLiteral(text);
  if (v === undefined || v >= 1n << 64n) return undefined;
  return v;
}

interface FloatFormat {
  /** Significand bits including the implicit one. */
  p: number;
  emin: number;
  emax: number;
  expBits: number;
}

const F32: FloatFormat = { p: 24, emin: -126, emax: 127, expBits: 8 };
const F64: FloatFormat = { p: 53, emin: -1022, emax: 1023, expBits: 11 };

/** Bits of an f32 literal (unsigned 32-bit number); undefined when malformed or out of range. */
export function parseF32(text: string): number | undefined {
  // Fast path: a decimal parsed as f64 then rounded to f32 is exact unless the f64 landed on an
  // f32 midpoint (all f32 midpoints are f64 values, so nothing else can round the other way).
  if (/^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/.test(text)) {
    const d = Number(text);
    if (Number.isFinite(d)) {
      const f = Math.fround(d);
      if (Number.isFinite(f) && (f === d || !isF32Midpoint(d, f))) return f32Bits(f);
    }
  }
  const b = parseFloatBits(text, F32);
  return b === undefined ? undefined : Number(b);
}

/** Bits of an f64 literal (unsigned 64-bit bigint); undefined when malformed or out of range. */
export function parseF64(text: string): bigint | undefined {
  if (/^[+-]?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?$/.test(text)) {
    // Number() is correctly rounded for decimals.
    const d = Number(text);
    if (Number.isFinite(d)) return f64Bits(d);
    return undefined;
  }
  return parseFloatBits(text, F64);
}

const scratch = new DataView(new ArrayBuffer(8));

function f32Bits(f: number): number {
  scratch.setFloat32(0, f, true);
  return scratch.getUint32(0, true);
}

function f64Bits(d: number): bigint {
  scratch.setFloat64(0, d, true);
  return scratch.getBigUint64(0, true);
}

function isF32Midpoint(d: number, f: number): boolean {
  // The neighbour of f on d's side.
  const bits = f32Bits(f);
  const towardsLarger = Math.abs(d) > Math.abs(f);
  const nb = towardsLarger ? bits + 1 : bits - 1;
  scratch.setUint32(0, nb >>> 0, true);
  const g = scratch.getFloat32(0, true);
  return (f + g) / 2 === d;
}

function parseFloatBits(text: string, fmt: FloatFormat): bigint | undefined {
  let s = text;
  let neg = false;
  if (s.startsWith('+') || s.startsWith('-')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  const signBit = neg ? 1n << BigInt(fmt.p + fmt.expBits - 1) : 0n;
  const expAll = (1n << BigInt(fmt.expBits)) - 1n;
  const mantBits = BigInt(fmt.p - 1);
  if (s === 'inf') return signBit | (expAll << mantBits);
  if (s === 'nan') return signBit | (expAll << mantBits) | (1n << (mantBits - 1n));
  if (s.startsWith('nan:0x')) {
    const digits = s.slice(6);
    if (!/^[0-9a-fA-F](?:_?[0-9a-fA-F])*$/.test(digits)) return undefined;
    const payload = BigInt('0x' + digits.replace(/_/g, ''));
    if (payload === 0n || payload >= 1n << mantBits) return undefined;
    return signBit | (expAll << mantBits) | payload;
  }
  let num: bigint;
  let den = 1n;
  let m: RegExpExecArray | null;
  if ((m = /^0x([0-9a-fA-F](?:_?[0-9a-fA-F])*)(?:\.((?:[0-9a-fA-F](?:_?[0-9a-fA-F])*)?))?(?:[pP]([+-]?\d(?:_?\d)*))?$/.exec(s))) {
    const intPart = (m[1] ?? '').replace(/_/g, '');
    const frac = (m[2] ?? '').replace(/_/g, '');
    const exp = m[3] === undefined ? 0 : Number(m[3].replace(/_/g, ''));
    num = BigInt('0x' + intPart + frac);
    let e2 = exp - 4 * frac.length;
    // Clamp absurd exponents: anything beyond these bounds is zero/overflow anyway.
    if (num !== 0n) {
      if (e2 > 100000) return undefined;
      if (e2 < -100000) e2 = -100000;
    }
    if (e2 >= 0) num <<= BigInt(e2);
    else den = 1n << BigInt(-e2);
  } else if ((m = /^(\d(?:_?\d)*)(?:\.((?:\d(?:_?\d)*)?))?(?:[eE]([+-]?\d(?:_?\d)*))?$/.exec(s))) {
    const intPart = (m[1] ?? '').replace(/_/g, '');
    const frac = (m[2] ?? '').replace(/_/g, '');
    let e10 = (m[3] === undefined ? 0 : Number(m[3].replace(/_/g, ''))) - frac.length;
    num = BigInt(intPart + frac);
    if (num !== 0n) {
      if (e10 > 10000) return undefined;
      if (e10 < -10000) e10 = -10000;
    }
    if (e10 >= 0) num *= 10n ** BigInt(e10);
    else den = 10n ** BigInt(-e10);
  } else return undefined;
  if (num === 0n) return signBit;
  const r = roundRational(num, den, fmt);
  return r === undefined ? undefined : signBit | r;
}

function bitLength(v: bigint): number {
  return v.toString(2).length;
}

/** Rounds the positive rational num/den to the format (nearest, ties to even); undefined on overflow. */
function roundRational(num: bigint, den: bigint, fmt: FloatFormat): bigint | undefined {
  // e = floor(log2(num/den))
  let e = bitLength(num) - bitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e--;
  if (e < fmt.emin) e = fmt.emin;
  const scale = e - fmt.p + 1; // value / 2^scale is the significand
  let n = num;
  let d = den;
  if (scale >= 0) d <<= BigInt(scale);
  else n <<= BigInt(-scale);
  let q = n / d;
  const r2 = (n % d) * 2n;
  if (r2 > d || (r2 === d && (q & 1n) === 1n)) q++;
  if (q === 1n << BigInt(fmt.p)) {
    q >>= 1n;
    e++;
  }
  if (e > fmt.emax) return undefined;
  const mantBits = BigInt(fmt.p - 1);
  if (q < 1n << mantBits) return q; // subnormal (or zero): biased exponent 0
  const biased = BigInt(e + (1 << (fmt.expBits - 1)) - 1);
  return (biased << mantBits) | (q - (1n << mantBits));
}
