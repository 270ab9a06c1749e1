// Wasmscope's custom LSP requests, typed once and imported by both the client and the server.
// Only types come from `vscode-languageserver-protocol`: the client's vscode-languageclient bundles its own
// copy of vscode-jsonrpc, whose RequestType objects are not interchangeable with ours (at run time its
// ParameterStructures checks compare by identity), so a request is a method name plus phantom types and
// each side sends or handles it by name through the helpers below.
import type { Range, TextDocumentIdentifier } from 'vscode-languageserver-protocol';

/** A custom request: its method name, with its params and result carried as types only. */
export interface CustomRequest<P, R> {
  readonly method: string;
  /** Never set: holds the parameter type. */
  readonly params?: P;
  /** Never set: holds the result type. */
  readonly result?: R;
}

function customRequest<P, R>(method: string): CustomRequest<P, R> {
  return { method };
}

/**
 * Sends a custom request through anything with a by-name `sendRequest` (the LanguageClient, a test's
 * ProtocolConnection): `await sendCustomRequest(client, moduleTreeRequest, { textDocument: { uri } })`.
 */
export function sendCustomRequest<P, R>(
  sender: { sendRequest(method: string, param?: unknown): Promise<unknown> },
  request: CustomRequest<P, R>,
  ...params: P extends void ? [] : [P]
): Promise<R> {
  const [param] = params;
  return (params.length === 0 ? sender.sendRequest(request.method) : sender.sendRequest(request.method, param)) as Promise<R>;
}

/** Registers the handler of a custom request on anything with a by-name `onRequest` (the server's connection). */
export function onCustomRequest<P, R>(
  receiver: { onRequest(method: string, handler: (params: never) => unknown): unknown },
  request: CustomRequest<P, R>,
  handler: (params: P) => R | Promise<R>,
): void {
  receiver.onRequest(request.method, handler as (params: never) => unknown);
}

/** The index spaces a module field can live in (imports and exports name one of these). */
export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

/** Every kind of item the module tree lists. */
export type ModuleItemKind = ExternKind | 'type' | 'data' | 'elem' | 'start';

/**
 * One definition in a module: a function, table, memory, global, tag, type, data or element
 * segment. Imported definitions appear both here (with `import` set) and in `imports`, because
 * they take the first indices of their index space.
 */
export interface ModuleItem {
  kind: ModuleItemKind;
  /** Index in its index space (imports first, as in the binary format). */
  index: number;
  /** The `$name` written in the source, with the `$`; absent for anonymous items. */
  id?: string;
  /**
   * A one-line description in WAT syntax: `(param i32 i32) (result i32)` for a function or type,
   * `(mut i32)` for a global, `1 16 shared` / `i64 1` for a memory, `10 funcref` for a table,
   * `active memory 0, 12 bytes` for a data segment, `passive funcref, 3 elements` for an element segment.
   */
  signature: string;
  /** The whole definition, from its `(` to its `)`. */
  range: Range;
  /** The part to reveal and highlight: the `$name`, or the field keyword when anonymous. */
  selectionRange: Range;
  /** Names this item is exported under (inline `(export "x")` and separate export fields). */
  exportNames?: string[];
  /** Set when the item is imported (inline `(import "m" "n")` or a separate import field). */
  import?: { module: string; name: string };
  /** Types: the `(rec ...)` group it belongs to (numbered in order), absent outside any. */
  recGroup?: number;
  /** Struct types: one item per field (kind `field`, index = field index, signature its storage type). */
  fields?: ModuleFieldItem[];
}

/** A struct field in the module tree. */
export interface ModuleFieldItem {
  index: number;
  id?: string;
  /** `(mut f64)`, `i8`. */
  signature: string;
  range: Range;
  selectionRange: Range;
}

/** An import: the two-level name, what it provides, and where it is written. */
export interface ModuleImport {
  module: string;
  name: string;
  kind: ExternKind;
  /** Index the import takes in its index space. */
  index: number;
  id?: string;
  /** Same form as {@link ModuleItem.signature}. */
  signature: string;
  range: Range;
  selectionRange: Range;
}

/** An export: its name, the item it exports (resolved to an index), and where it is written. */
export interface ModuleExport {
  name: string;
  kind: ExternKind;
  /** Index of the exported item; -1 when the reference does not resolve (the module is invalid). */
  index: number;
  /** The `$name` of the exported item, if it has one. */
  id?: string;
  /** The exported item's signature; empty when it does not resolve. */
  signature: string;
  /** The export field (or the inline `(export "...")`). */
  range: Range;
  /** The export's name string. */
  selectionRange: Range;
}

/** One module of a document: a `.wat` file has one; a `.wast` script may have many. */
export interface ModuleTreeModule {
  /** The module's `$name`, if written (`(module $M ...)`). */
  id?: string;
  /** The whole `(module ...)` form (the whole document for a module written without `(module`). */
  range: Range;
  imports: ModuleImport[];
  exports: ModuleExport[];
  types: ModuleItem[];
  functions: ModuleItem[];
  tables: ModuleItem[];
  memories: ModuleItem[];
  globals: ModuleItem[];
  tags: ModuleItem[];
  data: ModuleItem[];
  elements: ModuleItem[];
  start?: ModuleItem;
}

export interface ModuleTreeParams {
  textDocument: TextDocumentIdentifier;
}

export interface ModuleTree {
  uri: string;
  /** The document version the tree was computed for. */
  version: number;
  /** Text modules only; `(module binary ...)` and `(module quote ...)` in scripts are skipped. */
  modules: ModuleTreeModule[];
}

/** `wasmscope/moduleTree`: the structure of a `.wat`/`.wast` document; null for an unknown document. */
export const moduleTreeRequest = customRequest<ModuleTreeParams, ModuleTree | null>('wasmscope/moduleTree');

/** What the server reports about itself (the latency bench and the status bar read this). */
export interface ServerStatus {
  version: string;
  /** Process memory in bytes, from `process.memoryUsage()`. */
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  /** Heap used by the diagnostics (wabt) worker thread, when it runs in one. */
  workerHeapUsed?: number;
  /** Heap used by the analysis worker thread (parses and symbol tables of open documents), when it runs in one. */
  analysisHeapUsed?: number;
  openDocuments: number;
  /** Point requests (hover, definition) answered from the last parsed version while the newest was not parsed yet. */
  staleAnswers: number;
  /** Versions parsed from the previous version's parse (one function read again), and from scratch. */
  incrementalParses?: number;
  fullParses?: number;
  /** Whether wabt has been loaded (it loads asynchronously on the first check). */
  wabtLoaded: boolean;
}

/** `wasmscope/serverStatus`: memory and state of the server process. */
export const serverStatusRequest = customRequest<void, ServerStatus>('wasmscope/serverStatus');
