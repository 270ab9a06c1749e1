// Open documents and their analysis: one parse per document version, built on first use and shared by every feature.
import type { Range as LspRange, Position as LspPosition } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { headKeyword, isList, moduleFromList, parseTree, parseWat, type ParseTree, type SList, type TextModule } from '../core/text/index';
import type { DocumentLanguage } from '../core/check/index';
import { reparseIncrementally } from '../core/text/incremental';
import { staleView, type StaleView } from './stale-answer';
import { isComponentText, parseComponentText, type ComponentTextResult } from '../core/component/text';

/** How the analyses of this thread were parsed (serverStatus reports it; the tests read it). */
export const parseCounts = { incremental: 0, full: 0 };

/** Everything the features read about one version of one document; built lazily, never mutated
 * (except that a later version may take its parse over: see {@link Analysis.parseIncrementally}). */
export class Analysis {
  private parsed: { tree: ParseTree; modules: TextModule[] } | undefined;

  constructor(
    readonly uri: string,
    readonly version: number,
    readonly language: DocumentLanguage,
    readonly text: string,
  ) {}

  /** The error-tolerant concrete syntax tree (tokens, comments, s-expressions, line index). */
  get tree(): ParseTree {
    return this.parse().tree;
  }

  /** The text modules: one for a `.wat` file, one per `(module ...)` of a `.wast` script (binary/quote skipped). */
  get modules(): TextModule[] {
    return this.parse().modules;
  }

  /** The module whose text contains `offset` (a `.wat` file's only module, wherever the offset is). */
  moduleAt(offset: number): TextModule | undefined {
    const modules = this.modules;
    if (this.language === 'wat') return modules[0];
    return modules.find((m) => m.node !== undefined && m.node.start <= offset && offset <= m.node.end);
  }

  offsetAt(position: LspPosition): number {
    return this.tree.lines.offsetAt(position.line, position.character);
  }

  /** An LSP range for two offsets (core positions also carry `offset`, which LSP does not want). */
  range(start: number, end: number): LspRange {
    const lines = this.tree.lines;
    const s = lines.positionAt(start);
    const e = lines.positionAt(end);
    return { start: { line: s.line, character: s.character }, end: { line: e.line, character: e.character } };
  }

  private componentParse: ComponentTextResult | undefined;

  /** For a `.wat` holding `(component ...)`: the component parser's result (outline, errors), once per version. */
  get component(): ComponentTextResult | undefined {
    if (this.language !== 'wat' || !isComponentText(this.text)) return undefined;
    return (this.componentParse ??= parseComponentText(this.text));
  }

  /** Set when core/text's module builder failed on this text (the features then see the tree only). */
  parseFailure: string | undefined;

  /** The last parsed version before this one, kept only until this one is parsed (see stale-answer.ts). */
  previous: Analysis | undefined;
  private stale: StaleView | null | undefined;

  get isParsed(): boolean {
    return this.parsed !== undefined;
  }

  /** How {@link previous} may stand in for this version; undefined when it may not. */
  staleView(): StaleView | undefined {
    if (this.parsed || !this.previous || this.parseIncrementally()) return undefined;
    if (this.stale === undefined) this.stale = staleView(this, this.previous) ?? null;
    return this.stale ?? undefined;
  }

  /**
   * Takes over the previous version's parse when the edits since it lie inside one function's
   * locals and instructions: that function alone is parsed again (core/text/incremental.ts), in
   * milliseconds where a full parse of a large module takes half a second. The previous version's
   * parse is moved, not copied: that Analysis parses its own text again if it is ever asked.
   */
  parseIncrementally(): boolean {
    if (this.parsed) return true;
    const previous = this.previous;
    if (this.language !== 'wat' || !previous?.parsed || previous.parseFailure !== undefined) return false;
    const module = previous.parsed.modules[0];
    if (!module || previous.parsed.modules.length !== 1) return false;
    const parsed = { tree: previous.parsed.tree, module };
    let done: boolean;
    try {
      done = reparseIncrementally(parsed, this.text);
    } catch (err) {
      // Half-moved: neither version may use it now; this one parses afresh.
      previous.parsed = undefined;
      this.incrementalFailure = err instanceof Error ? err.message : String(err);
      return false;
    }
    if (!done) return false;
    previous.parsed = undefined;
    this.parsed = { tree: parsed.tree, modules: [parsed.module] };
    this.previous = undefined;
    this.stale = undefined;
    this.incremental = true;
    parseCounts.incremental++;
    return true;
  }

  /** Parsed from the previous version's parse (see {@link parseIncrementally}). */
  incremental = false;
  /** Set when an incremental parse failed half-way (a bug: reported in the server status). */
  incrementalFailure: string | undefined;

  private parse(): { tree: ParseTree; modules: TextModule[] } {
    if (this.parsed) return this.parsed;
    if (this.parseIncrementally() && this.parsed) return this.parsed;
    this.previous = undefined;
    this.stale = undefined;
    parseCounts.full++;
    try {
      this.parsed = this.parseModules();
    } catch (err) {
      // e.g. a stack overflow on 50,000 nested folded blocks: keep the (iterative) tree so formatting,
      // folding and selection still work, and cache the failure rather than retrying on every request.
      this.parseFailure = err instanceof Error ? err.message : String(err);
      this.parsed = { tree: parseTree(this.text), modules: [] };
    }
    return this.parsed;
  }

  private parseModules(): { tree: ParseTree; modules: TextModule[] } {
    if (this.language === 'wat') {
      const doc = parseWat(this.text);
      return { tree: doc.tree, modules: [doc.module] };
    }
    const tree = parseTree(this.text);
    return { tree, modules: scriptModules(tree).map((list) => moduleFromList(tree.lines, list)) };
  }
}

/** Text `(module ...)` lists of a script, top level or as the first argument of a command. */
function scriptModules(tree: ParseTree): SList[] {
  const out: SList[] = [];
  for (const node of tree.nodes) {
    if (!isList(node)) continue;
    const head = headKeyword(node);
    const candidate = head === 'module' ? node : node.children[1];
    if (!isList(candidate) || headKeyword(candidate) !== 'module') continue;
    let i = 1;
    if (candidate.children[i]?.kind === 'id') i++;
    const word = candidate.children[i];
    if (word !== undefined && word.kind === 'keyword' && ['binary', 'quote', 'instance', 'definition'].includes(word.text)) {
      if (word.text !== 'definition') continue;
    }
    out.push(candidate);
  }
  return out;
}

/** By extension first (editors disagree on language ids), then by language id: `.wast` scripts, everything else a module. */
export function languageOf(uri: string, languageId: string): DocumentLanguage {
  const lower = uri.toLowerCase();
  if (lower.endsWith('.wast')) return 'wast';
  if (lower.endsWith('.wat')) return 'wat';
  return languageId === 'wast' ? 'wast' : 'wat';
}

/** Keeps the current analysis of every open document, replacing it when the version changes. */
export class AnalysisCache {
  private readonly byUri = new Map<string, Analysis>();

  /** The analysis of the document's current version (the same object until the next edit). */
  get(document: TextDocument): Analysis {
    const cached = this.byUri.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const analysis = new Analysis(document.uri, document.version, languageOf(document.uri, document.languageId), document.getText());
    // The newest parsed version answers point requests away from the edits until this one is parsed.
    const parsed = cached?.isParsed ? cached : cached?.previous;
    if (parsed) {
      parsed.previous = undefined;
      analysis.previous = parsed;
    }
    this.byUri.set(document.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.byUri.delete(uri);
  }
}
