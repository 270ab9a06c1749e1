// What the module worker knows: the decoded documents it has open, their tree nodes and listings.
// Pure (no worker, no vscode), so tests drive it directly as well as through the worker.
import { decodeModule } from '../../core/binary';
import { decodeComponent, describeWorld, isComponent, validateComponent } from '../../core/component';
import { disassembleFunction, openDisassemblyProgressive, type AnchorKey, type ProgressiveDisassembly } from '../../core/inspect';
import type { Module } from '../../core/binary';
import { modelFromComponent, modelFromWasm, type TreeNode } from '../module-tree/model';
import type { ListingState, OpenResult, PlainNode } from './protocol';

interface Document {
  result: OpenResult;
  module?: Module;
  /** Every node sent to the host, by id, so its children can be asked for. */
  nodes: Map<string, TreeNode>;
  listing?: ProgressiveDisassembly;
  /** Anchors asked for before counting reached them. */
  waiting: { anchor: AnchorKey; resolve: (line: number | null) => void }[];
}

/** Body bytes counted per slice: about 10 ms, so requests are answered between slices. */
const SLICE_BYTES = 512 * 1024;
/** How often the listing's growing line count is reported. */
const PROGRESS_MS = 100;

export class ModuleService {
  private readonly docs = new Map<string, Document>();

  /** `report` receives the listing's line count as counting goes on. */
  constructor(private readonly report: (key: string, lineCount: number, done: boolean) => void = () => undefined) {}

  open(key: string, bytes: Uint8Array): OpenResult {
    const known = this.docs.get(key);
    if (known) return known.result;
    const doc: Document = { result: { kind: 'invalid', message: '' }, nodes: new Map(), waiting: [] };
    try {
      if (isComponent(bytes)) {
        // Core code is not type-checked: the tree shows structure, as `inspect` does.
        const model = modelFromComponent(describeWorld(validateComponent(decodeComponent(bytes), { coreCode: false })));
        doc.result = { kind: 'component', roots: this.plain(doc, model.roots), functions: 0, ...(model.message ? { message: model.message } : {}) };
      } else {
        // Bodies are read when a function is shown, not here: that is what makes 50 MB open at once.
        const module = decodeModule(bytes, { skipBodies: true });
        doc.module = module;
        const model = modelFromWasm(module);
        doc.result = { kind: 'module', roots: this.plain(doc, model.roots), functions: module.importedFuncs + module.funcs.length, ...(model.message ? { message: model.message } : {}) };
      }
    } catch (err) {
      doc.result = { kind: 'invalid', message: isComponent(bytes) ? `Invalid component: ${messageOf(err)}` : `Invalid WebAssembly module: ${messageOf(err)}` };
    }
    this.docs.set(key, doc);
    return doc.result;
  }

  children(key: string, id: string): PlainNode[] {
    const doc = this.doc(key);
    const node = doc.nodes.get(id);
    if (!node) throw new Error(`no tree node "${id}" in ${key}`);
    return this.plain(doc, node.children?.() ?? []);
  }

  listing(key: string): ListingState {
    const doc = this.doc(key);
    if (!doc.module) return { lineCount: 0, done: true, error: doc.result.kind === 'invalid' ? doc.result.message : 'A component has no single listing: its core modules are listed by `wasmscope inspect -d`.' };
    if (!doc.listing) {
      doc.listing = openDisassemblyProgressive(doc.module);
      this.countInSlices(key, doc, doc.listing);
    }
    return { lineCount: doc.listing.lineCount, done: doc.listing.done };
  }

  lines(key: string, start: number, end: number): string[] {
    const listing = this.doc(key).listing;
    if (!listing) throw new Error(`the listing of ${key} is not open`);
    // A page at a time: the view asks for what it shows, never the whole listing.
    return listing.lines(start, Math.min(end, start + 5000));
  }

  anchor(key: string, anchor: AnchorKey): Promise<number | null> | number | null {
    const doc = this.doc(key);
    if (!doc.listing) this.listing(key);
    const listing = doc.listing;
    if (!listing) return null;
    const line = listing.lineOfAnchor(anchor);
    if (line !== undefined || listing.done) return line ?? null;
    return new Promise((resolve) => doc.waiting.push({ anchor, resolve }));
  }

  function(key: string, index: number): string[] {
    const module = this.doc(key).module;
    if (!module) throw new Error(`${key} is not a module`);
    if (!Number.isInteger(index) || index < module.importedFuncs || index >= module.importedFuncs + module.funcs.length) {
      throw new Error(`function ${index} is not defined in this module (it defines ${module.importedFuncs}…${module.importedFuncs + module.funcs.length - 1})`);
    }
    return disassembleFunction(module, index).lines;
  }

  close(key: string): null {
    const doc = this.docs.get(key);
    for (const w of doc?.waiting ?? []) w.resolve(null);
    this.docs.delete(key);
    return null;
  }

  private doc(key: string): Document {
    const doc = this.docs.get(key);
    if (!doc) throw new Error(`${key} is not open in the module worker`);
    return doc;
  }

  private plain(doc: Document, nodes: TreeNode[]): PlainNode[] {
    return nodes.map((n) => {
      doc.nodes.set(n.id, n);
      const out: PlainNode = { id: n.id, label: n.label, icon: n.icon, expandable: n.children !== undefined };
      if (n.description !== undefined) out.description = n.description;
      if (n.tooltip !== undefined) out.tooltip = n.tooltip;
      if (n.target !== undefined) out.target = n.target;
      return out;
    });
  }

  /** Counts the listing a slice at a time, yielding between slices so requests keep being answered. */
  private countInSlices(key: string, doc: Document, listing: ProgressiveDisassembly): void {
    let reported = performance.now();
    const step = (): void => {
      if (this.docs.get(key) !== doc) return;
      const done = listing.count(SLICE_BYTES);
      doc.waiting = doc.waiting.filter((w) => {
        const line = listing.lineOfAnchor(w.anchor);
        if (line === undefined && !done) return true;
        w.resolve(line ?? null);
        return false;
      });
      if (done || performance.now() - reported >= PROGRESS_MS) {
        reported = performance.now();
        this.report(key, listing.lineCount, done);
      }
      if (!done) setImmediate(step);
    };
    setImmediate(step);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
