// Real toolchain programs that use Wasm exception handling, run by `wasmscope run` (dist/cli.js):
// C++ built with clang's -fwasm-exceptions and C setjmp/longjmp built with -wasm-enable-sjlj
// (both emit the legacy try/catch/rethrow/delegate), and binaryen's exnref translations of them
// (try_table/throw_ref). Fixtures and their sources: test/fixtures/engine/exceptions (build.sh).
// The legacy builds are cross-checked against V8, which runs legacy exception handling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeModule } from '../../core/binary';
import { disassemble } from '../../core/inspect';
import { BufferSink, BufferSource, NodeFileSystem, Wasi, WasiExit, nodeClock, nodeRandom } from '../../core/wasi';
import { runStart } from '../wasi/engines';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'engine', 'exceptions');

function run(file: string) {
  const r = spawnSync(process.execPath, [cli, 'run', file], { cwd: fixtures, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The program's stdout on V8 (Node's WebAssembly), and whether it ended by an exception. */
async function onV8(file: string): Promise<{ stdout: string; threw: boolean }> {
  const stdout = new BufferSink();
  const wasi = new Wasi({
    preopens: [],
    io: { stdin: new BufferSource(''), stdout, stderr: new BufferSink(), fs: new NodeFileSystem(), clock: nodeClock, random: nodeRandom },
  });
  let threw = false;
  try {
    await runStart('v8', readFileSync(join(fixtures, file)), wasi);
  } catch (e) {
    if (!(e instanceof WasiExit)) threw = true;
  }
  return { stdout: stdout.text(), threw };
}

const CPP_OUT = `  ~Guard(parseLine)
  ~Guard(parseLine)
line 2: not a digit
  ~Guard(parseLine)
  ~Guard(parseLine)
line 4: not a digit
sum = 57
int 42
double 2.5
Message hello
  ~Message(hello)
something else
rethrowing 42
caught again 42
`;

const SJLJ_OUT = `1+2*3 = 7
((((7))))*6 = 42
  8/(4-4): division by zero at offset 7 (depth 2)
8/(4-4) = -1
  (((((9/0))))): division by zero at offset 8 (depth 6)
(((((9/0))))) = -1
  2*(3+: syntax error at offset 5 (depth 2)
2*(3+ = -1
100/7-1 = 13
outer setjmp returned 2
longjmp(top, 0) made setjmp return 1 after 2 rounds
`;

/** Which exception-handling instructions a fixture's code uses. */
function ehInstructions(file: string): Set<string> {
  const text = disassemble(decodeModule(readFileSync(join(fixtures, file)))).lines.join('\n');
  const found = new Set<string>();
  for (const name of ['try', 'catch', 'catch_all', 'rethrow', 'delegate', 'throw', 'try_table', 'throw_ref']) {
    if (new RegExp(`^\\S+:\\s+${name}\\b`, 'm').test(text)) found.add(name);
  }
  return found;
}

for (const [file, form] of [['cpp-exceptions.wasm', 'legacy'], ['cpp-exceptions-exnref.wasm', 'exnref']] as const) {
  test(`C++ -fwasm-exceptions (${form}): catch by type through frames, destructors, catch (...), rethrow; the last throw is uncaught`, () => {
    const r = run(file);
    assert.equal(r.stdout, CPP_OUT);
    assert.equal(r.status, 134);
    // The C++ tag is unnamed (wasm-ld writes no tag names); its payload is the exception's address.
    assert.match(r.stderr, /^wasmscope run: uncaught exception: tag 0 \(i32 \d+\)\n/);
    if (form === 'legacy') assert.match(r.stderr, /\n {4}at fail\(int\) \(func \d+\) @ 0x[0-9a-f]+\n {4}at __original_main /);
  });
}

for (const [file, form] of [['sjlj.wasm', 'legacy'], ['sjlj-exnref.wasm', 'exnref']] as const) {
  test(`C setjmp/longjmp (${form}): out of deep recursion, nested setjmp passing errors on, longjmp(env, 0)`, () => {
    const r = run(file);
    assert.equal(r.stderr, '');
    assert.equal(r.stdout, SJLJ_OUT);
    assert.equal(r.status, 0);
  });
}

test('the fixtures use the instruction forms they are named for', () => {
  const uses = { 'cpp-exceptions.wasm': ['try', 'catch', 'catch_all', 'rethrow', 'throw'], 'sjlj.wasm': ['try', 'catch', 'delegate', 'throw'] };
  for (const [f, names] of Object.entries(uses)) {
    const legacy = ehInstructions(f);
    for (const name of names) assert.ok(legacy.has(name), `${f} has no ${name}`);
    assert.ok(!legacy.has('try_table'), f);
    const exnref = ehInstructions(f.replace('.wasm', '-exnref.wasm'));
    for (const name of ['try_table', 'throw_ref', 'throw']) assert.ok(exnref.has(name), `${f} (exnref) has no ${name}`);
    for (const name of ['try', 'rethrow', 'delegate']) assert.ok(!exnref.has(name), `${f} (exnref) still has ${name}`);
  }
});

test('V8 prints the same for the legacy builds', async () => {
  const cpp = await onV8('cpp-exceptions.wasm');
  assert.equal(cpp.stdout, CPP_OUT);
  assert.ok(cpp.threw, 'the last C++ exception escapes _start on V8 too');
  const sjlj = await onV8('sjlj.wasm');
  assert.equal(sjlj.stdout, SJLJ_OUT);
  assert.ok(!sjlj.threw);
});
