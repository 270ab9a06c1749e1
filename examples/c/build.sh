#!/usr/bin/env bash
# Rebuilds primes.wasm from primes.c with Debian's clang and wasi-libc, with DWARF (-g) and no
# optimisation so every line of C stays steppable. Needs:
#   apt-get install -y clang lld wasi-libc libclang-rt-dev-wasm32
set -euo pipefail
cd "$(dirname "$0")"
clang --target=wasm32-wasi --sysroot=/usr -g -O0 -fdebug-prefix-map="$(pwd)"=. -o primes.wasm primes.c
echo "built $(pwd)/primes.wasm ($(stat -c %s primes.wasm) bytes)"
