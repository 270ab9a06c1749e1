// Public API of the DWARF reader: source-level debug information for Wasm modules built by
// clang/rustc/emscripten. See README.md for the contract the debugger codes against.

export {
  readDwarf,
  DwarfInfo,
  type CompileUnitInfo,
  type FunctionAt,
  type InlineFrame,
  type Scope,
  type SourceFrame,
  type SourceFunction,
  type SourceVariable,
} from './dwarf-info';
export type { AddressRange } from './address-lists';
export type { LineBreakpoint, SourceLocation } from './line-index';
export {
  decodeExpression,
  evaluateLocation,
  formatExpression,
  readLocation,
  type EvaluateOptions,
  type Location,
  type WasmScalar,
  type WasmStateAccessor,
} from './location-expression';
export { PathMapper, matchPath, normalizePath } from './source-paths';
export { byteSizeOf, resolveType, typeName, type BaseEncoding, type DwarfType, type Member, type SourceLanguage, type VariantPart } from './types';
export {
  childSlots, formatValue, hasValueChildren, liveVariant, pointerTarget, summarize, valueChildren, valueLength, type ChildSlot, type FormatOptions,
} from './value-format';
export { FORMATTERS, findFormatter, type FormatContext, type NamedValue, type TypeFormatter, type TypedValue } from './formatters';
export { externalDebugInfoUrl, splitSections, type CustomSection, type SectionSplit } from './wasm-sections';
export { demangle, demangleItanium, demangleRustLegacy, demangleRustV0, displayName } from './demangle';
export { detectPanic, isRuntimeFrame, OutputTail, type PanicInfo } from './panics';
export { FunctionNameIndex, functionNameForms, functionPath, withoutGenerics } from './function-names';
