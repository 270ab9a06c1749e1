// The state of the async Canonical ABI (CanonicalABI.md "Waitable State", "Stream State",
// "Future State"; definitions.py Waitable … WritableFutureEnd): waitables and waitable sets,
// subtasks, and streams/futures as a shared rendezvous object with a readable and a writable end.
// Either end may belong to a guest (a handle in its table, copying through its memory) or to the
// host (JS buffers); the copy rules are the same for both.
import { Trap } from '../../errors';
import type { ValType } from '../types';

export const enum EventCode {
  NONE = 0,
  SUBTASK = 1,
  STREAM_READ = 2,
  STREAM_WRITE = 3,
  FUTURE_READ = 4,
  FUTURE_WRITE = 5,
  TASK_CANCELLED = 6,
}

export const enum SubtaskState {
  STARTING = 0,
  STARTED = 1,
  RETURNED = 2,
  CANCELLED_BEFORE_STARTED = 3,
  CANCELLED_BEFORE_RETURNED = 4,
}

export const enum CopyResult {
  COMPLETED = 0,
  DROPPED = 1,
  CANCELLED = 2,
}

/** What stream.read/write and the cancel built-ins return when the copy has not finished yet. */
export const BLOCKED = 0xffffffff;

export type Event = readonly [code: number, index: number, payload: number];

/** Told whenever something may have become ready, so a waiting driver looks again. */
export interface Wake {
  wake(): void;
}

export class Waitable {
  private pendingEvent: (() => Event) | undefined;
  wset: WaitableSet | undefined;
  /** Set while a synchronous built-in waits on this waitable alone (it may not be joined meanwhile). */
  hasSyncWaiter = false;
  /** Its index in the owning guest's handle table (0 while host-owned). */
  index = 0;

  constructor(protected readonly rt: Wake) {}

  setPendingEvent(f: () => Event): void {
    this.pendingEvent = f;
    this.rt.wake();
  }

  hasPendingEvent(): boolean {
    return this.pendingEvent !== undefined;
  }

  getPendingEvent(): Event {
    const f = this.pendingEvent;
    if (!f) throw new Error('internal: no pending event');
    this.pendingEvent = undefined;
    return f();
  }

  join(set: WaitableSet | undefined): void {
    if (this.wset) this.wset.elems.delete(this);
    this.wset = set;
    if (set) set.elems.add(this);
  }

  drop(): void {
    this.join(undefined);
  }

  /** Its kind for messages ("subtask", "stream readable end", ...). */
  describe(): string {
    return 'waitable';
  }
}

export class WaitableSet {
  readonly elems = new Set<Waitable>();
  numWaiting = 0;

  hasPendingEvent(): boolean {
    for (const w of this.elems) if (w.hasPendingEvent()) return true;
    return false;
  }

  /** The first waitable (in join order) with an event; the spec shuffles, any order is allowed. */
  getPendingEvent(): Event {
    for (const w of this.elems) if (w.hasPendingEvent()) return w.getPendingEvent();
    throw new Error('internal: no pending event in the set');
  }

  poll(): Event {
    return this.hasPendingEvent() ? this.getPendingEvent() : [EventCode.NONE, 0, 0];
  }

  drop(): void {
    if (this.elems.size > 0) throw new Trap(`waitable-set.drop: the set still has ${this.elems.size} waitable(s) joined`);
    if (this.numWaiting > 0) throw new Trap('waitable-set.drop: a task is waiting on the set');
  }
}

/** A call to an async import (or an async-lowered call) that did not finish when it returned. */
export class Subtask extends Waitable {
  state: SubtaskState = SubtaskState.STARTING;
  cancellationRequested = false;
  /** Borrow handles lent for the call, ended when the resolution is delivered. */
  lenders: (() => void)[] | undefined = [];
  /** Asks the callee to cancel (a host operation may ignore it and finish normally). */
  onCancel: (() => void) | undefined;

  resolved(): boolean {
    return this.state === SubtaskState.RETURNED || this.state === SubtaskState.CANCELLED_BEFORE_STARTED
      || this.state === SubtaskState.CANCELLED_BEFORE_RETURNED;
  }

  resolve(state: SubtaskState): void {
    if (this.resolved()) throw new Error('internal: subtask resolved twice');
    this.state = state;
  }

  deliverResolve(): void {
    for (const end of this.lenders ?? []) end();
    this.lenders = undefined;
  }

  resolveDelivered(): boolean {
    return this.lenders === undefined;
  }

  override drop(): void {
    if (!this.resolveDelivered()) throw new Trap('subtask.drop: the subtask has not returned yet (cancel it or wait for it first)');
    super.drop();
  }

  override describe(): string {
    return 'subtask';
  }
}

// ---- buffers ----

/** A source of values for a copy: a guest's memory (stream.write) or a host array. */
export interface ReadableBuffer {
  remain(): number;
  isZeroLength(): boolean;
  read(n: number): unknown[] | Uint8Array;
  /** Values copied so far. */
  progress: number;
}

/** A destination of a copy. */
export interface WritableBuffer {
  remain(): number;
  isZeroLength(): boolean;
  write(vs: unknown[] | Uint8Array): void;
  progress: number;
}

export const MAX_BUFFER_LENGTH = 2 ** 28 - 1;

/** A host buffer of values to write into a stream or future. */
export class HostSource implements ReadableBuffer {
  progress = 0;
  constructor(private readonly values: unknown[] | Uint8Array) {}
  remain(): number {
    return this.values.length - this.progress;
  }
  isZeroLength(): boolean {
    return this.values.length === 0;
  }
  read(n: number): unknown[] | Uint8Array {
    const out = this.values.slice(this.progress, this.progress + n);
    this.progress += n;
    return out;
  }
}

/** A host buffer that receives up to `capacity` values. */
export class HostSink implements WritableBuffer {
  progress = 0;
  readonly chunks: (unknown[] | Uint8Array)[] = [];
  constructor(private readonly capacity: number) {}
  remain(): number {
    return this.capacity - this.progress;
  }
  isZeroLength(): boolean {
    return this.capacity === 0;
  }
  write(vs: unknown[] | Uint8Array): void {
    this.chunks.push(vs);
    this.progress += vs.length;
  }
  /** The bytes received, when the values are u8. */
  bytes(): Uint8Array {
    if (this.chunks.length === 1 && this.chunks[0] instanceof Uint8Array) return this.chunks[0];
    const out = new Uint8Array(this.progress);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c instanceof Uint8Array ? c : Uint8Array.from(c as number[]), at);
      at += c.length;
    }
    return out;
  }
  values(): unknown[] {
    return this.chunks.flatMap((c) => [...c]);
  }
}

// ---- streams ----

type OnCopy = (reclaim: () => void) => void;
type OnCopyDone = (result: CopyResult) => void;

function plainNumbers(t: ValType | undefined): boolean {
  return t === undefined || (t.kind === 'prim' && t.prim !== 'bool' && t.prim !== 'char' && t.prim !== 'string' && t.prim !== 'error-context');
}

/** The shared half of a stream<T>: at most one copy is pending, waiting for the other end. */
export class SharedStream {
  dropped = false;
  private pendingOwner: unknown;
  private pendingBuffer: ReadableBuffer | WritableBuffer | undefined;
  private pendingOnCopy: OnCopy | undefined;
  private pendingOnCopyDone: OnCopyDone | undefined;

  /** False for a host-made one until it is first passed to a guest (which fixes the element type). */
  typed: boolean;
  constructor(readonly rt: Wake, public elem: ValType | undefined, typed = true) {
    this.typed = typed;
  }

  private setPending(owner: unknown, buffer: ReadableBuffer | WritableBuffer | undefined, onCopy: OnCopy | undefined, onCopyDone: OnCopyDone | undefined): void {
    this.pendingOwner = owner;
    this.pendingBuffer = buffer;
    this.pendingOnCopy = onCopy;
    this.pendingOnCopyDone = onCopyDone;
  }

  private resetPending(): void {
    this.setPending(undefined, undefined, undefined, undefined);
  }

  private resetAndNotifyPending(result: CopyResult): void {
    const done = this.pendingOnCopyDone;
    this.resetPending();
    done?.(result);
  }

  /** Is a copy waiting at the other end? */
  hasPending(): boolean {
    return this.pendingBuffer !== undefined;
  }

  cancel(): void {
    this.resetAndNotifyPending(CopyResult.CANCELLED);
  }

  /** Called once when either end drops (a host end that is not copying just then learns it here). */
  onDropped: (() => void) | undefined;

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    if (this.pendingBuffer) this.resetAndNotifyPending(CopyResult.DROPPED);
    const f = this.onDropped;
    this.onDropped = undefined;
    f?.();
  }

  read(owner: unknown, dst: WritableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
      return;
    }
    const src = this.pendingBuffer as ReadableBuffer | undefined;
    if (!src) {
      this.setPending(owner, dst, onCopy, onCopyDone);
      return;
    }
    if (owner === this.pendingOwner && owner !== undefined && !plainNumbers(this.elem)) throw new Trap('stream: a component may not copy non-numeric values to itself');
    if (src.remain() > 0) {
      if (dst.remain() > 0) {
        const n = Math.min(dst.remain(), src.remain());
        dst.write(src.read(n));
        this.pendingOnCopy!(() => this.resetPending());
      }
      onCopyDone(CopyResult.COMPLETED);
    } else {
      this.resetAndNotifyPending(CopyResult.COMPLETED);
      // The notified host end may have dropped the stream (it had nothing more to give).
      if (this.dropped) onCopyDone(CopyResult.DROPPED);
      else this.setPending(owner, dst, onCopy, onCopyDone);
    }
  }

  write(owner: unknown, src: ReadableBuffer, onCopy: OnCopy, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
      return;
    }
    const dst = this.pendingBuffer as WritableBuffer | undefined;
    if (!dst) {
      this.setPending(owner, src, onCopy, onCopyDone);
      return;
    }
    if (owner === this.pendingOwner && owner !== undefined && !plainNumbers(this.elem)) throw new Trap('stream: a component may not copy non-numeric values to itself');
    if (dst.remain() > 0) {
      if (src.remain() > 0) {
        const n = Math.min(src.remain(), dst.remain());
        dst.write(src.read(n));
        this.pendingOnCopy!(() => this.resetPending());
      }
      onCopyDone(CopyResult.COMPLETED);
    } else if (src.isZeroLength() && dst.isZeroLength()) {
      onCopyDone(CopyResult.COMPLETED);
    } else {
      this.resetAndNotifyPending(CopyResult.COMPLETED);
      if (this.dropped) onCopyDone(CopyResult.DROPPED);
      else this.setPending(owner, src, onCopy, onCopyDone);
    }
  }
}

/** The shared half of a future<T>: one value, written once. */
export class SharedFuture {
  dropped = false;
  private pendingOwner: unknown;
  private pendingBuffer: ReadableBuffer | WritableBuffer | undefined;
  private pendingOnCopyDone: OnCopyDone | undefined;

  /** False for a host-made one until it is first passed to a guest (which fixes the element type). */
  typed: boolean;
  constructor(readonly rt: Wake, public elem: ValType | undefined, typed = true) {
    this.typed = typed;
  }

  private setPending(owner: unknown, buffer: ReadableBuffer | WritableBuffer | undefined, onCopyDone: OnCopyDone | undefined): void {
    this.pendingOwner = owner;
    this.pendingBuffer = buffer;
    this.pendingOnCopyDone = onCopyDone;
  }

  private resetAndNotifyPending(result: CopyResult): void {
    const done = this.pendingOnCopyDone;
    this.setPending(undefined, undefined, undefined);
    done?.(result);
  }

  hasPending(): boolean {
    return this.pendingBuffer !== undefined;
  }

  cancel(): void {
    this.resetAndNotifyPending(CopyResult.CANCELLED);
  }

  drop(): void {
    if (this.dropped) return;
    this.dropped = true;
    // Only a pending write can notice: a reader of a future whose writer is gone would trap at drop.
    if (this.pendingBuffer) this.resetAndNotifyPending(CopyResult.DROPPED);
  }

  read(owner: unknown, dst: WritableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) throw new Trap('future.read: the writable end was dropped without writing a value');
    const src = this.pendingBuffer as ReadableBuffer | undefined;
    if (!src) {
      this.setPending(owner, dst, onCopyDone);
      return;
    }
    if (owner === this.pendingOwner && owner !== undefined && !plainNumbers(this.elem)) throw new Trap('future: a component may not copy non-numeric values to itself');
    dst.write(src.read(1));
    this.resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }

  write(owner: unknown, src: ReadableBuffer, onCopyDone: OnCopyDone): void {
    if (this.dropped) {
      onCopyDone(CopyResult.DROPPED);
      return;
    }
    const dst = this.pendingBuffer as WritableBuffer | undefined;
    if (!dst) {
      this.setPending(owner, src, onCopyDone);
      return;
    }
    if (owner === this.pendingOwner && owner !== undefined && !plainNumbers(this.elem)) throw new Trap('future: a component may not copy non-numeric values to itself');
    dst.write(src.read(1));
    this.resetAndNotifyPending(CopyResult.COMPLETED);
    onCopyDone(CopyResult.COMPLETED);
  }
}

export const enum CopyState {
  IDLE = 1,
  COPYING = 2,
  CANCELLING_COPY = 3,
  DONE = 4,
}

/** A guest's end of a stream or future: a waitable in its handle table. */
export class CopyEnd extends Waitable {
  state: CopyState = CopyState.IDLE;
  constructor(readonly shared: SharedStream | SharedFuture, readonly readable: boolean) {
    super(shared.rt);
  }

  copying(): boolean {
    return this.state === CopyState.COPYING || this.state === CopyState.CANCELLING_COPY;
  }

  isStream(): boolean {
    return this.shared instanceof SharedStream;
  }

  override drop(): void {
    if (this.copying()) throw new Trap(`${this.describe()}: dropped while a copy is in progress (cancel it first)`);
    if (!this.isStream() && !this.readable && this.state !== CopyState.DONE) {
      throw new Trap('future.drop-writable: the future was never written');
    }
    this.shared.drop();
    super.drop();
  }

  override describe(): string {
    return `${this.isStream() ? 'stream' : 'future'} ${this.readable ? 'readable' : 'writable'} end`;
  }
}

/** An error-context value: a debug message the host or a guest attached. */
export class ErrorContext {
  constructor(readonly message: string) {}
}
