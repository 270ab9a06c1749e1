// The store (spec 4.2.3, wasmi's `Store`): the reference values that instances of one linked set
// hand around as handle words on the value stack (funcref, externref, exnref, GC structs and
// arrays). Each set of linked instances has one; when the last instance of a store is dropped, its
// references, GC objects and exception packages go with it (there is no process-global table).
import { GcObject, I31Ref, i31Word } from './gc-objects';

export class Store {
  /** Handle → value; handle 0 is null. GC objects are appended as they are allocated. */
  private readonly values: unknown[] = [null];
  /** Value → handle for everything that is not allocated here (functions, host references,
   * exception packages, objects of another store): interned once, on first use as a handle. */
  private readonly handles = new Map<unknown, number>();

  /** The handle word of a reference value: 0 for null, the i31 itself for an I31Ref. */
  handle(v: unknown): number {
    if (v === null || v === undefined) return 0;
    if (v instanceof GcObject && v.store === this) return v.handle;
    if (v instanceof I31Ref) return i31Word(v.value);
    let h = this.handles.get(v);
    if (h === undefined) {
      h = this.values.length;
      this.values.push(v);
      this.handles.set(v, h);
    }
    return h;
  }

  /** The reference value of a handle word (i31 words become an I31Ref). */
  value(h: number): unknown {
    if (h < 0) return new I31Ref(h & 0x7fffffff);
    return this.values[h] ?? null;
  }

  /** Registers a GC object allocated in this store and returns its handle (no map: the object
   * keeps its own handle). */
  alloc(o: GcObject): number {
    const h = this.values.length;
    this.values.push(o);
    o.store = this;
    o.handle = h;
    return h;
  }

  /** Every value by handle (index 0 is null): the recorder walks it for the GC heap. */
  entries(): readonly unknown[] {
    return this.values;
  }

  /** Handles in use (null included): what a long run has allocated or interned so far. */
  get size(): number {
    return this.values.length;
  }
}
