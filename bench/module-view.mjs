// The module view of a 50 MB module with DWARF (bench/module-view.ts), bundled with `vscode`
// aliased to test/client/fake-vscode.ts and run in its own process so nothing else shares its event loop.
// Usage: node esbuild.mjs && node bench/module-view.mjs [--json]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

const root = join(import.meta.dirname, '..');
if (!existsSync(join(root, 'dist', 'moduleWorker.js'))) {
  console.error('bench/module-view.mjs: dist/moduleWorker.js is missing: `node esbuild.mjs` first');
  process.exit(1);
}
const out = join(root, 'out', 'bench', 'module-view.js');
mkdirSync(join(root, 'out', 'bench'), { recursive: true });
await esbuild.build({
  entryPoints: [join(root, 'bench', 'module-view.ts')],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  alias: { vscode: join(root, 'test', 'client', 'fake-vscode.ts') },
  logLevel: 'warning',
});
const made = spawnSync(process.execPath, [out, root, '--generate'], { stdio: 'inherit' });
if (made.status !== 0) process.exit(made.status ?? 1);
const r = spawnSync(process.execPath, [out, root, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
