// Reads and decodes a .wasm file once per version on disk, for the tree view and the .wasm view.
import * as vscode from 'vscode';
import { decodeModule, type Module } from '../core/binary';
import { decodeComponent, describeWorld, isComponent, validateComponent, type WorldView } from '../core/component';

export type LoadedWasm = { ok: true; module: Module } | { ok: false; error: string };

const cache = new Map<string, { mtime: number; size: number; loaded: LoadedWasm }>();

export async function loadWasm(uri: vscode.Uri): Promise<LoadedWasm> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch (err) {
    return { ok: false, error: `cannot read ${uri.fsPath}: ${err instanceof Error ? err.message : String(err)}` };
  }
  const key = uri.toString();
  const hit = cache.get(key);
  if (hit && hit.mtime === stat.mtime && hit.size === stat.size) return hit.loaded;
  let loaded: LoadedWasm;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    loaded = { ok: true, module: decodeModule(bytes) };
  } catch (err) {
    loaded = { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  // One entry per file is enough: the views only ever show the current version.
  cache.set(key, { mtime: stat.mtime, size: stat.size, loaded });
  if (cache.size > 16) cache.delete(cache.keys().next().value as string);
  return loaded;
}

/** A component's world for the module tree (decoded and validated), or why it cannot be read. */
export async function loadComponentWorld(uri: vscode.Uri): Promise<{ ok: true; world: WorldView } | { ok: false; error: string } | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await vscode.workspace.fs.readFile(uri);
  } catch {
    return undefined;
  }
  if (!isComponent(bytes)) return undefined;
  try {
    return { ok: true, world: describeWorld(validateComponent(decodeComponent(bytes))) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}
