;; A .wast script, the format of the WebAssembly spec tests: modules plus assertions.
;; Run it with `node dist/cli.js spec examples/spec.wast`; the editor checks it like a .wat.
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "div_s") (param i32 i32) (result i32)
    (i32.div_s (local.get 0) (local.get 1)))
  (func (export "clz") (param i64) (result i64)
    (i64.clz (local.get 0))))

(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "add" (i32.const 0x7fffffff) (i32.const 1)) (i32.const 0x80000000))
(assert_return (invoke "clz" (i64.const 1)) (i64.const 63))
(assert_trap (invoke "div_s" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "div_s" (i32.const 0x80000000) (i32.const -1)) "integer overflow")

;; A module that must not validate: i32.add needs two operands.
(assert_invalid
  (module (func (result i32) (i32.add (i32.const 1))))
  "type mismatch")

;; A malformed binary: the version number is wrong.
(assert_malformed
  (module binary "\00asm\02\00\00\00")
  "unknown binary version")
