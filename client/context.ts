// The state every client feature shares: the extension context, the client's log, the server state
// (rendered into the status item) and the running language client. Features receive it in
// `activate(ctx)` and push their disposables on it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { activeWasmUri } from './active-file';
import { createStatusItem, renderStatus } from './status';
import type { ServerState } from './status-model';

export class WasmscopeContext {
  readonly log: vscode.LogOutputChannel;
  private readonly statusItem: vscode.StatusBarItem;
  private state: ServerState = { kind: 'starting' };
  private currentClient: LanguageClient | undefined;
  private readonly clientChanged = new vscode.EventEmitter<LanguageClient | undefined>();
  /** Fires when the language client is started or replaced, so features can query it again. */
  readonly onDidChangeClient = this.clientChanged.event;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel('Wasmscope', { log: true });
    this.statusItem = createStatusItem();
    this.push(
      this.log,
      this.statusItem,
      this.clientChanged,
      vscode.window.onDidChangeActiveTextEditor(() => this.renderStatus()),
      vscode.window.tabGroups.onDidChangeTabs(() => this.renderStatus()),
    );
  }

  private renderStatus(): void {
    renderStatus(this.statusItem, this.state, activeWasmUri() !== undefined);
  }

  push(...disposables: vscode.Disposable[]): void {
    this.extension.subscriptions.push(...disposables);
  }

  /** The language client once it runs; undefined while it is (re)starting or after it failed. */
  get client(): LanguageClient | undefined {
    return this.currentClient;
  }

  set client(client: LanguageClient | undefined) {
    this.currentClient = client;
    this.clientChanged.fire(client);
  }

  get serverState(): ServerState {
    return this.state;
  }

  setServerState(state: ServerState): void {
    this.state = state;
    if (state.kind === 'failed') this.log.error(`language server: ${state.error}`);
    this.renderStatus();
  }
}
