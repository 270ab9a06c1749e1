// wabt's view of the feature set lives with the one feature set of the engine (core/features.ts).
export * from '../features';
