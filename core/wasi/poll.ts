// poll_oneoff: clock subscriptions and fd readiness. Files and output streams are always ready;
// stdin asks its source. With nothing ready the host sleeps until the first deadline, or, when it
// may not block (the debugger), returns WOULD_BLOCK and is called again until something is ready.
import { ClockId, EventRwFlags, EventType, Layout, SubClockFlags } from './abi';
import type { DescriptorTable } from './descriptors';
import { Errno, WasiError } from './errno';
import type { GuestMemory } from './guest-memory';
import type { ClockKind, WasiIO } from './wasi-io';

/** Deadlines of a poll that returned WOULD_BLOCK, so relative timeouts do not restart on the retry. */
export interface PollState {
  pending: { key: string; deadlines: Map<number, bigint> } | undefined;
}

export interface PollContext {
  mem: GuestMemory;
  io: WasiIO;
  fds: DescriptorTable;
  state: PollState;
  /** Returns WOULD_BLOCK (or throws EAGAIN when the engine cannot wait that way). */
  notReady: () => unknown;
  /** The engine can take WOULD_BLOCK: prefer it to blocking the process. */
  mayDefer: boolean;
}

interface Event {
  userdata: bigint;
  error: Errno;
  type: EventType;
  nbytes: bigint;
  flags: number;
}

const POLL_CLOCKS: Record<number, ClockKind> = { [ClockId.REALTIME]: 'realtime', [ClockId.MONOTONIC]: 'monotonic' };

/**
 * The event for an fd subscription, or undefined when stdin has nothing yet. As in Wasmtime, an fd
 * that cannot be polled (closed, a directory, the wrong direction) fails the whole call with EBADF.
 */
function fdEvent(ctx: PollContext, userdata: bigint, type: EventType, fd: number): Event | undefined {
  const ev = (error: Errno, nbytes = 0n, flags = 0): Event => ({ userdata, error, type, nbytes, flags });
  const d = ctx.fds.get(fd);
  if (d.kind === 'dir') throw new WasiError(Errno.BADF);
  if (d.kind === 'file') {
    if (type === EventType.FD_WRITE) return ev(Errno.SUCCESS);
    const size = ctx.io.fs?.fstat(d.handle).size ?? 0n;
    const left = size > d.position ? size - d.position : 0n;
    return ev(Errno.SUCCESS, left, left === 0n ? EventRwFlags.HANGUP : 0);
  }
  if (type === EventType.FD_WRITE) {
    if (d.stream === 0) throw new WasiError(Errno.BADF);
    return ev(Errno.SUCCESS);
  }
  if (d.stream !== 0) throw new WasiError(Errno.BADF);
  const p = ctx.io.stdin.poll?.() ?? { ready: true, nbytes: 0 };
  if (!p.ready) return undefined;
  return ev(Errno.SUCCESS, BigInt(p.nbytes), p.nbytes === 0 && ctx.io.stdin.poll ? EventRwFlags.HANGUP : 0);
}

export function pollOneoff(ctx: PollContext, inPtr: number, outPtr: number, nsubs: number, neventsPtr: number): unknown {
  const { mem, io } = ctx;
  if (nsubs === 0) throw new WasiError(Errno.INVAL);
  const key = `${inPtr}:${outPtr}:${nsubs}`;
  if (ctx.state.pending?.key !== key) ctx.state.pending = undefined;
  const deadlines = ctx.state.pending?.deadlines ?? new Map<number, bigint>();

  const events: Event[] = [];
  let stdinPending = false;
  const clocks: { userdata: bigint; kind: ClockKind; deadline: bigint }[] = [];
  for (let i = 0; i < nsubs; i++) {
    const s = inPtr + i * Layout.SUBSCRIPTION_SIZE;
    const userdata = mem.readU64(s);
    const tag = mem.readU8(s + 8);
    if (tag === EventType.CLOCK) {
      const kind = POLL_CLOCKS[mem.readU32(s + 16)];
      if (!kind) throw new WasiError(Errno.INVAL);
      const timeout = mem.readU64(s + 24);
      const abs = (mem.readU16(s + 40) & SubClockFlags.ABSTIME) !== 0;
      let deadline = deadlines.get(i);
      if (deadline === undefined) {
        deadline = abs ? timeout : io.clock.now(kind) + timeout;
        deadlines.set(i, deadline);
      }
      clocks.push({ userdata, kind, deadline });
    } else if (tag === EventType.FD_READ || tag === EventType.FD_WRITE) {
      const e = fdEvent(ctx, userdata, tag, mem.readU32(s + 16));
      if (e) events.push(e);
      else stdinPending = true;
    } else {
      throw new WasiError(Errno.INVAL);
    }
  }

  const expired = () => clocks.filter((c) => io.clock.now(c.kind) >= c.deadline);
  if (events.length === 0) {
    if (clocks.length === 0) {
      ctx.state.pending = { key, deadlines };
      return ctx.notReady();
    }
    let due = expired();
    if (due.length === 0) {
      const wait = clocks.reduce((min, c) => {
        const left = c.deadline - io.clock.now(c.kind);
        return left < min ? left : min;
      }, clocks[0]!.deadline - io.clock.now(clocks[0]!.kind));
      // Input may arrive while we wait: an engine that can pause should, rather than block.
      if (ctx.mayDefer && (stdinPending || !io.clock.sleep)) {
        ctx.state.pending = { key, deadlines };
        return ctx.notReady();
      }
      if (io.clock.sleep) io.clock.sleep(wait > 0n ? wait : 0n);
      else while (expired().length === 0) { /* no way to sleep: spin until the deadline */ }
      due = expired();
      // Clocks of different kinds may drift apart by a hair: the first deadline is what we slept for.
      if (due.length === 0) due = [clocks.reduce((a, b) => (a.deadline - io.clock.now(a.kind) <= b.deadline - io.clock.now(b.kind) ? a : b))];
    }
    for (const c of due) events.push({ userdata: c.userdata, error: Errno.SUCCESS, type: EventType.CLOCK, nbytes: 0n, flags: 0 });
  } else {
    for (const c of expired()) events.push({ userdata: c.userdata, error: Errno.SUCCESS, type: EventType.CLOCK, nbytes: 0n, flags: 0 });
  }
  ctx.state.pending = undefined;

  events.forEach((e, i) => {
    const p = outPtr + i * Layout.EVENT_SIZE;
    mem.bytes(p, Layout.EVENT_SIZE).fill(0);
    mem.u64At(p, e.userdata);
    mem.u16At(p + 8, e.error);
    mem.u8At(p + 10, e.type);
    mem.u64At(p + 16, e.nbytes);
    mem.u16At(p + 24, e.flags);
  });
  mem.u32At(neventsPtr, events.length);
  return undefined;
}
