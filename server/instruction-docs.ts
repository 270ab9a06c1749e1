// Signature and one line of documentation for every instruction core/text knows, for hover and completion.
// Regular families (numeric, SIMD) are derived from the mnemonic; the rest are written out.
import { instrInfo, type InstrInfo } from '../core/text/index';
import { ATOMICS, atomicDoc } from '../core/isa/threads';

/** The threads proposal's rows carry their own docs (core/isa/threads.ts). */
const ATOMIC_DOCS = new Map(ATOMICS.map((a) => [a.name, atomicDoc(a)]));

export interface InstructionDoc {
  /** Stack effect, e.g. `[i32 i32] -> [i32]`. */
  signature: string;
  /** One sentence. */
  doc: string;
}

const SCALARS = new Set(['i32', 'i64', 'f32', 'f64']);
const LANE_TYPE: Record<string, string> = { i8x16: 'i32', i16x8: 'i32', i32x4: 'i32', i64x2: 'i64', f32x4: 'f32', f64x2: 'f64' };

/** Instructions whose signature or meaning follows no family pattern. */
const EXPLICIT: Record<string, InstructionDoc> = {
  unreachable: { signature: '[t1*] -> [t2*]', doc: 'Traps unconditionally (`unreachable`).' },
  nop: { signature: '[] -> []', doc: 'Does nothing.' },
  block: { signature: 'block $label? blocktype ... end', doc: 'A block of code; a branch to its label jumps to its end.' },
  loop: { signature: 'loop $label? blocktype ... end', doc: 'A loop; a branch to its label jumps back to its start.' },
  if: { signature: 'if $label? blocktype [i32] ... else ... end', doc: 'Runs the then-branch if the condition is non-zero, else the else-branch.' },
  else: { signature: 'else', doc: 'Starts the else-branch of an `if`.' },
  end: { signature: 'end', doc: 'Ends a block, loop, if, try or function body.' },
  br: { signature: 'br $label : [t1* t*] -> [t2*]', doc: 'Branches unconditionally to a label (the end of a block, the start of a loop).' },
  br_if: { signature: 'br_if $label : [t* i32] -> [t*]', doc: 'Branches to a label if the condition is non-zero.' },
  br_table: { signature: 'br_table $label* $default : [t1* t* i32] -> [t2*]', doc: 'Branches to the label at the given index in the table, or to the default label when out of range.' },
  return: { signature: '[t1* t*] -> [t2*]', doc: 'Returns from the current function.' },
  call: { signature: 'call $func : [params] -> [results]', doc: 'Calls a function by index or name.' },
  call_indirect: { signature: 'call_indirect $table? (type $t) : [params i32] -> [results]', doc: 'Calls the function at an index of a table, trapping unless its type matches.' },
  return_call: { signature: 'return_call $func : [t1* params] -> [t2*]', doc: 'Tail call: calls a function in place of the current one, returning its results to this function\'s caller.' },
  return_call_indirect: { signature: 'return_call_indirect $table? (type $t) : [t1* params i32] -> [t2*]', doc: 'Tail call through a table: as `call_indirect`, replacing the current function\'s frame.' },
  'i8x16.relaxed_swizzle': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed swizzle: as `i8x16.swizzle` for indices below 16 (here, as x86 `pshufb`: an index of 128 or more gives 0, others take lane index & 15).' },
  'i32x4.relaxed_trunc_f32x4_s': { signature: '[v128] -> [v128]', doc: 'Relaxed truncation of f32 lanes to signed i32 (here, as x86 `cvttps2dq`: NaN and out-of-range lanes give -2147483648).' },
  'i32x4.relaxed_trunc_f32x4_u': { signature: '[v128] -> [v128]', doc: 'Relaxed truncation of f32 lanes to unsigned i32 (here: saturating, NaN gives 0).' },
  'i32x4.relaxed_trunc_f64x2_s_zero': { signature: '[v128] -> [v128]', doc: 'Relaxed truncation of the two f64 lanes to signed i32, upper lanes zero (here, as x86 `cvttpd2dq`: NaN and out-of-range lanes give -2147483648).' },
  'i32x4.relaxed_trunc_f64x2_u_zero': { signature: '[v128] -> [v128]', doc: 'Relaxed truncation of the two f64 lanes to unsigned i32, upper lanes zero (here: saturating, NaN gives 0).' },
  'f32x4.relaxed_madd': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed multiply-add a*b+c of f32 lanes (here: fused, one rounding, as x86 FMA).' },
  'f32x4.relaxed_nmadd': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed negated multiply-add -(a*b)+c of f32 lanes (here: fused, one rounding, as x86 FMA).' },
  'f64x2.relaxed_madd': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed multiply-add a*b+c of f64 lanes (here: fused, one rounding, as x86 FMA).' },
  'f64x2.relaxed_nmadd': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed negated multiply-add -(a*b)+c of f64 lanes (here: fused, one rounding, as x86 FMA).' },
  'i8x16.relaxed_laneselect': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed lane select by mask (here: each lane by its mask lane\'s top bit, as x86 `pblendvb`).' },
  'i16x8.relaxed_laneselect': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed lane select by mask (here: bitwise, as `v128.bitselect`).' },
  'i32x4.relaxed_laneselect': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed lane select by mask (here: bitwise, as `v128.bitselect`).' },
  'i64x2.relaxed_laneselect': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed lane select by mask (here: bitwise, as `v128.bitselect`).' },
  'f32x4.relaxed_min': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed minimum of f32 lanes (here, as x86 `minps`: a < b ? a : b, so a NaN or equal zeros give b).' },
  'f32x4.relaxed_max': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed maximum of f32 lanes (here, as x86 `maxps`: a > b ? a : b, so a NaN or equal zeros give b).' },
  'f64x2.relaxed_min': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed minimum of f64 lanes (here, as x86 `minpd`: a < b ? a : b, so a NaN or equal zeros give b).' },
  'f64x2.relaxed_max': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed maximum of f64 lanes (here, as x86 `maxpd`: a > b ? a : b, so a NaN or equal zeros give b).' },
  'i16x8.relaxed_q15mulr_s': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed Q15 rounding multiply (here, as x86 `pmulhrsw`: -32768 * -32768 wraps to -32768).' },
  'i16x8.relaxed_dot_i8x16_i7x16_s': { signature: '[v128 v128] -> [v128]', doc: 'Relaxed dot product of adjacent 8-bit lanes into saturated 16-bit lanes (here, as x86 `pmaddubsw`: the second operand\'s lanes unsigned).' },
  'i32x4.relaxed_dot_i8x16_i7x16_add_s': { signature: '[v128 v128 v128] -> [v128]', doc: 'Relaxed 8-bit dot product of four adjacent lanes added to the i32 lanes of the third operand (here, as x86 `pmaddubsw` + `pmaddwd`: second operand unsigned, pairs saturated to i16).' },
  drop: { signature: '[t] -> []', doc: 'Discards the value on top of the stack.' },
  select: { signature: '[t t i32] -> [t]', doc: 'Selects the first operand if the condition is non-zero, else the second.' },
  'local.get': { signature: 'local.get $local : [] -> [t]', doc: 'Pushes the value of a local (or parameter).' },
  'local.set': { signature: 'local.set $local : [t] -> []', doc: 'Pops a value into a local.' },
  'local.tee': { signature: 'local.tee $local : [t] -> [t]', doc: 'Stores a value into a local and keeps it on the stack.' },
  'global.get': { signature: 'global.get $global : [] -> [t]', doc: 'Pushes the value of a global.' },
  'global.set': { signature: 'global.set $global : [t] -> []', doc: 'Pops a value into a mutable global.' },
  'table.get': { signature: 'table.get $table? : [i32] -> [ref]', doc: 'Reads the reference at an index of a table.' },
  'table.set': { signature: 'table.set $table? : [i32 ref] -> []', doc: 'Writes a reference at an index of a table.' },
  'table.size': { signature: 'table.size $table? : [] -> [i32]', doc: 'Pushes the current size of a table.' },
  'table.grow': { signature: 'table.grow $table? : [ref i32] -> [i32]', doc: 'Grows a table by n entries filled with a reference; pushes the old size, or -1 on failure.' },
  'table.fill': { signature: 'table.fill $table? : [i32 ref i32] -> []', doc: 'Sets n entries of a table, from an index, to a reference.' },
  'table.copy': { signature: 'table.copy $dst? $src? : [i32 i32 i32] -> []', doc: 'Copies n entries between tables (dst, src, n).' },
  'table.init': { signature: 'table.init $table? $elem : [i32 i32 i32] -> []', doc: 'Copies n entries of a passive element segment into a table (dst, src, n).' },
  'elem.drop': { signature: 'elem.drop $elem : [] -> []', doc: 'Drops a passive element segment, freeing it.' },
  'memory.size': { signature: 'memory.size $memory? : [] -> [i32]', doc: 'Pushes the memory size in 64 KiB pages.' },
  'memory.grow': { signature: 'memory.grow $memory? : [i32] -> [i32]', doc: 'Grows memory by n pages; pushes the old size in pages, or -1 on failure.' },
  'memory.fill': { signature: 'memory.fill $memory? : [i32 i32 i32] -> []', doc: 'Sets n bytes of memory, from an address, to a byte value (dst, value, n).' },
  'memory.copy': { signature: 'memory.copy $dst? $src? : [i32 i32 i32] -> []', doc: 'Copies n bytes of memory; the regions may overlap (dst, src, n).' },
  'memory.init': { signature: 'memory.init $memory? $data : [i32 i32 i32] -> []', doc: 'Copies n bytes of a passive data segment into memory (dst, src, n).' },
  'data.drop': { signature: 'data.drop $data : [] -> []', doc: 'Drops a passive data segment, freeing it.' },
  'ref.null': { signature: 'ref.null func|extern|exn : [] -> [ref]', doc: 'Pushes a null reference of the given type.' },
  throw: { signature: 'throw $tag : [t1* params] -> [t2*]', doc: 'Throws an exception with the tag, its payload taken from the stack.' },
  throw_ref: { signature: '[t1* exnref] -> [t2*]', doc: 'Rethrows a caught exception given as an exnref (traps on null).' },
  try_table: {
    signature: 'try_table $label? blocktype (catch $tag $l | catch_ref $tag $l | catch_all $l | catch_all_ref $l)* ... end',
    doc: 'A block whose exceptions are caught by its clauses: each branches to its label with the payload (and the exnref for the _ref forms).',
  },
  try: { signature: 'try $label? blocktype ... catch $tag ... catch_all ... end', doc: 'Legacy exception handling: a block whose exceptions are handled by the catch clauses after it (or delegated).' },
  catch: { signature: 'catch $tag', doc: 'Legacy: starts a handler of a `try` for exceptions with the tag; the payload is pushed.' },
  catch_all: { signature: 'catch_all', doc: 'Legacy: starts the handler of a `try` for every exception.' },
  rethrow: { signature: 'rethrow $label : [t1*] -> [t2*]', doc: 'Legacy: rethrows the exception caught by the enclosing catch with that label.' },
  delegate: { signature: 'delegate $label', doc: 'Legacy: ends a `try`, passing its exceptions on to the handler of the label (or the caller).' },
  'ref.is_null': { signature: '[ref] -> [i32]', doc: 'Pushes 1 if the reference is null, else 0.' },
  'ref.func': { signature: 'ref.func $func : [] -> [funcref]', doc: 'Pushes a reference to a function.' },
  'v128.const': { signature: 'v128.const shape lanes : [] -> [v128]', doc: 'Pushes a 128-bit vector constant.' },
  'i8x16.shuffle': { signature: 'i8x16.shuffle lane*16 : [v128 v128] -> [v128]', doc: 'Builds a vector from bytes of two vectors picked by 16 constant lane indices.' },
  'i8x16.swizzle': { signature: '[v128 v128] -> [v128]', doc: 'Picks bytes of the first vector by the indices in the second (out of range gives 0).' },
  'v128.bitselect': { signature: '[v128 v128 v128] -> [v128]', doc: 'Takes bits from the first vector where the mask is 1, else from the second.' },
  'v128.any_true': { signature: '[v128] -> [i32]', doc: 'Pushes 1 if any bit of the vector is set.' },
  'v128.andnot': { signature: '[v128 v128] -> [v128]', doc: 'Bitwise AND of the first vector with the complement of the second.' },
  'i16x8.q15mulr_sat_s': { signature: '[v128 v128] -> [v128]', doc: 'Lane-wise saturating, rounding Q15 fixed-point multiplication.' },
  'i32x4.dot_i16x8_s': { signature: '[v128 v128] -> [v128]', doc: 'Multiplies signed 16-bit lanes and adds adjacent pairs into 32-bit lanes.' },
  'f32x4.demote_f64x2_zero': { signature: '[v128] -> [v128]', doc: 'Demotes two f64 lanes to f32, zeroing the upper two lanes.' },
  'f64x2.promote_low_f32x4': { signature: '[v128] -> [v128]', doc: 'Promotes the low two f32 lanes to f64.' },
};

/** One line per operation stem (the part after the type prefix, signedness stripped). */
const STEM_DOCS: Record<string, string> = {
  const: 'Pushes a constant.',
  eqz: 'Pushes 1 if the value is zero, else 0.',
  eq: 'Equality: 1 if equal, else 0.',
  ne: 'Inequality: 1 if not equal, else 0.',
  lt: 'Less than.',
  gt: 'Greater than.',
  le: 'Less than or equal.',
  ge: 'Greater than or equal.',
  clz: 'Counts leading zero bits.',
  ctz: 'Counts trailing zero bits.',
  popcnt: 'Counts the bits set to 1.',
  add: 'Addition (integers wrap around).',
  sub: 'Subtraction (integers wrap around).',
  mul: 'Multiplication (integers wrap around).',
  div: 'Division; integer division traps on zero and on overflow, rounding toward zero.',
  rem: 'Remainder of integer division; traps on zero.',
  and: 'Bitwise AND.',
  or: 'Bitwise OR.',
  xor: 'Bitwise exclusive OR.',
  not: 'Bitwise NOT.',
  shl: 'Shift left (the count is taken modulo the bit width).',
  shr: 'Shift right (the count is taken modulo the bit width).',
  rotl: 'Rotate left.',
  rotr: 'Rotate right.',
  abs: 'Absolute value.',
  neg: 'Negation.',
  ceil: 'Rounds up to an integer.',
  floor: 'Rounds down to an integer.',
  trunc: 'Rounds toward zero to an integer.',
  nearest: 'Rounds to the nearest integer, ties to even.',
  sqrt: 'Square root.',
  min: 'Minimum (NaN if either operand is NaN for floats).',
  max: 'Maximum (NaN if either operand is NaN for floats).',
  pmin: 'Pseudo-minimum: `b < a ? b : a`.',
  pmax: 'Pseudo-maximum: `a < b ? b : a`.',
  copysign: 'The first operand with the sign of the second.',
  wrap: 'Wraps an i64 to its low 32 bits.',
  extend: 'Sign- or zero-extends to a wider integer.',
  extend8: 'Sign-extends the low 8 bits.',
  extend16: 'Sign-extends the low 16 bits.',
  extend32: 'Sign-extends the low 32 bits.',
  trunc_f: 'Truncates a float to an integer; traps on NaN or overflow.',
  trunc_sat: 'Truncates a float to an integer, saturating instead of trapping (NaN gives 0).',
  convert: 'Converts an integer to a float.',
  demote: 'Demotes an f64 to f32.',
  promote: 'Promotes an f32 to f64.',
  reinterpret: 'Reinterprets the bits as another type of the same width.',
  load: 'Loads from memory at the address plus the static offset; traps when out of bounds.',
  store: 'Stores to memory at the address plus the static offset; traps when out of bounds.',
  splat: 'Builds a vector with every lane set to the operand.',
  extract_lane: 'Extracts one lane of a vector.',
  replace_lane: 'Replaces one lane of a vector.',
  all_true: 'Pushes 1 if every lane is non-zero.',
  bitmask: 'Collects the high bit of each lane into an i32.',
  narrow: 'Narrows lanes of two vectors to half width with saturation.',
  add_sat: 'Lane-wise saturating addition.',
  sub_sat: 'Lane-wise saturating subtraction.',
  avgr: 'Lane-wise rounding average of unsigned values.',
  extadd_pairwise: 'Adds adjacent pairs of lanes into lanes of double width.',
  extmul: 'Multiplies the low or high half of the lanes into lanes of double width.',
  load_splat: 'Loads one value and puts it in every lane.',
  load_zero: 'Loads one value into lane 0, zeroing the others.',
  load_lane: 'Loads a value into one lane of a vector.',
  store_lane: 'Stores one lane of a vector to memory.',
  load_extend: 'Loads half-width values and extends each into a lane.',
};

const UNARY_VECTOR = new Set(['abs', 'neg', 'popcnt', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'not', 'extend', 'extadd_pairwise', 'convert', 'trunc_sat', 'demote', 'promote']);
const UNARY_SCALAR = new Set(['clz', 'ctz', 'popcnt', 'abs', 'neg', 'ceil', 'floor', 'trunc', 'nearest', 'sqrt', 'extend8', 'extend16', 'extend32']);

/** Strips `_s`/`_u`, type suffixes and halves so `trunc_sat_f32_s` → `trunc_sat`, `extmul_low_i8x16_s` → `extmul`. */
function stemOf(op: string): string {
  if (/^trunc_sat/.test(op)) return 'trunc_sat';
  if (/^trunc_[fi]/.test(op)) return 'trunc_f';
  if (/^(extend_low|extend_high|extend_i)/.test(op)) return 'extend';
  if (/^(extend8|extend16|extend32)_s$/.test(op)) return op.slice(0, -2);
  const bare = op.replace(/_(low|high)/g, '').replace(/_(i|f)(8x16|16x8|32x4|64x2|32|64)/g, '').replace(/_(s|u|zero)$/g, '').replace(/_(s|u)$/, '');
  return bare;
}

function memoryDoc(prefix: string, op: string): InstructionDoc | undefined {
  const vector = prefix === 'v128';
  if (op.startsWith('load')) {
    if (vector) {
      if (/_splat$/.test(op)) return { signature: '[i32] -> [v128]', doc: STEM_DOCS.load_splat ?? '' };
      if (/_zero$/.test(op)) return { signature: '[i32] -> [v128]', doc: STEM_DOCS.load_zero ?? '' };
      if (/_lane$/.test(op)) return { signature: '[i32 v128] -> [v128]', doc: STEM_DOCS.load_lane ?? '' };
      if (/x/.test(op)) return { signature: '[i32] -> [v128]', doc: STEM_DOCS.load_extend ?? '' };
    }
    const narrow = /load(8|16|32)_([su])/.exec(op);
    const doc = narrow ? `Loads ${narrow[1]} bits from memory and ${narrow[2] === 's' ? 'sign' : 'zero'}-extends them; traps when out of bounds.` : (STEM_DOCS.load ?? '');
    return { signature: `memarg : [i32] -> [${prefix}]`, doc };
  }
  if (op.startsWith('store')) {
    if (vector && /_lane$/.test(op)) return { signature: '[i32 v128] -> []', doc: STEM_DOCS.store_lane ?? '' };
    const narrow = /store(8|16|32)$/.exec(op);
    const doc = narrow ? `Stores the low ${narrow[1]} bits to memory; traps when out of bounds.` : (STEM_DOCS.store ?? '');
    return { signature: `memarg : [i32 ${prefix}] -> []`, doc };
  }
  return undefined;
}

function derive(name: string): InstructionDoc | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const prefix = name.slice(0, dot);
  const op = name.slice(dot + 1);
  const memory = memoryDoc(prefix, op);
  if (memory) return memory;
  const stem = stemOf(op);
  const doc = STEM_DOCS[stem];
  if (SCALARS.has(prefix)) {
    const t = prefix;
    if (op === 'const') return { signature: `${t}.const value : [] -> [${t}]`, doc: doc ?? '' };
    if (op === 'eqz') return { signature: `[${t}] -> [i32]`, doc: doc ?? '' };
    if (/^(eq|ne|lt|gt|le|ge)(_[su])?$/.test(op)) {
      const sign = op.endsWith('_s') ? ' (signed)' : op.endsWith('_u') ? ' (unsigned)' : '';
      return { signature: `[${t} ${t}] -> [i32]`, doc: `${doc ?? ''}${sign}`.replace(/\.(.*)$/, '$1.') };
    }
    const from = /_(i32|i64|f32|f64)(_[su])?$/.exec(op);
    if (from && !/^(extend8|extend16|extend32)/.test(op)) return { signature: `[${from[1]}] -> [${t}]`, doc: doc ?? '' };
    if (UNARY_SCALAR.has(stem)) return { signature: `[${t}] -> [${t}]`, doc: doc ?? '' };
    if (doc) return { signature: `[${t} ${t}] -> [${t}]`, doc };
    return undefined;
  }
  const lane = LANE_TYPE[prefix] ?? (prefix === 'v128' ? 'v128' : undefined);
  if (lane === undefined || doc === undefined) return undefined;
  if (op === 'splat') return { signature: `[${lane}] -> [v128]`, doc };
  if (op.startsWith('extract_lane')) return { signature: `${name} lane : [v128] -> [${lane}]`, doc };
  if (op === 'replace_lane') return { signature: `${name} lane : [v128 ${lane}] -> [v128]`, doc };
  if (op === 'all_true' || op === 'bitmask') return { signature: '[v128] -> [i32]', doc };
  if (/^sh[lr]/.test(op)) return { signature: '[v128 i32] -> [v128]', doc: `Lane-wise ${doc.charAt(0).toLowerCase()}${doc.slice(1)}` };
  if (UNARY_VECTOR.has(stem)) return { signature: '[v128] -> [v128]', doc: stem === 'extadd_pairwise' || stem === 'extend' ? doc : `Lane-wise ${doc.charAt(0).toLowerCase()}${doc.slice(1)}` };
  return { signature: '[v128 v128] -> [v128]', doc: stem === 'narrow' || stem === 'extmul' || stem.endsWith('_sat') || stem === 'avgr' ? doc : `Lane-wise ${doc.charAt(0).toLowerCase()}${doc.slice(1)}` };
}

/** The signature and a line of documentation for a mnemonic; undefined for an unknown word. */
export function instructionDoc(name: string): InstructionDoc | undefined {
  return EXPLICIT[name] ?? ATOMIC_DOCS.get(name) ?? (instrInfo(name) !== undefined || name.includes('.') ? derive(name) : undefined);
}

/** `0x6a`, or `0xfd 0x0c` for prefixed opcodes. */
export function opcodeText(info: InstrInfo): string {
  const hex = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;
  return info.prefix === 0 ? hex(info.code) : `${hex(info.prefix)} ${info.code}`;
}
