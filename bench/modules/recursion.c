// Deep recursion: Ackermann(2, n) and a deep non-tail recursive walk, stressing call/return and the frame stack.
#include "unused.h"
__attribute__((noinline)) static int ack(int m, int n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}
__attribute__((noinline)) static int depth(int n, int acc) {
  if (n == 0) return acc;
  int r = depth(n - 1, acc * 31 + n);
  return r ^ n;
}
__attribute__((export_name("run"))) int run(void) {
  int s = 0;
  for (int i = 0; i < 40; i++) s += ack(2, 300 + i);
  for (int i = 0; i < 200; i++) s ^= depth(3000 + i, i);
  return s;
}
