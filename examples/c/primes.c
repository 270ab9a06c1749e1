// Prints the primes below a limit (the first argument, 50 by default) with a sieve, then a
// summary line; greets first when the GREETING environment variable is set.
// Built for WASI with Debian's clang: see build.sh.
// Try it: open primes.wasm and press F5 (or `node dist/cli.js run examples/c/primes.wasm 100`).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LIMIT 10000

static unsigned char composite[MAX_LIMIT];

// Marks every multiple of each prime; what stays unmarked is prime.
static int sieve(int limit) {
  int count = 0;
  memset(composite, 0, sizeof composite);
  for (int n = 2; n < limit; n++) {
    if (composite[n]) continue;
    count++;
    for (int m = n * n; m < limit; m += n) composite[m] = 1;
  }
  return count;
}

int main(int argc, char **argv) {
  int limit = argc > 1 ? atoi(argv[1]) : 50;
  if (limit < 2 || limit > MAX_LIMIT) {
    fprintf(stderr, "limit must be between 2 and %d\n", MAX_LIMIT);
    return 2;
  }
  // Set by the "args and env" configuration in ../.vscode/launch.json.
  const char *greeting = getenv("GREETING");
  if (greeting) printf("%s\n", greeting);
  int count = sieve(limit);
  printf("primes below %d:", limit);
  for (int n = 2; n < limit; n++) {
    if (!composite[n]) printf(" %d", n);
  }
  printf("\nfound %d primes\n", count);
  return 0;
}
