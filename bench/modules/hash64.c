// 64-bit integer hashing: multiply, xor-shift, rotate on i64 (splitmix64 + FNV-1a-64 over a buffer).
#include "unused.h"
typedef unsigned long long u64;
typedef unsigned char u8;
static u8 buf[4096];
static u64 splitmix(u64 *s) {
  u64 z = (*s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static u64 fnv1a(const u8 *p, int n, u64 h) {
  for (int i = 0; i < n; i++) { h ^= p[i]; h *= 0x100000001b3ULL; }
  return h;
}
__attribute__((export_name("run"))) int run(void) {
  u64 seed = 42, acc = 0;
  for (int i = 0; i < (int)sizeof buf; i += 8) {
    u64 v = splitmix(&seed);
    for (int k = 0; k < 8; k++) buf[i + k] = (u8)(v >> (8 * k));
  }
  for (int round = 0; round < 2400; round++) {
    acc ^= fnv1a(buf, sizeof buf, 0xcbf29ce484222325ULL + (u64)round);
    acc = (acc << 13) | (acc >> 51);
    acc += splitmix(&seed) / ((acc | 1) % 1000003ULL + 1);
  }
  return (int)(acc ^ (acc >> 32));
}
