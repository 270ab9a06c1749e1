// The checker shared by the language server and `wasmscope check`: wabt's parser and validator over our positions.
export { checkDocument, type CheckOptions, type DocumentLanguage } from './check-document';
export { checkWat, type Placement } from './check-wat';
export { checkWasm } from './check-binary';
export { DEFAULT_FEATURES, FEATURE_NAMES, featureFlagName, featuresFromSettings, toWabtFeatures, wabtOptions, type FeatureName, type Features } from './features';
export { loadWabt, type Wabt } from './wabt-loader';
export type { CheckDiagnostic, CheckPosition, CheckRange } from './types';
export { missingExports, type MissingExport } from './script-exports';
