// f32 matrix loops: repeated 64x64 single-precision matrix multiply with a checksum.
#include "unused.h"
#define N 64
static float a[N][N], b[N][N], c[N][N];
__attribute__((export_name("run"))) int run(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      a[i][j] = (float)((i * 7 + j * 3) % 17) * 0.25f - 2.0f;
      b[i][j] = (float)((i * 5 + j * 11) % 13) * 0.125f + 0.5f;
    }
  float sum = 0.0f;
  for (int rep = 0; rep < 30; rep++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        float s = 0.0f;
        for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    for (int i = 0; i < N; i++) a[i][(rep + i) % N] = c[i][i] * 0.001f;
    sum += c[rep % N][(rep * 3) % N];
  }
  return (int)(sum * 1000.0f);
}
