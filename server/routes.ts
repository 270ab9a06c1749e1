// One line per LSP method: which feature function answers it, given the document's analysis.
import type * as lsp from 'vscode-languageserver/node';
import { incomingCalls, outgoingCalls, prepareCallHierarchy } from './features/call-hierarchy';
import { codeActions } from './features/code-actions';
import { completion } from './features/completion';
import { definition } from './features/definition';
import { documentHighlight } from './features/document-highlight';
import { documentSymbols } from './features/document-symbols';
import { foldingRanges } from './features/folding-ranges';
import { formatDocument, formatRange } from './features/formatting';
import { hover } from './features/hover';
import { inlayHints } from './features/inlay-hints';
import { moduleTree } from './features/module-tree';
import { references } from './features/references';
import { prepareRename, rename } from './features/rename';
import { selectionRanges } from './features/selection-ranges';
import { semanticTokens } from './features/semantic-tokens';
import { signatureHelp } from './features/signature-help';
import { typeDefinition } from './features/type-definition';
import type { Analysis } from './documents';
import { moduleTreeRequest, type ModuleTreeParams } from './lsp-ext';

type Route = (analysis: Analysis, params: never) => unknown;

function route<P>(feature: (analysis: Analysis, params: P) => unknown): Route {
  return feature as Route;
}

/** Requests about one document (`params.textDocument.uri`); workspace/symbol is served by the host itself. */
export const DOCUMENT_ROUTES: Record<string, Route> = {
  'textDocument/hover': route((a, p: lsp.HoverParams) => hover(a, p.position)),
  'textDocument/completion': route((a, p: lsp.CompletionParams) => completion(a, p.position)),
  'textDocument/definition': route((a, p: lsp.DefinitionParams) => definition(a, p.position)),
  // A WebAssembly name has one definition, so declaration and definition coincide.
  'textDocument/declaration': route((a, p: lsp.DeclarationParams) => definition(a, p.position)),
  'textDocument/typeDefinition': route((a, p: lsp.TypeDefinitionParams) => typeDefinition(a, p.position)),
  'textDocument/prepareCallHierarchy': route((a, p: lsp.CallHierarchyPrepareParams) => prepareCallHierarchy(a, p.position)),
  'callHierarchy/incomingCalls': route((a, p: lsp.CallHierarchyIncomingCallsParams) => incomingCalls(a, p.item)),
  'callHierarchy/outgoingCalls': route((a, p: lsp.CallHierarchyOutgoingCallsParams) => outgoingCalls(a, p.item)),
  'textDocument/references': route((a, p: lsp.ReferenceParams) => references(a, p.position, p.context.includeDeclaration)),
  'textDocument/documentHighlight': route((a, p: lsp.DocumentHighlightParams) => documentHighlight(a, p.position)),
  'textDocument/prepareRename': route((a, p: lsp.PrepareRenameParams) => prepareRename(a, p.position)),
  'textDocument/rename': route((a, p: lsp.RenameParams) => rename(a, p.position, p.newName)),
  'textDocument/documentSymbol': route((a) => documentSymbols(a)),
  'textDocument/foldingRange': route((a) => foldingRanges(a)),
  'textDocument/selectionRange': route((a, p: lsp.SelectionRangeParams) => selectionRanges(a, p.positions)),
  'textDocument/semanticTokens/full': route((a) => semanticTokens(a)),
  'textDocument/semanticTokens/range': route((a, p: lsp.SemanticTokensRangeParams) => semanticTokens(a, p.range)),
  'textDocument/signatureHelp': route((a, p: lsp.SignatureHelpParams) => signatureHelp(a, p.position)),
  'textDocument/inlayHint': route((a, p: lsp.InlayHintParams) => inlayHints(a, p.range)),
  'textDocument/formatting': route((a, p: lsp.DocumentFormattingParams) => formatDocument(a, p.options)),
  'textDocument/rangeFormatting': route((a, p: lsp.DocumentRangeFormattingParams) => formatRange(a, p.range, p.options)),
  'textDocument/codeAction': route((a, p: lsp.CodeActionParams) => codeActions(a, p.range, p.context.diagnostics)),
  [moduleTreeRequest.method]: route((a, _p: ModuleTreeParams) => moduleTree(a)),
};

/** What an unknown document or a failed feature answers (semantic tokens must be an object). */
export function emptyAnswer(method: string): unknown {
  return method.startsWith('textDocument/semanticTokens') ? { data: [] } : null;
}
