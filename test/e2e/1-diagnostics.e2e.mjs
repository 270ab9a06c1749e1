// Check 1: wabt's messages for a broken .wat appear in the Problems panel at their lines, and go
// away once the text is fixed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  SLOW_TIMEOUT, checkWorkspace, lineOf, openFile, problems, replaceAllText, runCommand, shot, until, waitForLanguageServer, withWorkbench,
} from './harness.mjs';

test('a .wat with errors shows wabt\'s messages in the Problems panel; fixing the text clears them', { timeout: 180_000 }, async () => {
  const file = path.join(checkWorkspace('1-diagnostics'), 'errors.wat');
  const localLine = lineOf(file, '@error-local');
  const callLine = lineOf(file, '@error-call');
  await withWorkbench('1-diagnostics', async (page) => {
    await openFile(page, 'errors.wat');
    await waitForLanguageServer(page);
    await runCommand(page, 'Problems: Focus on Problems View');
    const found = await until(async () => {
      const ps = (await problems(page)).filter((p) => p.file === 'errors.wat');
      return ps.some((p) => p.line === localLine) && ps.some((p) => p.line === callLine) && ps;
    }, `errors at lines ${localLine} and ${callLine} of errors.wat in the Problems panel`, SLOW_TIMEOUT)
      .catch(async (err) => {
        err.message += `\nProblems panel: ${JSON.stringify(await problems(page))}`;
        throw err;
      });
    await shot(page, '1-diagnostics-errors');
    // wabt's own wording (what `wat2wasm` prints), at the lines where the names are used.
    const local = found.find((p) => p.line === localLine);
    const call = found.find((p) => p.line === callLine);
    assert.equal(local.severity, 'Error');
    assert.match(local.message, /undefined local variable "\$c"/);
    assert.equal(call.severity, 'Error');
    assert.match(call.message, /undefined function variable "\$nope"/);
    // Status bar agrees with the panel.
    await page.locator('#status\\.problems', { hasText: /[1-9]/ }).waitFor();

    const fixed = fs.readFileSync(file, 'utf8')
      .replace('local.get $c ;; @error-local', 'local.get $b ;; was $c')
      .replace('(call $nope (local.get $x) (local.get $x)))', '(call $add (local.get $x) (local.get $x)))');
    await replaceAllText(page, fixed, file);
    await until(async () => (await problems(page)).filter((p) => p.file === 'errors.wat').length === 0,
      'the Problems panel to have no entries for errors.wat', SLOW_TIMEOUT).catch(async (err) => {
      err.message += `\nProblems panel: ${JSON.stringify(await problems(page))}`;
      throw err;
    });
    await page.locator('.markers-panel', { hasText: 'No problems have been detected' }).waitFor();
    await shot(page, '1-diagnostics-fixed');
  });
});
