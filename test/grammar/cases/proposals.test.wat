; SYNTAX TEST "source.wat" "instructions of later proposals: SIMD, atomics, GC, tail calls, exceptions"
(func (param v128) (result i32)
  v128.load8x8_s offset=16
; ^^^^^^^^^^^^^^ keyword.other.instruction.wat
;                ^^^^^^ variable.parameter.memarg.wat
  i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
; ^^^^^^^^^^^^^ keyword.other.instruction.wat
  v128.const i32x4 0xffff_ffff -1 0 1
; ^^^^^^^^^^ keyword.other.instruction.wat
;                  ^^^^^^^^^^^ constant.numeric.integer.hexadecimal.wat
  i32.atomic.rmw8.add_u
; ^^^^^^^^^^^^^^^^^^^^^ keyword.other.instruction.wat
  atomic.fence
; ^^^^^^^^^^^^ keyword.other.instruction.wat
  struct.new $point
; ^^^^^^^^^^ keyword.other.instruction.wat
  ref.i31
; ^^^^^^^ keyword.other.instruction.wat
  any.convert_extern
; ^^^^^^^^^^^^^^^^^^ keyword.other.instruction.wat
  return_call $f
; ^^^^^^^^^^^ keyword.control.wat
  (try_table (catch $e 0) (throw $e))
;  ^^^^^^^^^ keyword.control.wat
;             ^^^^^ keyword.control.wat
;                          ^^^^^ keyword.control.wat
  (if (then nop) (else unreachable))
;      ^^^^ keyword.control.wat
;           ^^^ keyword.control.wat
;                 ^^^^ keyword.control.wat
;                      ^^^^^^^^^^^ keyword.control.wat
)
(rec (type $t (sub final (struct (field $x (mut i32))))))
;^^^ keyword.declaration.wat
;              ^^^ keyword.declaration.wat
;                  ^^^^^ storage.modifier.wat
;                         ^^^^^^ storage.type.heap.wat
;                                 ^^^^^ keyword.declaration.wat
(memory i64 1 shared)
;       ^^^ storage.type.value.wat
;             ^^^^^^ storage.modifier.wat
