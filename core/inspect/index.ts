// Public surface of core/inspect: module summary, section table, disassembly with a line ↔ offset map.
export {
  disassemble, disassembleFunction, disassemblyChunks, openDisassembly, openDisassemblyAsync, openDisassemblyProgressive, lineOfOffset, instructionAtLine, constExprText, type Disassembly, type LazyDisassembly, type ProgressiveDisassembly, type AnchorKey, type DisassembleOptions,
  type FunctionListing,
} from './disassemble';
export { summarizeModule, formatSummary, type ModuleSummary } from './summary';
export { listSections, sectionName, type SectionInfo } from './sections';
export {
  funcTypeText, funcSignature, funcTypeIndex, importDescText, exportTargetText, globalTypeText, memoryTypeText, tableTypeText, limitsText, idText,
  subTypeText, recGroupOf,
} from './describe';
export { instructionText, f32Text, f64Text, i64Text } from './format-instruction';
