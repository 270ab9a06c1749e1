// The messages between the extension host and the module worker (dist/moduleWorker.js), which
// decodes .wasm files and answers the module tree and the .wasm view, so a 50 MB module never
// blocks the extension host. Typed once here for both sides.
import type { AnchorKey } from '../../core/inspect';
import type { TreeNode } from '../module-tree/model';

/** A tree node as it crosses the thread boundary: its children stay in the worker until asked for. */
export type PlainNode = Omit<TreeNode, 'children'> & { expandable: boolean };

/** What opening a file gives: a module or a component with the tree's first level, or why it cannot be read. */
export type OpenResult =
  | { kind: 'module' | 'component'; roots: PlainNode[]; message?: string; functions: number }
  | { kind: 'invalid'; message: string };

/** The .wasm view's listing so far: lines are counted in the worker while the view already shows the header. */
export interface ListingState {
  lineCount: number;
  done: boolean;
  /** Set when the file has no listing (an invalid module, a component). */
  error?: string;
}

/** Requests, by operation; every one names the document by the key it was opened under. */
export interface Requests {
  /** Decodes the file (read by the worker from `path`, or the given bytes) unless `key` is open already. */
  open: { args: { key: string; path?: string; bytes?: Uint8Array }; result: OpenResult };
  children: { args: { key: string; id: string }; result: PlainNode[] };
  /** Starts counting the listing's lines (progress arrives as `lineCount` events). */
  listing: { args: { key: string }; result: ListingState };
  lines: { args: { key: string; start: number; end: number }; result: string[] };
  /** The line of an item of the listing; for a function, once counting has reached it. */
  anchor: { args: { key: string; anchor: AnchorKey }; result: number | null };
  /** One function's disassembly (`index` in the function index space), formatted on demand. */
  function: { args: { key: string; index: number }; result: string[] };
  close: { args: { key: string }; result: null };
}

export type Op = keyof Requests;

export type HostToWorker = { [K in Op]: { id: number; op: K; args: Requests[K]['args'] } }[Op];

export type WorkerToHost =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string }
  | { event: 'lineCount'; key: string; lineCount: number; done: boolean }
  /** Sent once, when the worker has loaded and listens. */
  | { event: 'ready' };
