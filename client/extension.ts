// VS Code entry point: creates the shared context and activates each feature in turn. A feature
// that fails to start is reported to the user by name; the others still start.
import * as vscode from 'vscode';
import { activateFeatures, type Feature } from './activate-features';
import * as commands from './commands';
import { WasmscopeContext } from './context';
import * as debug from './debug';
import * as exportLenses from './export-lenses';
import * as languageClient from './language-client';
import * as moduleTree from './module-tree/provider';
import * as wasmView from './wasm-view/provider';
import * as wastTests from './wast-tests';
import * as profileDecorations from './profile-decorations';

// Commands first so buttons work even if a later feature fails; the language server last because
// it is the slowest to start and the others do not wait for it.
const features: Feature<WasmscopeContext>[] = [
  { name: 'commands', activate: commands.activate },
  { name: 'the .wasm view', activate: wasmView.activate },
  { name: 'the module tree', activate: moduleTree.activate },
  { name: 'run and debug', activate: debug.activate },
  { name: 'code lenses', activate: exportLenses.activate },
  { name: 'the .wast tests', activate: wastTests.activate },
  { name: 'profile decorations', activate: profileDecorations.activate },
  { name: 'the language server', activate: languageClient.activate },
];

let current: WasmscopeContext | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const ctx = new WasmscopeContext(context);
  current = ctx;
  const failures = await activateFeatures(ctx, features, (message) => ctx.log.error(message));
  if (failures.length > 0) {
    void vscode.window
      .showErrorMessage(`Wasmscope could not start ${failures.join('; ')}.`, 'Show Log', 'Restart Server')
      .then((choice) => {
        if (choice === 'Show Log') ctx.log.show();
        if (choice === 'Restart Server') void vscode.commands.executeCommand('wasmscope.restartServer');
      });
  }
}

export async function deactivate(): Promise<void> {
  await current?.client?.stop();
}
