// Incremental checking gives exactly the diagnostics of a full check, over randomized edit sequences
// on real modules (Wasm 2.0 for wabt, GC for our validator), and checks only what an edit touched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDocument, loadWabt, type CheckDiagnostic } from '../../../core/check/index';
import { IncrementalChecker } from '../../../core/check/incremental-check';
import { scanModule } from '../../../core/text/field-scan';

const root = join(import.meta.dirname, '..', '..', '..');
const fixture = (p: string): string => readFileSync(join(root, 'test', 'fixtures', p), 'utf8');
const options = { language: 'wat' as const, features: { gc: true, exceptions: true, functionReferences: true, multiMemory: true, memory64: true, tailCall: true } };

const key = (d: CheckDiagnostic): string => JSON.stringify([d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character, d.message, d.severity, d.source]);
const sorted = (ds: CheckDiagnostic[]): string[] => ds.map(key).sort();

/** Edits a typist makes inside bodies (most often) and anywhere (structure, headers, garbage). */
const WORDS = ['i32.const 1', 'i64.const 2', 'drop', 'i32.add', 'i32.ad', 'local.get 0', 'nop', '$x', 'call $nothing', ' ', '\n', 'f64.const 1.5', '(i32.const 3)', 'unreachable', '(local $y i64)', '(param i32)'];
/** They unbalance the module (or a string or comment): a full check follows until the text is whole again. */
const BREAKING = ['(', ')', ';;', '"', '(;', ';'];

function randomEdits(text: string, seed: number, count: number, check: (text: string, k: number) => void): void {
  let s = seed;
  const random = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let current = text;
  for (let k = 0; k < count; k++) {
    const shape = scanModule(current);
    const bodies = shape?.fields.filter((f) => f.head === 'func' && f.privateStart < f.end - 1) ?? [];
    let at: number;
    const body = bodies[Math.floor(random() * bodies.length)];
    if (body && random() < 0.8) at = body.privateStart + Math.floor(random() * (body.end - 1 - body.privateStart));
    else at = Math.floor(random() * current.length);
    const remove = random() < 0.5 ? Math.floor(random() * 6) : 0;
    const words = random() < 0.05 ? BREAKING : WORDS;
    const insert = random() < 0.75 ? ` ${words[Math.floor(random() * words.length)]} ` : '';
    // Now and then undo the damage by going back to the original (more often when the text is not whole), as typing does.
    current = random() < (shape ? 0.1 : 0.4) ? text : current.slice(0, at) + insert + current.slice(Math.min(current.length, at + remove));
    check(current, k);
  }
}

for (const [name, file] of [['a Wasm 2.0 module (wabt)', 'text/features.wat'], ['a GC module (our validator)', 'lsp/gc-shapes.wat']] as const) {
  test(`incremental diagnostics equal a full check over 300 random edits on ${name}`, async () => {
    const wabt = await loadWabt();
    const text = fixture(file);
    const checker = new IncrementalChecker();
    const kinds = { full: 0, incremental: 0, unchanged: 0 };
    for (const seed of [1, 2, 3]) {
      randomEdits(text, seed, 100, (current, k) => {
        const incremental = checker.check(wabt, current, options);
        kinds[checker.lastKind]++;
        if (process.env.DEBUG_INCREMENTAL && checker.lastKind === 'full') console.log(checker.lastReason);
        const full = checkDocument(wabt, current, options);
        assert.deepEqual(sorted(incremental), sorted(full), `seed ${seed}, edit ${k}: ${JSON.stringify(current)}`);
      });
    }
    // Most edits land in bodies: many must be checked incrementally (the rest break structure or headers).
    assert.ok(kinds.incremental >= 80, JSON.stringify(kinds));
    assert.ok(kinds.full > 0, JSON.stringify(kinds));
  });
}

test('an edit in one body replaces every other known body by unreachable; an edit to a header checks everything', async () => {
  const wabt = await loadWabt();
  const funcs = Array.from({ length: 50 }, (_, i) => `  (func $f${i} (param $a i32) (result i32)\n    (i32.add (local.get $a) (i32.const ${i})))`);
  const text = `(module\n${funcs.join('\n')}\n  (export "f7" (func $f7)))\n`;
  const checker = new IncrementalChecker();
  assert.deepEqual(checker.check(wabt, text, options), []);
  assert.equal(checker.lastKind, 'full');
  const bad = text.replace('(i32.const 7)', '(i64.const 7)');
  const found = checker.check(wabt, bad, options);
  assert.equal(checker.lastKind, 'incremental');
  assert.equal(checker.lastStubbed, 49);
  assert.equal(found.length, 1);
  assert.match(found[0]?.message ?? '', /type mismatch in i32.add/);
  assert.deepEqual(found[0]?.range.start, { line: 16, character: 5 });
  // An error elsewhere stays while another body is edited (it is known, not re-checked).
  const both = bad.replace('(i32.const 30)', '(f32.const 30)');
  assert.deepEqual(sorted(checker.check(wabt, both, options)), sorted(checkDocument(wabt, both, options)));
  assert.equal(checker.lastKind, 'incremental');
  assert.equal(checker.check(wabt, both, options).length, 2);
  // A signature change can break every caller: everything is checked again.
  const header = both.replace('(func $f3 (param $a i32)', '(func $f3 (param $a i64)');
  checker.check(wabt, header, options);
  assert.equal(checker.lastKind, 'full');
});
