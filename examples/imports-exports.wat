;; A module that imports from its host and exports to it: the Explorer's
;; "WebAssembly Module" view lists both. Click an export to jump to its definition.
;; It has no _start: debug an export with the "Invoke an export" configuration in .vscode/launch.json.
(module
  ;; Imports: a function, a memory and a global provided by the embedder.
  (import "env" "log_i32" (func $log (param i32)))
  (import "env" "memory" (memory $mem 1))
  (import "env" "base" (global $base i32))

  ;; A mutable global the module exports, so the host can read the running total.
  (global $total (export "total") (mut i32) (i32.const 0))

  ;; add(a, b) = a + b + base; also logs the result and adds it to $total.
  (func $add (export "add") (param $a i32) (param $b i32) (result i32)
    (local $sum i32)
    local.get $a
    local.get $b
    i32.add
    global.get $base
    i32.add
    local.set $sum
    (call $log (local.get $sum))
    (global.set $total (i32.add (global.get $total) (local.get $sum)))
    local.get $sum)

  ;; factorial(n) with a loop, to step through.
  (func $factorial (export "factorial") (param $n i32) (result i32)
    (local $acc i32)
    (local.set $acc (i32.const 1))
    (block $done
      (loop $again
        (br_if $done (i32.le_s (local.get $n) (i32.const 1)))
        (local.set $acc (i32.mul (local.get $acc) (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $again)))
    (local.get $acc))

  ;; A table of functions, exported too.
  (table $fns (export "fns") 2 funcref)
  (elem (i32.const 0) $add $factorial)
)
