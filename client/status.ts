// The status bar item that shows the language server's state and errors.
import * as vscode from 'vscode';
import { describeStatus, type ServerState } from './status-model';

export function createStatusItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('wasmscope.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Wasmscope Language Server';
  return item;
}

/**
 * The one function that renders the status item. It shows while a WebAssembly file is in front,
 * and always when the server failed, so the error is never hidden.
 */
export function renderStatus(item: vscode.StatusBarItem, state: ServerState, wasmFileActive: boolean): void {
  const view = describeStatus(state);
  item.text = view.text;
  item.tooltip = view.tooltip;
  item.command = view.command;
  item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  if (wasmFileActive || view.error) item.show();
  else item.hide();
}
