// Creates the connection, keeps the documents in sync, routes feature requests to the analysis worker
// and diagnostics to the check worker, so neither a long parse nor a long validation blocks the other.
import {
  CodeActionKind,
  createConnection,
  ErrorCodes,
  ProposedFeatures,
  ResponseError,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type DocumentSymbol,
  type DocumentSymbolParams,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisWorker } from './analysis-worker';
import { InProcessCheckRunner, WorkerCheckRunner, type CheckRunner } from './check-runner';
import { DiagnosticsScheduler } from './diagnostics';
import { SEMANTIC_LEGEND } from './features/semantic-tokens';
import { onCustomRequest, serverStatusRequest, type ServerStatus } from './lsp-ext';
import { acceptsMarkdown, forClient, type MarkdownSupport } from './markup';
import { DOCUMENT_ROUTES, emptyAnswer } from './routes';
import { DEFAULT_SETTINGS, settingsFromSection, type ServerSettings } from './settings';
import { asSymbolInformation } from './symbol-information';
import { heapUsed } from './heap-used';

export const SERVER_VERSION = '0.1.0';

/** stdio when asked, or when no transport is named (a user typing `node dist/server.js` in a terminal). */
function openConnection(): Connection {
  const explicit = process.argv.some((a) => a.startsWith('--node-ipc') || a.startsWith('--socket') || a.startsWith('--pipe'));
  if (explicit) {
    // Under VS Code's ipc the parent may vanish without `exit`; leave no server behind.
    process.on('disconnect', () => process.exit(0));
    return createConnection(ProposedFeatures.all);
  }
  // An editor that dies closes our stdin without sending `exit`; leave no server behind.
  process.stdin.on('end', () => process.exit(0));
  const reader = new StreamMessageReader(process.stdin);
  // A header that is not LSP framing leaves the reader stuck on it for good (every later message
  // unread): end, so the editor sees the server die and restarts it, rather than a live, deaf server.
  reader.onError((err) => {
    if (/header|Content-Length/i.test(err.message)) {
      process.stderr.write(`wasmscope: unreadable LSP input (${err.message.split('\n')[0]}); exiting\n`);
      process.exit(1);
    }
  });
  return createConnection(ProposedFeatures.all, reader, new StreamMessageWriter(process.stdout));
}

/** Both workers run this same bundle (`__filename` in the CommonJS output); under tsx or when disabled, work stays in process. */
function workerScript(): string | undefined {
  const script = typeof __filename === 'string' && __filename.endsWith('.js') ? __filename : undefined;
  return process.env.WASMSCOPE_NO_WORKER === '1' ? undefined : script;
}

export function startLanguageServer(): void {
  const connection = openConnection();
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = DEFAULT_SETTINGS;
  let pullConfiguration = false;
  let roots: string[] = [];
  let workspaceFolderEvents = false;
  let markdown: MarkdownSupport = { hover: true, completionDocumentation: true };
  let hierarchicalSymbols = true;
  const log = (m: string): void => connection.console.error(m);
  const script = workerScript();
  const runner: CheckRunner = script ? new WorkerCheckRunner(script, log) : new InProcessCheckRunner();
  const analysis = new AnalysisWorker(script, log);
  // Checks wait for the first settings pull (at most 2 s: a client may never answer) so feature flags apply from the start.
  let settingsLoaded: () => void = () => undefined;
  const settingsReady = new Promise<void>((resolve) => {
    settingsLoaded = resolve;
    setTimeout(resolve, 2000).unref();
  });
  const diagnostics = new DiagnosticsScheduler(connection, documents, runner, () => settings, settingsReady, (uri, version) => analysis.idle(uri, version));

  // A bug must cost one answer, not the server: log it and carry on.
  process.on('uncaughtException', (err) => log(`wasmscope: uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => log(`wasmscope: unhandled rejection: ${String(err)}`));

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    pullConfiguration = params.capabilities.workspace?.configuration === true;
    workspaceFolderEvents = params.capabilities.workspace?.workspaceFolders === true;
    markdown = {
      hover: acceptsMarkdown(params.capabilities.textDocument?.hover?.contentFormat),
      completionDocumentation: acceptsMarkdown(params.capabilities.textDocument?.completion?.completionItem?.documentationFormat),
    };
    hierarchicalSymbols = params.capabilities.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true;
    const init = params.initializationOptions as Record<string, unknown> | undefined;
    if (init && typeof init === 'object') settings = settingsFromSection(init.wasmscope ?? init);
    roots = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    analysis.setRoots(roots);
    return {
      capabilities: {
        // Columns are UTF-16 code units (LSP's default), whatever encodings the client offers.
        positionEncoding: 'utf-16',
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        definitionProvider: true,
        declarationProvider: true,
        typeDefinitionProvider: true,
        callHierarchyProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: { label: 'WebAssembly' },
        workspaceSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
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
        log(`wasmscope: cannot read settings: ${String(err)}`);
      }
    } else if (pushed && typeof pushed === 'object') {
      const all = pushed as Record<string, unknown>;
      settings = settingsFromSection(all.wasmscope ?? all);
    }
    diagnostics.scheduleAll();
  }

  // One handler: the connection keeps only the last one registered.
  connection.onInitialized(() => {
    runner.warmUp();
    analysis.warmUp();
    if (pullConfiguration) void refreshSettings().finally(settingsLoaded);
    else settingsLoaded();
    if (workspaceFolderEvents) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => f.uri));
        roots = [...roots.filter((r) => !removed.has(r)), ...event.added.map((f) => f.uri)];
        analysis.setRoots(roots);
      });
    }
  });
  connection.onDidChangeConfiguration((change) => void refreshSettings(change.settings));

  documents.onDidOpen((e) => {
    analysis.didOpen(e.document.uri, e.document.languageId, e.document.version, e.document.getText());
    diagnostics.schedule(e.document.uri, 0);
  });
  documents.onDidChangeContent((e) => {
    analysis.didChange(e.document.uri, e.document.version, e.document.getText());
    diagnostics.schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    analysis.didClose(e.document.uri);
    diagnostics.forget(e.document.uri);
  });

  // After `shutdown` the workers are gone; LSP wants InvalidRequest for anything but `exit`.
  let shutDown = false;
  // Every feature request goes to the analysis worker by method name (see routes.ts for who answers what).
  for (const method of [...Object.keys(DOCUMENT_ROUTES), 'workspace/symbol']) {
    connection.onRequest(method, (params: unknown) => {
      if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `${method} after shutdown`);
      return analysis.request(method, params).then((r) => {
        const answer = forClient(method, r ?? emptyAnswer(method), markdown);
        if (method !== 'textDocument/documentSymbol' || hierarchicalSymbols || !Array.isArray(answer)) return answer;
        return asSymbolInformation((params as DocumentSymbolParams).textDocument.uri, answer as DocumentSymbol[]);
      });
    });
  }

  onCustomRequest(connection, serverStatusRequest, async (): Promise<ServerStatus> => {
    const mainHeapUsed = heapUsed();
    const memory = process.memoryUsage();
    const workerHeapUsed = await runner.heapUsed().catch(() => undefined);
    const stats = await analysis.stats().catch(() => ({ heapUsed: undefined, staleAnswers: 0, incremental: 0, full: 0 }));
    const analysisHeapUsed = stats.heapUsed;
    return {
      version: SERVER_VERSION,
      rss: memory.rss,
      heapUsed: mainHeapUsed,
      heapTotal: memory.heapTotal,
      external: memory.external,
      ...(workerHeapUsed === undefined ? {} : { workerHeapUsed }),
      ...(analysisHeapUsed === undefined ? {} : { analysisHeapUsed }),
      openDocuments: documents.all().length,
      staleAnswers: stats.staleAnswers,
      incrementalParses: stats.incremental,
      fullParses: stats.full,
      wabtLoaded: runner.loaded(),
    };
  });

  connection.onShutdown(() => {
    shutDown = true;
    runner.dispose();
    analysis.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
