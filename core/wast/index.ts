// Public API of core/wast: run `.wast` spec scripts on the engine.
export { runWast, prepareWastInvoke, type SpecResult, type SpecFailure, type SpecOptions, type SpecOutcome, type WastInvoke, type WastEnd, type WastVerdict } from './runner';
export { createSpectest } from './spectest';
export { listWastTests, type WastTest } from './tests';
export { matches, toValue, ExternRefs, describeExpected, describeValue } from './expected-values';
