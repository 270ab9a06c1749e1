// `wasmscope run` end to end: the bundled CLI (dist/cli.js, built by `node esbuild.mjs`) runs
// the fixtures in test/fixtures/wasi on our engine, with Wasmtime's flags and exit statuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeWritable } from './testsuite-runner';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const fixtures = join(root, 'test', 'fixtures', 'wasi');

function run(args: string[], options: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(process.execPath, [cli, 'run', ...args], {
    cwd: fixtures, encoding: 'utf8', input: options.input ?? '', env: { ...process.env, ...options.env }, timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** One line on stderr, no JavaScript stack. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  assert.match(stderr, pattern);
  assert.equal(stderr.trimEnd().split('\n').length, 1, stderr);
  assert.doesNotMatch(stderr, /at .*\.js:\d+|internal error/);
}

test('runs _start of a C program: args, --env, stdout, stderr, exit status from main', () => {
  const r = run(['--env', 'GREETING=hi there', 'hello.wasm', '3', 'two words']);
  assert.equal(r.stdout, 'hello from wasi\narg 1: 3\narg 2: two words\nGREETING=hi there\n');
  assert.equal(r.stderr, 'to stderr\n');
  assert.equal(r.status, 3);
});

test('the environment is only what --env gives; --env NAME passes the host value', () => {
  assert.doesNotMatch(run(['hello.wasm'], { env: { GREETING: 'leak' } }).stdout, /GREETING/);
  assert.match(run(['--env', 'GREETING', 'hello.wasm'], { env: { GREETING: 'passed' } }).stdout, /GREETING=passed/);
  assert.equal(run(['hello.wasm']).status, 0);
});

test('stdin is the process stdin', () => {
  const r = run(['cat.wasm'], { input: 'some input\nover lines\n' });
  assert.equal(r.stdout, 'SOME INPUT\nOVER LINES\n');
  assert.equal(r.status, 0);
});

test('--dir HOST::GUEST preopens a directory; nothing else is reachable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-run-'));
  try {
    writeFileSync(join(dir, 'existing'), 'x');
    const r = run(['--dir', `${dir}::/data`, 'files.wasm', '/data']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /read back: written by files.wasm\n2 entries\n/);
    assert.match(r.stdout, /\/etc\/passwd: Capabilities insufficient/);
    assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), 'written by files.wasm\n');
    // Without GUEST the program sees the directory under the name given on the command line.
    const same = run([`--dir=${dir}`, 'files.wasm', dir]);
    assert.equal(same.status, 0, same.stdout);
    // Without --dir there is no filesystem at all.
    const none = run(['files.wasm', '/data']);
    assert.equal(none.status, 1);
    assert.match(none.stdout, /fopen \/data\/out.txt: /);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a .wat program runs; _start returning means status 0', () => {
  const r = run(['hello.wat']);
  assert.equal(r.stdout, 'hello from wat\n');
  assert.equal(r.status, 0);
});

test('a trap prints the message and a backtrace with names and .wat line:column, status 134', () => {
  const r = run(['trap.wat']);
  assert.equal(r.status, 134);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines[0], 'wasmscope run: trap: integer divide by zero');
  assert.match(lines[1]!, /^ {4}at inner \(func 0\) @ 0x[0-9a-f]+ trap\.wat:6:5$/);
  assert.match(lines[2]!, /^ {4}at outer \(func 1\) @ 0x[0-9a-f]+ trap\.wat:8:6$/);
  assert.match(lines[3]!, /^ {4}at start \(func 2\) @ 0x[0-9a-f]+ trap\.wat:10:12$/);
});

test('a trap in a C program names its functions; output before it is kept', () => {
  const r = run(['trap.wasm']);
  assert.equal(r.status, 134);
  assert.equal(r.stdout, 'about to trap\n');
  assert.match(r.stderr, /^wasmscope run: trap: unreachable\n {4}at crash \(func \d+\) @ 0x[0-9a-f]+\n {4}at middle /);
});

test('--fuel stops a runaway program with a clear message and a non-zero status', () => {
  const r = run(['--fuel', '5000', 'spin.wat']);
  assert.equal(r.status, 134);
  assert.match(r.stderr, /all fuel consumed: stopped after 5000 units of fuel/);
  assert.match(r.stderr, /spin\.wat:\d+:\d+/);
  const c = run(['--fuel', '100000', 'spin.wasm']);
  assert.equal(c.status, 134);
  // Enough fuel: the program finishes normally.
  assert.equal(run(['--fuel', '1000000', 'hello.wasm']).status, 0);
  assertOneLine(run(['--fuel', 'lots', 'spin.wat']).stderr, /--fuel lots: expected a number/);
});

test('--invoke calls an export with typed arguments and prints its results', () => {
  assert.equal(run(['--invoke', 'add', 'calc.wat', '2', '40']).stdout, '42\n');
  assert.equal(run(['--invoke', 'add', 'calc.wat', '-2', '0x10']).stdout, '14\n');
  assert.equal(run(['--invoke', 'mul64', 'calc.wat', '4294967296', '3']).stdout, '12884901888\n');
  assert.equal(run(['--invoke', 'half', 'calc.wat', '3']).stdout, '1.5\n');
  assert.equal(run(['--invoke', 'pair', 'calc.wat']).stdout, '-1\n1.5\n');
  const nothing = run(['--invoke', 'nothing', 'calc.wat']);
  assert.equal(nothing.stdout, '');
  assert.equal(nothing.status, 0);
  assertOneLine(run(['--invoke', 'add', 'calc.wat', '1']).stderr, /expects 2 arguments \(i32, i32\), got 1/);
  assertOneLine(run(['--invoke', 'add', 'calc.wat', '1', 'x']).stderr, /"x" is not a valid i32/);
  assertOneLine(run(['--invoke', 'nope', 'calc.wat']).stderr, /no exported function "nope"/);
  assertOneLine(run(['calc.wat']).stderr, /no _start function/);
  assert.equal(run(['--invoke', 'get', 'reactor.wat']).stdout, '42\n', 'a reactor is initialised first');
});

test('WASI called from a start function is a trap with a reason, not an internal error', () => {
  const r = run(['start-calls-wasi.wat']);
  assert.equal(r.status, 134);
  assert.match(r.stderr, /^wasmscope run: trap: WASI call without an exported memory/);
  assert.doesNotMatch(r.stderr, /internal error/);
});

test('proc_exit statuses above 255 do not wrap to success', () => {
  assert.equal(run(['exit-big.wat']).status, 1);
});

test('bad input is one clear line and a non-zero status, never a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-run-'));
  try {
    writeFileSync(join(dir, 'truncated.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1]));
    writeFileSync(join(dir, 'invalid.wat'), '(module (func (result i32) i64.const 1))');
    writeFileSync(join(dir, 'broken.wat'), '(module (func (result i32) i32.const))');
    writeFileSync(join(dir, 'notes.txt'), 'just some text');
    const cases: [string[], RegExp][] = [
      [['missing.wasm'], /missing\.wasm: no such file/],
      [[join(dir, 'notes.txt')], /not a WebAssembly module/],
      [[join(dir, 'truncated.wasm')], /truncated\.wasm: invalid module: /],
      [[join(dir, 'invalid.wat')], /invalid\.wat: invalid module: type mismatch/],
      [[join(dir, 'broken.wat')], /broken\.wat:1:\d+: /],
      [['needs-import.wat'], /unknown import "env" "missing_function"/],
      [['bad-signature.wat'], /import "wasi_snapshot_preview1" "fd_write" has the wrong type: expected \(i32 i32 i32 i32\) -> \(i32\)/],
      [['--dir', join(dir, 'nope'), 'hello.wat'], /--dir .*nope is not a directory/],
      [['--frobnicate', 'hello.wat'], /unknown option --frobnicate/],
      [[], /no program given/],
    ];
    for (const [args, pattern] of cases) {
      const r = run(args);
      assert.notEqual(r.status, 0, args.join(' '));
      assert.match(r.stderr, pattern, args.join(' '));
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+|internal error/, args.join(' '));
      assert.ok(r.stderr.trimEnd().split('\n').length <= 2, r.stderr);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const suite = join(root, '..', 'shared', 'wasi-testsuite');

test('wasi-testsuite programs run through the CLI as through the runner', { skip: existsSync(suite) ? false : '../shared/wasi-testsuite is absent' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-run-'));
  try {
    cpSync(join(suite, 'c', 'fs-tests.dir'), join(dir, 'fs'), { recursive: true, filter: (src) => !src.endsWith('.cleanup') });
    makeWritable(join(dir, 'fs'));
    for (const t of ['lseek', 'pwrite-with-access', 'fdopendir-with-access', 'stat-dev-ino']) {
      const r = run(['--dir', `${join(dir, 'fs')}::/`, join(suite, 'c', `${t}.wasm`)]);
      assert.equal(r.status, 0, `${t}: ${r.stderr}`);
    }
    assert.equal(run([join(suite, 'assemblyscript', 'proc_exit-failure.wasm')]).status, 33);
    assert.equal(run([join(suite, 'assemblyscript', 'fd_write-to-stdout.wasm')]).stdout, 'hello');
    const env = run(['--env', 'a=text', '--env', 'b=escap " ing', '--env', 'c=new\nline', join(suite, 'assemblyscript', 'environ_get-multiple-variables.wasm')]);
    assert.equal(env.status, 0, env.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
