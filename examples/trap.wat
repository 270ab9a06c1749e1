;; A program that traps: it divides by a number that turns out to be zero.
;; Press F5: the debugger stops at the trapping i32.div_s ("integer divide by zero"),
;; with the call stack and the locals that led there.
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "dividing 100 by 3, 2, 1, 0...\n")

  ;; average(total, count) = total / count; traps when count is 0.
  (func $average (param $total i32) (param $count i32) (result i32)
    local.get $total
    local.get $count
    i32.div_s)

  (func (export "_start")
    (local $count i32)
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 30))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (local.set $count (i32.const 3))
    (loop $again
      (drop (call $average (i32.const 100) (local.get $count)))
      ;; The bug: the loop runs once too many, down to count = 0.
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br_if $again (i32.ge_s (local.get $count) (i32.const 0)))))
)
