// A C program built for wasm64 (clang-19 --target=wasm64, test/fixtures/memory64/build.sh) runs
// under `wasmscope run`: 64-bit pointers, i64 loads and stores, memory.copy, memory.size/grow on
// an i64 memory. The expected figures are independent: pi(2^20) = 82025, and the FNV-1a hash was
// computed over the same sieve outside Wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary';

const root = join(import.meta.dirname, '..', '..');
const wasm = join(root, 'test', 'fixtures', 'memory64', 'wasm64.wasm');

test('the wasm64 fixture really has an i64 memory', () => {
  const m = decodeModule(new Uint8Array(readFileSync(wasm)));
  assert.equal(m.memories[0]?.limits.i64, true);
});

test('wasmscope run executes a wasm64 C program with the right output and exit status', () => {
  const r = spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'run', wasm], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.stderr, '');
  assert.equal(r.stdout, [
    'pointer bytes: 8',
    'primes below 2^20: 82025',
    'fnv-1a: 16167933719274620708',
    'grew from pages: 18',
    'last byte of the new pages: 42',
    'heap base above the table: 1',
    '',
  ].join('\n'));
  assert.equal(r.status, 25); // proc_exit(82025 % 100)
});
