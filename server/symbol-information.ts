// The flat outline (SymbolInformation[]) for clients that declare no hierarchicalDocumentSymbolSupport,
// as LSP asks: Vim's vim-lsp, for one, declares it false.
import type { DocumentSymbol, SymbolInformation } from 'vscode-languageserver/node';

/** Depth first, parents before children; a child names its parent as `containerName`. */
export function asSymbolInformation(uri: string, symbols: DocumentSymbol[], containerName?: string): SymbolInformation[] {
  const out: SymbolInformation[] = [];
  for (const s of symbols) {
    out.push({ name: s.name, kind: s.kind, location: { uri, range: s.range }, ...(containerName === undefined ? {} : { containerName }) });
    if (s.children) out.push(...asSymbolInformation(uri, s.children, s.name));
  }
  return out;
}
