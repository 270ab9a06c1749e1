// What the e2e checks share: a Chromium page on the code-server that run.mjs started, and the few
// gestures a user makes (command palette, quick open, go to line, typing, keys), each of which
// waits for the UI to show its effect rather than for a fixed time.
/* global document, getComputedStyle -- page.evaluate callbacks run in the browser */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../scripts/code-server.mjs';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the checks through \`npm run test:e2e\` (test/e2e/run.mjs)`);
  return v;
};

export const USER_DATA = () => env('E2E_USER_DATA');

/**
 * Each check works in a fresh copy of the fixture workspace (test/e2e/workspace plus the binaries
 * run.mjs adds), at .work/checks/NAME-PID/workspace: VS Code keeps editor state per folder, so no
 * check sees the tabs, edits or layout an earlier one left behind.
 */
export function checkWorkspace(name) {
  let dir = workspaces.get(name);
  if (!dir) {
    // The pid keeps a re-run (e.g. against `run.mjs --serve`) away from an earlier run's state.
    dir = path.join(path.dirname(env('E2E_FIXTURE')), 'checks', `${name}-${process.pid}`, 'workspace');
    fs.rmSync(dir, { recursive: true, force: true });
    fs.cpSync(env('E2E_FIXTURE'), dir, { recursive: true });
    workspaces.set(name, dir);
  }
  return dir;
}
const workspaces = new Map();

/** How long a single UI condition may take before the check fails (a slow shared CI box included). */
export const UI_TIMEOUT = 30_000;
/** For conditions that involve the language server or the debugger starting up. */
export const SLOW_TIMEOUT = 60_000;

let shotCount = 0;

/**
 * Opens the workbench in a fresh browser, runs `fn(page)`, and always closes the browser.
 * On failure it saves a screenshot named after the check, so CI shows what the editor looked like.
 */
export async function withWorkbench(name, fn) {
  // launchServer (not launch) exposes the browser's pid, which run.mjs needs to clean up after a crash.
  const server = await chromium.launchServer({
    executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 60_000,
  });
  const pid = server.process()?.pid;
  const pidFile = pid && process.env.E2E_PIDS ? path.join(process.env.E2E_PIDS, String(pid)) : undefined;
  if (pidFile) fs.writeFileSync(pidFile, '');
  let browser;
  let page;
  try {
    browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    page.setDefaultTimeout(UI_TIMEOUT);
    const folder = checkWorkspace(name);
    await page.goto(`${env('E2E_SERVER')}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await waitForWorkbench(page, folder);
    await fn(page, { name, page });
  } catch (err) {
    if (page) await shot(page, `${name}-FAILED`).catch(() => {});
    const notes = page ? await notifications(page).catch(() => []) : [];
    if (notes.length) err.message += `\nnotifications on screen: ${notes.join(' | ')}`;
    throw err;
  } finally {
    // Each step on its own: a failing one must not leave the browser running.
    // Leaving the page (rather than killing it) lets the workbench end its extension host, which
    // code-server would otherwise keep for a reconnection that never comes.
    if (page) {
      page.on('dialog', (d) => void d.accept().catch(() => {}));
      await withTimeout(page.goto('about:blank', { timeout: 10_000 }), 12_000).catch(() => {});
    }
    if (browser) await withTimeout(browser.close().then(() => server.close()), 10_000).catch(() => {});
    await withTimeout(server.kill(), 5000).catch(() => {});
    if (pid) { try { process.kill(-pid, 'SIGKILL'); } catch { /* closed */ } }
    if (pidFile) fs.rmSync(pidFile, { force: true });
  }
}

/** Resolves with `promise`, or after `ms` without it; the timer never keeps the process alive. */
export function withTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
}

/** The workbench is ready when its parts are laid out and the window title names the folder. */
async function waitForWorkbench(page, folder) {
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 90_000 });
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: 90_000 });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
  const name = path.basename(folder);
  await page.waitForFunction((n) => document.title.includes(n), name, { timeout: 90_000 });
}

/** Saves a screenshot in test/e2e/screenshots/, numbered in the order taken. */
export async function shot(page, name) {
  const dir = process.env.E2E_SCREENSHOTS ?? path.join(import.meta.dirname, 'screenshots');
  fs.mkdirSync(dir, { recursive: true });
  shotCount += 1;
  // "3-module-tree-wat" → "3.01-module-tree-wat.png": files sort by check, then by step.
  const safe = name.replace(/[^\w.-]+/g, '-');
  const m = /^(\d+)-(.*)$/.exec(safe);
  const nn = String(shotCount).padStart(2, '0');
  const file = path.join(dir, m ? `${m[1]}.${nn}-${m[2]}.png` : `${nn}-${safe}.png`);
  await page.screenshot({ path: file, timeout: 15_000 });
  return file;
}

/** Texts of the notification toasts currently shown. */
export async function notifications(page) {
  return page.locator('.notification-toast .notification-list-item-message').allInnerTexts();
}

/** Runs a command from the Command Palette by its title, as a user would (Ctrl+Shift+P, type, Enter). */
export async function runCommand(page, title) {
  const widget = page.locator('.quick-input-widget');
  await closeQuickInput(page);
  await page.keyboard.press('Control+Shift+P');
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  // Enter picks the focused row: wait until that row is exactly the command asked for (not,
  // say, "View: Close All Editors in Group" for "View: Close All Editors").
  const row = widget.locator('.monaco-list-row.focused')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
  await row.first().waitFor();
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function closeQuickInput(page) {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden' });
  }
}

/** Opens a workspace file with Quick Open (Ctrl+P) and waits for its editor to be active. */
export async function openFile(page, relPath) {
  const base = path.basename(relPath);
  const widget = page.locator('.quick-input-widget');
  await closeQuickInput(page);
  await page.keyboard.press('Control+P');
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relPath);
  await widget.locator('.monaco-list-row.focused', { hasText: base }).first().waitFor();
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await activeTab(page, base).waitFor();
}

export function activeTab(page, base) {
  return page.locator(`.tabs-container .tab.active[aria-label^="${base}"]`);
}

/** The active text editor (Monaco) in the editor area. */
export function activeEditor(page) {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** Moves the cursor with Go to Line (Ctrl+G), then checks the status bar agrees. */
export async function goToLine(page, line, column = 1) {
  await focusEditor(page);
  await page.keyboard.press('Control+G');
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden' });
  await waitForCursor(page, line, column);
}

/** Waits for the status bar to show the cursor at that line (and column): "Ln 12, Col 5". */
export async function waitForCursor(page, line, column) {
  const want = new RegExp(column === undefined ? `\\bLn ${line},` : `\\bLn ${line}, Col ${column}\\b`);
  await page.locator('#status\\.editor\\.selection', { hasText: want }).waitFor();
}

export async function focusEditor(page) {
  const editor = activeEditor(page);
  await editor.waitFor();
  // Clicking would move the cursor; focusing the hidden textarea keeps it where it is.
  await editor.locator('textarea.inputarea, .native-edit-context').first().focus();
}

/** Replaces the active editor's whole text and saves, then checks the file on disk. */
export async function replaceAllText(page, text, file) {
  await focusEditor(page);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  await page.keyboard.press('Control+S');
  if (file) await until(() => fs.readFileSync(file, 'utf8') === text, `${path.basename(file)} saved with the new text`);
}

/** Polls a Node-side condition (a file, a log) until it holds. */
export async function until(cond, what, timeout = UI_TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout / 1000}s waiting for: ${what}${last ? ` (${last.message})` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Extension host log files of this run (code-server writes them under the user-data dir). */
export function extensionHostLogs() {
  const out = [];
  const walk = (dir) => {
    let entries = [];
    try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost/i.test(p) && p.endsWith('.log')) out.push(p);
    }
  };
  walk(path.join(USER_DATA(), 'logs'));
  return out;
}

/** The 1-based number of the line that contains `marker` (fixtures mark lines with `;; @name`). */
export function lineOf(file, marker) {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(marker));
  if (i < 0) throw new Error(`${marker} not found in ${file}`);
  return i + 1;
}

/** The 1-based column where `text` starts on that line. */
export function columnOf(file, line, text) {
  const col = fs.readFileSync(file, 'utf8').split('\n')[line - 1].indexOf(text);
  if (col < 0) throw new Error(`${text} not on line ${line} of ${file}`);
  return col + 1;
}

/**
 * The Problems panel's entries, read from its rows' accessible labels:
 * "Error: MESSAGE at line 5 and character 15. generated by SOURCE", grouped under file rows.
 */
export async function problems(page) {
  const labels = await page.locator('.markers-panel .monaco-list-row').evaluateAll(
    (rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  const out = [];
  let file;
  for (const label of labels) {
    const f = /problems? in file (.+?) of folder/.exec(label);
    if (f) { file = f[1]; continue; }
    const m = /^(Error|Warning|Info|Hint): ([\s\S]*) at line (\d+) and character (\d+)\./.exec(label);
    if (m) out.push({ file, severity: m[1], message: m[2], line: Number(m[3]), column: Number(m[4]) });
  }
  return out;
}

/**
 * The status bar item of our language client says "Wasm" with a check mark once the server runs
 * (a spinner while it starts, an error icon when it failed).
 */
export async function waitForLanguageServer(page) {
  const item = page.locator('.statusbar-item[id$="wasmscope.status"]');
  await page.locator('.statusbar-item[id$="wasmscope.status"][aria-label*="is running"]').waitFor({ timeout: SLOW_TIMEOUT }).catch(async (err) => {
      const label = await item.getAttribute('aria-label', { timeout: 1000 }).catch(() => 'no Wasmscope status item');
      throw new Error(`the Wasmscope language server is not running; its status item says: ${label}\n${err.message}`);
    });
}

/**
 * Asks again until `appeared` resolves: a request made while the server is still analysing the
 * document can come back empty, and a user would simply ask again.
 */
export async function retry(page, what, ask, appeared, { attempts = 4, each = 15_000 } = {}) {
  let last;
  for (let i = 1; i <= attempts; i++) {
    await ask(i);
    try {
      return await appeared(each);
    } catch (err) {
      last = err;
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`${what}: nothing after ${attempts} attempts\n${last?.message ?? ''}`);
}

/** Waits for a visible, fully faded-in hover widget whose text matches, and returns that text. */
export async function waitForHover(page, pattern, timeout = SLOW_TIMEOUT) {
  const hover = page.locator('.monaco-hover:not(.hidden)', { hasText: pattern }).first();
  await hover.waitFor({ timeout });
  await hover.evaluate((el) => new Promise((resolve) => {
    const done = () => getComputedStyle(el).opacity === '1' && resolve();
    el.getAnimations({ subtree: true }).forEach((a) => a.finished.then(done, done));
    done();
    setTimeout(resolve, 2000); // a fade that never reports finishing must not block the check
  }));
  return hover.innerText();
}

/** Labels of the suggest widget's rows once one matches `pattern`. */
export async function waitForSuggestion(page, pattern, timeout = SLOW_TIMEOUT) {
  const rows = page.locator('.editor-widget.suggest-widget .monaco-list-row');
  await rows.filter({ hasText: pattern }).first().waitFor({ timeout });
  return rows.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label') ?? r.textContent));
}

/** The text of the line the cursor is on, as the editor renders it. */
export async function currentLineText(page) {
  // Monaco renders lines out of DOM order: pick the line at the current-line overlay's height.
  return activeEditor(page).evaluate((ed) => {
    const top = ed.querySelector('.view-overlays .current-line')?.parentElement?.style.top;
    const line = [...ed.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
    return line ? line.textContent.replace(/\u00a0/g, ' ') : '';
  });
}

/**
 * Presses F5 and, if VS Code asks which debugger to use, answers Wasmscope as a user would.
 * A session has started once the debug toolbar, or output in the Debug Console, shows up.
 */
export async function startDebugging(page) {
  const toolbar = page.locator('.debug-toolbar');
  const picker = page.locator('.quick-input-widget .monaco-list-row', { hasText: /Wasmscope|WebAssembly/ }).first();
  const started = toolbar.or(picker).or(replLine(page, /./)).first();
  await retry(page, 'F5 to start a debug session', async (attempt) => {
    if (attempt > 1) {
      const file = await shot(page, 'F5-not-started');
      console.log(`# F5 did not start a session (${path.basename(file)}); pressing it again (attempt ${attempt})`);
    }
    if (await activeEditor(page).isVisible()) {
      await focusEditor(page);
    } else {
      // A custom editor (the .wasm view) is a webview, which takes keys only once its content has
      // loaded; its tab, in the workbench itself, takes F5 at once and keeps the editor active.
      await page.locator('.tabs-container .tab.active').focus();
    }
    await page.keyboard.press('F5');
  }, (timeout) => started.waitFor({ timeout }), { attempts: 3, each: 20_000 });
  if (await picker.isVisible()) {
    await picker.click();
  }
}

/** The Debug Console's rows (its output), as text. */
export async function debugConsoleText(page) {
  return (await page.locator('.repl .monaco-list-row').allInnerTexts()).join('\n');
}

export function replLine(page, pattern) {
  return page.locator('.repl .monaco-list-row', { hasText: pattern }).first();
}

/** The top stack frame's line in the Call Stack view ("Stack Frame NAME, line N, FILE"). */
export async function waitForStoppedAt(page, line, file) {
  const frame = page.locator('.debug-call-stack .monaco-list-row[aria-label^="Stack Frame"]').first();
  await page.locator(`.debug-call-stack .monaco-list-row[aria-label^="Stack Frame"][aria-label*=", line ${line}, ${file}"]`)
    .first().waitFor({ timeout: SLOW_TIMEOUT }).catch(async (err) => {
      const seen = await frame.getAttribute('aria-label', { timeout: 1000 }).catch(() => 'no stack frame');
      throw new Error(`expected to stop at ${file}:${line}; the top stack frame is: ${seen}\n${err.message}`);
    });
}

/** Waits for a Variables view row "NAME, value VALUE" matching `pattern`. */
export async function waitForVariable(page, pattern) {
  const row = page.locator('.debug-variables .monaco-list-row').filter({ has: page.locator('.expression') });
  await page.waitForFunction(({ src, flags }) => {
    const re = new RegExp(src, flags);
    return [...document.querySelectorAll('.debug-variables .monaco-list-row')]
      .some((r) => re.test(r.getAttribute('aria-label') ?? ''));
  }, { src: pattern.source, flags: pattern.flags }, { timeout: SLOW_TIMEOUT }).catch(async (err) => {
    const seen = await row.evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label'))).catch(() => []);
    throw new Error(`no variable matching ${pattern} in the Variables view; it shows: ${JSON.stringify(seen)}\n${err.message}`);
  });
}
