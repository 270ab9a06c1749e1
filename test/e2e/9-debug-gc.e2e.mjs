// Check 9: a GC struct in the Variables view, expanded to its fields by name; a step over its
// struct.set, then Step Back, which restores the field (screenshots of each).
import * as path from 'node:path';
import { test } from 'node:test';
import {
  checkWorkspace, goToLine, lineOf, openFile, shot, startDebugging, waitForStoppedAt, waitForVariable, withWorkbench,
} from './harness.mjs';

test('F5 on a GC .wat: a struct expands to its fields by name; Step Back restores a field', { timeout: 240_000 }, async () => {
  const file = path.join(checkWorkspace('9-debug-gc'), 'gc.wat');
  const bpLine = lineOf(file, '@breakpoint');
  const nextLine = lineOf(file, '@after-step');
  await withWorkbench('9-debug-gc', async (page) => {
    await openFile(page, 'gc.wat');
    await goToLine(page, bpLine, 5);
    await page.keyboard.press('F9');
    await page.locator('.monaco-editor [class*="codicon-debug-breakpoint"]').first().waitFor();

    await startDebugging(page);
    await waitForStoppedAt(page, bpLine, 'gc.wat');
    await waitForVariable(page, /\$p, value \$point \{x: 3, y: 7\}/);
    // Expand the struct: its fields by name.
    await page.locator('.debug-variables .monaco-list-row[aria-label^="$p, value"]').first().click();
    await waitForVariable(page, /^x, value 3\b/);
    await waitForVariable(page, /^y, value 7\b/);
    await shot(page, '9-debug-gc-struct-expanded');

    await page.keyboard.press('F10');
    await waitForStoppedAt(page, nextLine, 'gc.wat');
    await waitForVariable(page, /\$p, value \$point \{x: 4, y: 7\}/);
    await shot(page, '9-debug-gc-stepped');

    // The debug toolbar's Step Back button (the adapter supports stepBack).
    await page.locator('.debug-toolbar .codicon-debug-step-back').first().click();
    await waitForStoppedAt(page, bpLine, 'gc.wat');
    await waitForVariable(page, /\$p, value \$point \{x: 3, y: 7\}/);
    await shot(page, '9-debug-gc-stepped-back');
  });
});
