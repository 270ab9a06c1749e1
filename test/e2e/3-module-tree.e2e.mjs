// Check 3: the "WebAssembly Module" view in the Explorer lists a module's imports and exports,
// for a .wat and for a .wasm, and clicking an export reveals its definition.
import * as path from 'node:path';
import { test } from 'node:test';
import {
  checkWorkspace, lineOf, openFile, runCommand, shot, waitForCursor, waitForLanguageServer, withWorkbench,
} from './harness.mjs';

const IMPORTS = ['log_i32', 'memory', 'base'];
const EXPORTS = ['total', 'add', 'factorial', 'fns'];

function moduleView(page) {
  return page.locator('.pane').filter({ has: page.locator('.pane-header[aria-label^="WebAssembly Module"]') });
}

/** Expands the tree's top-level group whose label starts with `group` and waits for `names` under it. */
async function expectGroup(page, group, names) {
  const view = moduleView(page);
  const header = view.locator('.monaco-list-row', { hasText: new RegExp(`^\\s*${group}`, 'i') }).first();
  await header.waitFor({ timeout: 60_000 });
  if (await header.getAttribute('aria-expanded') === 'false') await header.click();
  for (const name of names) {
    await view.locator('.monaco-list-row', { hasText: name }).first().waitFor();
  }
}

/** The view's header names the file it shows (the tree follows the active editor). */
async function viewShows(page, file) {
  await moduleView(page).locator('.pane-header', { hasText: file }).waitFor();
}

/** Gives the module view most of the side bar, so the virtualized tree renders every row. */
async function showModuleView(page) {
  await runCommand(page, 'Explorer: Focus on WebAssembly Module View');
  for (const other of ['Explorer Section', 'Outline Section', 'Timeline Section']) {
    const header = page.locator(`.pane-header[aria-label^="${other}"]`).first();
    if (await header.count() && await header.getAttribute('aria-expanded') === 'true') await header.click();
  }
  await moduleView(page).locator('.monaco-list-row').first().waitFor({ timeout: 60_000 });
}

test('the module tree lists the imports and exports of a .wat and a .wasm; clicking an export reveals its definition', { timeout: 240_000 }, async () => {
  const file = path.join(checkWorkspace('3-module-tree'), 'module.wat');
  const defLine = lineOf(file, '@def-factorial');
  await withWorkbench('3-module-tree', async (page) => {
    try {
      await openFile(page, 'module.wat');
      await waitForLanguageServer(page);
      await showModuleView(page);
      await viewShows(page, 'module.wat');
      await expectGroup(page, 'Imports', IMPORTS);
      await expectGroup(page, 'Exports', EXPORTS);
      await shot(page, '3-module-tree-wat');

      // The row under Exports reads "factorial  func 2 $factorial (param i32) ...".
      const exportRow = moduleView(page).locator('.monaco-list-row', { hasText: /^\s*factorial/ }).first();
      await exportRow.click();
      await waitForCursor(page, defLine);
      await page.locator('.tabs-container .tab.active[aria-label^="module.wat"]').waitFor();
      await shot(page, '3-module-tree-revealed');

      await openFile(page, 'module.wasm');
      await viewShows(page, 'module.wasm');
      await expectGroup(page, 'Imports', IMPORTS);
      await expectGroup(page, 'Exports', EXPORTS);
      await shot(page, '3-module-tree-wasm');
    } finally {
      // Leave the side bar as the other checks expect it.
      const explorer = page.locator('.pane-header[aria-label^="Explorer Section"]').first();
      if (await explorer.count() && await explorer.getAttribute('aria-expanded') === 'false') await explorer.click();
    }
  });
});
