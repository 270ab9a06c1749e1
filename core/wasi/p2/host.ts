// The WASI 0.2 host: wasi:cli, wasi:io, wasi:clocks, wasi:random and wasi:filesystem over the
// same injected WasiIO as the preview1 host, and wasi:sockets over core/wasi/net, as component
// functions (WIT values in and out, see core/component/canon.ts). Interfaces match by package
// and name for any 0.2.x version. A call that must wait for the network returns WOULD_BLOCK
// (the machine stops 'blocked'); the runner awaits `waitForIO()` and runs on, which calls it again.
import type { HostImports, HostInterface } from '../../component/instantiate';
import type { ResourceType } from '../../component/types';
import { Trap } from '../../errors';
import { WOULD_BLOCK } from '../../interp/runtime';
import { NetPolicy } from '../net';
import { WasiExit } from '../exit';
import type { Preopen } from '../host';
import type { WasiIO } from '../wasi-io';
import { Descriptor, DirectoryEntryStream, filesystemErrorCode, type DescriptorFlags, type PathFlags } from './filesystem';
import { InputStream, IoError, OutputStream, Pollable } from './streams';
import { socketInterfaces } from './sockets';
import { len, none, ok, some, type HostResource, type Tagged } from './values';

export interface WasiP2Options {
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
  preopens?: readonly Preopen[];
  io: WasiIO;
  /** What wasi:sockets may reach (default: nothing). */
  net?: NetPolicy;
}

/** A terminal-input/terminal-output resource: it has no methods in 0.2. */
class TerminalHandle {
  readonly terminal = true;
}

/** `wasi:cli/stdout@0.2.12` → `wasi:cli/stdout` when the version is 0.2.x (or absent). */
export function interfaceKey(name: string): string | undefined {
  const m = /^([^@]+)(?:@(\d+)\.(\d+)\.\d+(?:[-+].*)?)?$/.exec(name);
  if (!m) return undefined;
  if (m[2] !== undefined && (m[2] !== '0' || m[3] !== '2')) return undefined;
  return m[1];
}

/** How many "not yet" answers to socket checks go by before the event loop gets a turn. */
const IDLE_CHECKS = 256;

export class WasiP2 implements HostImports {
  private readonly interfaces: Record<string, HostInterface>;
  private readonly preopens: [Descriptor, string][] = [];
  private readonly io: WasiIO;
  private readonly live = new Set<object>();
  private pending: Promise<void> | undefined;
  /** Socket checks that answered "not yet" since the event loop last had a turn. */
  private idleChecks = 0;

  constructor(options: WasiP2Options) {
    const io = (this.io = options.io);
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
    const stdin = (): InputStream => this.track(new InputStream({ kind: 'source', input: io.stdin }));
    const terminal = (tty: boolean | undefined): Tagged => (tty ? some(this.track(new TerminalHandle())) : none);
    const clock = io.clock;
    const sleepUntil = (deadline: bigint): void => {
      const now = clock.now('monotonic');
      if (deadline > now) {
        if (clock.sleep) clock.sleep(deadline - now);
        else while (clock.now('monotonic') < deadline) { /* no way to sleep: spin until the deadline */ }
      }
    };
    const deadlinePollable = (at: bigint): Pollable => this.track(new Pollable(() => clock.now('monotonic') >= at, () => at));
    /** What a poll over sockets (and maybe clocks) waits for: the first change, or the first deadline. */
    const asyncWait = (ps: readonly Pollable[]): Promise<void> | undefined => {
      const waits = ps.flatMap((p) => (p.wait ? [p.wait()] : []));
      if (waits.length === 0) return undefined;
      const deadlines = ps.map((p) => p.deadline?.()).filter((d): d is bigint => d !== undefined);
      let timer: NodeJS.Timeout | undefined;
      if (deadlines.length > 0) {
        const first = deadlines.reduce((a, b) => (a < b ? a : b));
        const ms = Number((first - clock.now('monotonic')) / 1_000_000n);
        waits.push(new Promise<void>((resolve) => {
          timer = setTimeout(resolve, Math.max(0, ms));
        }));
      }
      return Promise.race(waits).finally(() => clearTimeout(timer));
    };
    const block = (p: Pollable): void | typeof WOULD_BLOCK => {
      if (p.wait) return p.ready() ? undefined : this.park(p.wait());
      const d = p.deadline?.();
      if (d !== undefined) sleepUntil(d);
    };
    const fs = (name: string, f: (d: Descriptor, ...a: never[]) => unknown) => [`[method]descriptor.${name}`, f] as const;

    this.interfaces = {
      'wasi:cli/environment': {
        'get-environment': () => env.map(([k, v]) => [k, v]),
        'get-arguments': () => args,
        'initial-cwd': () => none,
      },
      'wasi:cli/exit': {
        exit: (status: unknown) => {
          throw new WasiExit((status as Tagged).tag === 'ok' ? 0 : 1);
        },
        'exit-with-code': (code: unknown) => {
          throw new WasiExit(Number(code) & 0xff);
        },
      },
      'wasi:cli/stdin': { 'get-stdin': stdin },
      'wasi:cli/stdout': { 'get-stdout': () => this.track(new OutputStream({ kind: 'sink', sink: io.stdout })) },
      'wasi:cli/stderr': { 'get-stderr': () => this.track(new OutputStream({ kind: 'sink', sink: io.stderr })) },
      'wasi:cli/terminal-input': {},
      'wasi:cli/terminal-output': {},
      'wasi:cli/terminal-stdin': { 'get-terminal-stdin': () => terminal(io.stdin.isTTY) },
      'wasi:cli/terminal-stdout': { 'get-terminal-stdout': () => terminal(io.stdout.isTTY) },
      'wasi:cli/terminal-stderr': { 'get-terminal-stderr': () => terminal(io.stderr.isTTY) },
      'wasi:io/error': { '[method]error.to-debug-string': (e: unknown) => (e as IoError).toDebugString() },
      'wasi:io/poll': {
        '[method]pollable.ready': (p: unknown) => {
          const q = p as Pollable;
          if (q.ready()) return true;
          return q.wait ? (this.idle() ?? false) : false;
        },
        '[method]pollable.block': (p: unknown) => block(p as Pollable),
        poll: (list: unknown) => {
          const ps = list as Pollable[];
          // wasi:io/poll says an empty list traps (it could never return).
          if (ps.length === 0) throw new Trap('wasi:io/poll poll: the list of pollables is empty');
          for (;;) {
            const ready = ps.flatMap((p, i) => (p.ready() ? [i] : []));
            if (ready.length > 0) return ready;
            const later = asyncWait(ps);
            if (later) return this.park(later);
            const deadlines = ps.map((p) => p.deadline?.()).filter((d): d is bigint => d !== undefined);
            if (deadlines.length === 0) return ps.map((_, i) => i);
            sleepUntil(deadlines.reduce((a, b) => (a < b ? a : b)));
          }
        },
      },
      'wasi:io/streams': {
        '[method]input-stream.read': (s: unknown, n: unknown) => (s as InputStream).read(n),
        '[method]input-stream.blocking-read': (s: unknown, n: unknown) => (s as InputStream).blockingRead(n),
        '[method]input-stream.skip': (s: unknown, n: unknown) => (s as InputStream).skip(n, false),
        '[method]input-stream.blocking-skip': (s: unknown, n: unknown) => (s as InputStream).skip(n, true),
        '[method]input-stream.subscribe': (s: unknown) => this.track((s as InputStream).subscribe()),
        '[method]output-stream.check-write': (s: unknown) => (s as OutputStream).checkWrite(),
        '[method]output-stream.write': (s: unknown, b: unknown) => (s as OutputStream).write(b as Uint8Array),
        '[method]output-stream.blocking-write-and-flush': (s: unknown, b: unknown) => (s as OutputStream).blockingWrite(b as Uint8Array),
        '[method]output-stream.flush': () => ok(),
        '[method]output-stream.blocking-flush': (s: unknown) => (s as OutputStream).blockingWrite(undefined),
        '[method]output-stream.subscribe': (s: unknown) => this.track((s as OutputStream).subscribe()),
        '[method]output-stream.write-zeroes': (s: unknown, n: unknown) => (s as OutputStream).writeZeroes(n),
        '[method]output-stream.blocking-write-zeroes-and-flush': (s: unknown, n: unknown) => (s as OutputStream).writeZeroes(n),
        '[method]output-stream.splice': (s: unknown, src: unknown, n: unknown) => (s as OutputStream).splice(src as InputStream, n, false),
        '[method]output-stream.blocking-splice': (s: unknown, src: unknown, n: unknown) => (s as OutputStream).splice(src as InputStream, n, true),
      },
      'wasi:clocks/monotonic-clock': {
        now: () => clock.now('monotonic'),
        resolution: () => clock.resolution('monotonic'),
        'subscribe-instant': (when: unknown) => deadlinePollable(BigInt(when as bigint)),
        'subscribe-duration': (d: unknown) => deadlinePollable(clock.now('monotonic') + BigInt(d as bigint)),
      },
      'wasi:clocks/wall-clock': {
        now: () => {
          const ns = clock.now('realtime');
          return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
        },
        resolution: () => {
          const ns = clock.resolution('realtime');
          return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
        },
      },
      'wasi:random/random': {
        'get-random-bytes': (n: unknown) => this.randomBytes(n),
        'get-random-u64': () => this.randomU64(),
      },
      'wasi:random/insecure': {
        'get-insecure-random-bytes': (n: unknown) => this.randomBytes(n),
        'get-insecure-random-u64': () => this.randomU64(),
      },
      'wasi:random/insecure-seed': { 'insecure-seed': () => [this.randomU64(), this.randomU64()] },
      'wasi:filesystem/preopens': {
        // Each call hands out new own handles (the preview1 adapter calls it again and drops what
        // it does not keep), so each gets a view whose drop leaves the preopen itself open.
        'get-directories': () => this.preopens.map(([d, guest]) => [this.track(d.view()), guest]),
      },
      'wasi:filesystem/types': Object.fromEntries([
        fs('read-via-stream', (d, o: bigint) => this.tracked(d.readViaStream(o))),
        fs('write-via-stream', (d, o: bigint) => this.tracked(d.writeViaStream(o))),
        fs('append-via-stream', (d) => this.tracked(d.writeViaStream(0n, true))),
        fs('advise', (d) => d.advise()),
        fs('sync-data', (d) => d.sync(true)),
        fs('sync', (d) => d.sync(false)),
        fs('get-flags', (d) => d.getFlags()),
        fs('get-type', (d) => d.getType()),
        fs('set-size', (d, s: bigint) => d.setSize(s)),
        fs('set-times', (d, a: Tagged, m: Tagged) => d.setTimes(a, m)),
        fs('read', (d, n: bigint, o: bigint) => d.read(n, o)),
        fs('write', (d, b: Uint8Array, o: bigint) => d.write(b, o)),
        fs('read-directory', (d) => this.tracked(d.readDirectory())),
        fs('create-directory-at', (d, p: string) => d.createDirectoryAt(p)),
        fs('stat', (d) => d.stat()),
        fs('stat-at', (d, f: PathFlags, p: string) => d.statAt(f, p)),
        fs('set-times-at', (d, f: PathFlags, p: string, a: Tagged, m: Tagged) => d.setTimesAt(f, p, a, m)),
        fs('link-at', (d, f: PathFlags, p: string, t: Descriptor, q: string) => d.linkAt(f, p, t, q)),
        fs('open-at', (d, f: PathFlags, p: string, o: Record<string, boolean>, fl: DescriptorFlags) => this.tracked(d.openAt(f, p, o, fl))),
        fs('readlink-at', (d, p: string) => d.readlinkAt(p)),
        fs('remove-directory-at', (d, p: string) => d.removeDirectoryAt(p)),
        fs('rename-at', (d, p: string, t: Descriptor, q: string) => d.renameAt(p, t, q)),
        fs('symlink-at', (d, p: string, q: string) => d.symlinkAt(p, q)),
        fs('unlink-file-at', (d, p: string) => d.unlinkFileAt(p)),
        fs('is-same-object', (d, o: Descriptor) => d.isSameObject(o)),
        fs('metadata-hash', (d) => d.metadataHash()),
        fs('metadata-hash-at', (d, f: PathFlags, p: string) => d.metadataHashAt(f, p)),
        ['[method]directory-entry-stream.read-directory-entry', (s: DirectoryEntryStream) => s.read()],
        ['filesystem-error-code', (e: IoError) => filesystemErrorCode(e)],
      ]) as HostInterface,
      ...socketInterfaces({ policy: options.net ?? NetPolicy.deny(), park: (p) => this.park(p), idle: () => this.idle(), track: (r) => this.track(r) }),
    };
  }

  /**
   * After the machine stopped 'blocked': resolves once the host call that could not finish (a
   * poll, a blocking read or write on a socket) may make progress; run the machine again then.
   */
  async waitForIO(): Promise<void> {
    const p = this.pending;
    this.pending = undefined;
    if (!p) throw new Error('WASI 0.2: the program is blocked, but on nothing the host can wait for');
    await p;
  }

  /** Whether a blocked call is waiting for the network (waitForIO has something to wait for). */
  get waiting(): boolean {
    return this.pending !== undefined;
  }

  private park(until: Promise<void>): typeof WOULD_BLOCK {
    this.pending = until;
    this.idleChecks = 0;
    return WOULD_BLOCK;
  }

  /**
   * A socket check said "not yet" (a pollable not ready, would-block, nothing to read). Network
   * events arrive only while the machine is stopped, so a guest that keeps checking without ever
   * blocking would spin forever: every IDLE_CHECKS such answers, the call instead parks until
   * the event loop has had a turn (WOULD_BLOCK; the call is made again and answers then).
   */
  private idle(): typeof WOULD_BLOCK | undefined {
    if (++this.idleChecks < IDLE_CHECKS) return undefined;
    return this.park(new Promise<void>((resolve) => setImmediate(resolve)));
  }

  resolve(name: string): HostInterface | undefined {
    const key = interfaceKey(name);
    return key === undefined ? undefined : this.interfaces[key];
  }

  onDrop(_resource: ResourceType, rep: unknown): void {
    const r = rep as HostResource;
    this.live.delete(r);
    r.drop?.();
  }

  /** Closes every file and directory the program still holds. */
  dispose(): void {
    for (const r of this.live) (r as HostResource).drop?.();
    this.live.clear();
    for (const [d] of this.preopens) d.drop();
  }

  private track<T extends object>(r: T): T {
    this.live.add(r);
    return r;
  }

  /** Tracks the resource inside an ok result. */
  private tracked(t: Tagged): Tagged {
    if (t.tag === 'ok' && typeof t.val === 'object' && t.val !== null) this.track(t.val);
    return t;
  }

  private randomBytes(n: unknown): Uint8Array {
    const buf = new Uint8Array(len(n, 1 << 24));
    this.io.random.fill(buf);
    return buf;
  }

  private randomU64(): bigint {
    const b = new Uint8Array(8);
    this.io.random.fill(b);
    return new DataView(b.buffer).getBigUint64(0, true);
  }
}

