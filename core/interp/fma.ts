// Fused multiply-add with a single rounding, for relaxed SIMD's madd/nmadd (x86 V8 with FMA3
// fuses): JavaScript has no Math.fma, so f32 goes through exact double arithmetic and f64 through
// BigInt when the operands are finite.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The f32 next to `r` (a finite f32) in the direction of `toward`. */
function nextF32(r: number, toward: number): number {
  if (r === 0) return toward > 0 ? 1.401298464324817e-45 : -1.401298464324817e-45;
  f32[0] = r;
  // Away from zero when moving toward larger magnitude.
  u32[0] = u32[0]! + ((toward > r) === (r > 0) ? 1 : -1);
  return f32[0]!;
}

/** fma(x, y, z) rounded once to f32, for f32 operands. */
export function fmaF32(x: number, y: number, z: number): number {
  // The product of two f32s is exact in a double (48 significant bits, exponent in range).
  const d = x * y;
  const s = d + z;
  if (!Number.isFinite(s)) return Math.fround(s);
  // TwoSum: s + err is exactly d + z.
  const bb = s - d;
  const err = (d - (s - bb)) + (z - bb);
  const r = Math.fround(s);
  if (err === 0 || r === s) return r;
  // Rounding s instead of s + err differs only when s is exactly halfway between two f32s.
  if (!Number.isFinite(r)) {
    const mid = Math.sign(s) * (2 ** 128 - 2 ** 103);
    return s === mid && Math.sign(err) !== Math.sign(s) ? Math.sign(s) * 3.4028234663852886e38 : r;
  }
  const n = nextF32(r, s);
  if ((r + n) / 2 !== s) return r;
  return err > 0 ? Math.max(r, n) : Math.min(r, n);
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** A finite nonzero double as mantissa * 2^exponent with an integer mantissa. */
function split(x: number): [bigint, number] {
  f64[0] = x;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  let m = bits & 0xfffffffffffffn;
  let e: number;
  if (biased === 0) e = -1074;
  else {
    m |= 1n << 52n;
    e = biased - 1075;
  }
  return [bits >> 63n ? -m : m, e];
}

function bitLength(v: bigint): number {
  return v.toString(2).length;
}

/** fma(x, y, z) rounded once to f64. */
export function fmaF64(x: number, y: number, z: number): number {
  if (!Number.isFinite(x) || !Number.isFinite(y)) return x * y + z;
  if (!Number.isFinite(z)) return z; // a finite product cannot cancel an infinity (NaN stays NaN)
  if (x === 0 || y === 0) return x * y + z; // exact: the product is a signed zero
  if (z === 0) return x * y; // one rounding of the exact product; its sign survives +-0
  const [mx, ex] = split(x);
  const [my, ey] = split(y);
  const [mz, ez] = split(z);
  const mp = mx * my, ep = ex + ey;
  const e0 = Math.min(ep, ez);
  const sum = (mp << BigInt(ep - e0)) + (mz << BigInt(ez - e0));
  if (sum === 0n) return 0;
  const neg = sum < 0n;
  const mag = neg ? -sum : sum;
  const len = bitLength(mag);
  const top = e0 + len - 1; // exponent of the leading bit
  if (top > 1023) return neg ? -Infinity : Infinity;
  // 53 significant bits for normal results; fewer below 2^-1022, down to the 2^-1074 unit.
  const keep = top >= -1022 ? 53 : top + 1075;
  const shift = len - keep;
  // q keeps `keep` bits (rounded half to even), so q * 2^k has k = -1074 for subnormals and q in
  // [2^52, 2^53] otherwise: ((k + 1074) << 52) + q is then the bit pattern, carry included.
  let q: bigint;
  if (shift <= 0) q = mag << BigInt(-shift);
  else {
    const s = BigInt(shift);
    q = mag >> s;
    const rem = mag - (q << s);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (q & 1n) === 1n)) q += 1n;
  }
  const k = e0 + shift;
  const bits = (BigInt(k + 1074) << 52n) + q;
  if (bits >= 0x7ff0000000000000n) return neg ? -Infinity : Infinity;
  u64[0] = bits;
  return neg ? -f64[0]! : f64[0]!;
}
