// `wasmscope run` on a Rust program that panics and a C++ program that aborts: the message, then a
// demangled backtrace with source file:line from DWARF (fixtures in test/fixtures/lang).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const lang = join(root, 'test', 'fixtures', 'lang');
const line = (file: string, marker: string): number => readFileSync(join(lang, file), 'utf8').split('\n').findIndex((l) => l.includes(`// @${marker}`)) + 1;

test('a Rust panic: the message, then values::checked_total at src/values.rs:LINE:COL and its callers', () => {
  const r = spawnSync(process.execPath, [cli, 'run', join(lang, 'values-rs.wasm')], { encoding: 'utf8' });
  assert.equal(r.status, 134);
  const panic = line('src/values.rs', 'panic');
  const lines = r.stderr.split('\n');
  const head = lines.findIndex((l) => l.startsWith('wasmscope run:'));
  assert.equal(lines[head], `wasmscope run: panic: total 60 is over the limit 23 at src/values.rs:${panic}:9 (trap: unreachable)`);
  const trace = lines.slice(head + 1).filter(Boolean);
  assert.ok(trace.every((l) => l.startsWith('    at ')), trace.join('\n'));
  const user = trace.findIndex((l) => l.startsWith('    at values::checked_total'));
  assert.match(trace[user]!, new RegExp(`^    at values::checked_total at src/values\\.rs:${panic}:9 \\(func \\d+ @ 0x[0-9a-f]+\\)$`));
  assert.match(trace[user + 1]!, new RegExp(`^    at values::main at src/values\\.rs:${line('src/values.rs', 'main-panic')}:5 `));
  // the panic machinery above it, demangled, with the std's own lines
  assert.ok(trace.slice(0, user).some((l) => l.startsWith('    at std::panicking::rust_panic_with_hook at library/std/src/panicking.rs:')), trace.join('\n'));
  assert.ok(trace.slice(0, user).some((l) => l.startsWith('    at core::panicking::panic_fmt at ')));
  assert.doesNotMatch(r.stderr, /_ZN|17h[0-9a-f]{16}E/, 'no mangled names left');
});

test('a C abort() under C++: the abort, the C frame at cstrings.c:LINE and main in values.cpp', () => {
  const r = spawnSync(process.execPath, [cli, 'run', join(lang, 'values-cpp.wasm')], { encoding: 'utf8' });
  assert.equal(r.status, 134);
  assert.match(r.stderr, /fatal: giving up\n/);
  assert.match(r.stderr, /^wasmscope run: abort: abort\(\) called \(trap: unreachable\)$/m);
  assert.match(r.stderr, new RegExp(`^    at c_strings at cstrings\\.c:${line('cstrings.c', 'abort')}:5 `, 'm'));
  assert.match(r.stderr, new RegExp(`^    at main at values\\.cpp:${line('values.cpp', 'main-end')}:10 `, 'm'));
});

test('a .wat trap keeps its text positions; a user trap is not taken for a panic', () => {
  const r = spawnSync(process.execPath, [cli, 'run', join(root, 'examples', 'trap.wat')], { encoding: 'utf8' });
  assert.equal(r.status, 134);
  assert.match(r.stderr, /^wasmscope run: trap: integer divide by zero\n {4}at average \(func 1\) @ 0x69 .*trap\.wat:14:5$/m);
});
