// Check 6: a .wast script is a suite in VS Code's Testing view, its module and assertions are
// tests; running them marks each passed or failed, and a failure shows expected vs actual.
import * as path from 'node:path';
import { test } from 'node:test';
import { SLOW_TIMEOUT, checkWorkspace, lineOf, openFile, runCommand, shot, withWorkbench } from './harness.mjs';

const PASSING = ['module $adder', 'assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3)', 'assert_invalid "type mismatch"'];
const FAILING = 'assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 5)';

function explorer(page) {
  return page.locator('.pane').filter({ has: page.locator('.pane-header[aria-label^="Test Explorer"]') });
}

/** The explorer's row for a test, once it shows `state` (passed/failed) by its icon. */
function rowWith(page, label, state) {
  return explorer(page).locator('.monaco-list-row', { hasText: label }).filter({ has: page.locator(`.codicon-testing-${state}-icon`) }).first();
}

test('a .wast script\'s assertions run in the Testing view: passes, a failure with expected and actual', { timeout: 240_000 }, async () => {
  const file = path.join(checkWorkspace('6-wast-tests'), 'tests.wast');
  const failLine = lineOf(file, '@fails');
  await withWorkbench('6-wast-tests', async (page) => {
    await openFile(page, 'tests.wast');
    // The Testing view from the activity bar (its beaker shows once a test controller exists).
    await page.locator('.activitybar .action-item a[aria-label^="Testing"]').first().click({ timeout: SLOW_TIMEOUT });
    // The file's suite appears (discovered from the workspace and the open editor); expand it all.
    await explorer(page).locator('.monaco-list-row', { hasText: 'tests.wast' }).first().waitFor({ timeout: SLOW_TIMEOUT });
    await runCommand(page, 'Test: Run All Tests');
    await rowWith(page, 'tests.wast', 'failed').waitFor({ timeout: SLOW_TIMEOUT });
    const suite = explorer(page).locator('.monaco-list-row', { hasText: 'tests.wast' }).first();
    if (await suite.getAttribute('aria-expanded') === 'false') await suite.click();
    for (const label of PASSING) await rowWith(page, label, 'passed').waitFor({ timeout: SLOW_TIMEOUT });
    await rowWith(page, FAILING, 'failed').waitFor();
    await shot(page, '6-wast-tests-explorer');
    // The failure shows at its line in the editor: VS Code renders a message that carries expected
    // and actual values inline as "actual != expected".
    await page.locator('.monaco-editor', { hasText: /i32:4 != i32:5/ }).first().waitFor({ timeout: SLOW_TIMEOUT })
      .catch(async (err) => {
        err.message += ` (failing assertion at line ${failLine})`;
        throw err;
      });
    await shot(page, '6-wast-tests-failure');
  });
});
