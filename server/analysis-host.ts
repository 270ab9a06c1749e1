// Holds the open documents and their analyses and answers feature requests by LSP method name.
// It runs in the analysis worker thread, so a 1-second parse of a huge file never holds up diagnostics.
import { ResponseError } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { workspaceSymbols } from './features/workspace-symbols';
import { AnalysisCache } from './documents';
import { DOCUMENT_ROUTES, emptyAnswer } from './routes';
import { WorkspaceFiles } from './workspace-files';
import { STALE_SAFE, staleAnswer } from './stale-answer';

/** A feature's refusal meant for the user (e.g. an invalid new name), carried across the thread boundary. */
export interface RequestFailure {
  code: number;
  message: string;
}

export class AnalysisHost {
  private readonly documents = new Map<string, TextDocument>();
  private readonly analyses = new AnalysisCache();
  private readonly workspace = new WorkspaceFiles();
  /** Requests answered from a previous version's parse (serverStatus reports it; the tests read it). */
  staleAnswers = 0;

  constructor(private readonly log: (message: string) => void) {}

  /** The workspace folders (file URIs) whose .wat/.wast files workspace/symbol searches. */
  setRoots(uris: string[]): void {
    this.workspace.setRoots(uris);
  }

  open(uri: string, languageId: string, version: number, text: string): void {
    this.documents.set(uri, TextDocument.create(uri, languageId, version, text));
  }

  change(uri: string, version: number, text: string): void {
    const old = this.documents.get(uri);
    this.documents.set(uri, TextDocument.create(uri, old?.languageId ?? 'wat', version, text));
    // Typing resumed: a parse planned for the previous version is moot.
    const planned = this.idleParses.get(uri);
    if (planned) clearTimeout(planned);
    this.idleParses.delete(uri);
  }

  private readonly idleParses = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * Parses a document once typing pauses, before any request asks: on a 1.5 MB module the parse takes
   * about half a second, which the next hover would otherwise wait for. The main thread calls this
   * after publishing a version's diagnostics, and the parse waits a further 300 ms without edits, so
   * it does not compete with the diagnostics check for the CPU while the user types.
   */
  parseWhenIdle(uri: string, version: number): void {
    if (this.documents.get(uri)?.version !== version) return;
    const old = this.idleParses.get(uri);
    if (old) clearTimeout(old);
    const timer = setTimeout(() => {
      this.idleParses.delete(uri);
      const document = this.documents.get(uri);
      if (!document || document.version !== version) return;
      try {
        void this.analyses.get(document).modules;
      } catch (err) {
        this.log(`wasmscope: parsing ${uri} failed: ${String(err)}`);
      }
    }, 300);
    timer.unref?.();
    this.idleParses.set(uri, timer);
  }

  close(uri: string): void {
    const pending = this.idleParses.get(uri);
    if (pending) clearTimeout(pending);
    this.idleParses.delete(uri);
    this.documents.delete(uri);
    this.analyses.forget(uri);
  }

  /** The answer to a request; throws a {@link RequestFailure} for refusals, logs and answers empty for bugs. */
  handle(method: string, params: unknown): unknown {
    try {
      if (method === 'workspace/symbol') {
        // Open documents first (their unsaved text wins); then the files on disk that are not open.
        const open = [...this.documents.values()].map((d) => this.analyses.get(d));
        const onDisk = this.workspace.analyses().filter((a) => !this.documents.has(a.uri));
        return workspaceSymbols([...open, ...onDisk], (params as { query?: string }).query ?? '');
      }
      const routeFn = DOCUMENT_ROUTES[method];
      // Most requests name their document in textDocument; the call-hierarchy follow-ups in item.
      const p = params as { textDocument?: { uri?: unknown }; item?: { uri?: unknown } } | null;
      const uri = p?.textDocument?.uri ?? p?.item?.uri;
      const document = typeof uri === 'string' ? this.documents.get(uri) : undefined;
      if (!routeFn || !document) return emptyAnswer(method);
      const analysis = this.analyses.get(document);
      // Not parsed since the last edit: a point request away from the edit is answered from the previous parse.
      const view = STALE_SAFE.has(method) ? analysis.staleView() : undefined;
      if (view) {
        const answer = staleAnswer(view, params as { position?: { line: number; character: number } }, (a, p) => routeFn(a, p as never));
        if (answer !== undefined) {
          this.staleAnswers++;
          return answer;
        }
      }
      return routeFn(analysis, params as never);
    } catch (err) {
      if (err instanceof ResponseError) throw { code: err.code, message: err.message } satisfies RequestFailure;
      this.log(`wasmscope: ${method} failed on ${JSON.stringify((params as { textDocument?: unknown } | null)?.textDocument ?? '')}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return emptyAnswer(method);
    }
  }
}
