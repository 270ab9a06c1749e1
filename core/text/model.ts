// The module model built over the CST: fields with every abbreviation expanded, resolved indices,
// flat instruction lists in emission order, and a symbol table (definitions and references).
import type { SList } from './cst';
import type { InstrInfo } from './instructions';
import type { Anchor, LineIndex, Range } from './line-index';

export type NumType = 'i32' | 'i64' | 'f32' | 'f64';
/** A reference type: a shorthand, or `(ref null? HEAP)` with HEAP an abstract type, a type index
 * or a `$name` (resolved when assembled); `(ref null func)` is always written `funcref`. */
export type RefType = 'funcref' | 'externref' | 'exnref' | 'anyref' | 'eqref' | 'i31ref' | 'structref' | 'arrayref'
  | 'nullref' | 'nullexternref' | 'nullfuncref' | 'nullexnref' | `(ref ${string})`;
export type ValType = NumType | 'v128' | RefType;

export interface FuncType {
  params: ValType[];
  results: ValType[];
  /** Set on struct and array type definitions (TypeField.gc has their fields). */
  kind?: 'struct' | 'array';
}

export interface Limits {
  min: number;
  max: number | undefined;
  /** memory64/table64: `(memory i64 ...)`, `(table i64 ...)`; bounds are u64, exact in `exact`. */
  i64?: boolean;
  exact?: { min: bigint; max: bigint | undefined };
  /** threads: `(memory 1 2 shared)`. */
  shared?: boolean;
}

/** The index spaces names live in. Params and locals share the `local` space. */
export type Space = 'type' | 'func' | 'table' | 'memory' | 'global' | 'elem' | 'data' | 'tag' | 'local' | 'label' | 'field';

/** `field`: a struct's field (its names are per type: `$t.$f`; `ownerType` says which). */
export type SymbolKind = 'type' | 'func' | 'table' | 'memory' | 'global' | 'elem' | 'data' | 'tag' | 'param' | 'local' | 'label' | 'field';

// Shared empty list: most definitions are never referenced or exported (allocating lazily keeps
// large modules light).
const NONE: readonly never[] = Object.freeze([]);

/** A definition: a field, a param, a local or a block label. */
export class SymbolDef {
  private refList: SymbolRef[] | undefined;
  private exportList: string[] | undefined;

  /** Every reference that resolved to this definition (by name or by index). */
  get references(): readonly SymbolRef[] {
    return this.refList ?? NONE;
  }

  /** Exported under these names (inline or `(export ...)` fields). */
  get exports(): readonly string[] {
    return this.exportList ?? NONE;
  }

  addReference(ref: SymbolRef): void {
    (this.refList ??= []).push(ref);
  }

  /** Forgets a reference (its function is being read again). */
  removeReference(ref: SymbolRef): void {
    const list = this.refList;
    const i = list ? list.indexOf(ref) : -1;
    if (list && i >= 0) list.splice(i, 1);
  }

  /** Moves `ref` to its place in source order (a function read again adds its references last). */
  settleReference(ref: SymbolRef): void {
    const list = this.refList;
    let i = list ? list.lastIndexOf(ref) : -1;
    if (!list || i < 0) return;
    while (i > 0 && (list[i - 1] as SymbolRef).start > ref.start) {
      list[i] = list[i - 1] as SymbolRef;
      i--;
    }
    list[i] = ref;
  }

  addExport(name: string): void {
    (this.exportList ??= []).push(name);
  }

  /** Set for imported functions, tables, memories and globals. */
  import: { module: string; name: string } | undefined;
  /** Value type of a param, local or global. */
  valType: ValType | undefined;
  /** `mut` globals. */
  mutable = false;
  /** Signature of a func or type. */
  funcType: FuncType | undefined;
  /** Fields: the index of the struct type that declares it. */
  ownerType: number | undefined;

  /** Offsets relative to the anchor's base (see {@link Anchor}). */
  private ns: number;
  private ne: number;
  private s: number;
  private e: number;

  constructor(
    readonly kind: SymbolKind,
    /** Index in its space (for labels: the label's ordinal within its function). */
    readonly index: number,
    /** The `$name` (with its `$`), or undefined for an unnamed definition. */
    readonly name: string | undefined,
    /** Offsets of the `$name` token (equal to start/start when unnamed). */
    nameStart: number,
    nameEnd: number,
    /** Offsets of the whole definition (field list, `(param ...)`; for a label, the whole block). */
    start: number,
    end: number,
    /** Owning function index for params, locals and labels. */
    readonly funcIndex: number | undefined,
    /** The origin of the offsets: its field's (and the text, through its line index). */
    private readonly anchor: Anchor,
  ) {
    const base = anchor.base;
    this.ns = nameStart - base;
    this.ne = nameEnd - base;
    this.s = start - base;
    this.e = end - base;
  }

  /** Offsets of the `$name` token (equal to start/start when unnamed). */
  get nameStart(): number {
    return this.ns + this.anchor.base;
  }

  get nameEnd(): number {
    return this.ne + this.anchor.base;
  }

  /** Offsets of the whole definition (field list, `(param ...)`; for a label, the whole block). */
  get start(): number {
    return this.s + this.anchor.base;
  }

  get end(): number {
    return this.e + this.anchor.base;
  }

  /** Set only while parsing: a flat block's extent is known at its `end`. */
  set end(offset: number) {
    this.e = offset - this.anchor.base;
  }

  get space(): Space {
    return this.kind === 'param' ? 'local' : this.kind;
  }

  /** Range of the name token (or of the definition's start when unnamed). */
  get nameRange(): Range {
    return this.anchor.lines.range(this.nameStart, this.nameEnd);
  }

  /** Range of the whole definition. */
  get range(): Range {
    return this.anchor.lines.range(this.start, this.end);
  }
}

/** A use of a name or index: `call $f`, `local.get 0`, `(type $t)`, `br $l`, `(export "x" (func 1))`. */
export class SymbolRef {
  /** The definition it resolved to; undefined when unknown. */
  def: SymbolDef | undefined;

  constructor(
    readonly space: Space,
    /** The token text: `$name` or a number. */
    readonly text: string,
    /** The resolved index (labels: relative depth as encoded); -1 when unresolved. */
    public index: number,
    start: number,
    end: number,
    /** Enclosing function index for local and label references (and any reference in a body). */
    readonly funcIndex: number | undefined,
    /** The origin of the offsets: its field's (and the text, through its line index). */
    private readonly anchor: Anchor,
  ) {
    this.s = start - anchor.base;
    this.e = end - anchor.base;
  }

  /** Offsets relative to the anchor's base (see {@link Anchor}). */
  private s: number;
  private e: number;

  get start(): number {
    return this.s + this.anchor.base;
  }

  get end(): number {
    return this.e + this.anchor.base;
  }

  get isName(): boolean {
    return this.text.startsWith('$');
  }

  get range(): Range {
    return this.anchor.lines.range(this.start, this.end);
  }
}

export interface SymbolTable {
  defs: SymbolDef[];
  refs: SymbolRef[];
}

export type BlockType =
  | { kind: 'empty' }
  | { kind: 'value'; type: ValType }
  | { kind: 'index'; index: number };

/**
 * One instruction in emission order. Folded operands come before their instruction; the implicit
 * `end` of a folded block (and of a function body) sits on the closing parenthesis.
 */
export interface Instr {
  op: string;
  info: InstrInfo;
  /** Offsets of this instruction's own text: mnemonic and immediates (not folded operands). */
  start: number;
  end: number;
  /** Written inside parentheses, or synthesized from them (implicit `end`). */
  folded: boolean;
  /** Synthesized by the parser (an implicit `end`/`else` has no keyword in the source). */
  implicit?: boolean;
  /** Index immediates in encoding order (labels, funcs, locals, globals, tables, elems, datas). */
  refs?: SymbolRef[];
  /** block / loop / if. */
  blockType?: BlockType;
  label?: SymbolDef;
  /** call_indirect's type index. */
  typeIndex?: number;
  memarg?: { align: number; offset: bigint };
  /** i32: signed number; i64: bigint; f32: bits (u32 number); f64: bits (u64 bigint); v128: 16 bytes. */
  value?: number | bigint | Uint8Array;
  /** i8x16.shuffle lanes, or the single lane of a lane instruction. */
  lanes?: number[];
  /** select's result types when written. */
  types?: ValType[];
  /** ref.null's heap type: an abstract type's name, a type index or a `$name`. */
  heapType?: string;
  /** ref.test / ref.cast's reference type; br_on_cast's source and target types. */
  refTypes?: RefType[];
  /** struct.get/set's field index; array.new_fixed's count. */
  fieldIndex?: number;
  /** try_table's catch clauses in order: the tag (catch, catch_ref) and the label each branches to. */
  catches?: { kind: 'catch' | 'catch_ref' | 'catch_all' | 'catch_all_ref'; tag: SymbolRef | undefined; label: SymbolRef }[];
}

export interface Import {
  module: string;
  name: string;
  moduleBytes: Uint8Array;
  nameBytes: Uint8Array;
}

export interface FieldBase {
  /** The field's list in the CST (for inline abbreviations, the enclosing field). */
  node: SList;
  def: SymbolDef;
  index: number;
  import: Import | undefined;
  exports: string[];
}

export interface TypeField {
  node: SList;
  def: SymbolDef;
  index: number;
  type: FuncType;
  /** Names given to params inside the type definition (`(param $x i32)`), by position. */
  paramNames: (string | undefined)[];
  /** Inserted for a type use with an inline signature that matched no existing type. */
  implicit: boolean;
  /** GC: set unless the type is a plain `(type (func ...))`. */
  gc?: GcTypeDef;
}

/** Storage type: a value type, or the packed i8 / i16. */
export type StorageType = ValType | 'i8' | 'i16';

export interface FieldDef {
  type: StorageType;
  mutable: boolean;
  name: string | undefined;
  /** The field's symbol (struct fields; an array's element has none). */
  def?: SymbolDef;
}

/** A type definition's GC parts: its rec group, `sub` clause, and a struct or array composite. */
export interface GcTypeDef {
  /** Types with the same group number are one `(rec ...)`; -1 when outside any. */
  rec: number;
  final: boolean;
  /** Supertype indices or `$names`. */
  supers: string[];
  kind: 'func' | 'struct' | 'array';
  fields: FieldDef[];
}

export interface LocalDecl {
  def: SymbolDef;
  type: ValType;
}

/** What reading a function's signature, locals and body created: replaced when it is read again alone. */
export interface FuncOwned {
  defs: SymbolDef[];
  refs: SymbolRef[];
  errors: ModelDiagnostic[];
  /** Implicit types its instructions' inline type uses added (the function cannot be read again alone then). */
  bodyTypes: number;
}

export interface FuncField extends FieldBase {
  typeIndex: number;
  type: FuncType;
  params: LocalDecl[];
  locals: LocalDecl[];
  /** Instructions in emission order, ending with the body's implicit `end`; empty for imports. */
  body: Instr[];
  labels: SymbolDef[];
  /** Set once the function's signature and body were read (see ModuleBuilder.rebuildFunc). */
  owned?: FuncOwned;
}

export interface TableField extends FieldBase {
  refType: RefType;
  limits: Limits;
  /** `(table n (ref $t) expr)`: the initial value of every element. */
  init?: Instr[];
}

export interface MemoryField extends FieldBase {
  limits: Limits;
}

export interface GlobalField extends FieldBase {
  type: ValType;
  mutable: boolean;
  init: Instr[];
}

export interface ExportField {
  node: SList;
  name: string;
  nameBytes: Uint8Array;
  kind: 'func' | 'table' | 'memory' | 'global' | 'tag';
  ref: SymbolRef;
}

/** An exception tag (`(tag $e (param i32))`): a function type with no results. */
export interface TagField extends FieldBase {
  typeIndex: number;
  type: FuncType;
}

export interface ElemField {
  node: SList;
  def: SymbolDef;
  index: number;
  mode: 'active' | 'passive' | 'declarative';
  /** Active segments: the table (undefined = table 0 implied). */
  table: SymbolRef | undefined;
  tableIndex: number;
  offset: Instr[];
  refType: RefType;
  /** Each item as a constant expression (a function index list becomes `ref.func` items). */
  items: Instr[][];
  /** Written as function indices (`func $a $b`, or the bare abbreviation). */
  funcIndices: boolean;
}

export interface DataField {
  node: SList;
  def: SymbolDef;
  index: number;
  mode: 'active' | 'passive';
  memory: SymbolRef | undefined;
  memoryIndex: number;
  offset: Instr[];
  bytes: Uint8Array;
}

export interface ModelDiagnostic {
  message: string;
  start: number;
  end: number;
}

export type ImportEntry =
  | { kind: 'func'; field: FuncField }
  | { kind: 'table'; field: TableField }
  | { kind: 'memory'; field: MemoryField }
  | { kind: 'global'; field: GlobalField }
  | { kind: 'tag'; field: TagField };

export interface TextModule {
  /** The `(module ...)` list; undefined for a file of bare fields. */
  node: SList | undefined;
  /** The module's `$name`, if any. */
  name: string | undefined;
  types: TypeField[];
  /** Every import, explicit or inline, in order. */
  imports: ImportEntry[];
  /** Index spaces, imports first (the text format requires imports before definitions). */
  funcs: FuncField[];
  tables: TableField[];
  memories: MemoryField[];
  globals: GlobalField[];
  tags: TagField[];
  exports: ExportField[];
  start: SymbolRef | undefined;
  elems: ElemField[];
  datas: DataField[];
  symbols: SymbolTable;
  /** Malformed text: syntax errors, unknown or duplicate names, out-of-range literals. */
  errors: ModelDiagnostic[];
  lines: LineIndex;
}
