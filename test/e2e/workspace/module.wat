;; Check 3: imports and exports for the module tree (run.mjs also assembles it to module.wasm).
(module
  (import "env" "log_i32" (func $log (param i32)))
  (import "env" "memory" (memory 1))
  (import "env" "base" (global $base i32))
  (global $total (export "total") (mut i32) (i32.const 0))
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (i32.add (i32.add (local.get $a) (local.get $b)) (global.get $base)))
  (func $factorial (export "factorial") (param $n i32) (result i32) ;; @def-factorial
    (if (result i32) (i32.le_s (local.get $n) (i32.const 1))
      (then (i32.const 1))
      (else (i32.mul (local.get $n) (call $factorial (i32.sub (local.get $n) (i32.const 1)))))))
  (table $fns (export "fns") 1 funcref)
  (elem (i32.const 0) $add)
)
