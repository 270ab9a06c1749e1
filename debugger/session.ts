// The DAP session: maps requests and events to the core interpreter.
import { DebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

export class WasmDebugSession extends DebugSession {
  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = { ...response.body, supportsConfigurationDoneRequest: true };
    this.sendResponse(response);
  }

  protected override launchRequest(response: DebugProtocol.LaunchResponse): void {
    this.sendErrorResponse(response, 1001, 'Wasmscope: launching programs is not available in this build yet');
  }
}
