// What the status item says for each language-server state; pure so it is tested without VS Code.

export type ServerState =
  | { kind: 'starting' }
  | { kind: 'running'; version?: string; detail?: string }
  | { kind: 'stopped' }
  | { kind: 'failed'; error: string };

export interface StatusView {
  text: string;
  tooltip: string;
  /** True when the item should draw attention (error background). */
  error: boolean;
  /** The command a click runs. */
  command: string;
}

/** The one description of the status item; `renderStatus` in status.ts applies it. */
export function describeStatus(state: ServerState): StatusView {
  switch (state.kind) {
    case 'starting':
      return { text: '$(sync~spin) Wasm', tooltip: 'Wasmscope: the language server is starting', error: false, command: 'wasmscope.showServerOutput' };
    case 'running': {
      const lines = [`Wasmscope: the language server is running${state.version ? ` (${state.version})` : ''}`];
      if (state.detail) lines.push(state.detail);
      lines.push('Click to show its output.');
      return { text: '$(check) Wasm', tooltip: lines.join('\n'), error: false, command: 'wasmscope.showServerOutput' };
    }
    case 'stopped':
      return { text: '$(debug-stop) Wasm', tooltip: 'Wasmscope: the language server is stopped. Click to restart it.', error: false, command: 'wasmscope.restartServer' };
    case 'failed':
      return {
        text: '$(error) Wasm',
        tooltip: `Wasmscope: the language server failed: ${state.error}\nClick to restart it.`,
        error: true,
        command: 'wasmscope.restartServer',
      };
  }
}
