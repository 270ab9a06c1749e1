// The engine's version, reported by the CLI, the language server and the debug adapter.
export const WASMSCOPE_VERSION = '0.1.0';
