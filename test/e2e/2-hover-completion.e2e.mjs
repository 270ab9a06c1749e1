// Check 2: hovers and completions from the language server, in the editor.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  checkWorkspace, columnOf, currentLineText, goToLine, lineOf, openFile, retry, runCommand, shot,
  waitForHover, waitForLanguageServer, waitForSuggestion, withWorkbench,
} from './harness.mjs';

test('hover and completion appear in the editor', { timeout: 180_000 }, async () => {
  const file = path.join(checkWorkspace('2-hover-completion'), 'features.wat');
  const callLine = lineOf(file, '@hover-call');
  const instrLine = lineOf(file, '@hover-instr');
  const completeLine = lineOf(file, '@complete-here');
  await withWorkbench('2-hover-completion', async (page) => {
    await openFile(page, 'features.wat');
    await waitForLanguageServer(page);

    // Hover on a call's target shows that function's signature.
    const fnHover = await retry(page, 'hover over $square', async () => {
      await goToLine(page, callLine, columnOf(file, callLine, '$square') + 2);
      await runCommand(page, 'Show or Focus Hover');
    }, (timeout) => waitForHover(page, '$square', timeout));
    assert.match(fnHover, /i32/, `hover over $square: ${fnHover}`);
    await shot(page, '2-hover-function');
    await page.keyboard.press('Escape');

    // The mouse over an instruction shows what it does.
    const token = page.locator('.view-lines span span', { hasText: /^i32\.add$/ }).first();
    const instrHover = await retry(page, 'mouse over i32.add', async () => {
      await page.mouse.move(5, 500);
      await token.hover();
    }, (timeout) => waitForHover(page, 'i32.add', timeout));
    assert.match(instrHover, /i32/, `hover over i32.add on line ${instrLine}: ${instrHover}`);
    await shot(page, '2-hover-instruction');
    await page.mouse.move(5, 500);

    // Completion after `local.get $` offers the function's params and locals (never word guesses:
    // the e2e settings turn word-based suggestions off, so these come from the server).
    await goToLine(page, completeLine, 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('    (drop (local.get $');
    const locals = await retry(page, 'completion after local.get $', () => page.keyboard.press('Control+Space'),
      (timeout) => waitForSuggestion(page, '$total', timeout));
    assert.ok(locals.some((l) => l.includes('$a')) && locals.some((l) => l.includes('$b')), `suggestions: ${locals}`);
    await shot(page, '2-completion-locals');
    await page.keyboard.press('Escape');

    // Instruction names complete, and accepting one inserts it.
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('    (drop (i32.popc');
    await retry(page, 'completion after i32.popc', () => page.keyboard.press('Control+Space'),
      (timeout) => waitForSuggestion(page, 'i32.popcnt', timeout));
    await page.keyboard.press('Tab');
    await page.locator('.editor-widget.suggest-widget').waitFor({ state: 'hidden' });
    const line = await currentLineText(page);
    assert.match(line, /\(drop \(i32\.popcnt\b/, `line after accepting the completion: ${line}`);
    await shot(page, '2-completion-accepted');
  });
});
