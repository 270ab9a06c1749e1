// The one feature set: the WebAssembly proposals, named once for the settings, the CLI, wabt, and
// the engine's decoder, validator and interpreter.

/** Feature names as users write them (settings `wasmscope.features.<name>`, CLI `--enable-<kebab-name>`). */
export const FEATURE_NAMES = [
  'exceptions',
  'mutableGlobals',
  'satFloatToInt',
  'signExtension',
  'simd',
  'threads',
  'functionReferences',
  'multiValue',
  'tailCall',
  'bulkMemory',
  'referenceTypes',
  'annotations',
  'codeMetadata',
  'gc',
  'memory64',
  'multiMemory',
  'extendedConst',
  'relaxedSimd',
] as const;

export type FeatureName = (typeof FEATURE_NAMES)[number];

/** Which proposals are on; a missing entry takes wabt's default (Wasm 2.0 on, later proposals off). */
export type Features = Partial<Record<FeatureName, boolean>>;

/** The engine's defaults: all of Wasm 3.0 (and threads) is on. */
export const ENGINE_DEFAULT_FEATURES: Readonly<Record<FeatureName, boolean>> = {
  exceptions: true,
  mutableGlobals: true,
  satFloatToInt: true,
  signExtension: true,
  simd: true,
  threads: true,
  functionReferences: true,
  multiValue: true,
  tailCall: true,
  bulkMemory: true,
  referenceTypes: true,
  annotations: true,
  codeMetadata: false,
  gc: true,
  memory64: true,
  multiMemory: true,
  extendedConst: true,
  relaxedSimd: true,
};

/** The full set the engine runs with: `features` over the engine's defaults. */
export function resolveFeatures(features: Features = {}): Readonly<Record<FeatureName, boolean>> {
  return { ...ENGINE_DEFAULT_FEATURES, ...features };
}

/** wabt's defaults, so `describe` and the CLI can say what is on without loading wabt. */
export const DEFAULT_FEATURES: Readonly<Record<FeatureName, boolean>> = {
  exceptions: false,
  mutableGlobals: true,
  satFloatToInt: true,
  signExtension: true,
  simd: true,
  threads: false,
  functionReferences: false,
  multiValue: true,
  tailCall: false,
  bulkMemory: true,
  referenceTypes: true,
  annotations: false,
  codeMetadata: false,
  gc: false,
  memory64: false,
  multiMemory: false,
  extendedConst: false,
  relaxedSimd: false,
};

/** `tailCall` → `tail_call`: wabt.js spells its options in snake case. */
export function toWabtFeatures(features: Features): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const name of FEATURE_NAMES) {
    const on = features[name];
    if (on !== undefined) out[name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = on;
  }
  return out;
}

/** `tailCall` → `tail-call`, the spelling of wat2wasm's `--enable-tail-call`. */
export function featureFlagName(name: FeatureName): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** Reads feature flags from an untrusted settings object, keeping only booleans with known names. */
export function featuresFromSettings(value: unknown): Features {
  const out: Features = {};
  if (typeof value !== 'object' || value === null) return out;
  const record = value as Record<string, unknown>;
  for (const name of FEATURE_NAMES) {
    const v = record[name];
    if (typeof v === 'boolean') out[name] = v;
  }
  return out;
}
