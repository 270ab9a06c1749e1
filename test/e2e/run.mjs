// `npm run test:e2e`: the extension in a real VS Code (code-server 4.100.3 + Debian's Chromium).
// Sets up (cached in .cache/), packages and installs the .vsix, starts code-server on 127.0.0.1,
// then runs test/e2e/*.e2e.mjs with Node's test runner; each check opens its own copy of
// test/e2e/workspace/ (plus module.wasm, the C example's primes.wasm and the Rust/C++ value fixtures in lang/) in a fresh Chromium.
//
//   node test/e2e/run.mjs                 the whole thing (what CI runs)
//   node test/e2e/run.mjs --serve         set up and keep code-server running; prints the env to
//                                         run single files: E2E_SERVER=... node --test test/e2e/x.e2e.mjs
//   node test/e2e/run.mjs --no-package    reuse the existing .vsix (faster local iteration)
//   node test/e2e/run.mjs FILTER...       only the *.e2e.mjs files whose name contains FILTER
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ROOT, VSIX, ensureCodeServer, installExtension, packageVsix, startCodeServer, stopTree, writeUserSettings,
} from '../../scripts/code-server.mjs';
import { E2E_SETTINGS } from './settings.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const WORK = path.join(HERE, '.work');
const SCREENSHOTS = path.join(HERE, 'screenshots');
// CI has 90 minutes for everything; a cold setup takes ~5, the checks ~3. Never hang beyond this.
const OVERALL_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 30 * 60_000);
const TESTS_TIMEOUT_MS = Number(process.env.E2E_TESTS_TIMEOUT_MS ?? 15 * 60_000);

const argv = process.argv.slice(2);
const serve = argv.includes('--serve');
const noPackage = argv.includes('--no-package');
const filters = argv.filter((a) => !a.startsWith('--'));

const say = (msg) => console.log(`[e2e] ${msg}`);
const secs = (t) => `${((Date.now() - t) / 1000).toFixed(1)}s`;

let codeServer;
let runner;
let cleaningUp;

/** Stops everything this run started: the test runner's group, browsers it reported, code-server. */
function cleanup() {
  cleaningUp ??= (async () => {
    await stopTree(runner, 3000);
    killRecordedBrowsers();
    await codeServer?.stop();
  })();
  return cleaningUp;
}

// Playwright starts Chromium in a process group of its own; the harness writes its pid here so a
// killed or crashed test process cannot leave a browser behind.
const PIDS = path.join(WORK, 'pids');
function killRecordedBrowsers() {
  let names = [];
  try { names = fs.readdirSync(PIDS); } catch { return; }
  for (const name of names) {
    const pid = Number(name);
    if (pid > 0) {
      try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    fs.rmSync(path.join(PIDS, name), { force: true });
  }
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    say(`${sig}: stopping`);
    void cleanup().finally(() => process.exit(130));
  });
}

const watchdog = setTimeout(() => {
  console.error(`[e2e] overall timeout (${OVERALL_TIMEOUT_MS / 60_000} min): stopping everything`);
  void cleanup().finally(() => process.exit(124));
}, OVERALL_TIMEOUT_MS);
watchdog.unref();

async function main() {
  const tAll = Date.now();
  const logs = path.join(WORK, 'logs');
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(logs, { recursive: true });
  fs.mkdirSync(PIDS, { recursive: true });
  fs.rmSync(SCREENSHOTS, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });

  let t = Date.now();
  const { cached } = await ensureCodeServer();
  say(`code-server ${cached ? 'cached' : 'installed'} (${secs(t)})`);

  t = Date.now();
  if (noPackage && fs.existsSync(VSIX)) {
    say(`reusing ${path.relative(ROOT, VSIX)}`);
  } else {
    await packageVsix(path.join(logs, 'package.log'));
    say(`packaged ${path.relative(ROOT, VSIX)} (${secs(t)})`);
  }

  t = Date.now();
  const extensionsDir = path.join(WORK, 'extensions');
  const userDataDir = path.join(WORK, 'user-data');
  // The checks edit files: each works on its own copy of this (harness.mjs checkWorkspace), never
  // on the fixtures in git.
  const fixture = path.join(WORK, 'workspace');
  fs.cpSync(path.join(HERE, 'workspace'), fixture, { recursive: true });
  await addBinaries(fixture);
  await installExtension(VSIX, extensionsDir, path.join(logs, 'install-extension.log'));
  writeUserSettings(userDataDir, E2E_SETTINGS);
  codeServer = await startCodeServer({
    folder: fixture, userDataDir, extensionsDir, logFile: path.join(logs, 'code-server.log'),
  });
  say(`code-server listening on 127.0.0.1:${codeServer.port} (pid ${codeServer.child.pid}, ${secs(t)})`);

  const env = {
    E2E_SERVER: `http://127.0.0.1:${codeServer.port}`,
    E2E_FIXTURE: fixture,
    E2E_USER_DATA: userDataDir,
    E2E_SCREENSHOTS: SCREENSHOTS,
    E2E_PIDS: PIDS,
  };
  if (serve) {
    say('serving until Ctrl-C; run a test file with:');
    console.log(Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ') + ' node --test test/e2e/<name>.e2e.mjs');
    await new Promise(() => {});
  }

  const files = fs.readdirSync(HERE)
    .filter((f) => f.endsWith('.e2e.mjs'))
    .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
    .sort()
    .map((f) => path.join('test', 'e2e', f));
  if (files.length === 0) throw new Error(`no test/e2e/*.e2e.mjs files${filters.length ? ` match ${filters.join(' ')}` : ''}`);

  t = Date.now();
  const tap = path.join(WORK, 'results.tap');
  const status = await new Promise((resolve) => {
    runner = spawn(process.execPath, [
      // --test-force-exit (Node >= 20.14): a check that failed half-way must not keep its file's
      // process alive; older Nodes rely on the overall timeout instead.
      '--test', '--test-concurrency=1',
      ...(hasTestForceExit() ? ['--test-force-exit'] : []),
      '--test-reporter=spec', '--test-reporter-destination=stdout',
      '--test-reporter=tap', `--test-reporter-destination=${tap}`,
      ...files,
    ], { cwd: ROOT, stdio: 'inherit', detached: true, env: { ...process.env, ...env } });
    const timer = setTimeout(() => {
      console.error(`[e2e] the checks did not finish within ${TESTS_TIMEOUT_MS / 60_000} min: stopping them`);
      void stopTree(runner, 3000);
    }, TESTS_TIMEOUT_MS);
    runner.on('exit', (code, signal) => { clearTimeout(timer); resolve(signal ? 1 : code ?? 1); });
  });
  say(`checks finished in ${secs(t)}`);

  await cleanup();
  reportExtensionHostLog(userDataDir);
  const counts = tapCounts(fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '');
  const count = (what) => counts[what];
  say(`total ${secs(tAll)}: pass ${count('pass')}, fail ${count('fail')}, skipped ${count('skipped')}, todo ${count('todo')}`);
  say(`screenshots in ${path.relative(ROOT, SCREENSHOTS)}/, logs in ${path.relative(ROOT, logs)}/ and ${path.relative(ROOT, userDataDir)}/logs/`);
  if (status !== 0 || count('fail') > 0) return 1;
  if (count('pass') === 0) {
    console.error('[e2e] no check passed at all: treating as a failure');
    return 1;
  }
  return 0;
}

function hasTestForceExit() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  return major > 20 || (major === 20 && minor >= 14);
}

/**
 * Counts the top-level results in the TAP file. The runner's own "# pass N" summary may be cut
 * off by --test-force-exit, so count the "ok" / "not ok" lines and their directives instead.
 */
function tapCounts(text) {
  const counts = { pass: 0, fail: 0, skipped: 0, todo: 0 };
  for (const line of text.split('\n')) {
    const m = /^(not )?ok \d+\b(.*)$/.exec(line);
    if (!m) continue;
    if (/#\s*SKIP\b/i.test(m[2])) counts.skipped++;
    else if (/#\s*TODO\b/i.test(m[2])) counts.todo++;
    else if (m[1]) counts.fail++;
    else counts.pass++;
  }
  return counts;
}

/**
 * The binaries the checks open: module.wasm assembled from module.wat with wabt (the same module,
 * so the tree must list the same imports and exports), and the C example's -g build.
 */
async function addBinaries(workspace) {
  const { default: initWabt } = await import('wabt');
  const wabt = await initWabt();
  const wat = fs.readFileSync(path.join(workspace, 'module.wat'), 'utf8');
  const mod = wabt.parseWat('module.wat', wat);
  try {
    fs.writeFileSync(path.join(workspace, 'module.wasm'), mod.toBinary({ write_debug_names: true }).buffer);
  } finally {
    mod.destroy();
  }
  fs.copyFileSync(path.join(ROOT, 'examples', 'c', 'primes.wasm'), path.join(workspace, 'primes.wasm'));
  // The Rust and C++ value fixtures (test/fixtures/lang, rebuilt by its build.sh) with their sources.
  const lang = path.join(ROOT, 'test', 'fixtures', 'lang');
  fs.mkdirSync(path.join(workspace, 'lang', 'src'), { recursive: true });
  for (const f of ['values-rs.wasm', 'src/values.rs', 'values-cpp.wasm', 'values.cpp', 'cstrings.c']) {
    fs.copyFileSync(path.join(lang, f), path.join(workspace, 'lang', f));
  }
}

/**
 * Prints what the extension host and our output channels logged at warning level and above.
 * Errors after "Extension host terminating" (requests cut off when a check closes its window)
 * are counted apart: they say little about the product.
 */
function reportExtensionHostLog(userDataDir) {
  const files = findFiles(path.join(userDataDir, 'logs'), (f) => /exthost/i.test(f) && f.endsWith('.log'));
  const lines = [];
  let atShutdown = 0;
  for (const f of files) {
    // Our own output channels (exthostN/wasmscope.wasmscope/*.log) report everything; the shared
    // extension host log only what names us.
    const ours = f.includes(`${path.sep}wasmscope.wasmscope${path.sep}`);
    let terminating = false;
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (/Extension host terminating/.test(line)) terminating = true;
      if (!/\[(error|warning)\]/i.test(line) || !(ours || /wasmscope/i.test(line))) continue;
      if (terminating) atShutdown++;
      else lines.push(`${path.basename(f)}: ${line}`);
    }
  }
  if (lines.length) {
    say(`extension host log: ${lines.length} warning/error line(s) about wasmscope:`);
    for (const l of lines.slice(0, 30)) console.log(`  ${l}`);
  } else {
    say(`extension host log: no warnings or errors about wasmscope while the windows were open (${files.length} log file(s))`);
  }
  if (atShutdown) say(`extension host log: ${atShutdown} more while windows closed (requests cut off by the shutdown)`);
}

function findFiles(dir, pred, out = []) {
  let entries = [];
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) findFiles(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (err) {
  console.error(`[e2e] ${err.stack ?? err}`);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
