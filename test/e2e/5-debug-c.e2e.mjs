// Check 5: F5 on a C program compiled to wasm32-wasi (examples/c/primes.wasm, copied into the
// workspace by run.mjs) runs to completion with its output in the Debug Console.
import { test } from 'node:test';
import { SLOW_TIMEOUT, openFile, replLine, shot, startDebugging, withWorkbench } from './harness.mjs';

test('F5 on a C program compiled to .wasm runs to completion with its output in the Debug Console', { timeout: 240_000 }, async () => {
  await withWorkbench('5-debug-c', async (page) => {
    await openFile(page, 'primes.wasm');
    await shot(page, '5-debug-c-opened');
    await startDebugging(page);
    await replLine(page, 'primes below 50: 2 3 5 7 11 13 17 19 23 29 31 37 41 43 47').waitFor({ timeout: SLOW_TIMEOUT });
    await replLine(page, 'found 15 primes').waitFor();
    await replLine(page, /exit(ed)?\b.*\b0\b/i).waitFor();
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: SLOW_TIMEOUT });
    await shot(page, '5-debug-c-finished');
  });
});
