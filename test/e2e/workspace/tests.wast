;; Check 6: a .wast script in the Testing view (one assertion fails on purpose: @fails).
(module $adder
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5)) ;; @fails
(assert_invalid (module (func (result i32))) "type mismatch")
