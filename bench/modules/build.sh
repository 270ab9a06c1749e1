#!/usr/bin/env bash
# Rebuilds the benchmark modules from their C sources, as ../shared/bench's were built (Debian clang).
set -euo pipefail
cd "$(dirname "$0")"
for c in *.c; do
  clang --target=wasm32 -O2 -mbulk-memory -nostdlib -Wl,--no-entry -Wl,--export=run -o "${c%.c}.wasm" "$c"
done
