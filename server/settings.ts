// The server's settings: read from `workspace/configuration` (section `wasmscope`), else from initializationOptions.
import { featuresFromSettings, type Features } from '../core/check/index';

export interface ServerSettings {
  /** `wasmscope.features.<name>`: which post-2.0 proposals wabt accepts. */
  features: Features;
  /** `wasmscope.diagnostics.enable`: set false to silence wabt's diagnostics entirely. */
  diagnosticsEnabled: boolean;
}

export const DEFAULT_SETTINGS: ServerSettings = { features: {}, diagnosticsEnabled: true };

/** Reads the `wasmscope` section (an untrusted JSON value from the client). */
export function settingsFromSection(section: unknown): ServerSettings {
  if (typeof section !== 'object' || section === null) return DEFAULT_SETTINGS;
  const record = section as Record<string, unknown>;
  const diagnostics = record.diagnostics as Record<string, unknown> | undefined;
  return {
    features: featuresFromSettings(record.features),
    diagnosticsEnabled: typeof diagnostics === 'object' && diagnostics !== null && diagnostics.enable === false ? false : true,
  };
}
