// Reads Wasmscope's settings (feature flags, interpreter limits, adapter mode) in one place.
import * as vscode from 'vscode';
import { featuresFromSettings, type Features } from '../core/check/features';

export function readFeatures(scope?: vscode.ConfigurationScope): Features {
  return featuresFromSettings(vscode.workspace.getConfiguration('wasmscope', scope).get('features'));
}

export interface InterpreterLimits {
  maxCallDepth: number;
  maxMemoryPages: number;
}

export function readLimits(scope?: vscode.ConfigurationScope): InterpreterLimits {
  const config = vscode.workspace.getConfiguration('wasmscope.interpreter', scope);
  return { maxCallDepth: config.get('maxCallDepth', 10000), maxMemoryPages: config.get('maxMemoryPages', 16384) };
}

export type AdapterMode = 'inline' | 'process';

export function readAdapterMode(): AdapterMode {
  return vscode.workspace.getConfiguration('wasmscope.debug').get('adapter') === 'process' ? 'process' : 'inline';
}

export type RunEngine = 'auto' | 'v8' | 'interp';

/** wasmscope.run.engine: where Run Without Debugging runs (debugging always uses the interpreter). */
export function readRunEngine(scope?: vscode.ConfigurationScope): RunEngine {
  const v = vscode.workspace.getConfiguration('wasmscope.run', scope).get('engine');
  return v === 'v8' || v === 'interp' ? v : 'auto';
}
