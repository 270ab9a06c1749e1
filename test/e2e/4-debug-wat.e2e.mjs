// Check 4: F5 on a .wat with a breakpoint: stop, inspect locals, step over, continue to the end;
// the WASI output and the exit code show in the Debug Console.
import * as path from 'node:path';
import { test } from 'node:test';
import {
  SLOW_TIMEOUT, checkWorkspace, goToLine, lineOf, openFile, replLine, shot, startDebugging, waitForStoppedAt,
  waitForVariable, withWorkbench,
} from './harness.mjs';

test('F5 on a .wat stops at a breakpoint, shows locals, steps, and runs to the exit code', { timeout: 240_000 }, async () => {
  const file = path.join(checkWorkspace('4-debug-wat'), 'debug.wat');
  const bpLine = lineOf(file, '@breakpoint');
  const nextLine = lineOf(file, '@after-step');
  await withWorkbench('4-debug-wat', async (page) => {
    await openFile(page, 'debug.wat');
    await goToLine(page, bpLine, 5);
    await page.keyboard.press('F9');
    await page.locator('.monaco-editor [class*="codicon-debug-breakpoint"]').first().waitFor();
    await shot(page, '4-debug-breakpoint-set');

    await startDebugging(page);
    await waitForStoppedAt(page, bpLine, 'debug.wat');
    // $x was set on the line before; $y not yet.
    await waitForVariable(page, /\bx, value 20\b/);
    await waitForVariable(page, /\by, value 0\b/);
    await shot(page, '4-debug-stopped');

    await page.keyboard.press('F10');
    await waitForStoppedAt(page, nextLine, 'debug.wat');
    await waitForVariable(page, /\by, value 22\b/);
    await shot(page, '4-debug-stepped');

    await page.keyboard.press('F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: SLOW_TIMEOUT });
    await replLine(page, 'e2e: hello from debug.wat').waitFor();
    // proc_exit(20 + 22)
    await replLine(page, /exit(ed)?\b.*\b42\b/i).waitFor();
    await shot(page, '4-debug-finished');
  });
});
