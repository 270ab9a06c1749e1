;; Check 1: two names that do not resolve; wabt reports each at its line.
(module
  (func $add (param $a i32) (param $b i32) (result i32)
    local.get $a
    local.get $c ;; @error-local
    i32.add)
  (func $twice (param $x i32) (result i32)
    (call $nope (local.get $x) (local.get $x))) ;; @error-call
)
