// Opens .wasm files as a read-only disassembly (offsets, names, one instruction per line) instead of
// binary noise. The module worker decodes the file and formats the lines; the page shows the header
// at once, grows as the worker counts the functions' lines, and asks for the lines it shows.
import * as vscode from 'vscode';
import type { AnchorKey } from '../../core/inspect';
import type { WasmscopeContext } from '../context';
import { onLineCount, openWasm, type OpenedWasm } from '../wasm-file';
import { webviewHtml } from './html';

export const VIEW_TYPE = 'wasmscope.wasmView';

/** Messages from the webview. */
type FromView = { type: 'ready' } | { type: 'lines'; start: number; end: number } | { type: 'convert' };

/** Messages to the webview. */
type ToView =
  | { type: 'init'; lineCount: number; done: boolean; error?: string }
  | { type: 'count'; lineCount: number; done: boolean }
  | { type: 'lines'; start: number; lines: string[] }
  | { type: 'reveal'; line: number };

/** One .wasm file's listing, held by the worker; this side knows only its key and line count. */
export class WasmDocument implements vscode.CustomDocument {
  private file: OpenedWasm | undefined;
  state: { lineCount: number; done: boolean; error?: string } | undefined;
  private readonly counting: vscode.Disposable;
  /** Told of the line count as it grows. */
  onCount: ((lineCount: number, done: boolean) => void) | undefined;

  constructor(private readonly ctx: WasmscopeContext, readonly uri: vscode.Uri) {
    this.counting = onLineCount((key, lineCount, done) => {
      if (key !== this.file?.key || !this.state || this.state.error) return;
      this.state = { lineCount, done };
      this.onCount?.(lineCount, done);
    });
  }

  async load(): Promise<void> {
    try {
      const file = await openWasm(this.ctx, this.uri);
      this.file = file;
      this.state = file.result.kind === 'invalid' ? { lineCount: 0, done: true, error: file.result.message } : await file.call('listing', {});
    } catch (err) {
      this.state = { lineCount: 0, done: true, error: err instanceof Error ? err.message : String(err) };
    }
  }

  lines(start: number, end: number): Promise<string[]> {
    return this.file && !this.state?.error ? this.file.call('lines', { start, end }) : Promise.resolve([]);
  }

  async lineOfAnchor(anchor: AnchorKey): Promise<number | undefined> {
    if (!this.file || this.state?.error) return undefined;
    return (await this.file.call('anchor', { anchor })) ?? undefined;
  }

  dispose(): void {
    this.counting.dispose();
    this.onCount = undefined;
    this.state = undefined;
  }
}

const panels = new Map<string, { panel: vscode.WebviewPanel; document: WasmDocument; ready: Promise<void> }>();

export function activate(ctx: WasmscopeContext): void {
  const provider: vscode.CustomReadonlyEditorProvider<WasmDocument> = {
    async openCustomDocument(uri) {
      const doc = new WasmDocument(ctx, uri);
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

function post(panel: vscode.WebviewPanel, msg: ToView): void {
  void panel.webview.postMessage(msg);
}

function resolve(ctx: WasmscopeContext, document: WasmDocument, panel: vscode.WebviewPanel): void {
  const key = document.uri.toString();
  panel.webview.options = { enableScripts: true, localResourceRoots: [] };
  panel.webview.html = webviewHtml(panel.webview.cspSource, document.uri.path.split('/').pop() ?? 'module.wasm');
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((r) => (markReady = r));
  panels.set(key, { panel, document, ready });
  document.onCount = (lineCount, done) => post(panel, { type: 'count', lineCount, done });
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
        const start = Math.max(0, msg.start);
        document.lines(start, Math.min(msg.end, start + 2000)).then(
          (lines) => post(panel, { type: 'lines', start, lines }),
          (err: unknown) => ctx.log.warn(`.wasm view: ${err instanceof Error ? err.message : String(err)}`),
        );
        break;
      }
      case 'convert':
        void vscode.commands.executeCommand('wasmscope.convertToWat', document.uri);
        break;
    }
  }, undefined, ctx.extension.subscriptions);
}

function sendInit(panel: vscode.WebviewPanel, document: WasmDocument): void {
  const state = document.state;
  if (!state) return;
  post(panel, { type: 'init', lineCount: state.lineCount, done: state.done, ...(state.error !== undefined ? { error: state.error } : {}) });
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
  const line = await open.document.lineOfAnchor(anchor);
  if (line !== undefined) post(open.panel, { type: 'reveal', line });
}
