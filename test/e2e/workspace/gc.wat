;; Check 9: a GC struct to expand in Variables, and a struct.set to step back over.
(module
  (type $point (struct (field $x (mut i32)) (field $y (mut i32))))
  (func $main (export "_start")
    (local $p (ref null $point))
    (local.set $p (struct.new $point (i32.const 3) (i32.const 7)))
    (struct.set $point $x (local.get $p) (i32.const 4)) ;; @breakpoint
    (struct.set $point $y (local.get $p) (i32.const 8)) ;; @after-step
  )
)
