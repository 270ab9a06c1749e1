// textDocument/publishDiagnostics: debounced wabt checks per document, newest version wins, stale results dropped.
import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CheckDiagnostic } from '../core/check/index';
import type { CheckRunner } from './check-runner';
import { languageOf } from './documents';
import type { ServerSettings } from './settings';

/** Short enough that an edit's diagnostics arrive within ~150 ms on a 1.5 MB file, long enough to skip keystrokes. */
const DEBOUNCE_MS = 30;

export class DiagnosticsScheduler {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly queue = new Set<string>();
  private running = false;
  /** `uri@version` checks already retried after a worker failure (one retry each). */
  private readonly retried = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly runner: CheckRunner,
    private readonly settings: () => ServerSettings,
    /** Resolves once the client's settings are known, so the first check uses the right feature flags. */
    private readonly settingsReady: Promise<void> = Promise.resolve(),
    /** Called after a version's diagnostics went out (the analysis worker may parse it then). */
    private readonly published: (uri: string, version: number) => void = () => undefined,
  ) {}

  /** Checks the document after a pause in typing. */
  schedule(uri: string, delay = DEBOUNCE_MS): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.queue.add(uri);
        void this.pump();
      }, delay),
    );
  }

  scheduleAll(): void {
    for (const d of this.documents.all()) this.schedule(d.uri, 0);
  }

  /** Clears a closed document's diagnostics. */
  forget(uri: string): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.delete(uri);
    this.queue.delete(uri);
    this.runner.forget(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  /** One check at a time: with a single worker, queueing here keeps only each document's newest version. */
  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.settingsReady;
      for (let uri = first(this.queue); uri !== undefined; uri = first(this.queue)) {
        this.queue.delete(uri);
        const document = this.documents.get(uri);
        if (!document) continue;
        const settings = this.settings();
        const version = document.version;
        let found: CheckDiagnostic[] = [];
        if (settings.diagnosticsEnabled) {
          try {
            found = await this.runner.check({
              uri,
              text: document.getText(),
              options: { language: languageOf(uri, document.languageId), features: settings.features },
            });
          } catch (err) {
            // The worker died mid-check (it restarts on the next request): try this document once more.
            this.connection.console.error(`wasmscope: diagnostics for ${uri} failed: ${String(err)}`);
            if (!this.retried.has(`${uri}@${version}`)) {
              this.retried.add(`${uri}@${version}`);
              this.queue.add(uri);
            }
            continue;
          }
        }
        // A newer edit arrived meanwhile: its own check is already scheduled, and these ranges may be off.
        if (this.documents.get(uri)?.version !== version) continue;
        void this.connection.sendDiagnostics({ uri, version, diagnostics: found.map(toLspDiagnostic) });
        this.published(uri, version);
      }
    } finally {
      this.running = false;
    }
  }
}

function first(set: Set<string>): string | undefined {
  for (const v of set) return v;
  return undefined;
}

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information } as const;

function toLspDiagnostic(d: CheckDiagnostic): Diagnostic {
  return { range: d.range, message: d.message, severity: SEVERITY[d.severity], source: d.source };
}
