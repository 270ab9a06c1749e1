// Internal opcodes of the compiled code (an Int32Array of opcodes and immediates). Operand
// positions are in 4-byte words; every scalar occupies a 2-word slot (v128 takes 4 words).
// Immediates are listed after each name. Branch targets are code indices, resolved at compile time.

export const enum Op {
  UNREACHABLE,
  NOP,
  BREAK, // patched over an opcode by setBreakpoint; the original is kept aside
  BR, // target
  BR_LOOP, // target (backward: spends fuel)
  BR_MOVE, // target, dst (word offset from fp), n (words to keep)
  BR_IF, // target
  BR_IF_LOOP, // target
  BR_IF_MOVE, // target, dst, n
  BR_UNLESS, // target
  BR_TABLE, // count, then count+1 entries of [target, dst (-1 = no move), n]
  RETURN, // n (result words)
  CALL, // func index
  CALL_INDIRECT, // type index, table index
  DO_CALL, // internal re-dispatch target
  DO_RETURN, // internal re-dispatch target
  DROP, // words
  SELECT, // (2-word values)
  SELECT4,
  LOCAL_GET1, // off
  LOCAL_GET2,
  LOCAL_GET4,
  LOCAL_SET1,
  LOCAL_SET2,
  LOCAL_SET4,
  LOCAL_TEE1,
  LOCAL_TEE2,
  LOCAL_TEE4,
  GLOBAL_GET, // index
  GLOBAL_SET, // index
  TABLE_GET, // table
  TABLE_SET, // table
  I32_LOAD, // offset
  I64_LOAD,
  I32_LOAD8_S,
  I32_LOAD8_U,
  I32_LOAD16_S,
  I32_LOAD16_U,
  I64_LOAD8_S,
  I64_LOAD8_U,
  I64_LOAD16_S,
  I64_LOAD16_U,
  I64_LOAD32_S,
  I64_LOAD32_U,
  I32_STORE,
  I64_STORE,
  I32_STORE8,
  I32_STORE16,
  I64_STORE8,
  I64_STORE16,
  I64_STORE32,
  MEMORY_SIZE,
  MEMORY_GROW,
  I32_CONST, // value
  I64_CONST, // lo, hi
  I32_EQZ,
  I32_EQ,
  I32_NE,
  I32_LT_S,
  I32_LT_U,
  I32_GT_S,
  I32_GT_U,
  I32_LE_S,
  I32_LE_U,
  I32_GE_S,
  I32_GE_U,
  I64_EQZ,
  I64_EQ,
  I64_NE,
  I64_LT_S,
  I64_LT_U,
  I64_GT_S,
  I64_GT_U,
  I64_LE_S,
  I64_LE_U,
  I64_GE_S,
  I64_GE_U,
  F32_EQ,
  F32_NE,
  F32_LT,
  F32_GT,
  F32_LE,
  F32_GE,
  F64_EQ,
  F64_NE,
  F64_LT,
  F64_GT,
  F64_LE,
  F64_GE,
  I32_CLZ,
  I32_CTZ,
  I32_POPCNT,
  I32_ADD,
  I32_SUB,
  I32_MUL,
  I32_DIV_S,
  I32_DIV_U,
  I32_REM_S,
  I32_REM_U,
  I32_AND,
  I32_OR,
  I32_XOR,
  I32_SHL,
  I32_SHR_S,
  I32_SHR_U,
  I32_ROTL,
  I32_ROTR,
  I64_CLZ,
  I64_CTZ,
  I64_POPCNT,
  I64_ADD,
  I64_SUB,
  I64_MUL,
  I64_DIV_S,
  I64_DIV_U,
  I64_REM_S,
  I64_REM_U,
  I64_AND,
  I64_OR,
  I64_XOR,
  I64_SHL,
  I64_SHR_S,
  I64_SHR_U,
  I64_ROTL,
  I64_ROTR,
  F32_ABS,
  F32_NEG,
  F32_CEIL,
  F32_FLOOR,
  F32_TRUNC,
  F32_NEAREST,
  F32_SQRT,
  F32_ADD,
  F32_SUB,
  F32_MUL,
  F32_DIV,
  F32_MIN,
  F32_MAX,
  F32_COPYSIGN,
  F64_ABS,
  F64_NEG,
  F64_CEIL,
  F64_FLOOR,
  F64_TRUNC,
  F64_NEAREST,
  F64_SQRT,
  F64_ADD,
  F64_SUB,
  F64_MUL,
  F64_DIV,
  F64_MIN,
  F64_MAX,
  F64_COPYSIGN,
  I32_WRAP_I64, // never emitted: the low word already is the i32
  I32_TRUNC_F32_S,
  I32_TRUNC_F32_U,
  I32_TRUNC_F64_S,
  I32_TRUNC_F64_U,
  I64_EXTEND_I32_S,
  I64_EXTEND_I32_U,
  I64_TRUNC_F32_S,
  I64_TRUNC_F32_U,
  I64_TRUNC_F64_S,
  I64_TRUNC_F64_U,
  F32_CONVERT_I32_S,
  F32_CONVERT_I32_U,
  F32_CONVERT_I64_S,
  F32_CONVERT_I64_U,
  F32_DEMOTE_F64,
  F64_CONVERT_I32_S,
  F64_CONVERT_I32_U,
  F64_CONVERT_I64_S,
  F64_CONVERT_I64_U,
  F64_PROMOTE_F32,
  I32_REINTERPRET_F32, // never emitted (bits stay as they are)
  I64_REINTERPRET_F64,
  F32_REINTERPRET_I32,
  F64_REINTERPRET_I64,
  I32_EXTEND8_S,
  I32_EXTEND16_S,
  I64_EXTEND8_S,
  I64_EXTEND16_S,
  I64_EXTEND32_S,
  I32_TRUNC_SAT_F32_S,
  I32_TRUNC_SAT_F32_U,
  I32_TRUNC_SAT_F64_S,
  I32_TRUNC_SAT_F64_U,
  I64_TRUNC_SAT_F32_S,
  I64_TRUNC_SAT_F32_U,
  I64_TRUNC_SAT_F64_S,
  I64_TRUNC_SAT_F64_U,
  REF_NULL,
  REF_IS_NULL,
  REF_FUNC, // func index
  MEMORY_INIT, // data index
  DATA_DROP, // data index
  MEMORY_COPY,
  MEMORY_FILL,
  TABLE_INIT, // elem index, table index
  ELEM_DROP, // elem index
  TABLE_COPY, // dst, src
  TABLE_GROW, // table
  TABLE_SIZE, // table
  TABLE_FILL, // table
  // Fused super-instructions.
  LOCAL_GET1_GET1, // a, b
  I32_ADD_IMM, // value (i32.const + i32.add)
  LOCAL_GET1_I32_ADD, // off (local.get + i32.add)
  LOCAL_SET1_GET1, // a, b (local.set a; local.get b)
  BR_IF_EQZ, // target (i32.eqz; br_if)
  COUNT,
}

/** Number of immediates following each opcode, where fixed (BR_TABLE is variable). */
export function immediateCount(op: number, code: Int32Array, pc: number): number {
  switch (op) {
    case Op.BR: case Op.BR_LOOP: case Op.BR_IF: case Op.BR_IF_LOOP: case Op.BR_UNLESS: case Op.RETURN: case Op.CALL:
    case Op.DROP: case Op.LOCAL_GET1: case Op.LOCAL_GET2: case Op.LOCAL_GET4: case Op.LOCAL_SET1: case Op.LOCAL_SET2:
    case Op.LOCAL_SET4: case Op.LOCAL_TEE1: case Op.LOCAL_TEE2: case Op.LOCAL_TEE4: case Op.GLOBAL_GET: case Op.GLOBAL_SET:
    case Op.TABLE_GET: case Op.TABLE_SET: case Op.I32_CONST: case Op.REF_FUNC: case Op.MEMORY_INIT: case Op.DATA_DROP:
    case Op.ELEM_DROP: case Op.TABLE_GROW: case Op.TABLE_SIZE: case Op.TABLE_FILL: case Op.I32_ADD_IMM:
    case Op.LOCAL_GET1_I32_ADD: case Op.BR_IF_EQZ:
      return 1;
    case Op.CALL_INDIRECT: case Op.I64_CONST: case Op.TABLE_INIT: case Op.TABLE_COPY: case Op.LOCAL_GET1_GET1:
    case Op.LOCAL_SET1_GET1:
      return 2;
    case Op.BR_MOVE: case Op.BR_IF_MOVE:
      return 3;
    case Op.BR_TABLE:
      return 1 + 3 * (code[pc + 1]! + 1);
    default:
      if (op >= Op.I32_LOAD && op <= Op.I64_STORE32) return 1;
      return 0;
  }
}
