// Bundles module-view-harness.ts with `vscode` aliased to fake-vscode.ts, so the client code runs
// as VS Code would load it (and as bench/module-view.mjs measures it).
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

export type Harness = typeof import('./module-view-harness');

export async function loadHarness(root: string): Promise<Harness> {
  const out = join(root, 'out', 'test', 'module-view-harness.js');
  mkdirSync(join(root, 'out', 'test'), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, 'test', 'client', 'module-view-harness.ts')],
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { vscode: join(root, 'test', 'client', 'fake-vscode.ts') },
    logLevel: 'warning',
  });
  return createRequire(import.meta.url)(out) as Harness;
}
