// Every command the extension contributes; commands.ts must handle each (the type checks it) and a
// test checks this list against package.json.
export const COMMAND_IDS = [
  'wasmscope.restartServer',
  'wasmscope.showServerOutput',
  'wasmscope.run',
  'wasmscope.debug',
  'wasmscope.runExport',
  'wasmscope.debugExport',
  'wasmscope.convertToWat',
  'wasmscope.convertToWasm',
  'wasmscope.refreshModuleTree',
  'wasmscope.revealModuleItem',
  'wasmscope.openWasmAsDisassembly',
] as const;

export type CommandId = (typeof COMMAND_IDS)[number];
