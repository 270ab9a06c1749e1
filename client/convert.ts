// The convert commands: .wasm → .wat (wabt's wasm2wat) and .wat → .wasm (with the name section),
// written next to the source and never over an existing file without asking.
import * as vscode from 'vscode';
import { loadWabt } from '../core/check/wabt-loader';
import { ConversionError, wasmToWat, watToWasm } from '../core/inspect/wabt-convert';
import { componentToText, isComponent } from '../core/component';
import { WasmError } from '../core/errors';
import { checkComponentText, isComponentText } from '../core/component/text';
import { LineIndex, ParseError } from '../core/text';
import { activeWasmUri } from './active-file';
import type { WasmscopeContext } from './context';
import { readFeatures } from './settings';

function sourceUri(arg: unknown, ext: 'wasm' | 'wat'): vscode.Uri | undefined {
  const uri = arg instanceof vscode.Uri ? arg : activeWasmUri();
  if (uri && uri.path.toLowerCase().endsWith(`.${ext}`)) return uri;
  void vscode.window.showInformationMessage(`Wasmscope: select or open a .${ext} file to convert.`);
  return undefined;
}

function sibling(uri: vscode.Uri, ext: string): vscode.Uri {
  return uri.with({ path: uri.path.replace(/\.[^./]+$/, `.${ext}`) });
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}

/** True when `target` does not exist or the user agrees to replace it. */
async function mayWrite(target: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(target);
  } catch {
    return true;
  }
  const choice = await vscode.window.showWarningMessage(`${baseName(target)} already exists. Replace it?`, { modal: true }, 'Replace');
  return choice === 'Replace';
}

function reportFailure(ctx: WasmscopeContext, what: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  ctx.log.error(`${what}:\n${message}`);
  // wabt's first line is its banner ("parseWat failed:"); the next one names the place and problem.
  const lines = message.split('\n').filter((l) => l.trim() && !/failed:$/.test(l));
  void vscode.window.showErrorMessage(`Wasmscope: ${what}: ${lines[0] ?? message}`, 'Show Log').then((c) => c && ctx.log.show());
}

/** `wasmscope.convertToWat`. */
export async function convertToWat(ctx: WasmscopeContext, arg: unknown): Promise<void> {
  const uri = sourceUri(arg, 'wasm');
  if (!uri) return;
  let text: string;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    const wabt = await loadWabt();
    const features = readFeatures(uri);
    // A component converts to (component ...) text, its core modules through wasm2wat.
    text = isComponent(bytes) ? componentToText(wabt, bytes, features) : wasmToWat(wabt, bytes, features);
  } catch (err) {
    if (err instanceof ConversionError || err instanceof WasmError) return reportFailure(ctx, `cannot convert ${baseName(uri)} to text`, err);
    throw err;
  }
  const target = sibling(uri, 'wat');
  if (!(await mayWrite(target))) return;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  await vscode.window.showTextDocument(target, { preview: false });
}

/** The binary of component text, validated like a .wasm component would be before it is written. */
function checkedComponent(text: string, features: ReturnType<typeof readFeatures>): Uint8Array {
  const r = checkComponentText(text, { features });
  const first = r.errors[0];
  if (first || !r.bytes) throw new ParseError(first?.message ?? 'no component', new LineIndex(text).range(first?.start ?? 0, first?.end ?? 0));
  return r.bytes;
}

/** `wasmscope.convertToWasm`: uses the editor's text when the .wat is open, unsaved edits included. */
export async function convertToWasm(ctx: WasmscopeContext, arg: unknown): Promise<void> {
  const uri = sourceUri(arg, 'wat');
  if (!uri) return;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  let bytes: Uint8Array;
  try {
    // Component text goes through our component parser and encoder (wabt reads core modules only).
    bytes = isComponentText(text)
      ? checkedComponent(text, readFeatures(uri))
      : watToWasm(await loadWabt(), text, baseName(uri), readFeatures(uri));
  } catch (err) {
    if (err instanceof ConversionError) return reportFailure(ctx, `${baseName(uri)} does not assemble`, err);
    if (err instanceof ParseError) return reportFailure(ctx, `${baseName(uri)} does not assemble`, new Error(`${baseName(uri)}:${err.message}`));
    throw err;
  }
  const target = sibling(uri, 'wasm');
  if (!(await mayWrite(target))) return;
  await vscode.workspace.fs.writeFile(target, bytes);
  const choice = await vscode.window.showInformationMessage(`Wasmscope: wrote ${baseName(target)} (${bytes.length} bytes).`, 'Open');
  if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', target);
}
