// The async canon built-ins as host functions of the core instances (CanonicalABI.md
// "canon task.return" … "canon error-context.drop"). A built-in that must wait (a synchronous
// waitable-set.wait, a stream copy without the async option) returns WOULD_BLOCK: the machine
// stops before the call and makes it again once the driver saw progress, so the guest stays
// resumable and the debugger can pause while it waits.
import { Trap } from '../../errors';
import { ValType as CoreValType } from '../../binary/module';
import { FuncInstance, WOULD_BLOCK, type MemoryInstance } from '../../interp';
import { flatten, MAX_FLAT_PARAMS } from '../abi';
import { liftFlatValues, loadString, loadTuple, store, type CallContext, type Flat, type HandleTable } from '../canon';
import type { BuiltinDef } from '../model';
import type { ValType } from '../types';
import type { BuiltinInfo } from '../validate';
import { GuestSink, GuestSource } from './buffers';
import type { AsyncRuntime } from './runtime';
import {
  BLOCKED, CopyEnd, CopyResult, CopyState, ErrorContext, EventCode, SharedFuture, SharedStream, Subtask, Waitable, WaitableSet,
  type Event,
} from './waitables';

export interface BuiltinEnv {
  rt: AsyncRuntime;
  handles: HandleTable;
  memories: readonly MemoryInstance[];
  /** A lift/lower context for canonical options (memory, realloc, encoding). */
  context(opts: BuiltinDef['opts']): CallContext;
}

const I32 = CoreValType.i32;
const I64 = CoreValType.i64;
const CORE: Record<string, CoreValType> = { i32: CoreValType.i32, i64: CoreValType.i64, f32: CoreValType.f32, f64: CoreValType.f64 };

function hostFunc(params: CoreValType[], results: CoreValType[], f: (...a: never[]) => unknown): FuncInstance {
  return new FuncInstance({ params, results }, undefined, -1, undefined, f as (...a: never[]) => unknown);
}

/** Structural equality of value types (task.return's type against the task's, stream element types). */
export function sameValType(a: ValType | undefined, b: ValType | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'prim': return a.prim === (b as typeof a).prim;
    case 'list': return sameValType(a.elem, (b as typeof a).elem) && a.length === (b as typeof a).length;
    case 'option': return sameValType(a.elem, (b as typeof a).elem);
    case 'stream': case 'future': return sameValType(a.elem, (b as typeof a).elem);
    case 'result': return sameValType(a.ok, (b as typeof a).ok) && sameValType(a.err, (b as typeof a).err);
    case 'record': {
      const o = b as typeof a;
      return a.fields.length === o.fields.length && a.fields.every((f, i) => f.name === o.fields[i]!.name && sameValType(f.type, o.fields[i]!.type));
    }
    case 'variant': {
      const o = b as typeof a;
      return a.cases.length === o.cases.length && a.cases.every((c, i) => c.name === o.cases[i]!.name && sameValType(c.type, o.cases[i]!.type));
    }
    case 'tuple': {
      const o = b as typeof a;
      return a.elems.length === o.elems.length && a.elems.every((e, i) => sameValType(e, o.elems[i]));
    }
    case 'flags': case 'enum': return a.names.join() === (b as typeof a).names.join();
    case 'own': case 'borrow': return a.resource === (b as typeof a).resource;
    case 'map': return sameValType(a.key, (b as typeof a).key) && sameValType(a.value, (b as typeof a).value);
  }
}

function storeEvent(mem: MemoryInstance, ptr: number, e: Event): number {
  if (ptr % 4 !== 0) throw new Trap(`waitable-set: event pointer 0x${ptr.toString(16)} is not 4-byte aligned`);
  if (ptr + 8 > mem.buffer.byteLength) throw new Trap('waitable-set: event pointer is out of bounds of memory');
  mem.dv.setUint32(ptr, e[1] >>> 0, true);
  mem.dv.setUint32(ptr + 4, e[2] >>> 0, true);
  return e[0];
}

/** The core function of one async built-in. */
export function asyncBuiltin(def: BuiltinDef, bi: BuiltinInfo, env: BuiltinEnv): FuncInstance {
  const { rt, handles } = env;
  const name = `canon ${def.name}`;
  const task = (): NonNullable<AsyncRuntime['current']> => {
    const t = rt.current;
    if (!t) throw new Trap(`${name}: not inside an async task (the export was not lifted with the async option)`);
    return t;
  };
  const end = (i: number, stream: boolean, readable: boolean): CopyEnd => {
    const what = `${stream ? 'stream' : 'future'} ${readable ? 'readable' : 'writable'} end`;
    const e = handles.getItem(i, CopyEnd, what);
    if (e.isStream() !== stream || e.readable !== readable) throw new Trap(`${name}: handle ${i} is a ${e.describe()}, not a ${what}`);
    if (bi.type && !sameValType(e.shared.elem, bi.type.elem)) throw new Trap(`${name}: handle ${i} has another element type than ${bi.type.kind}<…> of this built-in`);
    return e;
  };
  /** Delivers `w`'s event now, or waits: BLOCKED with async, else WOULD_BLOCK until it comes. */
  const finish = (w: Waitable, async: boolean): unknown => {
    if (!w.hasPendingEvent()) {
      if (async) return BLOCKED | 0;
      w.hasSyncWaiter = true;
      return WOULD_BLOCK;
    }
    w.hasSyncWaiter = false;
    return w.getPendingEvent()[2] | 0;
  };
  const memory = (): MemoryInstance => {
    const m = env.memories[def.memory!];
    if (!m) throw new Trap(`${name}: no memory ${def.memory}`);
    return m;
  };

  switch (def.name) {
    case 'context.get':
      return hostFunc([], [I32], () => (rt.current?.context ?? rt.syncContext)[def.slot!]! | 0);
    case 'context.set':
      return hostFunc([I32], [], ((v: number) => {
        (rt.current?.context ?? rt.syncContext)[def.slot!] = v;
      }) as (...a: never[]) => unknown);
    case 'task.return': {
      const flat = bi.result === undefined ? [] : flatten(bi.result);
      const inMemory = flat.length > MAX_FLAT_PARAMS;
      const params = inMemory ? [I32] : flat.map((t) => CORE[t]!);
      return hostFunc(params, [], ((...args: Flat[]) => {
        const t = task();
        if (!sameValType(bi.result, t.ft.result)) throw new Trap(`${name}: its result type does not match ${t.name}'s`);
        const cx = env.context(def.opts);
        const types = bi.result === undefined ? [] : [bi.result];
        const v = inMemory ? loadTuple(cx, types, Number(args[0]) >>> 0) : liftFlatValues(cx, types, args);
        t.return_(v[0]);
      }) as (...a: never[]) => unknown);
    }
    case 'task.cancel':
      return hostFunc([], [], () => {
        const t = task();
        if (!t.cancelRequested) throw new Trap(`${name}: the task's caller did not request cancellation`);
        if (t.returned || t.cancelled) throw new Trap(`${name}: the task already returned`);
        t.cancelled = true;
      });
    case 'backpressure.inc': case 'backpressure.dec':
      return hostFunc([], [], () => {
        rt.backpressure += def.name === 'backpressure.inc' ? 1 : -1;
        if (rt.backpressure < 0 || rt.backpressure >= 2 ** 16) throw new Trap(`${name}: the backpressure counter went out of range`);
      });
    case 'thread.yield':
      return hostFunc([], [I32], () => 0);
    case 'thread.index':
      return hostFunc([], [I32], () => 1);
    case 'waitable-set.new':
      return hostFunc([], [I32], () => handles.add(new WaitableSet()));
    case 'waitable-set.wait': case 'waitable-set.poll': {
      const wait = def.name === 'waitable-set.wait';
      return hostFunc([I32, I32], [I32], ((si: number, ptr: number) => {
        const set = handles.getItem(si, WaitableSet, 'waitable set');
        if (wait && !set.hasPendingEvent()) {
          set.numWaiting = 1;
          return WOULD_BLOCK;
        }
        set.numWaiting = 0;
        return storeEvent(memory(), ptr >>> 0, set.poll());
      }) as (...a: never[]) => unknown);
    }
    case 'waitable-set.drop':
      return hostFunc([I32], [], ((i: number) => {
        handles.getItem(i, WaitableSet, 'waitable set').drop();
        handles.removeItem(i, WaitableSet, 'waitable set');
      }) as (...a: never[]) => unknown);
    case 'waitable.join':
      return hostFunc([I32, I32], [], ((wi: number, si: number) => {
        const w = handles.getItem(wi, Waitable, 'waitable');
        if (w.hasSyncWaiter) throw new Trap(`${name}: waitable ${wi} has a synchronous waiter`);
        w.join(si === 0 ? undefined : handles.getItem(si, WaitableSet, 'waitable set'));
      }) as (...a: never[]) => unknown);
    case 'subtask.drop':
      return hostFunc([I32], [], ((i: number) => {
        handles.getItem(i, Subtask, 'subtask').drop();
        handles.removeItem(i, Subtask, 'subtask');
      }) as (...a: never[]) => unknown);
    case 'subtask.cancel':
      return hostFunc([I32], [I32], ((i: number) => {
        const s = handles.getItem(i, Subtask, 'subtask');
        if (s.hasSyncWaiter) return finish(s, false);
        if (s.resolveDelivered()) throw new Trap(`${name}: subtask ${i} already returned`);
        if (s.cancellationRequested) throw new Trap(`${name}: subtask ${i} is already being cancelled`);
        if (s.wset && !def.flag) throw new Trap(`${name}: a synchronous cancel of subtask ${i}, which is in a waitable set`);
        if (!s.resolved()) {
          s.cancellationRequested = true;
          s.onCancel?.();
        }
        return finish(s, def.flag === true);
      }) as (...a: never[]) => unknown);
    case 'stream.new': case 'future.new':
      return hostFunc([], [I64], () => {
        const shared = def.name === 'stream.new' ? new SharedStream(rt, bi.type!.elem) : new SharedFuture(rt, bi.type!.elem);
        const r = new CopyEnd(shared, true);
        const w = new CopyEnd(shared, false);
        r.index = handles.add(r);
        w.index = handles.add(w);
        return BigInt(r.index) | (BigInt(w.index) << 32n);
      });
    case 'stream.read': case 'stream.write': case 'future.read': case 'future.write': {
      const stream = def.name.startsWith('stream');
      const reading = def.name.endsWith('read');
      const async = def.opts?.async === true;
      const code = stream ? (reading ? EventCode.STREAM_READ : EventCode.STREAM_WRITE) : (reading ? EventCode.FUTURE_READ : EventCode.FUTURE_WRITE);
      const copy = (i: number, ptr: number, n: number): unknown => {
        const e = end(i, stream, reading);
        if (e.hasSyncWaiter) return finish(e, false);
        if (e.state !== CopyState.IDLE) throw new Trap(`${name}: ${e.describe()} ${i} is ${e.state === CopyState.DONE ? 'done (its other end was dropped)' : 'already copying'}`);
        if (e.wset && !async) throw new Trap(`${name}: a synchronous copy on ${e.describe()} ${i}, which is in a waitable set`);
        const cx = env.context(def.opts);
        const buffer = reading ? new GuestSink(cx, e.shared.elem, ptr >>> 0, n >>> 0) : new GuestSource(cx, e.shared.elem, ptr >>> 0, n >>> 0);
        e.state = CopyState.COPYING;
        if (stream) {
          const event = (result: CopyResult, reclaim: () => void): Event => {
            reclaim();
            e.state = result === CopyResult.DROPPED ? CopyState.DONE : CopyState.IDLE;
            return [code, i, (result | (buffer.progress << 4)) >>> 0];
          };
          const onCopy = (reclaim: () => void): void => e.setPendingEvent(() => event(CopyResult.COMPLETED, reclaim));
          const onCopyDone = (result: CopyResult): void => e.setPendingEvent(() => event(result, () => {}));
          const s = e.shared as SharedStream;
          if (reading) s.read(handles, buffer as GuestSink, onCopy, onCopyDone);
          else s.write(handles, buffer as GuestSource, onCopy, onCopyDone);
        } else {
          const onCopyDone = (result: CopyResult): void => e.setPendingEvent(() => {
            e.state = result === CopyResult.DROPPED || result === CopyResult.COMPLETED ? CopyState.DONE : CopyState.IDLE;
            return [code, i, result];
          });
          const f = e.shared as SharedFuture;
          if (reading) f.read(handles, buffer as GuestSink, onCopyDone);
          else f.write(handles, buffer as GuestSource, onCopyDone);
        }
        return finish(e, async);
      };
      return stream
        ? hostFunc([I32, I32, I32], [I32], copy as (...a: never[]) => unknown)
        : hostFunc([I32, I32], [I32], ((i: number, ptr: number) => copy(i, ptr, 1)) as (...a: never[]) => unknown);
    }
    case 'stream.cancel-read': case 'stream.cancel-write': case 'future.cancel-read': case 'future.cancel-write': {
      const stream = def.name.startsWith('stream');
      const reading = def.name.endsWith('read');
      return hostFunc([I32], [I32], ((i: number) => {
        const e = end(i, stream, reading);
        if (e.hasSyncWaiter && e.state === CopyState.CANCELLING_COPY) return finish(e, false);
        if (e.state !== CopyState.COPYING || e.hasSyncWaiter) throw new Trap(`${name}: ${e.describe()} ${i} has no copy in progress to cancel`);
        if (e.wset && !def.flag) throw new Trap(`${name}: a synchronous cancel on ${e.describe()} ${i}, which is in a waitable set`);
        e.state = CopyState.CANCELLING_COPY;
        if (!e.hasPendingEvent()) e.shared.cancel();
        return finish(e, def.flag === true);
      }) as (...a: never[]) => unknown);
    }
    case 'stream.drop-readable': case 'stream.drop-writable': case 'future.drop-readable': case 'future.drop-writable': {
      const stream = def.name.startsWith('stream');
      const readable = def.name.endsWith('readable');
      return hostFunc([I32], [], ((i: number) => {
        const e = end(i, stream, readable);
        e.drop();
        handles.removeItem(i, CopyEnd, e.describe());
      }) as (...a: never[]) => unknown);
    }
    case 'error-context.new':
      return hostFunc([I32, I32], [I32], ((ptr: number, n: number) => {
        const cx = env.context(def.opts);
        return handles.add(new ErrorContext(loadString(cx, ptr >>> 0, n >>> 0)));
      }) as (...a: never[]) => unknown);
    case 'error-context.debug-message':
      return hostFunc([I32, I32], [], ((i: number, ptr: number) => {
        const ec = handles.getItem(i, ErrorContext, 'error-context');
        store(env.context(def.opts), { kind: 'prim', prim: 'string' }, ec.message, ptr >>> 0);
      }) as (...a: never[]) => unknown);
    case 'error-context.drop':
      return hostFunc([I32], [], ((i: number) => {
        handles.removeItem(i, ErrorContext, 'error-context');
      }) as (...a: never[]) => unknown);
    default:
      throw new Trap(`${name} (component-model threads) is not supported`);
  }
}
