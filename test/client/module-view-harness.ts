// The module tree's provider and the .wasm view's document as they run in the extension host, over
// fake-vscode.ts and a context whose worker is dist/moduleWorker.js: bundled by module-view-bundle.ts.
import { join } from 'node:path';
import { ModuleTreeProvider, type ViewNode } from '../../client/module-tree/provider';
import { WasmDocument } from '../../client/wasm-view/provider';
import type { WasmscopeContext } from '../../client/context';
import { Uri } from './fake-vscode';

export { ModuleTreeProvider, WasmDocument, Uri, type ViewNode };

/** A context for the client features: extension files under `root`, the log kept in `log`. */
export function fakeContext(root: string): { ctx: WasmscopeContext; log: string[]; dispose(): void } {
  const log: string[] = [];
  const subscriptions: { dispose(): void }[] = [];
  const ctx = {
    extension: { subscriptions, asAbsolutePath: (p: string) => join(root, p) },
    log: { warn: (m: string) => log.push(`warn: ${m}`), error: (m: string) => log.push(`error: ${m}`), info: (m: string) => log.push(m) },
    client: undefined,
    onDidChangeClient: () => ({ dispose() {} }),
    push: (...d: { dispose(): void }[]) => subscriptions.push(...d),
  } as unknown as WasmscopeContext;
  return { ctx, log, dispose: () => subscriptions.splice(0).forEach((d) => d.dispose()) };
}

/** Resolves the next time the provider's tree changes. */
export function treeChanged(provider: ModuleTreeProvider): Promise<void> {
  return new Promise((resolve) => {
    const sub = provider.onDidChangeTreeData(() => {
      sub.dispose();
      resolve();
    });
  });
}
