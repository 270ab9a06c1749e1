// Public surface of the component model: decode, validate, the WIT view, instantiate and run.
export { decodeComponent, isComponent, COMPONENT_VERSION } from './decode';
export { validateComponent, type ComponentInfo, type ValidateOptions } from './validate';
export type * from './types';
export type { Component } from './model';
export { componentToText, printComponent, type PrintOptions } from './print';
export { describeWorld, formatWit, interfaceShortName, type WorldView, type WitItem, type WitFunction, type WitTypeDef, type CoreModuleView } from './wit';
export { prepareCommand, prepareRun, runExportName, asyncRunExportName, runStatus, type CommandRun, type PreparedRun } from './command';
export { AsyncCall, type AsyncStep } from './async/lift';
export { AsyncRuntime, CANCELLED, Task, type HostPromise } from './async/runtime';
export { SharedStream, SharedFuture, HostSink, HostSource, CopyResult, ErrorContext } from './async/waitables';
export {
  instantiateComponent, prepareLifted, prepareAsyncLifted, callCore, findExportFunc,
  type ComponentInstance, type ComponentFunc, type HostImports, type HostInterface, type HostFunc, type PreparedCall, type ComponentEngineOptions, type LoweredCall,
} from './instantiate';
