; SYNTAX TEST "source.wast" "wast commands"
(module $M binary "\00asm" "\01\00\00\00")
;^^^^^^ keyword.declaration.wat
;          ^^^^^^ storage.modifier.module-format.wast
;                  ^^^ constant.character.escape.wat
(module quote "(func)")
;       ^^^^^ storage.modifier.module-format.wast
(register "M" $M)
;^^^^^^^^ keyword.control.command.wast
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
;^^^^^^^^^^^^^ keyword.control.command.wast
;               ^^^^^^ keyword.control.command.wast
;                                                                    ^ constant.numeric.integer.decimal.wat
(assert_return (invoke "f") (f32.const nan:canonical))
;                                      ^^^^^^^^^^^^^ constant.numeric.float.special.wast
(assert_trap (invoke "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
;^^^^^^^^^^^ keyword.control.command.wast
(assert_malformed (module quote "(func") "unexpected end")
;^^^^^^^^^^^^^^^^ keyword.control.command.wast
(assert_invalid (module (func (result i32))) "type mismatch")
;^^^^^^^^^^^^^^ keyword.control.command.wast
;                                     ^^^ storage.type.value.wat
(assert_exhaustion (invoke "loop") "call stack exhausted")
;^^^^^^^^^^^^^^^^^ keyword.control.command.wast
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
;^^^^^^^^^^^^^^^^^ keyword.control.command.wast
(assert_return (invoke "r") (ref.extern 1) (ref.null extern))
;                            ^^^^^^^^^^ keyword.other.instruction.wast
(; (; nested ;) ;) (get $M "g")
;                   ^^^ keyword.control.command.wast
