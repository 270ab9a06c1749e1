// Spec conformance: every top-level Wasm 3.0 script of ../shared/testsuite/wasm-3.0 runs on our
// engine through the spec runner. Files still failing are listed in wasm-3.0-todo.txt (one per line:
// file, tab, the first failure when listed); they run as todo, and a listed file that passes fails
// the test until its line is removed, so the list stays honest. Skipped when ../shared is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runWast } from '../../core/wast';

const root = join(import.meta.dirname, '..', '..');
const suite = join(root, '..', 'shared', 'testsuite', 'wasm-3.0');

const todo = new Map<string, string>();
for (const line of readFileSync(join(import.meta.dirname, 'wasm-3.0-todo.txt'), 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const [file, reason] = line.split('\t');
  todo.set(file!, reason ?? 'still failing');
}

if (!existsSync(suite)) {
  test('wasm-3.0 spec suite', { skip: `${suite} is absent (the shared testsuite is not checked out next to the repo)` }, () => {});
} else {
  const files = readdirSync(suite).filter((f) => f.endsWith('.wast')).sort();
  for (const file of files) {
    const reason = todo.get(file);
    test(`spec 3.0 ${file}`, reason !== undefined ? { todo: reason } : {}, () => {
      const r = runWast(readFileSync(join(suite, file), 'utf8'), file);
      const report = r.failures.slice(0, 20).map((f) => `${file}:${f.line}: ${f.message}`).join('\n');
      assert.equal(r.failed, 0, `${r.passed} passed, ${r.failed} failed\n${report}`);
      assert.ok(r.passed > 0, 'no assertion ran');
    });
  }
  test('wasm-3.0-todo.txt lists only failing files', () => {
    const passing: string[] = [];
    for (const file of todo.keys()) {
      if (!files.includes(file)) { passing.push(`${file} (no such file)`); continue; }
      const r = runWast(readFileSync(join(suite, file), 'utf8'), file);
      if (r.failed === 0 && r.passed > 0) passing.push(file);
    }
    assert.deepEqual(passing, [], 'these now pass: remove them from test/spec/wasm-3.0-todo.txt');
  });
}
