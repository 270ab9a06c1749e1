// Numeric helpers of the interpreter that are too long to inline in the dispatch loop: 64-bit
// integer arithmetic on (lo, hi) int32 halves (no BigInt on the fast paths), float rounding and
// the trapping/saturating truncations. Each writes its result into the value stack words.
import { Trap } from '../errors';

const TWO32 = 4294967296;

/**
 * High 32 bits of the unsigned 64-bit product of al and bl, from 16-bit limbs with Math.imul only:
 * every step stays in int32 arithmetic (the float division and `%` this replaced took 60% of an
 * i64-multiply-heavy benchmark's time).
 */
function mulHigh32(al: number, bl: number): number {
  const a0 = al & 0xffff, a1 = al >>> 16, b0 = bl & 0xffff, b1 = bl >>> 16;
  const p01 = Math.imul(a0, b1);
  const p10 = Math.imul(a1, b0);
  const mid = (Math.imul(a0, b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (Math.imul(a1, b1) + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** w[a..a+1] = w[a..a+1] * w[b..b+1] (mod 2^64). */
export function i64Mul(w: Int32Array, a: number, b: number): void {
  const alo = w[a]!, ahi = w[a + 1]!, blo = w[b]!, bhi = w[b + 1]!;
  w[a] = Math.imul(alo, blo);
  w[a + 1] = (mulHigh32(alo, blo) + Math.imul(alo, bhi) + Math.imul(ahi, blo)) | 0;
}

/** w[d..d+1] = (al, ah) * (bl, bh) mod 2^64, for fused instructions with operands anywhere. */
export function i64MulTo(w: Int32Array, d: number, al: number, ah: number, bl: number, bh: number): void {
  w[d] = Math.imul(al, bl);
  w[d + 1] = (mulHigh32(al, bl) + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
}

/** w[d..d+1] = (lo, hi) shifted by n mod 64: kind 0 shl, 1 shr_s, 2 shr_u, 3 rotl. */
export function i64ShiftTo(w: Int32Array, d: number, lo: number, hi: number, n: number, kind: number): void {
  n &= 63;
  if (n === 0) {
    w[d] = lo;
    w[d + 1] = hi;
    return;
  }
  if (kind === 3) {
    if (n >= 32) {
      const t = lo; lo = hi; hi = t; n -= 32;
    }
    if (n !== 0) {
      const nh = (hi << n) | (lo >>> (32 - n));
      lo = (lo << n) | (hi >>> (32 - n));
      hi = nh;
    }
    w[d] = lo;
    w[d + 1] = hi;
  } else if (kind === 0) {
    if (n < 32) { w[d + 1] = (hi << n) | (lo >>> (32 - n)); w[d] = lo << n; }
    else { w[d + 1] = lo << (n - 32); w[d] = 0; }
  } else if (kind === 1) {
    if (n < 32) { w[d] = (lo >>> n) | (hi << (32 - n)); w[d + 1] = hi >> n; }
    else { w[d] = hi >> (n - 32); w[d + 1] = hi >> 31; }
  } else {
    if (n < 32) { w[d] = (lo >>> n) | (hi << (32 - n)); w[d + 1] = hi >>> n; }
    else { w[d] = hi >>> (n - 32); w[d + 1] = 0; }
  }
}

function big(w: Int32Array, a: number): bigint {
  return (BigInt(w[a + 1]!) << 32n) | BigInt(w[a]! >>> 0);
}

function bigU(w: Int32Array, a: number): bigint {
  return (BigInt(w[a + 1]! >>> 0) << 32n) | BigInt(w[a]! >>> 0);
}

function setBig(w: Int32Array, a: number, x: bigint): void {
  w[a] = Number(BigInt.asIntN(32, x));
  w[a + 1] = Number(BigInt.asIntN(32, x >> 32n));
}

/** Signed/unsigned division and remainder; traps as the spec says. */
export function i64DivRem(w: Int32Array, a: number, b: number, signed: boolean, rem: boolean): void {
  const blo = w[b]!, bhi = w[b + 1]!;
  if (blo === 0 && bhi === 0) throw new Trap('integer divide by zero');
  const alo = w[a]!, ahi = w[a + 1]!;
  if (signed) {
    // Fast path: both operands are sign-extended 32-bit values.
    if (ahi === alo >> 31 && bhi === blo >> 31) {
      if (alo === -2147483648 && blo === -1) {
        if (rem) { w[a] = 0; w[a + 1] = 0; return; }
        w[a] = alo; w[a + 1] = 0; // 2^31 fits in i64
        return;
      }
      const r = rem ? alo % blo : (alo / blo) | 0;
      w[a] = r;
      w[a + 1] = r >> 31;
      return;
    }
    // Divisor magnitude below 2^32: divide magnitudes without BigInt, then restore the signs.
    if (bhi === 0 || (bhi === -1 && blo !== 0)) {
      const bneg = bhi < 0;
      const bm = bneg ? 4294967296 - (blo >>> 0) : blo >>> 0;
      if (!rem && bneg && bm === 1 && ahi === -2147483648 && alo === 0) throw new Trap('integer overflow');
      const aneg = ahi < 0;
      let ml = alo, mh = ahi;
      if (aneg) {
        ml = -alo | 0;
        mh = (~ahi + (ml === 0 ? 1 : 0)) | 0;
      }
      divSmall(w, a, ml, mh, bm, rem);
      const neg = rem ? aneg : aneg !== bneg;
      if (neg) {
        const lo = w[a]!;
        w[a] = -lo | 0;
        w[a + 1] = (~w[a + 1]! + (lo === 0 ? 1 : 0)) | 0;
      }
      return;
    }
    const x = big(w, a), y = big(w, b);
    if (!rem && x === -(1n << 63n) && y === -1n) throw new Trap('integer overflow');
    setBig(w, a, rem ? x % y : x / y);
    return;
  }
  if (ahi === 0 && bhi === 0) {
    const r = rem ? (alo >>> 0) % (blo >>> 0) : Math.floor((alo >>> 0) / (blo >>> 0));
    w[a] = r | 0;
    w[a + 1] = 0;
    return;
  }
  if (bhi === 0) {
    divSmall(w, a, alo, ahi, blo >>> 0, rem);
    return;
  }
  const x = bigU(w, a), y = bigU(w, b);
  setBig(w, a, rem ? x % y : x / y);
}

/** Unsigned (lo, hi) divided by d < 2^32, in 16-bit steps so every double stays exact; writes the
 * quotient or the remainder at w[a]. */
function divSmall(w: Int32Array, a: number, lo: number, hi: number, d: number, rem: boolean): void {
  const uh = hi >>> 0;
  const qh = Math.floor(uh / d);
  const r1 = uh - qh * d;
  const x = r1 * 65536 + (lo >>> 16);
  const q1 = Math.floor(x / d);
  const r2 = x - q1 * d;
  const y = r2 * 65536 + (lo & 0xffff);
  const q0 = Math.floor(y / d);
  if (rem) {
    w[a] = (y - q0 * d) | 0;
    w[a + 1] = 0;
  } else {
    w[a] = (q1 * 65536 + q0) | 0;
    w[a + 1] = qh | 0;
  }
}

export function ctz32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

export function popcnt32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** Round to nearest, ties to even, keeping the sign of zero results. */
export function nearest(x: number): number {
  // A NaN operand must come back quiet (an arithmetic NaN), whatever its payload.
  if (x !== x) return NaN;
  if (!Number.isFinite(x) || x === 0) return x;
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
  return r === 0 && x < 0 ? -0 : r;
}

/** Truncation of a float to i32 (trapping). */
export function truncI32(x: number, signed: boolean): number {
  if (x !== x) throw new Trap('invalid conversion to integer');
  const t = Math.trunc(x);
  if (signed ? t < -2147483648 || t > 2147483647 : t < 0 || t > 4294967295) throw new Trap('integer overflow');
  return t | 0;
}

export function truncSatI32(x: number, signed: boolean): number {
  if (x !== x) return 0;
  const t = Math.trunc(x);
  if (signed) return t < -2147483648 ? -2147483648 : t > 2147483647 ? 2147483647 : t | 0;
  return t < 0 ? 0 : t > 4294967295 ? -1 : t | 0;
}

/** Truncation of a float to i64 into w[a], w[a+1]. */
export function truncI64(w: Int32Array, a: number, x: number, signed: boolean, sat: boolean): void {
  let t: number;
  if (x !== x) {
    if (!sat) throw new Trap('invalid conversion to integer');
    t = 0;
  } else {
    t = Math.trunc(x);
  }
  const lo = signed ? -9223372036854775808 : 0;
  const hi = signed ? 9223372036854775808 : 18446744073709551616;
  if (t < lo || t >= hi) {
    if (!sat) throw new Trap('integer overflow');
    if (t < lo) { w[a] = 0; w[a + 1] = signed ? -2147483648 : 0; }
    else if (signed) { w[a] = -1; w[a + 1] = 2147483647; }
    else { w[a] = -1; w[a + 1] = -1; }
    return;
  }
  const h = Math.floor(t / TWO32);
  w[a] = (t - h * TWO32) | 0;
  w[a + 1] = h | 0;
}

/** i64 (lo, hi) to the nearest f32, rounding once (a detour through f64 would round twice). */
export function i64ToF32(lo: number, hi: number, signed: boolean): number {
  let neg = false;
  if (signed && hi < 0) {
    neg = true;
    lo = -lo | 0;
    hi = ~hi + (lo === 0 ? 1 : 0) | 0;
  }
  const uh = hi >>> 0;
  let ul = lo >>> 0;
  if (uh >= 0x200000) {
    // ≥ 2^53: fold the low 11 bits into a sticky bit so the f64 conversion is exact.
    ul = ((ul & 0xfffff800) | ((ul & 0x7ff) !== 0 ? 0x800 : 0)) >>> 0;
  }
  const r = Math.fround(uh * TWO32 + ul);
  return neg ? -r : r;
}

export function i64ToF64(lo: number, hi: number, signed: boolean): number {
  return (signed ? hi : hi >>> 0) * TWO32 + (lo >>> 0);
}
