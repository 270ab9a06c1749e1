// The decoded module model: an immutable, plain-data view of a Wasm 2.0 binary. Function bodies
// stay as byte ranges into `bytes`; the validator/compiler and the disassembler read them with
// the shared instruction reader.
import type { FeatureName } from '../features';
import { formatType, isRef, type RecGroup, type SubType } from '../types';

/** Value types (core/types/value-types.ts has the encoding): the binary codes of the numeric,
 * vector and shorthand reference types are members; `(ref null? ht)` forms are other numbers
 * made by `refOf`. */
export const enum ValType {
  i32 = 0x7f,
  i64 = 0x7e,
  f32 = 0x7d,
  f64 = 0x7c,
  v128 = 0x7b,
  funcref = 0x70,
  externref = 0x6f,
  /** Exception references (exception handling): `exnref` = `(ref null exn)`. */
  exnref = 0x69,
  arrayref = 0x6a,
  structref = 0x6b,
  i31ref = 0x6c,
  eqref = 0x6d,
  anyref = 0x6e,
  nullref = 0x71,
  nullexternref = 0x72,
  nullfuncref = 0x73,
  nullexnref = 0x74,
}

/** A reference type (any ValType for which `isRefType` holds). */
export type RefType = ValType;

export interface FuncType {
  params: ValType[];
  results: ValType[];
  /** Set on the entries of struct and array types (GC), whose params and results are empty:
   * `Module.subTypes` has their fields. */
  kind?: 'struct' | 'array';
  /** The canonical type id, on the validator's (canonical) copies of the types. */
  id?: number;
}

export interface Limits {
  min: number;
  max?: number;
  /** memory64 / table64: addresses and sizes are i64 (limits flag bit 2). */
  i64?: boolean;
  /** threads: a shared memory (limits flag bit 1). */
  shared?: boolean;
}

export interface TableType {
  elemType: RefType;
  limits: Limits;
  /** Typed function references: `(table n (ref $t) expr)`, the initial value of every element. */
  init?: ConstExpr;
}

export interface MemoryType {
  limits: Limits;
}

export interface GlobalType {
  type: ValType;
  mutable: boolean;
}

export type ImportDesc =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; type: TableType }
  | { kind: 'memory'; type: MemoryType }
  | { kind: 'global'; type: GlobalType }
  | { kind: 'tag'; typeIndex: number };

export interface Import {
  module: string;
  name: string;
  desc: ImportDesc;
}

export type ExternKind = 'func' | 'table' | 'memory' | 'global' | 'tag';

export interface Export {
  name: string;
  kind: ExternKind;
  index: number;
}

/** A constant expression's byte range (without the final `end`'s successor). */
export interface ConstExpr {
  start: number;
  end: number;
}

/** A module-defined function (imported ones are in `imports`). */
export interface Func {
  typeIndex: number;
  /** Locals declared in the body (parameters excluded), expanded. */
  locals: ValType[];
  /** The body's instructions: [bodyStart, bodyEnd), ends with `end`. */
  bodyStart: number;
  bodyEnd: number;
  /** Start of the code entry (its size field), for disassemblers. */
  entryStart: number;
}

/** An exception tag (section 13): its type is a function type with no results. */
export interface Tag {
  typeIndex: number;
}

export interface Global {
  type: GlobalType;
  init: ConstExpr;
}

export type ElemMode =
  | { kind: 'passive' }
  | { kind: 'declarative' }
  | { kind: 'active'; table: number; offset: ConstExpr };

export interface Elem {
  type: RefType;
  mode: ElemMode;
  /** Either function indices (legacy forms) or constant expressions. */
  init: ConstExpr[] | number[];
  /** True when `init` holds function indices. */
  funcIndices: boolean;
  offset: number;
}

export type DataMode = { kind: 'passive' } | { kind: 'active'; memory: number; offset: ConstExpr };

export interface Data {
  mode: DataMode;
  /** Byte range of the data payload in `Module.bytes`. */
  start: number;
  end: number;
  offset: number;
}

export interface CustomSection {
  name: string;
  /** Payload range (after the name). */
  start: number;
  end: number;
}

export type NameMap = Map<number, string>;
export type IndirectNameMap = Map<number, NameMap>;

/** Contents of the `name` custom section (and the extended-name proposal's subsections). */
export interface Names {
  module?: string;
  functions: NameMap;
  locals: IndirectNameMap;
  labels: IndirectNameMap;
  types: NameMap;
  tables: NameMap;
  memories: NameMap;
  globals: NameMap;
  elems: NameMap;
  datas: NameMap;
  /** Struct field names by type index (extended-name subsection 10). */
  fields: IndirectNameMap;
  /** Tag names (extended-name subsection 11). */
  tags: NameMap;
}

export interface Module {
  bytes: Uint8Array;
  /** Function signatures by type index (struct/array entries carry `kind`). */
  types: FuncType[];
  /** Every type-section entry as written (composite type, final, supertypes), by type index. */
  subTypes: SubType[];
  /** The recursion groups, in order; a type outside `rec` is a group of one. */
  recGroups: RecGroup[];
  imports: Import[];
  funcs: Func[];
  tables: TableType[];
  memories: MemoryType[];
  globals: Global[];
  /** Module-defined tags (exception handling); imported ones are in `imports`. */
  tags: Tag[];
  exports: Export[];
  start?: number;
  elems: Elem[];
  datas: Data[];
  dataCount?: number;
  customSections: CustomSection[];
  names: Names;
  /** Counts of imports per kind; index spaces put imports first. */
  importedFuncs: number;
  importedTables: number;
  importedMemories: number;
  importedGlobals: number;
  importedTags: number;
  /** Function indices that appear outside function bodies (elem segments, exports, globals): ref.func may use them. */
  declaredFuncRefs: Set<number>;
  /** The feature set the module was decoded with (the validator and compiler read it by default). */
  features?: Readonly<Record<FeatureName, boolean>>;
  /** Decoded with `deferBodyCheck`: the bodies' structure (opcodes, immediates, block nesting, the
   * data count rule) is checked by the validator as it types them, not yet by the decoder. */
  bodiesUnchecked?: boolean;
}

export function valTypeName(t: ValType | number): string {
  return formatType(t);
}

export function isRefType(t: number): t is RefType {
  return isRef(t);
}

/** The type of function `index` of `module` (imported or defined), undefined when out of range. */
export function moduleFuncType(module: Module, index: number): FuncType | undefined {
  if (index < module.importedFuncs) {
    const imp = module.imports.filter((i) => i.desc.kind === 'func')[index];
    return imp?.desc.kind === 'func' ? module.types[imp.desc.typeIndex] : undefined;
  }
  const f = module.funcs[index - module.importedFuncs];
  return f ? module.types[f.typeIndex] : undefined;
}
