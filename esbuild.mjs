// Bundles the programs of the extension; type-checking is `tsc -b`'s job, not esbuild's.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {{ in: string, out: string, banner?: string }[]} */
const entries = [
  { in: 'client/extension.ts', out: 'dist/extension.js' },
  { in: 'server/server.ts', out: 'dist/server.js' },
  // The adapter's process entry runs the adapter's bundle from V8's code cache (debugger/adapter-loader.ts).
  { in: 'debugger/adapter-loader.ts', out: 'dist/debugAdapter.js' },
  { in: 'debugger/debugAdapter.ts', out: 'dist/debugAdapterMain.js' },
  // Run Without Debugging on V8 runs the program in this worker (debugger/v8-run.ts), beside the adapter.
  { in: 'debugger/v8-worker.ts', out: 'dist/v8Worker.js' },
  // The module tree and the .wasm view decode and disassemble .wasm files in this worker (client/module-worker).
  { in: 'client/module-worker/worker.ts', out: 'dist/moduleWorker.js' },
  // `wasmscope`: a small launcher (cli/launcher.ts: `run` in a child with one malloc arena), then the CLI.
  { in: 'cli/launcher.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'cli/cli.ts', out: 'dist/cliMain.js' },
];

const contexts = await Promise.all(
  entries.map((e) =>
    esbuild.context({
      entryPoints: [e.in],
      outfile: e.out,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['vscode'],
      sourcemap: true,
      minify: production,
      keepNames: true,
      logLevel: 'warning',
      banner: e.banner ? { js: e.banner } : undefined,
    }),
  ),
);

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching for changes');
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
}
