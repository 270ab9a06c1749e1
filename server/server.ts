// The Wasmscope language server: runs in VS Code through the language client (ipc), or standalone with `--stdio`.
// The same bundle also serves as the diagnostics and analysis worker threads, so esbuild keeps a single output file.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { serveAnalysis } from './analysis-worker';
import { serveChecks } from './check-runner';
import { startLanguageServer } from './language-server';

const role = (workerData as { wasmscopeRole?: string } | null)?.wasmscopeRole;
if (!isMainThread && role === 'check-worker' && parentPort) serveChecks(parentPort);
else if (!isMainThread && role === 'analysis-worker' && parentPort) serveAnalysis(parentPort);
else if (isMainThread) startLanguageServer();
