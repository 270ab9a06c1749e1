// core/wasi: wasi_snapshot_preview1 over an injected WasiIO (see core/README.md).
export { Wasi, type WasiOptions, type Preopen } from './host';
export { WasiExit } from './exit';
export { WASI_SIGNATURES, type WasiSignature, type WasiValType } from './signatures';
export { Errno, WasiError } from './errno';
export * from './abi';
export type { WasiIO, InputSource, OutputSink, Clock, ClockKind, RandomSource, WasiFileSystem, HostStat, HostHandle, HostOpenOptions } from './wasi-io';
export type { WasiMemory } from './guest-memory';
export { BufferSink, BufferSource, CallbackSink } from './buffer-io';
export { NodeFileSystem, FdSink, FdSource, nodeClock, nodeRandom, createNodeIO } from './node-io';
export { ThreadScheduler, WasmThread, usesWasiThreads, type ProgramResult, type SchedulerOptions, type ThreadState } from './threads';
