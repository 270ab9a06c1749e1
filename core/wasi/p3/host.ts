// The WASI 0.3 host: wasi:cli (stdio as streams, run returning a result), clocks (monotonic
// waits as host promises), random and filesystem, over the same WasiIO and sandbox as the 0.2
// host. 0.3 components also import 0.2.x interfaces (their std library still uses them): those
// are served by an embedded WasiP2, sharing the I/O.
import { AsyncRuntime, CANCELLED, type HostPromise } from '../../component/async/runtime';
import type { SharedFuture, SharedStream } from '../../component/async/waitables';
import type { HostImports, HostInterface } from '../../component/instantiate';
import type { ResourceType } from '../../component/types';
import type { Preopen } from '../host';
import type { WasiIO } from '../wasi-io';
import { Descriptor, DirectoryEntryStream, type DescriptorFlags, type PathFlags } from '../p2/filesystem';
import { WasiP2 } from '../p2/host';
import { none, ok, some, type Tagged } from '../p2/values';
import { NetPolicy } from '../net';
import { clientSend } from './http';
import { httpTypes } from './http-types';
import { socketTypes } from './sockets';
import { drain, feed, newFuture, newStream, resolveFuture, streamOf } from './streams';

const CHUNK = 64 * 1024;
const MAX_OFFSET = 2n ** 63n - 1n;

export interface WasiP3Options {
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  preopens?: readonly Preopen[];
  io: WasiIO;
  /** What the program may reach on the network (default: nothing). */
  net?: NetPolicy;
}

/** Releases a host resource: its drop hook, or a socket's close. */
function release(r: object): void {
  const h = r as { drop?: () => void; close?: () => void };
  if (h.drop) h.drop();
  else h.close?.();
}

/** `wasi:cli/stdout@0.3.0` → `wasi:cli/stdout` when the version is 0.3.x (0.3.0-rc-… included). */
export function interfaceKeyP3(name: string): string | undefined {
  const m = /^([^@]+)@0\.3\.\d+(?:[-+].*)?$/.exec(name);
  return m ? m[1] : undefined;
}

/** A 0.2 error-code enum case → the 0.3 variant case. */
function errorCode(code: unknown): Tagged {
  return typeof code === 'string' ? (code === 'would-block' ? { tag: 'other', val: some('would-block') } : { tag: code }) : { tag: 'io' };
}

/** A 0.2 result with an enum error → the 0.3 result with a variant error. */
function p3(t: Tagged): Tagged {
  return t.tag === 'err' ? { tag: 'err', val: errorCode(t.val) } : t;
}

const TYPES = new Set(['block-device', 'character-device', 'directory', 'fifo', 'symbolic-link', 'regular-file', 'socket']);
function descriptorType(t: unknown): Tagged {
  return typeof t === 'string' && TYPES.has(t) ? { tag: t } : { tag: 'other', val: none };
}

function statP3(t: Tagged): Tagged {
  if (t.tag !== 'ok') return p3(t);
  const s = t.val as Record<string, unknown>;
  return ok({ ...s, type: descriptorType(s.type) });
}

export class WasiP3 implements HostImports {
  /** The async runtime the component is instantiated with (host streams and timers wake it). */
  readonly runtime = new AsyncRuntime();
  readonly p2: WasiP2;
  private readonly interfaces: Record<string, HostInterface>;
  private readonly preopens: [Descriptor, string][] = [];
  private readonly live = new Set<object>();
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(options: WasiP3Options) {
    this.p2 = new WasiP2(options);
    const io = options.io;
    const rt = this.runtime;
    const args = [...(options.args ?? [])];
    const env = Object.entries(options.env ?? {});
    for (const p of options.preopens ?? []) {
      if (!io.fs) throw new Error('WASI: preopened directories need a filesystem in WasiIO');
      let handle: number | undefined;
      try {
        handle = io.fs.openDirectory?.(p.host, true);
      } catch {
        handle = undefined;
      }
      this.preopens.push([new Descriptor(io.fs, { kind: 'dir', anchor: { root: p.host, parts: [] }, handle }, { read: true, 'mutate-directory': true }), p.guest]);
    }
    const clock = io.clock;
    const sleep = (ns: bigint): HostPromise<void> => {
      if (ns <= 0n) return Promise.resolve();
      let timer: ReturnType<typeof setTimeout> | undefined;
      let settle: ((v: typeof CANCELLED | undefined) => void) | undefined;
      const p: HostPromise<void> = new Promise<typeof CANCELLED | undefined>((resolve) => {
        settle = resolve;
        // setTimeout counts whole milliseconds on libuv's loop clock, which is read once per loop
        // turn: a 1 ms timer can fire when the monotonic clock has moved less than 1 ms. Wait until
        // the clock the program reads says the time has passed, re-arming for what is left.
        const deadline = clock.now('monotonic') + ns;
        const arm = (left: bigint): void => {
          timer = setTimeout(() => {
            this.timers.delete(timer!);
            const rest = deadline - clock.now('monotonic');
            if (rest > 0n) arm(rest);
            else resolve(undefined);
          }, Math.max(1, Math.ceil(Number(left) / 1e6)));
          this.timers.add(timer);
        };
        arm(ns);
      }) as HostPromise<void>;
      p.cancel = () => {
        if (timer !== undefined) {
          clearTimeout(timer);
          this.timers.delete(timer);
        }
        settle?.(CANCELLED);
      };
      return p;
    };
    const writer = (sink: { write(b: Uint8Array): void }) => (data: unknown): SharedFuture => {
      const f = newFuture(rt);
      drain(data as SharedStream, (b) => sink.write(b), () => resolveFuture(f, ok()));
      return f;
    };
    const terminal = (tty: boolean | undefined): Tagged => (tty ? some(this.track({})) : none);
    const instant = (ns: bigint): { seconds: bigint; nanoseconds: number } => ({ seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) });
    let seed: [bigint, bigint] | undefined;
    const fsm = (name: string, f: (d: Descriptor, ...a: never[]) => unknown) => [`[method]descriptor.${name}`, f] as const;

    this.interfaces = {
      'wasi:cli/environment': {
        'get-environment': () => env.map(([k, v]) => [k, v]),
        'get-arguments': () => args,
        'get-initial-cwd': () => none,
      },
      // The same two functions as 0.2's.
      'wasi:cli/exit': this.p2.resolve('wasi:cli/exit@0.2.0')!,
      'wasi:cli/stdin': {
        'read-via-stream': () => {
          const s = newStream(rt);
          const f = newFuture(rt);
          const buf = new Uint8Array(CHUNK);
          feed(s, () => {
            const n = io.stdin.read(buf);
            if (n === null || n === 0) {
              // A source that is not ready counts as the end (the CLI's stdin blocks inside read).
              resolveFuture(f, ok());
              return null;
            }
            return buf.slice(0, n);
          }, () => resolveFuture(f, ok()));
          return [s, f];
        },
      },
      'wasi:cli/stdout': { 'write-via-stream': writer(io.stdout) },
      'wasi:cli/stderr': { 'write-via-stream': writer(io.stderr) },
      'wasi:cli/types': {},
      'wasi:cli/terminal-input': {},
      'wasi:cli/terminal-output': {},
      'wasi:cli/terminal-stdin': { 'get-terminal-stdin': () => terminal(io.stdin.isTTY) },
      'wasi:cli/terminal-stdout': { 'get-terminal-stdout': () => terminal(io.stdout.isTTY) },
      'wasi:cli/terminal-stderr': { 'get-terminal-stderr': () => terminal(io.stderr.isTTY) },
      'wasi:clocks/types': {},
      'wasi:clocks/monotonic-clock': {
        now: () => clock.now('monotonic'),
        'get-resolution': () => clock.resolution('monotonic'),
        'wait-until': (when: unknown) => sleep(BigInt(when as bigint) - clock.now('monotonic')),
        'wait-for': (d: unknown) => sleep(BigInt(d as bigint)),
      },
      'wasi:clocks/system-clock': {
        now: () => instant(clock.now('realtime')),
        'get-resolution': () => clock.resolution('realtime'),
      },
      'wasi:clocks/wall-clock': {
        now: () => instant(clock.now('realtime')),
        'get-resolution': () => instant(clock.resolution('realtime')),
      },
      'wasi:random/random': {
        'get-random-bytes': (n: unknown) => this.randomBytes(io, n),
        'get-random-u64': () => this.randomU64(io),
      },
      'wasi:random/insecure': {
        'get-insecure-random-bytes': (n: unknown) => this.randomBytes(io, n),
        'get-insecure-random-u64': () => this.randomU64(io),
      },
      // The seed is fixed for the life of the instance (the interface says so; the tests check it).
      'wasi:random/insecure-seed': { 'get-insecure-seed': () => (seed ??= [this.randomU64(io), this.randomU64(io)]) },
      'wasi:http/types': httpTypes(rt, (r) => this.track(r)) as HostInterface,
      'wasi:http/client': { send: clientSend(rt, options.net ?? NetPolicy.deny(), (r) => this.track(r)) as HostInterface[string] },
      'wasi:sockets/types': socketTypes(rt, options.net ?? NetPolicy.deny(), (r) => this.track(r)) as HostInterface,
      'wasi:filesystem/preopens': {
        'get-directories': () => this.preopens.map(([d, guest]) => [this.track(d.view()), guest]),
      },
      'wasi:filesystem/types': Object.fromEntries([
        fsm('read-via-stream', (d, offset: bigint) => {
          const s = newStream(rt);
          const f = newFuture(rt);
          let at = BigInt(offset);
          feed(s, () => {
            // Host files take signed 64-bit offsets: past that is invalid, not an I/O failure.
            if (at > MAX_OFFSET) {
              resolveFuture(f, { tag: 'err', val: { tag: 'invalid' } });
              return null;
            }
            const r = d.read(CHUNK, at);
            if (r.tag === 'err') {
              resolveFuture(f, p3(r));
              return null;
            }
            const [bytes, end] = r.val as [Uint8Array, boolean];
            if (bytes.length === 0 || (end && bytes.length === 0)) {
              resolveFuture(f, ok());
              return null;
            }
            at += BigInt(bytes.length);
            return bytes;
          }, () => resolveFuture(f, ok()));
          return [s, f];
        }),
        fsm('write-via-stream', (d, data: SharedStream, offset: bigint) => {
          const f = newFuture(rt);
          let at = BigInt(offset);
          let failed = false;
          drain(data, (b) => {
            if (failed) return;
            const r = at + BigInt(b.length) > MAX_OFFSET ? { tag: 'err', val: 'invalid' } : d.write(b, at);
            if (r.tag === 'err') {
              failed = true;
              resolveFuture(f, p3(r));
            } else at += BigInt(b.length);
          }, () => {
            if (!failed) resolveFuture(f, ok());
          });
          return f;
        }),
        fsm('append-via-stream', (d, data: SharedStream) => {
          const f = newFuture(rt);
          let failed = false;
          drain(data, (b) => {
            if (failed) return;
            const st = d.stat();
            const r = st.tag === 'ok' ? d.write(b, (st.val as { size: bigint }).size) : st;
            if (r.tag === 'err') {
              failed = true;
              resolveFuture(f, p3(r));
            }
          }, () => {
            if (!failed) resolveFuture(f, ok());
          });
          return f;
        }),
        fsm('advise', (d) => p3(d.advise())),
        fsm('sync-data', (d) => p3(d.sync(true))),
        fsm('sync', (d) => p3(d.sync(false))),
        fsm('get-flags', (d) => p3(d.getFlags())),
        fsm('get-type', (d) => {
          const t = d.getType();
          return t.tag === 'ok' ? ok(descriptorType(t.val)) : p3(t);
        }),
        fsm('set-size', (d, size: bigint) => p3(d.setSize(size))),
        fsm('set-times', (d, a: Tagged, m: Tagged) => p3(d.setTimes(a, m))),
        fsm('read-directory', (d) => {
          const f = newFuture(rt);
          const r = d.readDirectory();
          const entries: unknown[] = [];
          if (r.tag === 'ok') {
            const ds = r.val as DirectoryEntryStream;
            for (;;) {
              const e = ds.read();
              const v = e.val as Tagged | undefined;
              if (e.tag !== 'ok' || !v || v.tag !== 'some') break;
              const ent = v.val as { type: unknown; name: string };
              entries.push({ type: descriptorType(ent.type), name: ent.name });
            }
          }
          const s = streamOf(rt, entries);
          resolveFuture(f, r.tag === 'ok' ? ok() : p3(r));
          return [s, f];
        }),
        fsm('create-directory-at', (d, p: string) => p3(d.createDirectoryAt(p))),
        fsm('stat', (d) => statP3(d.stat())),
        fsm('stat-at', (d, fl: PathFlags, p: string) => statP3(d.statAt(fl, p))),
        fsm('set-times-at', (d, fl: PathFlags, p: string, a: Tagged, m: Tagged) => p3(d.setTimesAt(fl, p, a, m))),
        fsm('link-at', (d, fl: PathFlags, p: string, t: Descriptor, q: string) => p3(d.linkAt(fl, p, t, q))),
        fsm('open-at', (d, fl: PathFlags, p: string, o: Record<string, boolean>, dfl: DescriptorFlags) => {
          const r = p3(d.openAt(fl, p, o, dfl));
          if (r.tag === 'ok') this.track(r.val as Descriptor);
          return r;
        }),
        fsm('readlink-at', (d, p: string) => p3(d.readlinkAt(p))),
        fsm('remove-directory-at', (d, p: string) => p3(d.removeDirectoryAt(p))),
        fsm('rename-at', (d, p: string, t: Descriptor, q: string) => p3(d.renameAt(p, t, q))),
        fsm('symlink-at', (d, p: string, q: string) => p3(d.symlinkAt(p, q))),
        fsm('unlink-file-at', (d, p: string) => p3(d.unlinkFileAt(p))),
        fsm('is-same-object', (d, o: Descriptor) => d.isSameObject(o)),
        fsm('metadata-hash', (d) => p3(d.metadataHash())),
        fsm('metadata-hash-at', (d, fl: PathFlags, p: string) => p3(d.metadataHashAt(fl, p))),
      ]) as HostInterface,
    };
  }

  resolve(name: string): HostInterface | undefined {
    const key = interfaceKeyP3(name);
    if (key === undefined) return this.p2.resolve(name);
    return this.interfaces[key];
  }

  onDrop(resource: ResourceType, rep: unknown): void {
    const r = rep as object;
    if (this.live.delete(r)) release(r);
    else this.p2.onDrop(resource, rep);
  }

  /** Closes what the program still holds and stops its timers. */
  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const r of this.live) release(r);
    this.live.clear();
    for (const [d] of this.preopens) d.drop();
    this.p2.dispose();
  }

  private track<T extends object>(r: T): T {
    this.live.add(r);
    return r;
  }

  private randomBytes(io: WasiIO, n: unknown): Uint8Array {
    const v = typeof n === 'bigint' ? n : BigInt(Number(n));
    const buf = new Uint8Array(v > 1n << 24n ? 1 << 24 : Number(v));
    io.random.fill(buf);
    return buf;
  }

  private randomU64(io: WasiIO): bigint {
    const b = new Uint8Array(8);
    io.random.fill(b);
    return new DataView(b.buffer).getBigUint64(0, true);
  }
}

