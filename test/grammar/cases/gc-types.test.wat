; SYNTAX TEST "source.wat" "Wasm 3.0 definitions: rec groups, sub/final, structs, arrays, tags, try_table, memory64"
(module
  (rec
;  ^^^ keyword.declaration.wat
    (type $shape (sub (struct (field $id i32))))
;    ^^^^ keyword.declaration.wat
;         ^^^^^^ variable.other.id.wat
;                 ^^^ keyword.declaration.wat
;                      ^^^^^^ storage.type.heap.wat
;                              ^^^^^ keyword.declaration.wat
;                                    ^^^ variable.other.id.wat
;                                        ^^^ storage.type.value.wat
    (type $point (sub final $shape (struct (field $x (mut f64)) (field $next (ref null $point))))))
;                     ^^^^^ storage.modifier.wat
;                           ^^^^^^ variable.other.id.wat
;                                                     ^^^ storage.modifier.wat
;                                                                             ^^^ storage.type.heap.wat
;                                                                                 ^^^^ storage.modifier.wat
  (type $bytes (array (mut i8)))
;               ^^^^^ storage.type.heap.wat
;                          ^^ storage.type.value.wat
  (tag $oops (param i32))
;  ^^^ keyword.declaration.wat
;      ^^^^^ variable.other.id.wat
  (memory $big i64 1)
;              ^^^ storage.type.value.wat
  (func (result i32)
    (block $h (result i32 exnref)
      (try_table (catch_ref $oops $h)
;      ^^^^^^^^^ keyword.control.wat
;                 ^^^^^^^^^ keyword.control.wat
        (throw $oops (i32.const 1))))
;        ^^^^^ keyword.control.wat
    (drop)
    (struct.get $point $x (struct.new_default $point))
;    ^^^^^^^^^^ keyword.other.instruction.wat
;                          ^^^^^^^^^^^^^^^^^^ keyword.other.instruction.wat
    (br_on_cast $h anyref (ref $point) (ref.null any))))
;    ^^^^^^^^^^ keyword.control.wat
