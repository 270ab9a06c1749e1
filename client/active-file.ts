// Which WebAssembly file the user is looking at: a text editor's document, or the .wasm view (a
// custom editor, which has no TextEditor and shows up only as the active tab).
import * as vscode from 'vscode';

const wasmLike = /\.(wat|wast|wasm)$/i;

export function activeWasmUri(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor && (wasmLike.test(editor.document.uri.path) || ['wat', 'wast'].includes(editor.document.languageId))) {
    return editor.document.uri;
  }
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) {
    if (wasmLike.test(input.uri.path)) return input.uri;
  }
  return undefined;
}
