;; Check 2: hover over a function name and an instruction; completion inside a function body.
(module
  (func $square (param $n i32) (result i32)
    (i32.mul (local.get $n) (local.get $n)))
  (func $sum_of_squares (export "sum_of_squares") (param $a i32) (param $b i32) (result i32)
    (local $total i32)
    (local.set $total (call $square (local.get $a))) ;; @hover-call
    (local.set $total (i32.add (local.get $total) (call $square (local.get $b)))) ;; @hover-instr
    ;; @complete-here
    (local.get $total))
)
