// Opens .wasm files as a read-only disassembly (offsets, names, one instruction per line) instead of
// binary noise. The listing can have millions of lines, so the webview asks for the lines it shows.
import * as vscode from 'vscode';
import { openDisassemblyAsync, type AnchorKey, type LazyDisassembly } from '../../core/inspect';
import type { WasmscopeContext } from '../context';
import { loadWasm } from '../wasm-file';
import { webviewHtml } from './html';

export const VIEW_TYPE = 'wasmscope.wasmView';

/** Messages from the webview. */
type FromView = { type: 'ready' } | { type: 'lines'; start: number; end: number } | { type: 'convert' };

class WasmDocument implements vscode.CustomDocument {
  listing: { ok: true; disassembly: LazyDisassembly } | { ok: false; error: string } | undefined;
  constructor(readonly uri: vscode.Uri) {}

  async load(): Promise<void> {
    const loaded = await loadWasm(this.uri);
    this.listing = loaded.ok ? { ok: true, disassembly: await openDisassemblyAsync(loaded.module) } : { ok: false, error: loaded.error };
  }

  dispose(): void {
    this.listing = undefined;
  }
}

const panels = new Map<string, { panel: vscode.WebviewPanel; document: WasmDocument; ready: Promise<void> }>();

export function activate(ctx: WasmscopeContext): void {
  const provider: vscode.CustomReadonlyEditorProvider<WasmDocument> = {
    async openCustomDocument(uri) {
      const doc = new WasmDocument(uri);
      await doc.load();
      return doc;
    },
    resolveCustomEditor(document, panel) {
      resolve(ctx, document, panel);
    },
  };
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.wasm');
  ctx.push(
    vscode.window.registerCustomEditorProvider(VIEW_TYPE, provider, { webviewOptions: { retainContextWhenHidden: false } }),
    watcher,
    watcher.onDidChange((uri) => void reload(uri)),
  );
}

function resolve(ctx: WasmscopeContext, document: WasmDocument, panel: vscode.WebviewPanel): void {
  const key = document.uri.toString();
  panel.webview.options = { enableScripts: true, localResourceRoots: [] };
  panel.webview.html = webviewHtml(panel.webview.cspSource, document.uri.path.split('/').pop() ?? 'module.wasm');
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  panels.set(key, { panel, document, ready });
  panel.onDidDispose(() => {
    if (panels.get(key)?.panel === panel) panels.delete(key);
  });
  panel.webview.onDidReceiveMessage((msg: FromView) => {
    switch (msg.type) {
      case 'ready':
        sendInit(panel, document);
        markReady();
        break;
      case 'lines': {
        const listing = document.listing;
        if (listing?.ok) {
          const start = Math.max(0, msg.start);
          void panel.webview.postMessage({ type: 'lines', start, lines: listing.disassembly.lines(start, Math.min(msg.end, start + 2000)) });
        }
        break;
      }
      case 'convert':
        void vscode.commands.executeCommand('wasmscope.convertToWat', document.uri);
        break;
    }
  }, undefined, ctx.extension.subscriptions);
}

function sendInit(panel: vscode.WebviewPanel, document: WasmDocument): void {
  const listing = document.listing;
  if (!listing) return;
  void panel.webview.postMessage(
    listing.ok ? { type: 'init', lineCount: listing.disassembly.lineCount } : { type: 'init', lineCount: 0, error: listing.error },
  );
}

async function reload(uri: vscode.Uri): Promise<void> {
  const open = panels.get(uri.toString());
  if (!open) return;
  await open.document.load();
  sendInit(open.panel, open.document);
}

/** Shows the .wasm view of `uri` scrolled to an item (from the module tree). */
export async function revealInWasmView(uri: vscode.Uri, anchor: AnchorKey): Promise<void> {
  let open = panels.get(uri.toString());
  if (!open) {
    await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE, { preview: false });
    open = panels.get(uri.toString());
    if (!open) return;
  } else {
    open.panel.reveal(undefined, false);
  }
  await open.ready;
  const listing = open.document.listing;
  const line = listing?.ok ? listing.disassembly.lineOfAnchor(anchor) : undefined;
  if (line !== undefined) void open.panel.webview.postMessage({ type: 'reveal', line });
}
