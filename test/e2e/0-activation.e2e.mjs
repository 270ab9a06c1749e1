// Check 0: the packaged extension installs, activates on a .wat file, and logs no errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openFile, readExtensionHostLogs, shot, until, waitForLanguageServer, withWorkbench } from './harness.mjs';

test('the extension activates on a .wat file, its language server runs, no errors in the extension host log', { timeout: 180_000 }, async () => {
  await withWorkbench('0-activation', async (page) => {
    await openFile(page, 'debug.wat');
    // The language mode in the status bar comes from our manifest.
    await page.locator('#status\\.editor\\.mode', { hasText: 'WebAssembly Text' }).waitFor();
    const log = await until(() => {
      const text = readExtensionHostLogs();
      return /_doActivateExtension wasmscope\.wasmscope\b/.test(text) && text;
    }, 'the extension host log to show wasmscope.wasmscope activated');
    // The client's status item: the language server started.
    await waitForLanguageServer(page);
    await shot(page, '0-activation-opened-wat');
    const problems = log.split('\n').filter((l) =>
      /Activating extension 'wasmscope\.wasmscope' failed|\[error\].*wasmscope/i.test(l));
    assert.deepEqual(problems, [], 'errors about wasmscope in the extension host log');
    const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
    assert.deepEqual(toasts.filter((t) => /wasmscope/i.test(t)), [], 'error notifications from Wasmscope');
  });
});
