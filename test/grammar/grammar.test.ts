// Runs the TextMate grammar cases in test/grammar/cases through vscode-tmgrammar-test (the
// vscode-textmate engine VS Code uses), one test per case file so a failure names its file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const runner = join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const casesDir = join(import.meta.dirname, 'cases');
const cases = readdirSync(casesDir).filter((f) => /\.test\.wa[ts]t?$/.test(f)).sort();

test('there are grammar cases for .wat and .wast', () => {
  assert.ok(cases.some((f) => f.endsWith('.wat')));
  assert.ok(cases.some((f) => f.endsWith('.wast')));
});

for (const file of cases) {
  test(`grammar case ${file}`, () => {
    // The grammars and scopes come from package.json's contributes, as in VS Code.
    const r = spawnSync(process.execPath, [runner, '--compact', join('test', 'grammar', 'cases', file)], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  });
}
