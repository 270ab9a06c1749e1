// The Testing view for `.wast` scripts: each script is a suite, each module and assertion a test.
// Runs go through `wasmscope spec --json` in a child process (a looping script cannot block the
// extension host, and Cancel kills it), on the editor's text when the script has unsaved edits.
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { listWastTests } from '../core/wast/tests';
import type { WasmscopeContext } from './context';
import { readFeatures } from './settings';
import { LineSplitter, childId, debuggedTestState, parseSpecLine, specArgs, wastDebugConfiguration, type SpecOutcomeLine } from './wast-test-model';

export function activate(ctx: WasmscopeContext): void {
  const controller = vscode.tests.createTestController('wasmscope.wast', 'WebAssembly scripts');
  ctx.push(controller);
  const cli = ctx.extension.asAbsolutePath(path.join('dist', 'cli.js'));

  /** The file's suite item, created on first sight. */
  const fileItem = (uri: vscode.Uri): vscode.TestItem => {
    const existing = controller.items.get(uri.toString());
    if (existing) return existing;
    const item = controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
    item.canResolveChildren = true;
    controller.items.add(item);
    return item;
  };

  /** (Re)lists a script's tests from `text` (the editor's, or the file's). */
  const fill = (item: vscode.TestItem, text: string): void => {
    const uri = item.uri;
    if (!uri) return;
    const children = listWastTests(text).map((t) => {
      const child = controller.createTestItem(childId(t.kind, t.line), t.label, uri);
      child.range = new vscode.Range(t.line - 1, 0, t.endLine - 1, Number.MAX_SAFE_INTEGER);
      return child;
    });
    item.children.replace(children);
    item.canResolveChildren = false;
  };

  const textOf = (uri: vscode.Uri): string | undefined => {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc) return doc.getText();
    try {
      return readFileSync(uri.fsPath, 'utf8');
    } catch {
      return undefined;
    }
  };

  controller.resolveHandler = async (item) => {
    if (item) {
      const text = item.uri ? textOf(item.uri) : undefined;
      if (text !== undefined) fill(item, text);
      return;
    }
    for (const uri of await vscode.workspace.findFiles('**/*.wast', '**/node_modules/**')) fileItem(uri);
  };

  const onDocument = (doc: vscode.TextDocument): void => {
    if (doc.languageId === 'wast' && doc.uri.scheme === 'file') fill(fileItem(doc.uri), doc.getText());
  };
  vscode.workspace.textDocuments.forEach(onDocument);
  const watcher = vscode.workspace.createFileSystemWatcher('**/*.wast');
  ctx.push(
    vscode.workspace.onDidOpenTextDocument(onDocument),
    vscode.workspace.onDidChangeTextDocument((e) => onDocument(e.document)),
    watcher,
    watcher.onDidCreate((uri) => fileItem(uri)),
    watcher.onDidDelete((uri) => controller.items.delete(uri.toString())),
    watcher.onDidChange((uri) => {
      const item = controller.items.get(uri.toString());
      const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
      const text = open ? undefined : textOf(uri);
      if (item && text !== undefined) fill(item, text);
    }),
  );

  const run = async (request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> => {
    const testRun = controller.createTestRun(request);
    // Group what was asked for by script: a script always runs whole (its commands depend on the
    // ones before), and only the requested tests are reported.
    const byFile = new Map<vscode.TestItem, Set<vscode.TestItem> | 'all'>();
    const roots: vscode.TestItem[] = [];
    controller.items.forEach((i) => roots.push(i));
    for (const item of request.include ?? roots) {
      const file = item.parent ?? item;
      if (file.canResolveChildren && file.uri) {
        const text = textOf(file.uri);
        if (text !== undefined) fill(file, text);
      }
      if (item === file) byFile.set(file, 'all');
      else {
        const set = byFile.get(file);
        if (set !== 'all') byFile.set(file, (set ?? new Set()).add(item));
      }
    }
    try {
      for (const [file, wanted] of byFile) {
        if (token.isCancellationRequested) break;
        const selected: vscode.TestItem[] = [];
        file.children.forEach((c) => {
          if ((wanted === 'all' || wanted.has(c)) && !request.exclude?.includes(c)) selected.push(c);
        });
        if (request.exclude?.includes(file)) continue;
        for (const t of selected) testRun.started(t);
        await runFile(file, new Set(selected), testRun, token);
      }
    } finally {
      testRun.end();
    }
  };

  const runFile = async (file: vscode.TestItem, selected: Set<vscode.TestItem>, testRun: vscode.TestRun, token: vscode.CancellationToken): Promise<void> => {
    const uri = file.uri;
    if (!uri) return;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let target = uri.fsPath;
    let tempDir: string | undefined;
    if (doc?.isDirty) {
      tempDir = mkdtempSync(path.join(tmpdir(), 'wasmscope-wast-'));
      target = path.join(tempDir, path.basename(uri.fsPath));
      writeFileSync(target, doc.getText());
    }
    const reported = new Set<vscode.TestItem>();
    const report = (o: SpecOutcomeLine): void => {
      const range = new vscode.Range(o.line - 1, 0, o.endLine - 1, Number.MAX_SAFE_INTEGER);
      if (o.kind === 'syntax') {
        // Not a test of its own: every requested test of a script that does not parse fails with it.
        for (const t of selected) if (!reported.has(t)) fail(t, o, range);
        return;
      }
      const item = file.children.get(childId(o.kind, o.line));
      if (!item || !selected.has(item) || reported.has(item)) return;
      if (o.ok) {
        reported.add(item);
        testRun.passed(item);
      } else fail(item, o, range);
    };
    const fail = (item: vscode.TestItem, o: SpecOutcomeLine, range: vscode.Range): void => {
      reported.add(item);
      const message = o.expected !== undefined && o.actual !== undefined
        ? vscode.TestMessage.diff(o.message ?? 'failed', o.expected, o.actual)
        : new vscode.TestMessage(o.message ?? 'failed');
      message.location = new vscode.Location(uri, range);
      testRun.failed(item, message);
    };
    const stderr: string[] = [];
    try {
      await new Promise<void>((resolve) => {
        const child = fork(cli, specArgs(target, readFeatures(uri)), { silent: true, execArgv: [] });
        const lines = new LineSplitter();
        const onLines = (ls: string[]): void => {
          for (const l of ls) {
            const parsed = parseSpecLine(l);
            if (parsed?.type === 'outcome') report(parsed.outcome);
            else if (!parsed) testRun.appendOutput(`${l}\r\n`);
          }
        };
        child.stdout?.setEncoding('utf8').on('data', (c: string) => onLines(lines.push(c)));
        child.stderr?.setEncoding('utf8').on('data', (c: string) => stderr.push(c));
        const cancel = token.onCancellationRequested(() => child.kill());
        child.on('error', (e) => stderr.push(e.message));
        child.on('close', () => {
          onLines(lines.end());
          cancel.dispose();
          resolve();
        });
      });
    } finally {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    }
    // Whatever got no result: the run was cancelled, or the runner died (say how).
    const why = token.isCancellationRequested ? undefined : new vscode.TestMessage(runnerFailure(stderr.join('')));
    for (const t of selected) {
      if (reported.has(t)) continue;
      if (why) testRun.errored(t, why);
      else testRun.skipped(t);
    }
  };

  ctx.push(controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, run, true));

  // Debug (F5 on a test): the script runs up to the assertion, then its invoke under the debugger.
  const debug = async (request: vscode.TestRunRequest): Promise<void> => {
    const item = request.include?.find((i) => i.parent !== undefined) ?? request.include?.[0];
    if (!item?.uri) return;
    const testRun = controller.createTestRun(request, undefined, false);
    const config = wastDebugConfiguration(item.uri.fsPath, item.id);
    if ('error' in config) {
      testRun.errored(item, new vscode.TestMessage(item.parent ? config.error : 'Debug one assertion of the script (its line in the Testing view).'));
      testRun.end();
      return;
    }
    testRun.started(item);
    const folder = vscode.workspace.getWorkspaceFolder(item.uri);
    const ours = (s: vscode.DebugSession): boolean => s.configuration.wastLine === config.wastLine && s.configuration.program === config.program;
    // The adapter reports the assertion's result (the spec runner's judgement) before it exits.
    let result: unknown;
    const onResult = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.event === 'wastResult' && ours(e.session)) result = e.body;
    });
    const done = vscode.debug.onDidTerminateDebugSession((s) => {
      if (!ours(s)) return;
      done.dispose();
      onResult.dispose();
      const verdict = debuggedTestState(item.id, result);
      if (verdict.state === 'passed') testRun.passed(item);
      else if (verdict.state === 'skipped') testRun.skipped(item);
      else {
        const message = verdict.expected !== undefined && verdict.actual !== undefined
          ? vscode.TestMessage.diff(verdict.message, verdict.expected, verdict.actual)
          : new vscode.TestMessage(verdict.message);
        if (item.range) message.location = new vscode.Location(item.uri!, item.range);
        testRun.failed(item, message);
      }
      testRun.end();
    });
    const started = await vscode.debug.startDebugging(folder, config, { testRun });
    if (!started) {
      done.dispose();
      onResult.dispose();
      testRun.errored(item, new vscode.TestMessage('The debugger did not start.'));
      testRun.end();
    }
  };
  ctx.push(controller.createRunProfile('Debug', vscode.TestRunProfileKind.Debug, debug, true));
}

/** What to say when the runner gave no result: the error line of its stderr first (the inline
 * message shows one line), then all of it. */
function runnerFailure(stderr: string): string {
  const text = stderr.trim();
  if (text === '') return 'the spec runner ended without a result for this command';
  const lines = text.split('\n');
  const headline = lines.find((l) => /\b(Error|error)\b/.test(l)) ?? lines[0] ?? text;
  return `the spec runner failed: ${headline.trim()}\n\n${text}`;
}
