// Creates the connection, keeps the documents, and routes each LSP method to its feature function.
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  ResponseError,
  CodeActionKind,
  type TextDocumentIdentifier,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { codeActions } from './features/code-actions';
import { completion } from './features/completion';
import { definition } from './features/definition';
import { documentSymbols } from './features/document-symbols';
import { foldingRanges } from './features/folding-ranges';
import { formatDocument, formatRange } from './features/formatting';
import { inlayHints } from './features/inlay-hints';
import { selectionRanges } from './features/selection-ranges';
import { SEMANTIC_LEGEND, semanticTokens } from './features/semantic-tokens';
import { signatureHelp } from './features/signature-help';
import { moduleTree } from './features/module-tree';
import { workspaceSymbols } from './features/workspace-symbols';
import { documentHighlight } from './features/document-highlight';
import { hover } from './features/hover';
import { references } from './features/references';
import { prepareRename, rename } from './features/rename';
import { InProcessCheckRunner, WorkerCheckRunner, type CheckRunner } from './check-runner';
import { DiagnosticsScheduler } from './diagnostics';
import { AnalysisCache, type Analysis } from './documents';
import { moduleTreeRequest, onCustomRequest, serverStatusRequest, type ServerStatus } from './lsp-ext';
import { DEFAULT_SETTINGS, settingsFromSection, type ServerSettings } from './settings';

export const SERVER_VERSION = '0.1.0';

/** stdio when asked, or when no transport is named (a user typing `node dist/server.js` in a terminal). */
function openConnection(): Connection {
  const named = process.argv.some((a) => a === '--stdio' || a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe') || a.startsWith('--clientProcessId'));
  const explicit = process.argv.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'));
  if (named && explicit) return createConnection(ProposedFeatures.all);
  return createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
}

export function startLanguageServer(): void {
  const connection = openConnection();
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache();
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  const runner = createRunner((m) => connection.console.error(m));
  const diagnostics = new DiagnosticsScheduler(connection, documents, runner, () => settings);

  // A bug in one feature must cost one answer, not the server: log it and answer null.
  process.on('uncaughtException', (err) => connection.console.error(`wasmscope: uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => connection.console.error(`wasmscope: unhandled rejection: ${String(err)}`));

  /** Runs a feature on the current analysis of a document; null for an unknown document or a failed feature. */
  function withAnalysis<T>(id: TextDocumentIdentifier, method: string, feature: (a: Analysis) => T): T | null {
    const document = documents.get(id.uri);
    if (!document) return null;
    try {
      return feature(analyses.get(document));
    } catch (err) {
      // A refusal meant for the user (an invalid new name) goes back as the error it is.
      if (err instanceof ResponseError) throw err;
      connection.console.error(`wasmscope: ${method} failed on ${id.uri}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return null;
    }
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    const init = params.initializationOptions as Record<string, unknown> | undefined;
    if (init && typeof init === 'object') settings = settingsFromSection(init.wasmscope ?? init);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'WebAssembly' },
        workspaceSymbolProvider: true,
        completionProvider: { triggerCharacters: ['$', '(', '.'] },
        foldingRangeProvider: true,
        selectionRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_LEGEND, full: true, range: true },
        signatureHelpProvider: { triggerCharacters: ['(', ' '], retriggerCharacters: [')'] },
        inlayHintProvider: true,
        documentFormattingProvider: true,
        documentRangeFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, CodeActionKind.RefactorRewrite] },
      },
      serverInfo: { name: 'wasmscope', version: SERVER_VERSION },
    };
  });

  async function refreshSettings(pushed?: unknown): Promise<void> {
    if (pullConfiguration) {
      try {
        settings = settingsFromSection(await connection.workspace.getConfiguration('wasmscope'));
      } catch (err) {
        connection.console.error(`wasmscope: cannot read settings: ${String(err)}`);
      }
    } else if (pushed && typeof pushed === 'object') {
      const all = pushed as Record<string, unknown>;
      settings = settingsFromSection(all.wasmscope ?? all);
    }
    diagnostics.scheduleAll();
  }

  connection.onInitialized(() => {
    if (pullConfiguration) void refreshSettings();
  });
  connection.onDidChangeConfiguration((change) => void refreshSettings(change.settings));

  documents.onDidOpen((e) => diagnostics.schedule(e.document.uri, 0));
  documents.onDidChangeContent((e) => diagnostics.schedule(e.document.uri));
  documents.onDidClose((e) => {
    analyses.forget(e.document.uri);
    diagnostics.forget(e.document.uri);
  });

  onCustomRequest(connection, serverStatusRequest, async (): Promise<ServerStatus> => {
    const memory = process.memoryUsage();
    const workerHeapUsed = await runner.heapUsed().catch(() => undefined);
    return {
      version: SERVER_VERSION,
      rss: memory.rss,
      heapUsed: memory.heapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      ...(workerHeapUsed === undefined ? {} : { workerHeapUsed }),
      openDocuments: documents.all().length,
      wabtLoaded: runner.loaded(),
    };
  });

  connection.onShutdown(() => runner.dispose());
  connection.onDocumentSymbol((p) => withAnalysis(p.textDocument, 'documentSymbol', (a) => documentSymbols(a)));
  connection.onWorkspaceSymbol((p) => {
    try {
      return workspaceSymbols(documents.all().map((d) => analyses.get(d)), p.query);
    } catch (err) {
      connection.console.error(`wasmscope: workspace/symbol failed: ${String(err)}`);
      return [];
    }
  });
  onCustomRequest(connection, moduleTreeRequest, (p) => withAnalysis(p.textDocument, 'moduleTree', (a) => moduleTree(a)));
  connection.onCompletion((p) => withAnalysis(p.textDocument, 'completion', (a) => completion(a, p.position)));
  connection.onFoldingRanges((p) => withAnalysis(p.textDocument, 'foldingRange', (a) => foldingRanges(a)));
  connection.onSelectionRanges((p) => withAnalysis(p.textDocument, 'selectionRange', (a) => selectionRanges(a, p.positions)));
  connection.languages.semanticTokens.on((p) => withAnalysis(p.textDocument, 'semanticTokens/full', (a) => semanticTokens(a)) ?? { data: [] });
  connection.languages.semanticTokens.onRange((p) => withAnalysis(p.textDocument, 'semanticTokens/range', (a) => semanticTokens(a, p.range)) ?? { data: [] });
  connection.onSignatureHelp((p) => withAnalysis(p.textDocument, 'signatureHelp', (a) => signatureHelp(a, p.position)));
  connection.languages.inlayHint.on((p) => withAnalysis(p.textDocument, 'inlayHint', (a) => inlayHints(a, p.range)));
  connection.onDocumentFormatting((p) => withAnalysis(p.textDocument, 'formatting', (a) => formatDocument(a, p.options)));
  connection.onDocumentRangeFormatting((p) => withAnalysis(p.textDocument, 'rangeFormatting', (a) => formatRange(a, p.range, p.options)));
  connection.onCodeAction((p) => withAnalysis(p.textDocument, 'codeAction', (a) => codeActions(a, p.range, p.context.diagnostics)));
  connection.onHover((p) => withAnalysis(p.textDocument, 'hover', (a) => hover(a, p.position)));
  connection.onDefinition((p) => withAnalysis(p.textDocument, 'definition', (a) => definition(a, p.position)));
  connection.onReferences((p) => withAnalysis(p.textDocument, 'references', (a) => references(a, p.position, p.context.includeDeclaration)));
  connection.onDocumentHighlight((p) => withAnalysis(p.textDocument, 'documentHighlight', (a) => documentHighlight(a, p.position)));
  connection.onPrepareRename((p) => withAnalysis(p.textDocument, 'prepareRename', (a) => prepareRename(a, p.position)));
  connection.onRenameRequest((p) => withAnalysis(p.textDocument, 'rename', (a) => rename(a, p.position, p.newName)));

  documents.listen(connection);
  connection.listen();
}

/** The worker thread runs this same file (`__filename` in the CommonJS bundle). */
function createRunner(log: (m: string) => void): CheckRunner {
  const script = typeof __filename === 'string' && __filename.endsWith('.js') ? __filename : undefined;
  if (script === undefined || process.env.WASMSCOPE_NO_WORKER === '1') return new InProcessCheckRunner();
  return new WorkerCheckRunner(script, log);
}
