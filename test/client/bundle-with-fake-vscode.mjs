// Bundles client code with `vscode` aliased to test/client/fake-vscode.ts, so it runs outside VS Code
// as the extension host would load it: test/client/module-view-bundle.ts (the tests' harness) and
// bench/module-view.mjs (the module view benchmark) both build this way.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';

/** Bundles `entry` (a path under `root`) into `outfile` as one CommonJS file for Node 20. */
export async function bundleWithFakeVscode(root, entry, outfile) {
  mkdirSync(dirname(outfile), { recursive: true });
  await esbuild.build({
    entryPoints: [join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    alias: { vscode: join(root, 'test', 'client', 'fake-vscode.ts') },
    logLevel: 'warning',
  });
}
