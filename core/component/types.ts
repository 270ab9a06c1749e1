// Resolved component types: what a type index means once validation has followed its aliases,
// outer references and `eq` exports. Objects keep their identity through aliases, so a named
// type (a WIT `record descriptor-stat`) is the same object wherever it is used.
import type { PrimValType } from './model';

export type ValType =
  | { kind: 'prim'; prim: PrimValType }
  | { kind: 'record'; fields: { name: string; type: ValType }[] }
  | { kind: 'variant'; cases: { name: string; type: ValType | undefined }[] }
  | { kind: 'list'; elem: ValType; length?: number }
  | { kind: 'tuple'; elems: ValType[] }
  | { kind: 'flags'; names: string[] }
  | { kind: 'enum'; names: string[] }
  | { kind: 'option'; elem: ValType }
  | { kind: 'result'; ok: ValType | undefined; err: ValType | undefined }
  | { kind: 'own'; resource: ResourceType }
  | { kind: 'borrow'; resource: ResourceType }
  | { kind: 'stream'; elem: ValType | undefined }
  | { kind: 'future'; elem: ValType | undefined }
  | { kind: 'map'; key: ValType; value: ValType };

/** A resource type: defined here (with its representation and destructor) or abstract (imported/exported). */
export interface ResourceType {
  kind: 'resource';
  /** The name it was imported/exported under (`descriptor`), once known. */
  name: string | undefined;
  /** Set for resources this component defines: the core rep type and destructor (core func index). */
  local?: { rep: number; dtor: number | undefined };
}

export interface FuncType {
  kind: 'func';
  async: boolean;
  params: { name: string; type: ValType }[];
  result: ValType | undefined;
}

export interface InstanceType {
  kind: 'instance';
  exports: Map<string, ExternType>;
  /** Types this instance type exports, by their resolved object (for printing names). */
  typeNames: Map<TypeEntry, string>;
}

export interface ComponentType {
  kind: 'component';
  imports: Map<string, ExternType>;
  exports: Map<string, ExternType>;
}

export type TypeEntry = ValType | FuncType | InstanceType | ComponentType | ResourceType;

/** Core extern types, as far as linking needs them. */
export type CoreExtern =
  | { kind: 'func'; params: readonly number[]; results: readonly number[] }
  | { kind: 'table'; elemType: number }
  | { kind: 'memory' }
  | { kind: 'global'; type: number; mutable: boolean }
  | { kind: 'tag' };

export interface CoreModuleType {
  kind: 'module';
  imports: { module: string; name: string; type: CoreExtern }[];
  exports: Map<string, CoreExtern>;
}

export type ExternType =
  | { kind: 'func'; type: FuncType }
  | { kind: 'type'; type: TypeEntry }
  | { kind: 'instance'; type: InstanceType }
  | { kind: 'component'; type: ComponentType }
  | { kind: 'module'; type: CoreModuleType }
  | { kind: 'value'; type: ValType };

export function isValType(t: TypeEntry): t is ValType {
  return t.kind !== 'func' && t.kind !== 'instance' && t.kind !== 'component' && t.kind !== 'resource';
}

/** Does a value of this type (transitively) hold a borrow handle? Function results must not. */
export function containsBorrow(t: ValType, seen = new Set<ValType>()): boolean {
  if (seen.has(t)) return false;
  seen.add(t);
  switch (t.kind) {
    case 'borrow': return true;
    case 'record': return t.fields.some((f) => containsBorrow(f.type, seen));
    case 'variant': return t.cases.some((c) => c.type !== undefined && containsBorrow(c.type, seen));
    case 'list': case 'option': return containsBorrow(t.elem, seen);
    case 'tuple': return t.elems.some((e) => containsBorrow(e, seen));
    case 'result': return (t.ok !== undefined && containsBorrow(t.ok, seen)) || (t.err !== undefined && containsBorrow(t.err, seen));
    case 'map': return containsBorrow(t.key, seen) || containsBorrow(t.value, seen);
    default: return false;
  }
}
