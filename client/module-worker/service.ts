// What the module worker knows: the decoded documents it has open, their tree nodes and listings.
// Pure (no worker, no vscode), so tests drive it directly as well as through the worker.
import { decodeModule } from '../../core/binary';
import { decodeComponent, describeWorld, formatWit, isComponent, validateComponent, type WorldView } from '../../core/component';
import { disassembleFunction, openDisassemblyProgressive, type AnchorKey, type ProgressiveDisassembly } from '../../core/inspect';
import type { Module } from '../../core/binary';
import { modelFromComponent, modelFromWasm, type TreeNode } from '../module-tree/model';
import type { ListingState, OpenResult, PlainNode } from './protocol';

interface Document {
  key: string;
  result: OpenResult;
  module?: Module;
  /** A component's world and bytes, for its listing (the WIT, then each core module's). */
  component?: { bytes: Uint8Array; world: WorldView };
  /** Every node sent to the host, by id, so its children can be asked for. */
  nodes: Map<string, TreeNode>;
  listing?: ProgressiveDisassembly;
  /** Requests waiting for the count to get further: each says when it can be answered. */
  waiting: { ready: (listing: ProgressiveDisassembly) => boolean; answer: () => void }[];
}

/** Body bytes counted per slice: about 10 ms, so requests are answered between slices. */
const SLICE_BYTES = 512 * 1024;
/** How often the listing's growing line count is reported. */
const PROGRESS_MS = 100;
/** Documents kept; the least recently used beyond this is dropped (the host opens it again if asked). */
const MAX_DOCUMENTS = 6;

export class ModuleService {
  private readonly docs = new Map<string, Document>();

  /** `report` receives the listing's line count as counting goes on. */
  constructor(private readonly report: (key: string, lineCount: number, done: boolean) => void = () => undefined) {}

  open(key: string, bytes: Uint8Array): OpenResult {
    const known = this.docs.get(key);
    if (known) {
      this.touch(key, known);
      return known.result;
    }
    const doc: Document = { key, result: { kind: 'invalid', message: '' }, nodes: new Map(), waiting: [] };
    try {
      if (isComponent(bytes)) {
        // Core code is not type-checked: the tree shows structure, as `inspect` does.
        const world = describeWorld(validateComponent(decodeComponent(bytes), { coreCode: false }));
        doc.component = { bytes, world };
        const model = modelFromComponent(world);
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
    for (const old of this.docs.keys()) {
      if (this.docs.size <= MAX_DOCUMENTS) break;
      this.close(old);
    }
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
    if (doc.result.kind === 'invalid') return { lineCount: 0, done: true, error: doc.result.message };
    const listing = this.startListing(doc, key)!;
    return { lineCount: listing.lineCount, done: listing.done };
  }

  private startListing(doc: Document, key: string): ProgressiveDisassembly | undefined {
    if (!doc.listing) {
      if (doc.module) doc.listing = openDisassemblyProgressive(doc.module);
      else if (doc.component) doc.listing = componentListing(doc.component.bytes, doc.component.world);
      else return undefined;
      this.countInSlices(key, doc, doc.listing);
    }
    return doc.listing;
  }

  /** `answer()` now if `ready`, else once counting makes it so (null if the document is closed first). */
  private when<T>(doc: Document, listing: ProgressiveDisassembly, ready: (l: ProgressiveDisassembly) => boolean, answer: () => T): T | Promise<T> {
    if (ready(listing)) return answer();
    return new Promise<T>((resolve, reject) => doc.waiting.push({
      ready,
      answer: () => {
        if (this.docs.get(doc.key) === doc) resolve(answer());
        else reject(new Error(`${doc.key} was closed in the module worker`));
      },
    }));
  }

  /** Lines [start, end) (a page at most), once counting has reached `end` or the end of the listing. */
  lines(key: string, start: number, end: number): Promise<string[]> | string[] {
    const doc = this.doc(key);
    const listing = this.startListing(doc, key);
    if (!listing) return [];
    // A page at a time: the view asks for what it shows, never the whole listing.
    const stop = Math.min(end, start + 5000);
    return this.when(doc, listing, (l) => l.done || l.lineCount >= stop, () => listing.lines(start, stop));
  }

  anchor(key: string, anchor: AnchorKey): Promise<number | null> | number | null {
    const doc = this.doc(key);
    const listing = this.startListing(doc, key);
    if (!listing) return null;
    return this.when(doc, listing, (l) => l.done || l.lineOfAnchor(anchor) !== undefined, () => listing.lineOfAnchor(anchor) ?? null);
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
    this.docs.delete(key);
    for (const w of doc?.waiting.splice(0) ?? []) w.answer();
    return null;
  }

  private doc(key: string): Document {
    const doc = this.docs.get(key);
    if (!doc) throw new Error(`${key} is not open in the module worker`);
    this.touch(key, doc);
    return doc;
  }

  /** Marks a document as the most recently used (a Map iterates in insertion order). */
  private touch(key: string, doc: Document): void {
    this.docs.delete(key);
    this.docs.set(key, doc);
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
        if (!w.ready(listing)) return true;
        w.answer();
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

/**
 * A component's listing as `wasmscope inspect -d` prints it: its world as WIT, then each core
 * module's listing (offsets relative to that module) under a title line, counted one after another.
 */
function componentListing(bytes: Uint8Array, world: WorldView): ProgressiveDisassembly {
  const head = formatWit(world).replace(/\n+$/, '').split('\n');
  head.push('');
  const parts = world.coreModules.map((m) => ({
    title: `;; core module ${m.index}${m.name !== undefined ? ` "${m.name}"` : ''}: ${m.size} bytes at 0x${m.offset.toString(16)} (offsets below are relative to the module)`,
    view: m,
    listing: undefined as ProgressiveDisassembly | undefined,
  }));
  const listingOf = (p: (typeof parts)[number]): ProgressiveDisassembly => {
    if (!p.listing) {
      try {
        p.listing = openDisassemblyProgressive(decodeModule(bytes.subarray(p.view.offset, p.view.offset + p.view.size), { skipBodies: true }));
      } catch (err) {
        p.listing = fixedListing([`;; cannot decode this core module: ${messageOf(err)}`, '']);
      }
    }
    return p.listing;
  };
  // starts[i]: the line of part i's title, known once the parts before it are counted.
  const starts = [head.length];
  let current = 0;
  const lineCount = (): number => starts[current]! + (current < parts.length ? 1 + listingOf(parts[current]!).lineCount : 0);
  return {
    get lineCount() {
      return lineCount();
    },
    get counted() {
      return parts.reduce((n, p) => n + (p.listing?.counted ?? 0), 0);
    },
    get done() {
      return current === parts.length;
    },
    count(bodyBytes) {
      while (current < parts.length) {
        const listing = listingOf(parts[current]!);
        if (!listing.count(bodyBytes)) return false;
        starts.push(starts[current]! + 1 + listing.lineCount);
        current++;
      }
      return true;
    },
    lines(start, end) {
      const out: string[] = [];
      const stop = Math.min(end, lineCount());
      for (let line = Math.max(0, start); line < stop; ) {
        if (line < head.length) {
          out.push(head[line++]!);
          continue;
        }
        let k = 0;
        while (k + 1 <= current && k + 1 < starts.length && starts[k + 1]! <= line) k++;
        if (line === starts[k]) {
          out.push(parts[k]!.title);
          line++;
          continue;
        }
        const from = line - starts[k]! - 1;
        const listing = listingOf(parts[k]!);
        const take = Math.min(stop - line, listing.lineCount - from);
        out.push(...listing.lines(from, from + take));
        line += Math.max(1, take);
      }
      return out;
    },
    lineOfAnchor: () => undefined,
  };
}

/** A listing of known lines (a part that cannot be decoded). */
function fixedListing(lines: string[]): ProgressiveDisassembly {
  return { lineCount: lines.length, counted: 0, done: true, count: () => true, lines: (a, b) => lines.slice(a, b), lineOfAnchor: () => undefined };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
