// Check 7: F5 on a Rust and on a C++ program (test/fixtures/lang, copied into the workspace's lang/
// by run.mjs) stops at a breakpoint in the source file; the Variables view shows a Rust `Vec` and
// a libc++ `std::map` by their formatters' summaries, and expanding them lists their elements.
/* global document -- page.evaluate callbacks run in the browser */
import * as path from 'node:path';
import { test } from 'node:test';
import {
  SLOW_TIMEOUT, checkWorkspace, goToLine, lineOf, openFile, shot, startDebugging, waitForStoppedAt,
  waitForVariable, withWorkbench,
} from './harness.mjs';

/** Sets a breakpoint at `marker` of `source`, presses F5 on `program`, and waits for the stop. */
async function stopAt(page, workspace, source, marker, program) {
  const line = lineOf(path.join(workspace, source), `// @${marker}`);
  await openFile(page, source);
  await goToLine(page, line, 5);
  await page.keyboard.press('F9');
  await page.locator('.monaco-editor [class*="codicon-debug-breakpoint"]').first().waitFor();
  await openFile(page, program);
  await startDebugging(page);
  await waitForStoppedAt(page, line, path.basename(source));
}

/** Whether a Variables view row's aria-label ("NAME, value VALUE") matches `re`. */
const rowShown = (page, re) => page.evaluate(({ src, flags }) => {
  const r = new RegExp(src, flags);
  return [...document.querySelectorAll('.debug-variables .monaco-list-row')].some((row) => r.test(row.getAttribute('aria-label') ?? ''));
}, { src: re.source, flags: re.flags });

/**
 * Scrolls the Variables view (a virtual list: only the rows in sight exist) down until a row
 * matching `re` shows.
 */
async function revealVariable(page, re) {
  await waitForVariable(page, /, value /);
  const box = await page.locator('.debug-variables .monaco-list').first().boundingBox();
  for (let i = 0; i < 40 && !(await rowShown(page, re)); i++) {
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, 120);
  }
  await waitForVariable(page, re);
}

/** Expands the row of `name` (its summary matching `value`) as a user would, by a click. */
async function expandVariable(page, name, value) {
  await revealVariable(page, new RegExp(`^${name}, value ${value.source}`));
  const row = page.locator(`.debug-variables .monaco-list-row[aria-label^="${name}, value "]`).first();
  await row.click();
  if (await row.getAttribute('aria-expanded') === 'false') await page.keyboard.press('ArrowRight');
}

test('a Rust Vec and a C++ std::map show their elements in the Variables view', { timeout: 300_000 }, async () => {
  const workspace = checkWorkspace('7-rust-cpp-values');
  await withWorkbench('7-rust-cpp-values', async (page) => {
    await stopAt(page, workspace, 'lang/src/values.rs', 'main-values', 'lang/values-rs.wasm');
    await expandVariable(page, 'numbers', /len=3 \[10, 20, 30\]/);
    await revealVariable(page, /^\[0\], value 10\b/);
    await revealVariable(page, /^\[2\], value 30\b/);
    await shot(page, '7-rust-vec-expanded');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: SLOW_TIMEOUT });

    await stopAt(page, workspace, 'lang/values.cpp', 'main-values', 'lang/values-cpp.wasm');
    await expandVariable(page, 'names', /size=3 \{1: "one", 2: "two", 3: "three"\}/);
    await revealVariable(page, /^\[1\], value "one"/);
    await revealVariable(page, /^\[3\], value "three"/);
    await shot(page, '7-cpp-map-expanded');
    await page.keyboard.press('Shift+F5');
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: SLOW_TIMEOUT });
  });
});
