// The decoded component binary (Binary.md, layer 1, version 0x0d): every definition as written,
// with indices still unresolved. validate.ts turns it into index spaces of resolved types.
import type { Module } from '../binary/module';

/** Core sorts: the codes of core:externtype, plus type/module/instance for aliases. */
export type CoreSort = 'func' | 'table' | 'memory' | 'global' | 'tag' | 'type' | 'module' | 'instance';
/** Component sorts. */
export type Sort = { core: CoreSort } | 'func' | 'value' | 'type' | 'component' | 'instance';

export interface SortIdx {
  sort: Sort;
  index: number;
}
export interface CoreSortIdx {
  sort: CoreSort;
  index: number;
}

/** An import or export name (`wasi:cli/run@0.2.3`, `get-stdout`, `[method]descriptor.stat`). */
export interface ExternName {
  name: string;
  /** Byte offset of the name, for errors. */
  offset: number;
}

export type PrimValType =
  | 'bool' | 's8' | 'u8' | 's16' | 'u16' | 's32' | 'u32' | 's64' | 'u64' | 'f32' | 'f64' | 'char' | 'string'
  | 'error-context';

/** A value type as written: a primitive or a type index. */
export type ValTypeRef = { prim: PrimValType } | { index: number; offset: number };

export type DefValType =
  | { kind: 'prim'; prim: PrimValType }
  | { kind: 'record'; fields: { name: string; type: ValTypeRef }[] }
  | { kind: 'variant'; cases: { name: string; type: ValTypeRef | undefined }[] }
  | { kind: 'list'; elem: ValTypeRef; length?: number }
  | { kind: 'tuple'; elems: ValTypeRef[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; elem: ValTypeRef }
  | { kind: 'result'; ok: ValTypeRef | undefined; err: ValTypeRef | undefined }
  | { kind: 'own'; index: number }
  | { kind: 'borrow'; index: number }
  | { kind: 'stream'; elem: ValTypeRef | undefined }
  | { kind: 'future'; elem: ValTypeRef | undefined }
  | { kind: 'map'; key: ValTypeRef; value: ValTypeRef };

export interface FuncTypeDef {
  kind: 'func';
  async: boolean;
  params: { name: string; type: ValTypeRef }[];
  result: ValTypeRef | undefined;
}

export type ExternDesc =
  | { kind: 'module'; typeIndex: number }
  | { kind: 'func'; typeIndex: number }
  | { kind: 'value'; bound: { eq: number } | { type: ValTypeRef } }
  | { kind: 'type'; bound: { eq: number } | 'sub-resource' }
  | { kind: 'component'; typeIndex: number }
  | { kind: 'instance'; typeIndex: number };

/** A declaration inside a component or instance type. */
export type Decl =
  | { kind: 'core-type'; type: CoreTypeDef; offset: number }
  | { kind: 'type'; type: TypeDef; offset: number }
  | { kind: 'alias'; alias: Alias; offset: number }
  | { kind: 'import'; name: ExternName; desc: ExternDesc; offset: number }
  | { kind: 'export'; name: ExternName; desc: ExternDesc; offset: number };

export type TypeDef =
  | { kind: 'defval'; type: DefValType }
  | FuncTypeDef
  | { kind: 'component'; decls: Decl[] }
  | { kind: 'instance'; decls: Decl[] }
  | { kind: 'resource'; rep: number; dtor: number | undefined; async: boolean };

/** Core types of a component: function types (through the core decoder's rules) and module types. */
export type CoreTypeDef =
  | { kind: 'func'; params: number[]; results: number[] }
  | { kind: 'module'; decls: CoreModuleDecl[] }
  /** GC struct/array/rec types: kept opaque (components do not use them yet). */
  | { kind: 'other'; code: number };

export type CoreExternDesc =
  | { kind: 'func'; typeIndex: number }
  | { kind: 'table'; elemType: number; min: number; max: number | undefined }
  | { kind: 'memory'; min: number; max: number | undefined; memory64: boolean; shared: boolean }
  | { kind: 'global'; type: number; mutable: boolean }
  | { kind: 'tag'; typeIndex: number };

export type CoreModuleDecl =
  | { kind: 'import'; module: string; name: string; desc: CoreExternDesc }
  | { kind: 'type'; type: CoreTypeDef }
  | { kind: 'alias'; outer: number; index: number }
  | { kind: 'export'; name: string; desc: CoreExternDesc };

export type Alias =
  | { kind: 'export'; sort: Sort; instance: number; name: string }
  | { kind: 'core-export'; sort: CoreSort; instance: number; name: string }
  | { kind: 'outer'; sort: Sort; count: number; index: number };

export type CoreInstanceDef =
  | { kind: 'instantiate'; module: number; args: { name: string; instance: number }[] }
  | { kind: 'exports'; exports: { name: string; item: CoreSortIdx }[] };

export type InstanceDef =
  | { kind: 'instantiate'; component: number; args: { name: string; item: SortIdx }[] }
  | { kind: 'exports'; exports: { name: ExternName; item: SortIdx }[] };

export interface CanonOpts {
  stringEncoding: 'utf8' | 'utf16' | 'latin1+utf16';
  memory: number | undefined;
  realloc: number | undefined;
  postReturn: number | undefined;
  async: boolean;
  callback: number | undefined;
  /** The option tags (Binary.md canonopt codes) in the order written, when known: an explicit
   * `string-encoding=utf8` and the order are kept so text and binary round-trip exactly. */
  order?: number[];
}

export type CanonDef =
  | { kind: 'lift'; coreFunc: number; opts: CanonOpts; typeIndex: number }
  | { kind: 'lower'; func: number; opts: CanonOpts }
  | { kind: 'resource.new' | 'resource.drop' | 'resource.rep'; typeIndex: number; async?: boolean }
  /** An async (or thread) built-in (Binary.md 0x05–0x2d), with its immediates. */
  | BuiltinDef;

/**
 * A component-model async built-in as written. `type` is the stream/future type index of the
 * stream.* and future.* built-ins; `flag` is async? (cancel-*, subtask.cancel) or cancel?
 * (waitable-set.wait/poll, thread.yield); `result` is task.return's result (null: none).
 */
export interface BuiltinDef {
  kind: 'builtin';
  code: number;
  name: string;
  type?: number;
  opts?: CanonOpts;
  flag?: boolean;
  memory?: number;
  result?: ValTypeRef | null;
  /** context.get/set: the core value type and the slot index. */
  slotType?: number;
  slot?: number;
  /** thread.new-indirect: core type and table. */
  table?: number;
}

/**
 * One definition, in binary order. Index spaces grow in this order, so validation and
 * instantiation walk this list once.
 */
export type Definition =
  | { kind: 'core-module'; module: Module; offset: number; size: number }
  | { kind: 'core-instance'; def: CoreInstanceDef; offset: number }
  | { kind: 'core-type'; type: CoreTypeDef; offset: number }
  | { kind: 'component'; component: Component; offset: number }
  | { kind: 'instance'; def: InstanceDef; offset: number }
  | { kind: 'alias'; alias: Alias; offset: number }
  | { kind: 'type'; type: TypeDef; offset: number }
  | { kind: 'canon'; def: CanonDef; offset: number }
  | { kind: 'start'; func: number; args: number[]; results: number; offset: number }
  | { kind: 'import'; name: ExternName; desc: ExternDesc; offset: number }
  | { kind: 'export'; name: ExternName; item: SortIdx; desc: ExternDesc | undefined; offset: number };

export interface Component {
  /** The outermost binary (offsets below count from its start). */
  bytes: Uint8Array;
  /** Offset of this component's preamble in the outermost binary. */
  offset: number;
  /** Size in bytes, preamble included. */
  size: number;
  definitions: Definition[];
  customSections: { name: string; offset: number; size: number }[];
}

/** Display name of a sort, as in the text format. */
export function sortName(s: Sort): string {
  return typeof s === 'string' ? s : `core ${s.core}`;
}

export function sameSort(a: Sort, b: Sort): boolean {
  return typeof a === 'string' ? a === b : typeof b !== 'string' && a.core === b.core;
}
