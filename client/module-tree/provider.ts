// The Explorer's "WebAssembly Module" view: follows the active .wat/.wast/.wasm, asks the language
// server (text) or the core decoder (binary) for the module, and shows the model from model.ts.
import * as vscode from 'vscode';
import { moduleTreeRequest, sendCustomRequest } from '../../server/lsp-ext';
import { activeWasmUri } from '../active-file';
import type { WasmscopeContext } from '../context';
import { loadComponentWorld, loadWasm } from '../wasm-file';
import { modelFromComponent, modelFromServer, modelFromWasm, type NodeIcon, type TreeModel, type TreeNode } from './model';

const ICONS: Record<NodeIcon, string> = {
  module: 'package', imports: 'sign-in', exports: 'sign-out', type: 'symbol-interface', func: 'symbol-method',
  table: 'symbol-array', memory: 'database', global: 'symbol-variable', tag: 'symbol-event', data: 'symbol-string',
  elem: 'symbol-enum', custom: 'symbol-namespace', start: 'play', page: 'list-flat', error: 'error', rec: 'references', field: 'symbol-field',
};

export function activate(ctx: WasmscopeContext): void {
  const provider = new ModuleTreeProvider(ctx);
  const view = vscode.window.createTreeView('wasmscope.moduleTree', { treeDataProvider: provider, showCollapseAll: true });
  provider.attach(view);
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.wasm');
  ctx.push(
    view,
    watcher,
    vscode.window.onDidChangeActiveTextEditor(() => provider.follow()),
    vscode.window.tabGroups.onDidChangeTabs(() => provider.follow()),
    vscode.workspace.onDidChangeTextDocument((e) => provider.documentChanged(e.document.uri)),
    vscode.workspace.onDidSaveTextDocument((d) => provider.documentChanged(d.uri, true)),
    watcher.onDidChange((uri) => provider.documentChanged(uri, true)),
    watcher.onDidCreate((uri) => provider.documentChanged(uri, true)),
    ctx.onDidChangeClient(() => provider.refresh()),
  );
  moduleTree = provider;
  provider.follow();
}

let moduleTree: ModuleTreeProvider | undefined;

/** `wasmscope.refreshModuleTree`. */
export function refreshModuleTree(): void {
  moduleTree?.refresh();
}

/** Back-off for asking again while the server does not know the document yet (about 10 s in all). */
const RETRY_DELAYS_MS = [100, 200, 400, 800, 1500, 2000, 2500, 3000];

class ModuleTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<TreeNode> | undefined;
  private uri: vscode.Uri | undefined;
  private model: TreeModel = { roots: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Drops answers that arrive after a newer refresh started. */
  private generation = 0;

  constructor(private readonly ctx: WasmscopeContext) {}

  attach(view: vscode.TreeView<TreeNode>): void {
    this.view = view;
  }

  /** Switches to the active editor's module; keeps the current one while focus is elsewhere (e.g. on this view). */
  follow(): void {
    const uri = activeWasmUri();
    if (uri === undefined) {
      const focusedOtherFile = vscode.window.activeTextEditor !== undefined;
      const nothingOpen = vscode.window.tabGroups.all.every((g) => g.tabs.length === 0);
      if ((focusedOtherFile || nothingOpen) && this.uri) {
        this.uri = undefined;
        this.show({ roots: [], message: 'Open a .wat, .wast or .wasm file to see its module.' });
      }
      return;
    }
    if (this.uri?.toString() === uri.toString()) return;
    this.uri = uri;
    this.refresh();
  }

  documentChanged(uri: vscode.Uri, immediate = false): void {
    if (this.uri?.toString() !== uri.toString()) return;
    clearTimeout(this.timer);
    // Typing produces a change per keystroke; the server re-parses anyway, so ask after a pause.
    this.timer = setTimeout(() => this.refresh(), immediate ? 0 : 300);
  }

  refresh(attempt = 0): void {
    const uri = this.uri;
    const generation = ++this.generation;
    if (!uri) return;
    void this.load(uri).then(
      ({ model, pending }) => {
        if (generation !== this.generation) return;
        this.show(model);
        // A .wat that just became active may not have reached the server yet (it answers null until
        // didOpen arrives): ask again shortly rather than leave the view empty until the next edit.
        if (pending && attempt < RETRY_DELAYS_MS.length) {
          clearTimeout(this.timer);
          this.timer = setTimeout(() => {
            if (generation === this.generation) this.refresh(attempt + 1);
          }, RETRY_DELAYS_MS[attempt]);
        }
      },
      (err: unknown) => {
        if (generation === this.generation) this.show({ roots: [], message: `Cannot show the module: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  }

  private async load(uri: vscode.Uri): Promise<{ model: TreeModel; pending: boolean }> {
    if (/\.wasm$/i.test(uri.path)) {
      const component = await loadComponentWorld(uri);
      if (component) return { model: component.ok ? modelFromComponent(component.world) : { roots: [], message: `Invalid component: ${component.error}` }, pending: false };
      const loaded = await loadWasm(uri);
      return { model: loaded.ok ? modelFromWasm(loaded.module) : { roots: [], message: `Invalid WebAssembly module: ${loaded.error}` }, pending: false };
    }
    const client = this.ctx.client;
    if (!client) return { model: { roots: [], message: 'The Wasmscope language server is not running (see the status bar).' }, pending: false };
    const tree = await sendCustomRequest(client, moduleTreeRequest, { textDocument: { uri: uri.toString() } });
    return { model: modelFromServer(tree), pending: tree === null };
  }

  private show(model: TreeModel): void {
    this.model = model;
    if (this.view) {
      this.view.message = model.message;
      this.view.description = this.uri ? this.uri.path.split('/').pop() : undefined;
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: TreeNode): TreeNode[] {
    return node ? (node.children?.() ?? []) : this.model.roots;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const roots = this.model.roots;
    const state = node.children
      ? roots.length <= 3 || node.id.endsWith('imports') || node.id.endsWith('exports')
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None;
    const item = new vscode.TreeItem(node.label, state);
    item.id = `${this.uri?.toString() ?? ''}#${node.id}`;
    item.description = node.description;
    item.tooltip = node.tooltip ?? (node.description ? `${node.label}  ${node.description}` : node.label);
    item.iconPath = new vscode.ThemeIcon(ICONS[node.icon]);
    item.contextValue = node.icon;
    if (node.target && this.uri) {
      item.command = { title: 'Reveal', command: 'wasmscope.revealModuleItem', arguments: [this.uri, node.target] };
    }
    return item;
  }
}
