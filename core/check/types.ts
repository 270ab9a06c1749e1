// What a check reports: plain data in core's position convention (0-based line, UTF-16 character).

export interface CheckPosition {
  line: number;
  character: number;
}

export interface CheckRange {
  start: CheckPosition;
  end: CheckPosition;
}

export interface CheckDiagnostic {
  range: CheckRange;
  message: string;
  severity: 'error' | 'warning' | 'information';
  /** `wabt` for wabt's parser and validator; `wasmscope` for our own parser's messages. */
  source: 'wabt' | 'wasmscope';
  /** Byte offset into a binary module, for diagnostics on `.wasm` input (range is then 0:0). */
  offset?: number;
}
