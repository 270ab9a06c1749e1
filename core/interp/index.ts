// Public surface of the engine (see core/README.md, "Engine").
export { compileModule } from './compile';
export { instantiate, invoke } from './instantiate';
export { Machine, offsetAt, type RunResult, type FrameInfo, type LocalInfo, type MachinePoint, type Tracer } from './machine';
export { Recorder, captureHostCall, replayHostCall, siteSet, type Hit, type Site, type SiteSet, type HostWrites, type HostEntry } from './recorder';
export { Profiler, type CpuProfile, type ProfileSite } from './profiler';
export {
  WOULD_BLOCK, FuncInstance, MemoryInstance, TableInstance, GlobalInstance, Instance, PAGE_SIZE,
  type CompiledModule, type CompiledFunc, type EngineOptions, type Extern, type ImportValue, type Imports, type HostFunction,
} from './runtime';
export { TagInstance, ExceptionPackage } from './exceptions';
export { Store } from './store';
export { GcStruct, GcArray, I31Ref, structLayout, packWord, unpackWord } from './gc-objects';
export { readWords, writeWords } from './runtime';
export { ATOMIC_BLOCKED, type ThreadHooks } from './atomics';
export * from './values';
