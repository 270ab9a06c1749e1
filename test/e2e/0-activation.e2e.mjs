// Check 0: the packaged extension installs, activates on a .wat file, and logs no errors.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { extensionHostLogs, openFile, shot, until, waitForLanguageServer, withWorkbench } from './harness.mjs';

test('the extension activates on a .wat file, its language server runs, no errors in the extension host log', { timeout: 180_000 }, async () => {
  // Only this window's extension host counts: logs that appear after the page opens.
  const earlier = new Set(extensionHostLogs());
  const newLogs = () => extensionHostLogs().filter((f) => !earlier.has(f));
  const ownLogs = () => newLogs().map((f) => fs.readFileSync(f, 'utf8')).join('\n');
  await withWorkbench('0-activation', async (page) => {
    await openFile(page, 'debug.wat');
    // The language mode in the status bar comes from our manifest.
    await page.locator('#status\\.editor\\.mode', { hasText: 'WebAssembly Text' }).waitFor();
    await until(() => /_doActivateExtension wasmscope\.wasmscope\b/.test(ownLogs()),
      'the extension host log to show wasmscope.wasmscope activated');
    // The client's status item: the language server started.
    await waitForLanguageServer(page);
    await shot(page, '0-activation-opened-wat');
    // Errors: in the extension host's log when they name us; in our own output channels
    // (exthostN/wasmscope.wasmscope/*.log) all of them.
    const errors = newLogs().flatMap((f) => {
      const ours = f.includes(`${path.sep}wasmscope.wasmscope${path.sep}`);
      return fs.readFileSync(f, 'utf8').split('\n')
        .filter((l) => /Activating extension 'wasmscope\.wasmscope' failed/.test(l)
          || (/\[error\]/i.test(l) && (ours || /wasmscope/i.test(l))))
        .map((l) => `${path.basename(f)}: ${l}`);
    });
    assert.deepEqual(errors, [], 'errors about wasmscope in the extension host log');
    const toasts = await page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
    assert.deepEqual(toasts.filter((t) => /wasmscope/i.test(t)), [], 'error notifications from Wasmscope');
  });
});
