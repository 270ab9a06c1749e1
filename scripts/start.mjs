// `npm start`: opens examples/ with the extension loaded, in the best editor at hand.
// - a local VS Code (`code` on PATH): `code --extensionDevelopmentPath=<repo> examples`
// - otherwise code-server 4.100.3 on 127.0.0.1 (set up and cached as for `npm run test:e2e`), with
//   the packaged extension installed; prints the URL and runs until Ctrl-C.
// The package.json script builds first. WASMSCOPE_PORT picks the port (default: 8080 when free).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import {
  CACHE_DIR, ROOT, VSIX, ensureCodeServer, freePort, installExtension, packageVsix, startCodeServer, writeUserSettings,
} from './code-server.mjs';

const EXAMPLES = path.join(ROOT, 'examples');
const say = (msg) => console.log(`[start] ${msg}`);

function onPath(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

async function withLocalVSCode() {
  say('opening examples/ in VS Code with the extension from this checkout (extension development mode)');
  const child = spawn('code', [`--extensionDevelopmentPath=${ROOT}`, EXAMPLES], { stdio: 'inherit' });
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code === 0) say('VS Code is open; after `npm run build`, run "Developer: Reload Window" to pick up changes.');
  return code;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function withCodeServer() {
  say('no `code` on PATH: using code-server in the browser instead');
  const { cached } = await ensureCodeServer();
  if (!cached) say('code-server is set up (cached in .cache/ for next time)');
  const home = path.join(CACHE_DIR, 'start');
  const logs = path.join(home, 'logs');
  fs.mkdirSync(logs, { recursive: true });
  say('packaging the extension (npm run package)');
  await packageVsix(path.join(logs, 'package.log'));
  const extensionsDir = path.join(home, 'extensions');
  await installExtension(VSIX, extensionsDir, path.join(logs, 'install-extension.log'));
  const userDataDir = path.join(home, 'user-data');
  // First run only: the user's own changes to these settings survive later runs.
  if (!fs.existsSync(path.join(userDataDir, 'User', 'settings.json'))) writeUserSettings(userDataDir);

  const wanted = Number(process.env.WASMSCOPE_PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const server = await startCodeServer({
    folder: EXAMPLES, userDataDir, extensionsDir, port, logFile: path.join(logs, 'code-server.log'),
  });
  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    say(`${why}: stopping code-server`);
    await server.stop();
    process.exit(0);
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(sig));
  server.child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[start] code-server exited (${signal ?? code}); its log: ${path.relative(ROOT, path.join(logs, 'code-server.log'))}`);
    process.exit(1);
  });
  console.log('');
  console.log(`  Wasmscope is running in VS Code (code-server) with the examples folder:`);
  console.log('');
  console.log(`    ${server.url}`);
  console.log('');
  console.log('  Open that address in a browser on this machine (it listens on 127.0.0.1 only;');
  console.log(`  from another machine: ssh -L ${server.port}:127.0.0.1:${server.port} this-host). Press Ctrl-C to stop.`);
  await new Promise(() => {});
}

try {
  process.exitCode = onPath('code') && !process.env.WASMSCOPE_USE_CODE_SERVER ? await withLocalVSCode() : await withCodeServer();
} catch (err) {
  console.error(`[start] ${err.message ?? err}`);
  process.exit(1);
}
