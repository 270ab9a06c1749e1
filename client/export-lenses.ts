// "Run" and "Debug" code lenses above exported functions in .wat files.
import * as vscode from 'vscode';
import { moduleTreeRequest, sendCustomRequest } from '../server/lsp-ext';
import type { WasmscopeContext } from './context';
import { exportLenses } from './export-lens-model';

export function activate(ctx: WasmscopeContext): void {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    async provideCodeLenses(document) {
      if (!vscode.workspace.getConfiguration('wasmscope.codeLens', document).get('enabled', true)) return [];
      const client = ctx.client;
      if (!client) return [];
      const tree = await sendCustomRequest(client, moduleTreeRequest, { textDocument: { uri: document.uri.toString() } });
      ctx.log.trace(`code lenses for ${document.uri.toString()}: ${tree ? exportLenses(tree).length : 'no tree'}`);
      return exportLenses(tree).flatMap((lens) => {
        const at = new vscode.Range(lens.range.start.line, lens.range.start.character, lens.range.start.line, lens.range.start.character);
        const args = [document.uri, lens.exportName, lens.params];
        return [
          new vscode.CodeLens(at, { title: `$(play) Run ${lens.exportName}`, command: 'wasmscope.runExport', arguments: args }),
          new vscode.CodeLens(at, { title: `$(debug-alt) Debug ${lens.exportName}`, command: 'wasmscope.debugExport', arguments: args }),
        ];
      });
    },
  };
  ctx.push(
    changed,
    vscode.languages.registerCodeLensProvider({ language: 'wat' }, provider),
    ctx.onDidChangeClient(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('wasmscope.codeLens')) changed.fire();
    }),
  );
}
