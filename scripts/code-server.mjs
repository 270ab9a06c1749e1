// A real VS Code (code-server 4.100.3) on this machine, shared by `npm run test:e2e` and `npm start`.
// Follows ../shared/docs/real-vscode.md step by step; the install is cached in .cache/ and reused.
//
// As a script: `node scripts/code-server.mjs setup` installs (or verifies) the cached copy.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CODE_SERVER_VERSION = '4.100.3';
// WASMSCOPE_CACHE_DIR moves the cache (e.g. to a CI cache volume); default: .cache/ in the repo.
export const CACHE_DIR = path.resolve(process.env.WASMSCOPE_CACHE_DIR ?? path.join(ROOT, '.cache'));
export const INSTALL_DIR = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
export const CODE_SERVER_BIN = path.join(INSTALL_DIR, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = '/usr/bin/chromium';
export const VSIX = path.join(ROOT, 'wasmscope-0.1.0.vsix');
// Written last: its presence means every step below finished.
const MARKER = path.join(INSTALL_DIR, '.wasmscope-setup-complete');
const LOCK = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}.lock`);
const SYSTEM_PACKAGES = ['libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev', 'ripgrep', 'chromium'];

/** Chromium flags the recipe needs when running as root on a headless machine. */
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Settings the recipe recommends, plus a few that keep the UI still for tests and demos. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.commandCenter.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'github.copilot.enable': { '*': false },
};

const log = (msg) => process.stderr.write(`[code-server] ${msg}\n`);

/**
 * Runs a command to completion, output to a log file (shown in part when it fails).
 * Its own process group, so a timeout kills npm and everything npm started.
 */
export function run(cmd, args, { cwd = ROOT, env = {}, timeoutMs = 15 * 60_000, logFile } = {}) {
  return new Promise((resolve, reject) => {
    const out = logFile ? fs.openSync(logFile, 'a') : 'inherit';
    if (logFile) fs.writeSync(out, `\n$ (cd ${cwd} && ${cmd} ${args.join(' ')})\n`);
    const child = spawn(cmd, args, {
      cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out], detached: true,
    });
    const timer = setTimeout(() => {
      killTree(child);
      reject(new Error(`${cmd} ${args.join(' ')} timed out after ${timeoutMs / 1000}s`));
    }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (logFile) fs.closeSync(out);
      if (code === 0) return resolve();
      const tail = logFile ? `\n--- last lines of ${logFile} ---\n${tailOf(logFile, 40)}` : '';
      reject(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${signal ?? `exit ${code}`}${tail}`));
    });
  });
}

function tailOf(file, lines) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** Kills a child started with `detached: true` and everything in its process group. */
export function killTree(child, signal = 'SIGTERM') {
  if (!child || child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

/** SIGTERM the group, then SIGKILL whatever is left after a grace period. */
export async function stopTree(child, graceMs = 5000) {
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', () => resolve('exited')));
  killTree(child, 'SIGTERM');
  const how = await raceTimeout(exited, graceMs);
  // The group may outlive its leader (extension host, language server): always sweep it.
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group is gone */ }
  if (how !== 'exited') await raceTimeout(exited, 2000);
}

/** `promise`'s value, or undefined after `ms`; the timer does not keep the process alive. */
function raceTimeout(promise, ms) {
  let timer;
  return Promise.race([promise, new Promise((r) => { timer = setTimeout(r, ms); })]).finally(() => clearTimeout(timer));
}

/** Installs the Debian packages the recipe needs, when missing (needs root and apt-get). */
export async function ensureSystemPackages(extra = [], logFile) {
  const wanted = [...SYSTEM_PACKAGES, ...extra];
  const missing = wanted.filter((p) => spawnSync('dpkg', ['-s', p], { stdio: 'ignore' }).status !== 0);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages: ${missing.join(' ')}; run as root: apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing system packages: ${missing.join(' ')}`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, logFile, timeoutMs: 10 * 60_000 });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env, logFile, timeoutMs: 20 * 60_000 });
}

export function isCodeServerInstalled() {
  return fs.existsSync(MARKER) && fs.existsSync(CODE_SERVER_BIN);
}

/**
 * Installs code-server into .cache/ exactly as the recipe says, unless a complete copy is there.
 * A leftover half-done install (no marker) is removed first; a lock directory keeps two setups
 * (e.g. `npm start` and `npm run test:e2e`) from racing.
 */
export async function ensureCodeServer() {
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const logFile = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}-setup.log`);
  await ensureSystemPackages([], logFile);
  if (isCodeServerInstalled()) return { cached: true };
  await withLock(async () => {
    if (isCodeServerInstalled()) return;
    const started = Date.now();
    log(`installing code-server ${CODE_SERVER_VERSION} into ${path.relative(ROOT, INSTALL_DIR)} (a few minutes; log: ${path.relative(ROOT, logFile)})`);
    fs.rmSync(INSTALL_DIR, { recursive: true, force: true });
    fs.mkdirSync(INSTALL_DIR, { recursive: true });
    fs.writeFileSync(path.join(INSTALL_DIR, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }, null, 2));
    const npmOpts = { logFile, env: { npm_config_fund: 'false', npm_config_audit: 'false', npm_config_update_notifier: 'false' } };
    await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`],
      { ...npmOpts, cwd: INSTALL_DIR, env: { ...npmOpts.env, npm_config_unsafe_perm: 'true' } });
    const vscodeDir = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'lib', 'vscode');
    await run('npm', ['install', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { ...npmOpts, cwd: vscodeDir });
    // The postinstall would download ripgrep from the internet; Debian's is the same program.
    const rgDir = path.join(vscodeDir, 'node_modules', '@vscode', 'ripgrep', 'bin');
    fs.mkdirSync(rgDir, { recursive: true });
    const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
    if (!rg) throw new Error('ripgrep (rg) is not on PATH');
    fs.copyFileSync(rg, path.join(rgDir, 'rg'));
    fs.chmodSync(path.join(rgDir, 'rg'), 0o755);
    log('building native modules (npm rebuild, 1-3 minutes)');
    await run('npm', ['rebuild'], { ...npmOpts, cwd: vscodeDir, env: { ...npmOpts.env, npm_config_yes: 'true' } });
    fs.rmSync(path.join(vscodeDir, 'node_modules.asar'), { force: true });
    fs.symlinkSync('node_modules', path.join(vscodeDir, 'node_modules.asar'));
    await run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund'], { ...npmOpts, cwd: path.join(vscodeDir, 'extensions') });
    await run('npm', ['rebuild', 'argon2'], { ...npmOpts, cwd: INSTALL_DIR });
    fs.writeFileSync(MARKER, `${new Date().toISOString()} setup took ${Math.round((Date.now() - started) / 1000)}s\n`);
    log(`code-server installed in ${Math.round((Date.now() - started) / 1000)}s`);
  });
  return { cached: false };
}

async function withLock(fn) {
  const deadline = Date.now() + 30 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // A lock whose owner died (killed CI job, Ctrl-C) is stale: take it over.
      const owner = Number(readOr(path.join(LOCK, 'pid'), '0'));
      if (!owner || !isAlive(owner)) {
        fs.rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${LOCK} (held by pid ${owner})`);
      log(`waiting for another setup (pid ${owner}) to finish`);
      await new Promise((r) => setTimeout(r, 5000));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}

function readOr(file, fallback) {
  try { return fs.readFileSync(file, 'utf8').trim(); } catch { return fallback; }
}

function isAlive(pid) {
  try { process.kill(pid, 0); return true; } catch (err) { return err.code === 'EPERM'; }
}

/** Builds the .vsix with the project's own `npm run package`. */
export async function packageVsix(logFile) {
  fs.rmSync(VSIX, { force: true });
  await run('npm', ['run', 'package'], { logFile, timeoutMs: 10 * 60_000 });
  if (!fs.existsSync(VSIX)) throw new Error(`npm run package did not produce ${VSIX}`);
  return VSIX;
}

/** Installs a .vsix into an extensions folder of its own (the user's is never touched). */
export async function installExtension(vsix, extensionsDir, logFile) {
  fs.mkdirSync(extensionsDir, { recursive: true });
  await run(CODE_SERVER_BIN, ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--force'],
    { logFile, timeoutMs: 3 * 60_000 });
}

export function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ ...BASE_SETTINGS, ...extra }, null, 2));
}

/** A port that was free on 127.0.0.1 a moment ago (the OS picks it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1 (never another address), no auth, in its own process group.
 * Resolves once its HTTP server answers; `stop()` ends it and everything it started.
 */
export async function startCodeServer({ folder, userDataDir, extensionsDir, port, logFile, extraArgs = [], timeoutMs = 90_000 }) {
  port ??= await freePort();
  const args = [
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, ...extraArgs, folder,
  ];
  const out = logFile ? fs.openSync(logFile, 'a') : 'ignore';
  const child = spawn(CODE_SERVER_BIN, args, {
    cwd: ROOT, detached: true, stdio: ['ignore', out, out],
    // Started from a VS Code terminal, these would make code-server act as that VS Code's CLI.
    env: { ...process.env, VSCODE_CLI: undefined, VSCODE_IPC_HOOK_CLI: undefined, ELECTRON_RUN_AS_NODE: undefined },
  });
  if (logFile) fs.closeSync(out);
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
  const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve(sig ?? code)));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const status = await Promise.race([exited.then((c) => `exited:${c}`), httpStatus(port)]);
      if (typeof status === 'string' && status.startsWith('exited:')) {
        throw new Error(`code-server exited (${status.slice(7)}) before answering${logFile ? `:\n${tailOf(logFile, 30)}` : ''}`);
      }
      if (status && status < 500) break;
      if (Date.now() > deadline) throw new Error(`code-server did not answer on port ${port} within ${timeoutMs / 1000}s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stopTree(child);
    throw err;
  }
  return { child, port, url, stop: () => stopTree(child) };
}

function httpStatus(port) {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.setTimeout(2000, () => { sock.destroy(); resolve(0); });
    sock.on('error', () => resolve(0));
    sock.on('connect', () => sock.write('GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n'));
    sock.on('data', (d) => {
      data += d;
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(data);
      if (m) { sock.destroy(); resolve(Number(m[1])); }
    });
    sock.on('end', () => resolve(0));
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const cmd = process.argv[2] ?? 'setup';
  if (cmd !== 'setup') {
    console.error('usage: node scripts/code-server.mjs setup');
    process.exit(2);
  }
  const t0 = Date.now();
  ensureCodeServer().then(({ cached }) => {
    log(`${cached ? 'cached install is complete' : 'installed'} (${((Date.now() - t0) / 1000).toFixed(1)}s): ${CODE_SERVER_BIN}`);
  }, (err) => {
    console.error(err.message);
    process.exit(1);
  });
}
