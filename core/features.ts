// The one feature set: the WebAssembly proposals, named once for the settings, the CLI, wabt, and
// the engine's decoder, validator and interpreter.
import { DecodeError } from './errors';

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

/** How messages name each feature: `tail calls are disabled: return_call at 0x1a3`. */
export const FEATURE_TITLES: Readonly<Record<FeatureName, string>> = {
  exceptions: 'exception handling',
  mutableGlobals: 'mutable globals',
  satFloatToInt: 'non-trapping float-to-int conversions',
  signExtension: 'sign-extension operators',
  simd: 'SIMD',
  threads: 'threads',
  functionReferences: 'typed function references',
  multiValue: 'multiple values',
  tailCall: 'tail calls',
  bulkMemory: 'bulk memory operations',
  referenceTypes: 'reference types',
  annotations: 'custom annotations',
  codeMetadata: 'code metadata',
  gc: 'garbage collection',
  memory64: 'memory64',
  multiMemory: 'multiple memories',
  extendedConst: 'extended constant expressions',
  relaxedSimd: 'relaxed SIMD',
};

/** A module uses a feature that is switched off. A DecodeError (the module is rejected before it
 * is validated) whose message names the feature, the instruction or section, and its byte offset. */
export class FeatureError extends DecodeError {
  override name = 'FeatureError';
  constructor(readonly feature: FeatureName, readonly what: string, offset: number) {
    super(`${FEATURE_TITLES[feature]} ${FEATURE_TITLES[feature].endsWith('s') ? 'are' : 'is'} disabled: ${what} at 0x${offset.toString(16)}`, offset);
    this.message = this.reason;
  }
}

/** Throws a FeatureError when `name` is off in `features`; `what` names the instruction or section. */
export function requireFeature(features: Readonly<Record<FeatureName, boolean>>, name: FeatureName, what: string, offset: number): void {
  if (!features[name]) throw new FeatureError(name, what, offset);
}

/** Reads a feature name as the CLI and settings write it: `tailCall`, `tail-call` or `tail_call`. */
export function featureByName(text: string): FeatureName | undefined {
  const camel = text.replace(/[-_]([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return (FEATURE_NAMES as readonly string[]).includes(camel) ? (camel as FeatureName) : undefined;
}
