// The host's ends of WASI 0.3 streams and futures: draining a guest's stream<u8> into a sink
// (stdout, a file), feeding one from a source that is read only when the guest asks (stdin, a
// file, a directory listing), and writing a future's one value.
import { CopyResult, HostSink, HostSource, SharedFuture, SharedStream, type ReadableBuffer, type Wake } from '../../component/async/waitables';

const CHUNK = 64 * 1024;

/** Reads everything the guest writes to `s`, chunk by chunk, until it drops its writable end. */
export function drain(s: SharedStream, onData: (bytes: Uint8Array) => void, onEnd: () => void, chunk = CHUNK): void {
  const arm = (): void => {
    const sink = new HostSink(chunk);
    let taken = false;
    const take = (): void => {
      if (taken) return;
      taken = true;
      if (sink.progress > 0) onData(sink.bytes());
    };
    s.read(undefined, sink, (reclaim) => {
      reclaim();
      take();
      arm();
    }, (result) => {
      take();
      if (result === CopyResult.DROPPED) onEnd();
      else if (result === CopyResult.COMPLETED) arm();
    });
  };
  arm();
}

/** A source whose values are produced when the other end first looks (a guest's read arrived). */
class LazySource implements ReadableBuffer {
  progress = 0;
  private values: unknown[] | Uint8Array | undefined;
  constructor(private readonly produce: () => unknown[] | Uint8Array) {}
  private get(): unknown[] | Uint8Array {
    return (this.values ??= this.produce());
  }
  remain(): number {
    return this.get().length - this.progress;
  }
  isZeroLength(): boolean {
    return this.get().length === 0;
  }
  read(n: number): unknown[] | Uint8Array {
    const v = this.get();
    const out = v.slice(this.progress, this.progress + n);
    this.progress += n;
    return out;
  }
}

/**
 * Feeds `s` from `next`, called only when the guest reads: it returns the next values, or null
 * at the end (then the host drops its writable end and the guest's read sees DROPPED).
 */
export function feed(s: SharedStream, next: () => unknown[] | Uint8Array | null, onReaderGone?: () => void): void {
  let ended = false;
  const fresh = (): ReadableBuffer => new LazySource(() => {
    const v = ended ? null : next();
    if (v === null) ended = true;
    return v ?? new Uint8Array(0);
  });
  // After each copy: a partly taken chunk stays offered; an empty one at the end drops the stream.
  const after = (src: ReadableBuffer): void => {
    if (src.remain() > 0) offer(src);
    else if (ended) s.drop();
    else offer(fresh());
  };
  const offer = (src: ReadableBuffer): void => {
    s.write(undefined, src, (reclaim) => {
      reclaim();
      after(src);
    }, (result) => {
      if (result === CopyResult.COMPLETED) after(src);
      else if (result === CopyResult.DROPPED) onReaderGone?.();
    });
  };
  offer(fresh());
}

/** A stream of a fixed list of values that ends after them. */
export function streamOf(rt: Wake, values: unknown[] | Uint8Array): SharedStream {
  const s = new SharedStream(rt, undefined, false);
  let done = false;
  feed(s, () => {
    if (done) return null;
    done = true;
    return values;
  });
  return s;
}

/** A new host-made stream and the future of its outcome. */
export function newStream(rt: Wake): SharedStream {
  return new SharedStream(rt, undefined, false);
}

export function newFuture(rt: Wake): SharedFuture {
  return new SharedFuture(rt, undefined, false);
}

/** Writes the future's value (the guest reads it whenever it likes; if it dropped its end, nothing happens). */
export function resolveFuture(f: SharedFuture, value: unknown): void {
  if (f.dropped) return;
  f.write(undefined, new HostSource([value]), () => {});
}

/** Host work the async runtime counts as in flight (so a waiting guest is not a deadlock) and that wakes it. */
export interface Tracker {
  track<T>(p: Promise<T>, then: (v: T) => void): void;
}

/**
 * Feeds `s` from an asynchronous source (a socket): each chunk is awaited as tracked host
 * work, offered, and the next one is only asked for once the guest took all of it. `next`
 * resolves to null at the end (the host then drops its end); a failure goes to `onError`.
 */
export function feedAsync(rt: Tracker, s: SharedStream, next: () => Promise<Uint8Array | null>, onEnd: (error?: unknown) => void): void {
  let ended = false;
  const end = (error?: unknown): void => {
    if (ended) return;
    ended = true;
    onEnd(error);
  };
  // The reader may go away while the host waits for data: that ends the feed at once.
  s.onDropped = () => end();
  const pull = (): void => {
    if (s.dropped) {
      end();
      return;
    }
    rt.track(next().then((v) => ({ v }), (error: unknown) => ({ error })), (r) => {
      if (ended) return;
      if ('error' in r) {
        end(r.error);
        s.drop();
        return;
      }
      if (r.v === null) {
        end();
        s.drop();
        return;
      }
      offer(new HostSource(r.v));
    });
  };
  const offer = (src: HostSource): void => {
    const after = (): void => {
      if (src.remain() > 0) offer(src);
      else pull();
    };
    s.write(undefined, src, (reclaim) => {
      reclaim();
      after();
    }, (result) => {
      if (result === CopyResult.COMPLETED) after();
      else end();
    });
  };
  pull();
}

/**
 * Drains the guest's stream `s` into an asynchronous sink: each chunk is written (awaited as
 * tracked host work) before the next read is armed, so a slow peer holds the guest's writes.
 */
export function drainAsync(rt: Tracker, s: SharedStream, write: (b: Uint8Array) => Promise<void>, onEnd: (error?: unknown) => void, chunk = CHUNK): void {
  const arm = (): void => {
    const sink = new HostSink(chunk);
    let taken = false;
    const take = (then: () => void): void => {
      if (taken) return;
      taken = true;
      if (sink.progress === 0) {
        then();
        return;
      }
      rt.track(write(sink.bytes()).then(() => undefined, (e: unknown) => e), (e) => {
        if (e !== undefined) {
          s.drop();
          onEnd(e);
        } else then();
      });
    };
    s.read(undefined, sink, (reclaim) => {
      reclaim();
      take(arm);
    }, (result) => {
      if (result === CopyResult.DROPPED) take(() => onEnd());
      else if (result === CopyResult.COMPLETED) take(arm);
    });
  };
  arm();
}
