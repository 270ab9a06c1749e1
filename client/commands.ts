// The one table of commands: each id maps to its handler; failures reach the user as a message.
import * as vscode from 'vscode';
import { activeWasmUri } from './active-file';
import type { CommandId } from './command-ids';
import type { WasmscopeContext } from './context';
import { convertToWasm, convertToWat } from './convert';
import { startExport, startFile } from './debug';
import { restartServer, showServerOutput } from './language-client';
import type { RevealTarget } from './module-tree/model';
import { refreshModuleTree } from './module-tree/provider';
import { revealInWasmView, VIEW_TYPE } from './wasm-view/provider';

type Handler = (ctx: WasmscopeContext, ...args: unknown[]) => unknown;

const commands: Record<CommandId, Handler> = {
  'wasmscope.restartServer': (ctx) => restartServer(ctx),
  'wasmscope.showServerOutput': () => showServerOutput(),
  'wasmscope.run': (_ctx, uri) => startFile(uri, true),
  'wasmscope.debug': (_ctx, uri) => startFile(uri, false),
  'wasmscope.runExport': (_ctx, uri, name, params) => startExport(uri, name, params, true),
  'wasmscope.debugExport': (_ctx, uri, name, params) => startExport(uri, name, params, false),
  'wasmscope.convertToWat': (ctx, uri) => convertToWat(ctx, uri),
  'wasmscope.convertToWasm': (ctx, uri) => convertToWasm(ctx, uri),
  'wasmscope.refreshModuleTree': () => refreshModuleTree(),
  'wasmscope.revealModuleItem': (_ctx, uri, target) => revealModuleItem(uri, target as RevealTarget),
  'wasmscope.openWasmAsDisassembly': (_ctx, uri) => {
    const target = uri instanceof vscode.Uri ? uri : activeWasmUri();
    return target && vscode.commands.executeCommand('vscode.openWith', target, VIEW_TYPE);
  },
};

/** Clicking a module tree item: the definition in the .wat, or the item in the .wasm view. */
async function revealModuleItem(uri: unknown, target: RevealTarget): Promise<void> {
  if (!(uri instanceof vscode.Uri)) return;
  if (target.kind === 'wasm') return revealInWasmView(uri, target.anchor);
  const r = target.range;
  const selection = new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
  const editor = await vscode.window.showTextDocument(uri, { selection, preserveFocus: false, preview: true });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export function activate(ctx: WasmscopeContext): void {
  for (const [id, handler] of Object.entries(commands) as [CommandId, Handler][]) {
    ctx.push(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await handler(ctx, ...args);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          ctx.log.error(`${id}: ${err instanceof Error ? (err.stack ?? message) : message}`);
          void vscode.window.showErrorMessage(`Wasmscope: ${message}`);
          return undefined;
        }
      }),
    );
  }
}
