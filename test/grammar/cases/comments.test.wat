; SYNTAX TEST "source.wat" "line comments, nested block comments and annotations"
;; a line comment with (parens) and "quotes"
; <- comment.line.double-semicolon.wat
(module (; block (; nested ;) still comment ;) (func))
;       ^^ punctuation.definition.comment.begin.wat
;                ^^^^^^^^^^^^ comment.block.wat comment.block.wat
;                            ^^^^^^^^^^^^^^^^^ comment.block.wat
;                                               ^^^^ keyword.declaration.wat - comment
(; multi
   line (; nested
   ;) i32.add still a comment
;     ^^^^^^^ comment.block.wat - keyword
;)
(func $f i32.const 1 ;; trailing
;                    ^^^^^^^^^^^ comment.line.double-semicolon.wat
)
(@custom "name" (after code) $x 1)
;^^^^^^^ entity.other.attribute-name.annotation.wat
;        ^^^^^^ meta.annotation.wat string.quoted.double.wat
;                ^^^^^^^^^^ meta.annotation.wat
;                                ^ meta.annotation.wat punctuation.section.annotation.end.wat
(module (@name "m") (func))
;        ^^^^^ entity.other.attribute-name.annotation.wat
;                    ^^^^ keyword.declaration.wat - meta.annotation
