// The DAP session: turns requests into calls on the runtime and each runtime event into exactly one
// DAP event; lines, columns and variable handles exist only here (the protocol edge).
import {
  Breakpoint, BreakpointEvent, DebugSession, ExitedEvent, InitializedEvent, OutputEvent, Scope, Source, StackFrame,
  StoppedEvent, TerminatedEvent, Thread, Handles, InvalidatedEvent, Event,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'node:path';
import { WasmRuntime, describeThrown } from './runtime';
import { parseAddress, type BoundBreakpoint } from './breakpoints';
import { hexDump, renderResult } from './expression';
import { messageOf } from './error-message';
import type { LaunchConfig } from './program';
import type { Instruction, ProgramSource } from './code-map';
import { VariableStore } from './variables';
import { addressText, parseMemoryReference } from './memory-refs';
import { placeName, type Watch, type WatchPlace } from './data-breakpoints';
import type { PanicInfo } from '../core/debuginfo';

const THREAD_ID = 1;
/** Most rows one disassemble request gets (editors ask for a screenful; 1e9 froze the adapter). */
const MAX_DISASSEMBLY_ROWS = 10_000;

/** What the Exception widget calls each way a runtime ends a program on purpose. */
const PANIC_TYPE_NAMES: Record<PanicInfo['kind'], string> = { panic: 'Rust panic', abort: 'abort()', assert: 'assertion failure' };

interface LaunchArguments extends DebugProtocol.LaunchRequestArguments, LaunchConfig {}

export class WasmDebugSession extends DebugSession {
  private runtime: WasmRuntime | undefined;
  private launchArgs: LaunchArguments | undefined;
  private readonly variables = new VariableStore();
  private readonly frameHandles = new Handles<{ index: number; inlineDepth: number; thread: number }>();
  private configurationDone: Promise<void>;
  private resolveConfigurationDone: () => void = () => {};
  // Breakpoint requests are kept, with the ids given out for them, so a restart binds them again
  // in the new runtime under the ids the client knows.
  private readonly lineRequests = new Map<string, { args: DebugProtocol.SetBreakpointsArguments; ids: number[] }>();
  private functionRequest: { args: DebugProtocol.SetFunctionBreakpointsArguments; ids: number[] } | undefined;
  private instructionRequest: { args: DebugProtocol.SetInstructionBreakpointsArguments; ids: number[] } | undefined;
  private nextBreakpointId = 1;
  /** The client accepts `invalidated` events: after a write, values shown elsewhere are refetched. */
  private clientRefreshes = false;
  private breakOnTrap = true;
  private breakOnCaught = false;
  private breakOnUncaught = true;
  /** "Run Without Debugging": the program runs to its end; breakpoints and traps do not stop it. */
  private noDebug = false;

  constructor() {
    super();
    // Core positions are 0-based; DebugSession's converters then honour the client's convention.
    this.setDebuggerLinesStartAt1(false);
    this.setDebuggerColumnsStartAt1(false);
    this.configurationDone = new Promise((r) => (this.resolveConfigurationDone = r));
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.clientRefreshes = args.supportsInvalidatedEvent === true;
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true,
      supportsRestartRequest: true,
      supportsTerminateRequest: true,
      supportsExceptionInfoRequest: true,
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsDisassembleRequest: true,
      supportsInstructionBreakpoints: true,
      supportsSteppingGranularity: true,
      supportsStepBack: true,
      supportsDataBreakpoints: true,
      supportsDataBreakpointBytes: true,
      supportsBreakpointLocationsRequest: true,
      supportsCompletionsRequest: true,
      completionTriggerCharacters: ['$', '.'],
      supportsDelayedStackTraceLoading: false,
      exceptionBreakpointFilters: [
        { filter: 'trap', label: 'Break on trap', description: 'Stop at the instruction that traps, with the trap message.', default: true },
        { filter: 'uncaught', label: 'Uncaught Wasm exceptions', description: 'Stop at the throw of an exception no handler catches, with its tag and payload (continuing ends the program).', default: true },
        { filter: 'caught', label: 'Caught Wasm exceptions', description: 'Stop at every throw, throw_ref and rethrow whose exception a handler catches, with its tag and payload.', default: false },
      ],
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, maybeArgs: LaunchArguments | undefined): Promise<void> {
    if (this.runtime && !this.runtime.hasEnded) {
      this.sendErrorResponse(response, { id: 1003, format: 'Wasmscope: this session is already running a program (use restart).', showUser: true });
      return;
    }
    // A client may send no arguments at all; that is a configuration error, not a crash.
    const args: LaunchArguments = maybeArgs ?? {};
    this.launchArgs = args;
    let runtime: WasmRuntime;
    try {
      runtime = await this.startRuntime(args);
    } catch (err) {
      this.sendErrorResponse(response, { id: 1001, format: `Wasmscope: ${messageOf(err)}`, showUser: true });
      return;
    }
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    // A restart or disconnect while waiting for configuration replaces or drops this runtime.
    if (this.runtime === runtime) runtime.start(args.stopOnEntry === true && !this.noDebug);
  }

  private async startRuntime(args: LaunchArguments): Promise<WasmRuntime> {
    const runtime = await WasmRuntime.launch(args);
    this.runtime = runtime;
    this.noDebug = args.noDebug === true;
    this.applyExceptionFilters(runtime);
    runtime.on('stopped', (e) => {
      this.resetHandles();
      const ev = new StoppedEvent(e.reason, dapThread(runtime.program.target.selectedThread?.() ?? 0), e.text) as DebugProtocol.StoppedEvent;
      if (e.hitBreakpointIds) ev.body.hitBreakpointIds = e.hitBreakpointIds;
      if (e.reason === 'exception') {
        const panic = runtime.panic;
        ev.body.description = panic ? `Paused on ${panic.kind}: ${panic.message}` : runtime.thrown ? `Paused on exception: ${e.text ?? ''}` : `Paused on trap: ${e.text ?? ''}`;
      }
      ev.body.allThreadsStopped = true;
      this.sendEvent(ev);
    });
    runtime.on('output', (e) => this.sendEvent(new OutputEvent(e.text, e.category)));
    runtime.on('exited', (e) => this.sendEvent(new ExitedEvent(e.code)));
    // The Testing view marks a debugged .wast assertion passed or failed with it.
    runtime.on('wastResult', (r) => this.sendEvent(new Event('wastResult', r)));
    runtime.on('end', () => {
      if (this.runtime === runtime) this.sendEvent(new TerminatedEvent());
    });
    return runtime;
  }

  private resetHandles(): void {
    this.variables.reset();
    this.frameHandles.reset();
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.resolveConfigurationDone();
  }

  protected override async restartRequest(response: DebugProtocol.RestartResponse, args: DebugProtocol.RestartArguments | undefined): Promise<void> {
    // Async handlers are not guarded by DebugSession's dispatch: nothing here may throw.
    const launch = (args?.arguments as LaunchArguments | undefined) ?? this.launchArgs;
    if (!launch) {
      this.sendErrorResponse(response, { id: 1002, format: 'Wasmscope: nothing to restart (no launch yet)', showUser: true });
      return;
    }
    const old = this.runtime;
    this.runtime = undefined;
    old?.removeAllListeners();
    old?.terminate();
    this.resetHandles();
    let runtime: WasmRuntime;
    try {
      runtime = await this.startRuntime(launch);
    } catch (err) {
      this.sendErrorResponse(response, { id: 1001, format: `Wasmscope: ${messageOf(err)}`, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    this.launchArgs = launch;
    this.rebindBreakpoints();
    this.sendResponse(response);
    runtime.start(launch.stopOnEntry === true && !this.noDebug);
  }

  /** After a restart the new runtime gets the breakpoints the client set; changes go out as events. */
  private rebindBreakpoints(): void {
    const send = (bps: DebugProtocol.Breakpoint[]) => bps.forEach((bp) => this.sendEvent(new BreakpointEvent('changed', bp)));
    for (const req of this.lineRequests.values()) send(this.bindLineBreakpoints(req.args, req.ids));
    if (this.functionRequest) send(this.bindFunctionBreakpoints(this.functionRequest.args, this.functionRequest.ids));
    if (this.instructionRequest) send(this.bindInstructionBreakpoints(this.instructionRequest.args, this.instructionRequest.ids));
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments, request?: DebugProtocol.Request): void {
    this.runtime?.removeAllListeners();
    this.runtime?.terminate();
    this.runtime = undefined;
    // The base class answers and, when standalone, ends the adapter process.
    super.disconnectRequest(response, args, request);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    const rt = this.runtime;
    if (!rt || rt.hasEnded) {
      this.sendEvent(new TerminatedEvent());
      return;
    }
    rt.terminate();
  }

  // ---- breakpoints ------------------------------------------------------------------------

  /** The program's source for a client Source: the .wat file by path, the disassembly by reference. */
  private programSource(source: DebugProtocol.Source): ProgramSource | undefined {
    const rt = this.runtime;
    if (!rt || rt.onV8) return undefined;
    const main = rt.program.mainSource;
    if (source.sourceReference) return rt.program.codeMap.sourceByRef(source.sourceReference);
    if (source.path && main.path && samePath(this.convertClientPathToDebugger(source.path), main.path)) return main;
    if (!source.path) return undefined;
    const clientPath = this.convertClientPathToDebugger(source.path);
    return rt.program.codeMap.sources.find((s) => s.path !== undefined && samePath(s.path, clientPath))
      ?? rt.program.locations.dwarfSource(clientPath);
  }

  private sourceKey(source: DebugProtocol.Source): string {
    return source.path ? path.resolve(source.path) : `ref:${source.sourceReference ?? 0}`;
  }

  private newIds(n: number): number[] {
    return Array.from({ length: n }, () => this.nextBreakpointId++);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const ids = this.newIds((args.breakpoints ?? args.lines ?? []).length);
    this.lineRequests.set(this.sourceKey(args.source), { args, ids });
    response.body = { breakpoints: this.bindLineBreakpoints(args, ids) };
    this.sendResponse(response);
  }

  private bindLineBreakpoints(args: DebugProtocol.SetBreakpointsArguments, ids: number[]): DebugProtocol.Breakpoint[] {
    const requests: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const rt = this.runtime;
    const source = this.programSource(args.source);
    if (!rt || !source || this.noDebug) {
      const message = this.noDebug ? 'Running without debugging.' : rt ? 'This file is not part of the program being debugged.' : 'The program is not loaded.';
      return requests.map((r, i) => ({ id: ids[i], verified: false, line: r.line, message }));
    }
    const bound = rt.setLineBreakpoints(source, this.sourceKey(args.source), requests.map((r, i) => ({
      id: ids[i]!,
      line: this.convertClientLineToDebugger(r.line),
      column: r.column === undefined ? undefined : this.convertClientColumnToDebugger(r.column),
      condition: r.condition,
      hitCondition: r.hitCondition,
      logMessage: r.logMessage,
    })));
    return bound.map((b) => this.toProtocolBreakpoint(b));
  }

  private toProtocolBreakpoint(b: BoundBreakpoint): DebugProtocol.Breakpoint {
    const bp: DebugProtocol.Breakpoint = new Breakpoint(b.verified);
    bp.id = b.id;
    if (b.message) bp.message = b.message;
    if (b.location) {
      bp.source = this.toProtocolSource(b.location.source);
      bp.line = this.convertDebuggerLineToClient(b.location.line);
      bp.column = this.convertDebuggerColumnToClient(b.location.column);
    }
    if (b.offset !== undefined) bp.instructionReference = hexAddress(b.offset);
    return bp;
  }

  protected override breakpointLocationsRequest(response: DebugProtocol.BreakpointLocationsResponse, args: DebugProtocol.BreakpointLocationsArguments): void {
    const source = this.programSource(args.source);
    const rt = this.runtime;
    const out: DebugProtocol.BreakpointLocation[] = [];
    if (rt && source) {
      const first = this.convertClientLineToDebugger(args.line);
      const last = args.endLine === undefined ? first : this.convertClientLineToDebugger(args.endLine);
      for (let l = first; l <= last; l++) {
        for (const loc of rt.program.codeMap.locationsOn(source, l)) {
          out.push({ line: this.convertDebuggerLineToClient(loc.line), column: this.convertDebuggerColumnToClient(loc.column) });
        }
      }
    }
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const ids = this.newIds(args.breakpoints.length);
    this.functionRequest = { args, ids };
    response.body = { breakpoints: this.bindFunctionBreakpoints(args, ids) };
    this.sendResponse(response);
  }

  private bindFunctionBreakpoints(args: DebugProtocol.SetFunctionBreakpointsArguments, ids: number[]): DebugProtocol.Breakpoint[] {
    const rt = this.runtime;
    if (!rt || this.noDebug) return args.breakpoints.map((_, i) => ({ id: ids[i], verified: false, message: rt ? 'Running without debugging.' : 'The program is not loaded.' }));
    return rt.setFunctionBreakpoints(args.breakpoints.map((b, i) => ({ ...b, id: ids[i]! }))).map((b) => this.toProtocolBreakpoint(b));
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    const ids = this.newIds(args.breakpoints.length);
    this.instructionRequest = { args, ids };
    response.body = { breakpoints: this.bindInstructionBreakpoints(args, ids) };
    this.sendResponse(response);
  }

  private bindInstructionBreakpoints(args: DebugProtocol.SetInstructionBreakpointsArguments, ids: number[]): DebugProtocol.Breakpoint[] {
    const rt = this.runtime;
    if (!rt || this.noDebug) return args.breakpoints.map((_, i) => ({ id: ids[i], verified: false, message: rt ? 'Running without debugging.' : 'The program is not loaded.' }));
    return rt.setInstructionBreakpoints(args.breakpoints.map((b, i) => ({ ...b, id: ids[i]! }))).map((b) => this.toProtocolBreakpoint(b));
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    const on = (id: string): boolean => args.filters.includes(id) || (args.filterOptions ?? []).some((f) => f.filterId === id);
    this.breakOnTrap = on('trap');
    this.breakOnCaught = on('caught');
    this.breakOnUncaught = on('uncaught');
    if (this.runtime && !this.runtime.onV8) this.applyExceptionFilters(this.runtime);
    response.body = { breakpoints: [] };
    this.sendResponse(response);
  }

  private applyExceptionFilters(rt: WasmRuntime): void {
    if (rt.onV8) return;
    const debug = !this.noDebug;
    rt.setExceptionFilters({ trap: this.breakOnTrap && debug, caught: this.breakOnCaught && debug, uncaught: this.breakOnUncaught && debug });
  }

  protected override exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse): void {
    const thrown = this.runtime?.thrown;
    if (thrown) {
      const stack = this.runtime?.stack().map((f) => `  at ${f.name} (${hexAddress(f.offset)})`).join('\n');
      const what = describeThrown(thrown);
      response.body = {
        exceptionId: thrown.tag,
        description: thrown.caught ? `Exception ${what}, caught by a handler` : `Uncaught exception ${what}`,
        breakMode: thrown.caught ? 'always' : 'unhandled',
        details: { message: what, typeName: `WebAssembly exception (tag ${thrown.tag})`, stackTrace: stack },
      };
      this.sendResponse(response);
      return;
    }
    const message = this.runtime?.trapMessage;
    if (message === undefined) {
      this.sendErrorResponse(response, 2001, 'No trap to describe: the program is not stopped on a trap.');
      return;
    }
    const panic = this.runtime?.panic;
    const stackTrace = this.runtime?.stack().map((f) => `  at ${f.name} (${hexAddress(f.offset)})`).join('\n');
    response.body = panic
      ? {
        exceptionId: panic.kind,
        description: panic.location ? `${panic.message} (at ${panic.location})` : panic.message,
        breakMode: 'always',
        details: { message: panic.message, typeName: PANIC_TYPE_NAMES[panic.kind], fullTypeName: `${PANIC_TYPE_NAMES[panic.kind]} (WebAssembly trap: ${message})`, stackTrace },
      }
      : {
        exceptionId: 'trap',
        description: message,
        breakMode: 'always',
        details: { message, typeName: 'WebAssembly trap', stackTrace },
      };
    this.sendResponse(response);
  }

  // ---- execution control ------------------------------------------------------------------

  /** Runs `f` on a runtime that is stopped; otherwise answers with an error. */
  private whenStopped(response: DebugProtocol.Response, f: (rt: WasmRuntime) => void): void {
    const rt = this.runtime;
    if (!rt || rt.hasEnded) {
      this.sendErrorResponse(response, 2002, 'The program is not running.');
      return;
    }
    if (!rt.isStopped) {
      this.sendErrorResponse(response, 2003, 'The program is running; pause it first.');
      return;
    }
    // The response goes first; the runtime reports the stop (or exit) later, as an event.
    this.sendResponse(response);
    this.resetHandles();
    f(rt);
  }

  // Each Wasm thread (wasi-threads) is a DAP thread: main is 1, the thread with tid N is N + 1.
  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const listed = this.runtime && !this.runtime.hasEnded ? this.runtime.program.target.threads?.() : undefined;
    response.body = { threads: (listed ?? [{ id: 0, name: 'main' }]).map((t) => new Thread(dapThread(t.id), t.name)) };
    this.sendResponse(response);
  }

  /** Inspection and steps apply to the thread the client names. */
  private selectThread(threadId: number | undefined): void {
    if (threadId !== undefined) this.runtime?.program.target.selectThread?.(threadId - THREAD_ID);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.whenStopped(response, (rt) => rt.continue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.whenStopped(response, (rt) => {
      this.selectThread(args.threadId);
      rt.step('over', granularity(args.granularity));
    });
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.whenStopped(response, (rt) => {
      this.selectThread(args.threadId);
      rt.step('in', granularity(args.granularity));
    });
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): void {
    this.whenStopped(response, (rt) => {
      this.selectThread(args.threadId);
      rt.step('out', granularity(args.granularity));
    });
  }

  // ---- data breakpoints ---------------------------------------------------------------------

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const rt = this.runtime;
    let place: WatchPlace | undefined;
    let why = 'Only mutable globals, locals, mutable struct fields, elements of mutable arrays and memory can be watched.';
    if (rt && !rt.hasEnded) {
      try {
        if (args.asAddress === true) place = { kind: 'memory', address: rt.addressOf(args.name), length: Math.max(1, args.bytes ?? 1) };
        else if (args.variablesReference !== undefined && args.variablesReference !== 0) place = this.variables.watchPlace(rt, args.variablesReference, args.name);
        else place = rt.watchPlaceOf(args.name, args.bytes);
      } catch (err) {
        why = messageOf(err);
      }
    } else why = 'The program is not running.';
    response.body = place
      ? { dataId: JSON.stringify(place), description: placeName(place), accessTypes: ['write', 'read', 'readWrite'], canPersist: false }
      : { dataId: null, description: why };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    const rt = this.runtime;
    const ids = this.newIds(args.breakpoints.length);
    const watches: Watch[] = [];
    const out: DebugProtocol.Breakpoint[] = args.breakpoints.map((b, i) => {
      const id = ids[i]!;
      let place: WatchPlace;
      try {
        place = JSON.parse(b.dataId) as WatchPlace;
      } catch {
        return { id, verified: false, message: `unknown data breakpoint ${b.dataId}` };
      }
      if (!rt || this.noDebug) return { id, verified: false, message: rt ? 'Running without debugging.' : 'The program is not loaded.' };
      watches.push({ id, place, access: b.accessType ?? 'write' });
      return { id, verified: true, message: placeName(place) };
    });
    rt?.setDataBreakpoints(watches);
    response.body = { breakpoints: out };
    this.sendResponse(response);
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    if (this.runtime && !this.runtime.hasEnded && !this.runtime.canGoBack) {
      this.sendErrorResponse(response, 2010, 'Step Back needs the recording: "timeTravel" is false in the launch configuration.');
      return;
    }
    this.whenStopped(response, (rt) => rt.stepBack(granularity(args.granularity)));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    if (this.runtime && !this.runtime.hasEnded && !this.runtime.canGoBack) {
      this.sendErrorResponse(response, 2010, 'Reverse Continue needs the recording: "timeTravel" is false in the launch configuration.');
      return;
    }
    this.whenStopped(response, (rt) => rt.reverseContinue());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response);
    this.runtime?.pause();
  }

  // ---- state ------------------------------------------------------------------------------

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): void {
    const rt = this.runtime;
    if (!rt || !rt.isStopped) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    this.selectThread(args.threadId);
    const thread = rt.program.target.selectedThread?.() ?? 0;
    const all = rt.stack();
    const start = args.startFrame ?? 0;
    const count = args.levels ? args.levels : all.length;
    const frames = all.slice(start, start + count).map((f) => {
      const id = this.frameHandles.create({ index: f.index, inlineDepth: f.inlineDepth, thread });
      // A tail call shows where the frame it replaced was, marked.
      const name = f.tailCallOf !== undefined ? `${f.name} (tail call from ${rt.program.funcName(f.tailCallOf)})` : f.name;
      const frame: DebugProtocol.StackFrame = new StackFrame(id, name);
      if (f.location) {
        frame.source = this.toProtocolSource(f.location.source);
        frame.line = this.convertDebuggerLineToClient(f.location.range.line);
        frame.column = this.convertDebuggerColumnToClient(f.location.range.column);
        frame.endLine = this.convertDebuggerLineToClient(f.location.range.endLine);
        frame.endColumn = this.convertDebuggerColumnToClient(f.location.range.endColumn);
      } else {
        frame.line = 0;
        frame.column = 0;
        frame.presentationHint = 'subtle';
      }
      // Below a panic the user's frame is the one to look at: VS Code selects the first frame
      // that is neither subtle nor deemphasized, so the runtime's machinery above it is both.
      if (f.runtimeMachinery) {
        frame.presentationHint = 'subtle';
        if (frame.source) frame.source.presentationHint = 'deemphasize';
      }
      frame.instructionPointerReference = hexAddress(f.offset);
      return frame;
    });
    response.body = { stackFrames: frames, totalFrames: all.length };
    this.sendResponse(response);
  }

  private toProtocolSource(source: ProgramSource): DebugProtocol.Source {
    if (source.ref !== undefined) {
      const s: DebugProtocol.Source = new Source(source.name, undefined, source.ref, 'disassembly');
      s.presentationHint = 'deemphasize';
      return s;
    }
    return new Source(source.name, source.path ? this.convertDebuggerPathToClient(source.path) : undefined);
  }

  protected override sourceRequest(response: DebugProtocol.SourceResponse, args: DebugProtocol.SourceArguments): void {
    const ref = args.source?.sourceReference ?? args.sourceReference;
    const generated = ref ? this.runtime?.program.codeMap.sourceByRef(ref) : undefined;
    if (generated?.content) {
      response.body = { content: generated.content(), mimeType: 'text/x-wasm' };
      this.sendResponse(response);
      return;
    }
    this.sendErrorResponse(response, 2004, 'Unknown source.');
  }

  /** The Wasm frame and inline depth a client frame id stands for (the top one when absent or stale). */
  private frameOf(frameId: number | undefined): { index: number; inlineDepth: number } {
    const f = frameId === undefined ? undefined : this.frameHandles.get(frameId);
    // A frame of another thread: inspect that thread.
    if (f !== undefined) this.runtime?.program.target.selectThread?.(f.thread);
    return f ?? { index: 0, inlineDepth: 0 };
  }

  private frameIndex(frameId: number | undefined): number {
    return this.frameOf(frameId).index;
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    const rt = this.runtime;
    if (!rt || !rt.isStopped) {
      response.body = { scopes: [] };
      this.sendResponse(response);
      return;
    }
    response.body = { scopes: this.variables.scopes(rt, this.frameOf(args.frameId)).map((s) => {
      const scope: DebugProtocol.Scope = new Scope(s.name, s.reference, s.expensive);
      scope.presentationHint = s.hint;
      if (s.count !== undefined) scope.namedVariables = s.count;
      return scope;
    }) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const rt = this.runtime;
    response.body = { variables: rt && rt.isStopped ? this.variables.list(rt, args.variablesReference, args.start, args.count) : [] };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    const rt = this.runtime;
    if (!rt || !rt.isStopped) {
      this.sendErrorResponse(response, 2003, 'The program must be stopped to change a value.');
      return;
    }
    try {
      const v = this.variables.set(rt, args.variablesReference, args.name, args.value);
      response.body = v;
      this.sendResponse(response);
      // A C variable may alias memory other views show; the Wasm ones change only themselves.
      if (this.runtime?.program.locations.dwarf) this.refreshViews();
    } catch (err) {
      this.sendErrorResponse(response, { id: 2005, format: messageOf(err), showUser: false });
    }
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    const rt = this.runtime;
    if (rt && !rt.hasEnded && !rt.isStopped && (args.context === 'repl' || args.context === undefined)) {
      // While the program runs or waits for input, console lines are its standard input.
      rt.feedStdin(args.expression);
      response.body = { result: '', variablesReference: 0 };
      this.sendResponse(response);
      return;
    }
    const input = rt && !rt.hasEnded && args.context === 'repl' ? stdinLine(args.expression) : undefined;
    if (rt && input !== undefined) {
      // Stopped, the console evaluates; `> text` (or `^D` for end of input) is queued for stdin.
      rt.feedStdin(input);
      response.body = { result: input === '^D' ? 'stdin: end of input queued' : `stdin: queued ${JSON.stringify(`${input}\n`)}`, variablesReference: 0 };
      this.sendResponse(response);
      return;
    }
    if (!rt || !rt.isStopped) {
      this.sendErrorResponse(response, { id: 2006, format: 'Expressions can be evaluated when the program is stopped.', showUser: false });
      return;
    }
    try {
      // With DWARF, C/C++/Rust places (`p.x`, `v[2]`, `*ptr`) come back typed, with their children.
      const frame = this.frameOf(args.frameId);
      const r = rt.evaluate(args.expression, frame.index, frame.inlineDepth);
      if (r.kind === 'place') {
        const v = this.variables.sourceVariable({ ...r.place.source, name: args.expression.trim() }, frame.index, rt, args.expression.trim());
        response.body = { result: v.value, type: v.type, variablesReference: v.variablesReference, memoryReference: v.memoryReference };
      } else if (r.kind === 'value' && r.address !== undefined) {
        // `&x`: the address, which the Memory view opens
        response.body = { result: renderResult(r), type: 'address', variablesReference: 0, memoryReference: hexAddress(r.address) };
      } else if (r.kind === 'bytes') {
        response.body = { result: args.context === 'repl' ? `\n${hexDump(r.address, r.bytes)}` : `${r.bytes.length} bytes at ${hexAddress(r.address)}`, variablesReference: 0, memoryReference: hexAddress(r.address) };
      } else {
        const shown = this.variables.describe(rt, r.value, args.expression, undefined, this.variables.staticTypeOf(rt, frame.index, args.expression));
        response.body = { result: shown.value, type: shown.type, variablesReference: shown.variablesReference, memoryReference: shown.memoryReference };
      }
      this.sendResponse(response);
    } catch (err) {
      this.sendErrorResponse(response, { id: 2007, format: messageOf(err), showUser: false });
    }
  }

  protected override completionsRequest(response: DebugProtocol.CompletionsResponse, args: DebugProtocol.CompletionsArguments): void {
    const rt = this.runtime;
    const column = this.convertClientColumnToDebugger(args.column);
    const before = args.text.slice(0, column);
    const word = /[$A-Za-z_][\w.$]*$/.exec(before)?.[0] ?? '';
    const names = rt && rt.isStopped ? this.variables.completionNames(rt, this.frameOf(args.frameId)) : [];
    const keywords = ['local', 'global', 'stack[0]', 'mem[', 'i32.load', 'i64.load', 'f32.load', 'f64.load', 'i32.load8_u', 'i32.load8_s', 'i32.load16_u', 'i32.load16_s', 'v128.load'];
    const seen = new Set<string>();
    const targets: DebugProtocol.CompletionItem[] = [];
    for (const [label, type] of [...names, ...keywords.map((k) => [k, 'keyword'] as const)]) {
      if (!label.startsWith(word) || label === word || seen.has(label)) continue;
      seen.add(label);
      targets.push({ label, type, start: this.convertDebuggerColumnToClient(column - word.length), length: word.length });
    }
    response.body = { targets };
    this.sendResponse(response);
  }

  // ---- memory and disassembly -------------------------------------------------------------

  /** The memory a reference names and the address in it (multi-memory: `memory N @ 0x…`). */
  private memoryOf(ref: string): { mem: Uint8Array | undefined; base: number | undefined; is64: boolean; error: string } {
    const parsed = parseMemoryReference(ref);
    const target = this.runtime && !this.runtime.onV8 && !this.runtime.hasEnded ? this.runtime.program.target : undefined;
    const index = parsed?.memory ?? 0;
    const mem = target?.memory(index);
    const error = !parsed ? `Bad memory reference '${ref}'.` : index === 0 ? 'The module has no memory.' : `The module has no memory ${index}.`;
    return { mem, base: parsed?.address, is64: target?.memoryIs64?.(index) === true, error };
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const { mem, base, is64, error } = this.memoryOf(args.memoryReference);
    if (!mem || base === undefined) {
      this.sendErrorResponse(response, 2008, error);
      return;
    }
    // Linear memory starts at 0: a window reaching below it begins at 0 instead.
    const requested = base + (args.offset ?? 0);
    const start = Math.max(0, requested);
    const count = Math.max(0, args.count - (start - requested));
    const from = Math.min(start, mem.length);
    const to = Math.min(start + count, mem.length);
    response.body = {
      address: addressText(start, is64),
      data: Buffer.from(mem.subarray(from, to)).toString('base64'),
      // Bytes past the end of memory are unreadable, so the hex view greys them out.
      unreadableBytes: count - (to - from),
    };
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const rt = this.runtime;
    const { mem, base, error } = this.memoryOf(args.memoryReference);
    if (!rt || !mem || base === undefined) {
      this.sendErrorResponse(response, 2008, error);
      return;
    }
    const data = Buffer.from(args.data, 'base64');
    const start = base + (args.offset ?? 0);
    if (start < 0 || start + data.length > mem.length) {
      if (args.allowPartial && start >= 0 && start < mem.length) {
        const n = mem.length - start;
        mem.set(data.subarray(0, n), start);
        rt?.program.target.memoryChanged?.();
        response.body = { offset: args.offset ?? 0, bytesWritten: n };
        this.sendResponse(response);
        return;
      }
      this.sendErrorResponse(response, 2009, `Writing ${data.length} bytes at ${hexAddress(start)} would go past the end of memory (${mem.length} bytes).`);
      return;
    }
    mem.set(data, start);
    rt?.program.target.memoryChanged?.();
    response.body = { offset: args.offset ?? 0, bytesWritten: data.length };
    this.sendResponse(response);
    this.refreshViews();
  }

  /** After a write: variables (C ones live in memory) and watches show what is there now. */
  private refreshViews(): void {
    if (!this.clientRefreshes) return;
    // Frames stay as they are (the client keeps their ids); variable handles are handed out afresh.
    this.variables.reset();
    this.sendEvent(new InvalidatedEvent(['variables']));
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const rt = this.runtime;
    const base = parseAddress(args.memoryReference);
    if (!rt || base === undefined) {
      this.sendErrorResponse(response, 2010, `Bad instruction reference '${args.memoryReference}'.`);
      return;
    }
    const count = Math.min(MAX_DISASSEMBLY_ROWS, Math.max(0, Math.floor(Number(args.instructionCount)) || 0));
    const rows = rt.program.codeMap.instructionsAround(base + (args.offset ?? 0), args.instructionOffset ?? 0, count);
    const out: DebugProtocol.DisassembledInstruction[] = [];
    let lastSourceKey: string | undefined;
    let prev: Instruction | undefined;
    for (const { ins, address } of rows) {
      if (!ins) {
        // Outside the code section: the view still needs a row per requested slot.
        out.push({ address: hexAddress(address), instruction: '', presentationHint: 'invalid' });
        prev = undefined;
        continue;
      }
      const d: DebugProtocol.DisassembledInstruction = {
        address: hexAddress(ins.offset),
        instruction: ins.text,
        instructionBytes: bytesHex(rt.program.bytes, ins.offset, ins.end),
      };
      if (!prev || prev.funcIndex !== ins.funcIndex) d.symbol = rt.program.funcName(ins.funcIndex);
      prev = ins;
      const m = rt.program.locations.position(ins.offset);
      if (m) {
        const key = m.source.path ?? m.source.name;
        if (key !== lastSourceKey) d.location = this.toProtocolSource(m.source);
        lastSourceKey = key;
        d.line = this.convertDebuggerLineToClient(m.range.line);
        d.column = this.convertDebuggerColumnToClient(m.range.column);
        d.endLine = this.convertDebuggerLineToClient(m.range.endLine);
        d.endColumn = this.convertDebuggerColumnToClient(m.range.endColumn);
      }
      out.push(d);
    }
    response.body = { instructions: out };
    this.sendResponse(response);
  }
}

export function hexAddress(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

function bytesHex(bytes: Uint8Array, start: number, end: number): string {
  return [...bytes.subarray(start, Math.min(end, start + 24))].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** The DAP thread id of Wasm thread `id` (0 = main). */
function dapThread(id: number): number {
  return id + THREAD_ID;
}

function granularity(g: DebugProtocol.SteppingGranularity | undefined): 'line' | 'instruction' {
  return g === 'instruction' ? 'instruction' : 'line';
}

function samePath(a: string, b: string): boolean {
  const na = path.resolve(a);
  const nb = path.resolve(b);
  return process.platform === 'win32' || process.platform === 'darwin' ? na.toLowerCase() === nb.toLowerCase() : na === nb;
}


/** A console line meant for the program's stdin while it is stopped: `> text`, or `^D` alone. */
function stdinLine(expression: string): string | undefined {
  if (expression.trim() === '^D') return '^D';
  if (expression.startsWith('>')) return expression.slice(expression.startsWith('> ') ? 2 : 1);
  return undefined;
}
