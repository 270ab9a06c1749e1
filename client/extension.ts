// VS Code entry point: creates the shared context and activates each feature in turn. A feature
// that fails to start is reported to the user by name; the others still start.
import * as vscode from 'vscode';
import * as commands from './commands';
import { WasmscopeContext } from './context';
import * as debug from './debug';
import * as exportLenses from './export-lenses';
import * as languageClient from './language-client';
import * as moduleTree from './module-tree/provider';
import * as wasmView from './wasm-view/provider';

interface Feature {
  name: string;
  activate(ctx: WasmscopeContext): void | Promise<void>;
}

// Commands first so buttons work even if a later feature fails; the language server last because
// it is the slowest to start and the others do not wait for it.
const features: Feature[] = [
  { name: 'commands', activate: commands.activate },
  { name: 'the .wasm view', activate: wasmView.activate },
  { name: 'the module tree', activate: moduleTree.activate },
  { name: 'run and debug', activate: debug.activate },
  { name: 'code lenses', activate: exportLenses.activate },
  { name: 'the language server', activate: languageClient.activate },
];

let current: WasmscopeContext | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const ctx = new WasmscopeContext(context);
  current = ctx;
  const failures: string[] = [];
  for (const feature of features) {
    try {
      await feature.activate(ctx);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      ctx.log.error(`activating ${feature.name}: ${err instanceof Error ? (err.stack ?? message) : message}`);
      failures.push(`${feature.name} (${message})`);
    }
  }
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
