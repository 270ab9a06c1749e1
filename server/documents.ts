// Open documents and their analysis: one parse per document version, built on first use and shared by every feature.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseTree, type ParseTree } from '../core/text/cst';
import type { DocumentLanguage } from '../core/check/index';

/** Everything the features read about one version of one document; built lazily, never mutated. */
export class Analysis {
  private cachedTree: ParseTree | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly language: DocumentLanguage,
    readonly text: string,
  ) {}

  /** The error-tolerant concrete syntax tree (tokens, comments, s-expressions, line index). */
  get tree(): ParseTree {
    this.cachedTree ??= parseTree(this.text);
    return this.cachedTree;
  }
}

/** `.wast` by language id or extension; everything else is a module. */
export function languageOf(uri: string, languageId: string): DocumentLanguage {
  if (languageId === 'wast') return 'wast';
  if (languageId === 'wat') return 'wat';
  return uri.toLowerCase().endsWith('.wast') ? 'wast' : 'wat';
}

/** Keeps the current analysis of every open document, replacing it when the version changes. */
export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();

  /** The analysis of the document's current version (the same object until the next edit). */
  get(document: TextDocument): Analysis {
    const cached = this.byUri.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const analysis = new Analysis(document.uri, document.version, languageOf(document.uri, document.languageId), document.getText());
    this.byUri.set(document.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
