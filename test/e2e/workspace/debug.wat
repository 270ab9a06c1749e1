;; Check 4: a WASI program to stop in, step through, and run to its exit code (42).
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "e2e: hello from debug.wat\n")
  (func $main (export "_start")
    (local $x i32)
    (local $y i32)
    (local.set $x (i32.const 20))
    (local.set $y (i32.const 22)) ;; @breakpoint
    (local.set $x (i32.add (local.get $x) (local.get $y))) ;; @after-step
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 26))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (local.get $x)))
)
