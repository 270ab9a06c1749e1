// Run and Debug without a launch.json: the configuration provider behind F5, the adapter factory
// (inline in the extension host by default, or a separate process), and the run/debug commands.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { WasmDebugSession } from '../debugger/session';
import type { WasmscopeContext } from './context';
import { defaultLaunchConfig, findLaunchConfig, invokeLaunchConfig, isEmptyConfig, isRunnable, parseInvokeArgs } from './launch-config';
import { readAdapterMode, readFeatures, readLimits, readRunEngine } from './settings';
import { activeWasmUri } from './active-file';

export function activate(ctx: WasmscopeContext): void {
  const provider = new WasmConfigurationProvider();
  ctx.push(
    vscode.debug.registerDebugConfigurationProvider('wasmscope', provider),
    vscode.debug.registerDebugConfigurationProvider('wasmscope', provider, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory('wasmscope', new WasmAdapterFactory(ctx)),
  );
}

class WasmConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** Initial launch.json content, and the dynamic "Run <file>" entries of the Run view. */
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    const uri = activeWasmUri();
    if (uri && isRunnable(uri.fsPath)) return [defaultLaunchConfig(uri.fsPath, uri.fsPath)];
    return [{ type: 'wasmscope', request: 'launch', name: 'Run WebAssembly file', program: '${file}', args: [] }];
  }

  /** F5 with no launch.json gets an empty configuration: fill it from the open .wat/.wasm. */
  resolveDebugConfiguration(_folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    if (isEmptyConfig(config)) {
      const uri = activeWasmUri();
      if (!uri || !isRunnable(uri.fsPath)) {
        void vscode.window.showInformationMessage('Wasmscope: open a .wat or .wasm file to run it, or add a "wasmscope" configuration to launch.json.');
        return undefined;
      }
      // Only a text editor is sure to give `${file}` a value; the .wasm view (a custom editor) gets the path itself.
      const program = vscode.window.activeTextEditor?.document.uri.toString() === uri.toString() ? '${file}' : uri.fsPath;
      return { ...config, ...defaultLaunchConfig(uri.fsPath, program) };
    }
    if (!config.program) {
      void vscode.window.showErrorMessage('Wasmscope: the launch configuration has no "program" (the .wasm or .wat file to run).');
      return undefined;
    }
    return config;
  }

  /** Settings the adapter needs travel in the configuration, so inline and process modes behave alike. */
  async resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | undefined> {
    const program = String(config.program);
    // Relative paths are the adapter's to resolve (against `cwd`); an absolute one is checked here
    // so a typo gets a plain message instead of a failed session.
    if (path.isAbsolute(program)) {
      try {
        await vscode.workspace.fs.stat(vscode.Uri.file(program));
      } catch {
        void vscode.window.showErrorMessage(`Wasmscope: the program '${program}' does not exist.`);
        return undefined;
      }
    }
    const limits = readLimits(folder);
    return {
      ...config,
      features: config.features ?? readFeatures(folder),
      maxCallDepth: config.maxCallDepth ?? limits.maxCallDepth,
      maxMemoryPages: config.maxMemoryPages ?? limits.maxMemoryPages,
      historyMB: config.historyMB ?? vscode.workspace.getConfiguration('wasmscope.debug', folder).get<number>('historyMB', 512),
      // Used only when VS Code starts it with noDebug (Run Without Debugging).
      engine: config.engine ?? readRunEngine(folder),
    };
  }
}

class WasmAdapterFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly ctx: WasmscopeContext) {}

  createDebugAdapterDescriptor(): vscode.DebugAdapterDescriptor {
    if (readAdapterMode() === 'process') {
      const program = this.ctx.extension.asAbsolutePath('dist/debugAdapter.js');
      // The extension host's own executable runs the adapter; Electron needs to be told to act as Node.
      // One malloc arena where glibc's malloc serves it, as `wasmscope run` has (cli/launcher.ts):
      // V8's background recompiles of the interpreter otherwise fill one arena per thread.
      const env = { ELECTRON_RUN_AS_NODE: '1', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '1' };
      return new vscode.DebugAdapterExecutable(process.execPath, [program], { env });
    }
    return new vscode.DebugAdapterInlineImplementation(new WasmDebugSession());
  }
}

function targetUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  return activeWasmUri();
}

/** `wasmscope.run` / `wasmscope.debug`: the editor-title buttons and explorer menu. */
export async function startFile(arg: unknown, noDebug: boolean): Promise<void> {
  const uri = targetUri(arg);
  if (!uri || !isRunnable(uri.fsPath)) {
    void vscode.window.showInformationMessage('Wasmscope: open a .wat or .wasm file to run it.');
    return;
  }
  const editor = vscode.window.activeTextEditor;
  if (editor?.document.uri.toString() === uri.toString() && editor.document.isDirty) await editor.document.save();
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  // A launch.json entry for this file (or for `${file}`) carries its args, env and dirs: prefer it.
  const configured = findLaunchConfig(vscode.workspace.getConfiguration('launch', folder).get('configurations'), uri.fsPath, folder?.uri.fsPath);
  if (configured) {
    await vscode.debug.startDebugging(folder, configured.name, { noDebug });
    return;
  }
  const config = defaultLaunchConfig(uri.fsPath, uri.fsPath);
  if (!noDebug) config.name = config.name.replace(/^Run /, 'Debug ');
  await vscode.debug.startDebugging(folder, config, { noDebug });
}

/** `wasmscope.runExport` / `wasmscope.debugExport`: the code lenses on exported functions. */
export async function startExport(uriArg: unknown, exportName: unknown, paramTypes: unknown, noDebug: boolean): Promise<void> {
  const uri = targetUri(uriArg);
  if (!uri || typeof exportName !== 'string') return;
  const params = Array.isArray(paramTypes) ? paramTypes.map(String) : [];
  let args: string[] = [];
  if (params.length > 0) {
    const typed = await vscode.window.showInputBox({
      title: `Arguments for ${exportName}`,
      prompt: `${params.length} argument(s): ${params.join(' ')}`,
      placeHolder: params.map((t) => (t.startsWith('f') ? '1.5' : '0')).join(' '),
      validateInput: (text) => (parseInvokeArgs(text).length === params.length ? undefined : `${exportName} takes ${params.length} argument(s)`),
    });
    if (typed === undefined) return;
    args = parseInvokeArgs(typed);
  }
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) await doc.save();
  await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(uri), invokeLaunchConfig(uri.fsPath, exportName, args), { noDebug });
}
