// Spec conformance of the threads proposal: every script of
// ../shared/testsuite/wasm-3.0/proposals/threads runs on our engine. The scripts come from the
// proposal's repository, which forked before multi-memory and reference types (they assert
// "multiple memories" / "multiple tables"), or memory64 (i32 limits past 2^32 are malformed text), so they run with those three proposals off,
// threads on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runWast } from '../../core/wast';

const suite = join(import.meta.dirname, '..', '..', '..', 'shared', 'testsuite', 'wasm-3.0', 'proposals', 'threads');
const features = { threads: true, multiMemory: false, referenceTypes: false, memory64: false };

if (!existsSync(suite)) {
  test('threads spec suite', { skip: `${suite} is absent (the shared testsuite is not checked out next to the repo)` }, () => {});
} else {
  for (const file of readdirSync(suite).filter((f) => f.endsWith('.wast')).sort()) {
    test(`spec threads ${file}`, () => {
      const r = runWast(readFileSync(join(suite, file), 'utf8'), file, { features });
      const report = r.failures.slice(0, 20).map((f) => `${file}:${f.line}: ${f.message}`).join('\n');
      assert.equal(r.failed, 0, `${r.passed} passed, ${r.failed} failed\n${report}`);
      assert.ok(r.passed > 0, 'no assertion ran');
    });
  }
}
