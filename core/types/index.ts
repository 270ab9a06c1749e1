// The type layer: value/reference/heap types, defined types with canonical ids, subtyping.
export * from './value-types';
export * from './def-types';
export * from './subtyping';
