// The Explorer's "WebAssembly Module" view: follows the active .wat/.wast/.wasm, asks the language
// server (text) or the module worker (binary: decoded off the extension host's thread, children
// fetched when a node expands) for the module, and shows the model from model.ts.
import * as vscode from 'vscode';
import { moduleTreeRequest, sendCustomRequest } from '../../server/lsp-ext';
import { activeWasmUri } from '../active-file';
import type { WasmscopeContext } from '../context';
import type { PlainNode } from '../module-worker/protocol';
import { openWasm, type OpenedWasm } from '../wasm-file';
import { modelFromServer, type NodeIcon, type TreeNode } from './model';

/** A node of the view: built here (a .wat's tree) or in the module worker, whose children come back asynchronously. */
export type ViewNode = Omit<TreeNode, 'children'> & { children?: () => ViewNode[] | Promise<ViewNode[]> };

interface ViewModel {
  roots: ViewNode[];
  message?: string;
}

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

export class ModuleTreeProvider implements vscode.TreeDataProvider<ViewNode> {
  private readonly changed = new vscode.EventEmitter<ViewNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<ViewNode> | undefined;
  private uri: vscode.Uri | undefined;
  private model: ViewModel = { roots: [] };
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Drops answers that arrive after a newer refresh started. */
  private generation = 0;

  constructor(private readonly ctx: WasmscopeContext) {}

  attach(view: vscode.TreeView<ViewNode>): void {
    this.view = view;
  }

  /** Switches to the active editor's (or the given) module; keeps the current one while focus is elsewhere (e.g. on this view). */
  follow(uri = activeWasmUri()): void {
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

  private async load(uri: vscode.Uri): Promise<{ model: ViewModel; pending: boolean }> {
    if (/\.wasm$/i.test(uri.path)) {
      const file = await openWasm(this.ctx, uri);
      const result = file.result;
      if (result.kind === 'invalid') return { model: { roots: [], message: result.message }, pending: false };
      return { model: { roots: result.roots.map((n) => remoteNode(file, n)), ...(result.message ? { message: result.message } : {}) }, pending: false };
    }
    const client = this.ctx.client;
    if (!client) return { model: { roots: [], message: 'The Wasmscope language server is not running (see the status bar).' }, pending: false };
    const tree = await sendCustomRequest(client, moduleTreeRequest, { textDocument: { uri: uri.toString() } });
    return { model: modelFromServer(tree), pending: tree === null };
  }

  private show(model: ViewModel): void {
    this.model = model;
    if (this.view) {
      this.view.message = model.message;
      this.view.description = this.uri ? this.uri.path.split('/').pop() : undefined;
    }
    this.changed.fire(undefined);
  }

  getChildren(node?: ViewNode): ViewNode[] | Promise<ViewNode[]> {
    return node ? (node.children?.() ?? []) : this.model.roots;
  }

  getTreeItem(node: ViewNode): vscode.TreeItem {
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

/** A node of a .wasm's tree: its children are asked of the worker when it expands. */
function remoteNode(file: OpenedWasm, n: PlainNode): ViewNode {
  const { expandable, ...node } = n;
  if (!expandable) return node;
  return {
    ...node,
    children: () => file.call('children', { id: n.id }).then(
      (kids) => kids.map((k) => remoteNode(file, k)),
      (err: unknown): ViewNode[] => [{ id: `${n.id}/error`, label: `Cannot show this: ${err instanceof Error ? err.message : String(err)}`, icon: 'error' }],
    ),
  };
}
