// Bundles module-view-harness.ts with `vscode` aliased to fake-vscode.ts, so the client code runs
// as VS Code would load it (and as bench/module-view.mjs measures it).
import { createRequire } from 'node:module';
import { join } from 'node:path';

export type Harness = typeof import('./module-view-harness');

type Bundler = { bundleWithFakeVscode: (root: string, entry: string, outfile: string) => Promise<void> };

export async function loadHarness(root: string): Promise<Harness> {
  const out = join(root, 'out', 'test', 'module-view-harness.js');
  const { bundleWithFakeVscode } = (await import(join(import.meta.dirname, 'bundle-with-fake-vscode.mjs'))) as Bundler;
  await bundleWithFakeVscode(root, join('test', 'client', 'module-view-harness.ts'), out);
  return createRequire(import.meta.url)(out) as Harness;
}
