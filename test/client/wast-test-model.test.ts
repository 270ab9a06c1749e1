// The Testing view's reading of `wasmscope spec --json` and the command line it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineSplitter, childId, debuggedTestState, parseSpecLine, specArgs, wastDebugConfiguration } from '../../client/wast-test-model';
import { listWastTests } from '../../core/wast';

const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');

test('spec arguments carry the feature settings in the CLI spelling', () => {
  assert.deepEqual(specArgs('a.wast', {}), ['spec', '--json', 'a.wast']);
  assert.deepEqual(specArgs('a.wast', { tailCall: false, gc: true }), ['spec', '--json', '--features=-tail-call,gc', 'a.wast']);
});

test('output lines parse into outcomes and a summary; anything else is not ours', () => {
  assert.deepEqual(parseSpecLine('{"file":"f","line":3,"endLine":5,"kind":"assert_return","ok":false,"label":"x","message":"m","expected":"i32:4","actual":"i32:3"}'), {
    type: 'outcome', outcome: { line: 3, endLine: 5, kind: 'assert_return', label: 'x', ok: false, message: 'm', expected: 'i32:4', actual: 'i32:3' },
  });
  assert.deepEqual(parseSpecLine('{"file":"f","passed":2,"failed":1}'), { type: 'summary', passed: 2, failed: 1 });
  for (const junk of ['', 'hello', '[1]', '{"line":"3"}', 'null']) assert.equal(parseSpecLine(junk), undefined, junk);
});

test('the line splitter keeps partial lines for the next chunk', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push('{"a":1}\n{"b"'), ['{"a":1}']);
  assert.deepEqual(s.push(':2}\n\n'), ['{"b":2}']);
  assert.deepEqual(s.push('tail'), []);
  assert.deepEqual(s.end(), ['tail']);
});

test('the CLI\'s --json results map onto the listed test ids, one per counted command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wast-json-'));
  try {
    const text = '(module (func (export "one") (result i32) i32.const 1))\n(assert_return (invoke "one") (i32.const 1))\n(assert_return (invoke "one") (i32.const 2))\n';
    const file = join(dir, 's.wast');
    writeFileSync(file, text);
    const r = spawnSync(process.execPath, [cli, ...specArgs(file, {})], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trim().split('\n').map(parseSpecLine);
    const outcomes = lines.flatMap((l) => (l?.type === 'outcome' ? [l.outcome] : []));
    assert.deepEqual(outcomes.map((o) => childId(o.kind, o.line)), listWastTests(text).map((t) => t.id));
    assert.deepEqual(outcomes.map((o) => o.ok), [true, true, false]);
    assert.deepEqual(lines.at(-1), { type: 'summary', passed: 2, failed: 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an assertion or action debugs with the script and its line; a module cannot be debugged', () => {
  const tests = listWastTests('(module (func (export "f") (result i32) (i32.const 1)))\n(assert_return (invoke "f") (i32.const 1))\n(invoke "f")\n');
  const [mod, assertion, action] = tests.map((t) => childId(t.kind, t.line));
  assert.deepEqual(wastDebugConfiguration('/w/a.wast', assertion!), { type: 'wasmscope', request: 'launch', name: 'Debug assert_return at line 2', program: '/w/a.wast', wastLine: 2 });
  assert.equal((wastDebugConfiguration('/w/a.wast', action!) as { wastLine: number }).wastLine, 3);
  assert.match((wastDebugConfiguration('/w/a.wast', mod!) as { error: string }).error, /module runs no function/);
});

test('a debugged test is marked from the adapter\'s wastResult event: passed, failed with the diff, or skipped', () => {
  assert.deepEqual(debuggedTestState('assert_return@13', { line: 13, kind: 'assert_return', ok: true }), { state: 'passed' });
  assert.deepEqual(debuggedTestState('assert_return@14', { line: 14, kind: 'assert_return', ok: false, message: 'result 0: expected i32:5, got i32:3', expected: 'i32:5', actual: 'i32:3' }),
    { state: 'failed', message: 'result 0: expected i32:5, got i32:3', expected: 'i32:5', actual: 'i32:3' });
  assert.deepEqual(debuggedTestState('assert_trap@15', { line: 15, kind: 'assert_trap', ok: false }), { state: 'failed', message: 'failed' });
  // No result (the session was stopped first), another command's result, or something not ours.
  assert.deepEqual(debuggedTestState('assert_return@13', undefined), { state: 'skipped' });
  assert.deepEqual(debuggedTestState('assert_return@13', { line: 14, kind: 'assert_return', ok: true }), { state: 'skipped' });
  assert.deepEqual(debuggedTestState('assert_return@13', { line: '13', kind: 'assert_return', ok: true }), { state: 'skipped' });
});
