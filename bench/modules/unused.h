// Ten exported functions that `run` never calls: the benchmark sets breakpoints in them to
// measure what armed-but-unhit breakpoints cost.
#define UNUSED(n) __attribute__((export_name("unused" #n))) int unused##n(int x) { \
  int s = 0; for (int i = 0; i < x; i++) s += (i ^ n) * (x + n); return s; }
UNUSED(0) UNUSED(1) UNUSED(2) UNUSED(3) UNUSED(4) UNUSED(5) UNUSED(6) UNUSED(7) UNUSED(8) UNUSED(9)
