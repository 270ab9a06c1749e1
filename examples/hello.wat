;; Hello, world as a WASI program: writes one line to standard output with fd_write.
;; Try it: open this file and press F5, or run `node dist/cli.js run examples/hello.wat`.
(module
  ;; fd_write(fd, iovs, iovs_len, nwritten) -> errno, from the WASI preview1 host.
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))

  (memory (export "memory") 1)

  ;; The text lives at byte 16; bytes 0..8 hold the one iovec {pointer, length} that fd_write reads.
  (data (i32.const 16) "Hello, WebAssembly!\n")

  (func $main (export "_start")
    (local $errno i32)
    ;; iovec[0] = { buf = 16, len = 20 }
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 20))
    ;; Write to fd 1 (stdout); the number of bytes written goes to byte 8.
    (local.set $errno
      (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    ;; A breakpoint here shows $errno (0 on success) in the Variables view.
    (drop (local.get $errno))
  )
)
