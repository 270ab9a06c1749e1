// Public surface of the component model: decode, validate, the WIT view, instantiate and run.
export { decodeComponent, isComponent, COMPONENT_VERSION } from './decode';
export { validateComponent, type ComponentInfo, type ValidateOptions } from './validate';
export type * from './types';
export type { Component } from './model';
export { describeWorld, formatWit, interfaceShortName, type WorldView, type WitItem, type WitFunction, type WitTypeDef, type CoreModuleView } from './wit';
export { prepareCommand, runExportName, runStatus, type CommandRun } from './command';
export {
  instantiateComponent, prepareLifted, callCore, findExportFunc,
  type ComponentInstance, type ComponentFunc, type HostImports, type HostInterface, type HostFunc, type PreparedCall, type ComponentEngineOptions, type LoweredCall,
} from './instantiate';
