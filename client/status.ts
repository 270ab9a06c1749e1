// The status bar item that shows the language server's state and errors.
import * as vscode from 'vscode';
import { describeStatus, type ServerState } from './status-model';

export function createStatusItem(): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem('wasmscope.status', vscode.StatusBarAlignment.Left, 10);
  item.name = 'Wasmscope Language Server';
  return item;
}

/** The one function that renders the status item. */
export function renderStatus(item: vscode.StatusBarItem, state: ServerState): void {
  const view = describeStatus(state);
  item.text = view.text;
  item.tooltip = view.tooltip;
  item.command = view.command;
  item.backgroundColor = view.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  item.show();
}
