// Standalone entry of the Wasmscope debug adapter: the Debug Adapter Protocol over stdin/stdout.
import { DebugSession } from '@vscode/debugadapter';
import { WasmDebugSession } from './session';

DebugSession.run(WasmDebugSession);
