#!/usr/bin/env bash
# Debian packages the test suites use: wabt (peer interpreter for the benchmark, wat2wasm for
# cross-checks), clang/lld/wasi-libc (C → wasm32-wasi fixtures), neovim (test/editors: the server
# from another editor), clang-19 with libc++ for wasm32 (Wasm 3.0 and C++ fixtures), Debian's rustc with
# the wasm32 standard library (Rust fixtures), python3 with colorama and requests (the
# wasi-testsuite's official runner, test/wasi/official-runner.test.ts).
# Skips quietly what is present.
set -euo pipefail
want=(wabt clang lld wasi-libc libclang-rt-dev-wasm32 neovim clang-19 lld-19 libclang-rt-19-dev-wasm32
  libc++-19-dev-wasm32 libc++abi-19-dev-wasm32 rustc libstd-rust-dev-wasm32 python3 python3-colorama python3-requests)
missing=()
for p in "${want[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages present: ${want[*]}"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "warning: cannot install ${missing[*]} (need root and apt-get); tests that need them will skip" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
