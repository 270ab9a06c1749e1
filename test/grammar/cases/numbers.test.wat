; SYNTAX TEST "source.wat" "every numeric literal form"
(i32.const 42)
;          ^^ constant.numeric.integer.decimal.wat
(i32.const -1_000_000)
;          ^^^^^^^^^^ constant.numeric.integer.decimal.wat
(i32.const 0xFF_ff)
;          ^^^^^^^ constant.numeric.integer.hexadecimal.wat
(i64.const +0x7fff_ffff_ffff_ffff)
;          ^^^^^^^^^^^^^^^^^^^^^^ constant.numeric.integer.hexadecimal.wat
(f32.const 1.5e-3)
;          ^^^^^^ constant.numeric.float.decimal.wat
(f32.const 1_0.0_1E+1_0)
;          ^^^^^^^^^^^^ constant.numeric.float.decimal.wat
(f64.const 1.)
;          ^^ constant.numeric.float.decimal.wat
(f64.const 0x1.8p+3)
;          ^^^^^^^^ constant.numeric.float.hexadecimal.wat
(f64.const -0x1_F.a_bP-1_0)
;          ^^^^^^^^^^^^^^^ constant.numeric.float.hexadecimal.wat
(f64.const 0x1p4)
;          ^^^^^ constant.numeric.float.hexadecimal.wat
(f32.const inf)
;          ^^^ constant.numeric.float.special.wat
(f32.const -inf)
;          ^^^^ constant.numeric.float.special.wat
(f32.const nan)
;          ^^^ constant.numeric.float.special.wat
(f32.const -nan:0x7f_ffff)
;          ^^^^^^^^^^^^^^ constant.numeric.float.special.wat
(local.get $1x)
;          ^^^ variable.other.id.wat - constant.numeric
(f32.const 12abc)
;          ^^^^^ - constant.numeric
