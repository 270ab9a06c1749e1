; SYNTAX TEST "source.wat" "module fields, instructions, ids and types"
(module $m
; <- punctuation.section.parens.begin.wat
;^^^^^^ keyword.declaration.wat
;       ^^ variable.other.id.wat
  (import "wasi" "fd_write" (func $fd_write (param i32 i32) (result i32)))
;  ^^^^^^ keyword.declaration.wat
;         ^^^^^^ string.quoted.double.wat
;                            ^^^^ keyword.declaration.wat
;                                 ^^^^^^^^^ variable.other.id.wat
;                                            ^^^^^ keyword.declaration.wat
;                                                  ^^^ storage.type.value.wat
  (func $add (export "add") (param $a i32) (param $b i64) (result f64) (local $t v128)
    local.get $a
;   ^^^^^^^^^ keyword.other.instruction.wat
;             ^^ variable.other.id.wat
    i32.add
;   ^^^^^^^ keyword.other.instruction.wat
    i32x4.extract_lane 3
;   ^^^^^^^^^^^^^^^^^^ keyword.other.instruction.wat
;                      ^ constant.numeric.integer.decimal.wat
    i64.load32_u offset=8 align=4
;   ^^^^^^^^^^^^ keyword.other.instruction.wat
;                ^^^^^^ variable.parameter.memarg.wat
;                      ^ keyword.operator.assignment.wat
;                       ^ constant.numeric.integer.wat
    (block $done (br_if $done (i32.eqz (local.get 0))))
;    ^^^^^ keyword.control.wat
;                 ^^^^^ keyword.control.wat
;                              ^^^^^^^ keyword.other.instruction.wat
    call $fd_write
;   ^^^^ keyword.control.wat
    memory.atomic.wait32
;   ^^^^^^^^^^^^^^^^^^^^ keyword.other.instruction.wat
  )
  (global $g (mut funcref) (ref.null func))
;             ^^^ storage.modifier.wat
;                 ^^^^^^^ storage.type.value.wat
;                           ^^^^^^^^ keyword.other.instruction.wat
  (memory $mem 1 10)
;  ^^^^^^ keyword.declaration.wat
  (type $t (func (param (ref null $t))))
;                        ^^^ storage.type.heap.wat
;                            ^^^^ storage.modifier.wat
  (data (i32.const 0) "a\n\t\"\\\7f\u{1F600}\q")
;                       ^^ constant.character.escape.wat
;                         ^^ constant.character.escape.wat
;                           ^^ constant.character.escape.wat
;                             ^^ constant.character.escape.wat
;                               ^^^ constant.character.escape.wat
;                                  ^^^^^^^^^ constant.character.escape.wat
;                                           ^^ invalid.illegal.escape.wat
  (func $weird.name!<> (local $x_1 i32))
;       ^^^^^^^^^^^^^^ variable.other.id.wat
  (func $"quoted id")
;       ^^^^^^^^^^^^ variable.other.id.wat
)
