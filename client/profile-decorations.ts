// After a profiled run (the "profile" launch option), each function's share of the instructions is
// shown after its first line in the .wat (decorations), until the file changes or another run.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { WasmscopeContext } from './context';
import { functionShares, shareText, type FunctionShare, type ProfileFile } from './profile-model';

export function activate(ctx: WasmscopeContext): void {
  const decoration = vscode.window.createTextEditorDecorationType({
    after: { color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    isWholeLine: true,
  });
  ctx.push(decoration);
  /** The last profile's shares, by file path. */
  let shares = new Map<string, FunctionShare[]>();

  const paint = (editor: vscode.TextEditor): void => {
    const list = shares.get(path.resolve(editor.document.uri.fsPath)) ?? [];
    editor.setDecorations(decoration, list.filter((s) => s.line < editor.document.lineCount).map((s) => ({
      range: editor.document.lineAt(s.line).range,
      renderOptions: { after: { contentText: shareText(s) } },
      hoverMessage: `${s.name}: ${s.self} instructions in the function, ${s.total} with its callees (exact counts from the last profiled run)`,
    })));
  };

  ctx.push(
    vscode.debug.onDidTerminateDebugSession((session) => {
      const c = session.configuration;
      if (session.type !== 'wasmscope' || typeof c.profile !== 'string' || typeof c.program !== 'string') return;
      // The adapter resolves "profile" against "cwd", or the program's folder.
      const cwd = typeof c.cwd === 'string' ? c.cwd : path.dirname(c.program);
      let profile: ProfileFile;
      try {
        profile = JSON.parse(readFileSync(path.resolve(cwd, c.profile), 'utf8')) as ProfileFile;
      } catch {
        return; // the run ended before writing one (a launch error, a stop): nothing to show
      }
      shares = new Map();
      for (const s of functionShares(profile)) {
        const key = path.resolve(s.url);
        shares.set(key, [...(shares.get(key) ?? []), s]);
      }
      vscode.window.visibleTextEditors.forEach(paint);
    }),
    vscode.window.onDidChangeVisibleTextEditors((editors) => editors.forEach(paint)),
    // An edit moves lines: the shares no longer point at their functions.
    vscode.workspace.onDidChangeTextDocument((e) => {
      const key = path.resolve(e.document.uri.fsPath);
      if (e.contentChanges.length === 0 || !shares.delete(key)) return;
      vscode.window.visibleTextEditors.filter((ed) => ed.document === e.document).forEach(paint);
    }),
  );
}
