// Locates the text of an export: a separate `(export ...)` field, or the inline `(export "x")` inside a field.
import { decodeString, headKeyword, isList, utf8ToString, type ExportField, type SList } from '../core/text/index';

/** The `(export ...)` list an export was written as (the model records the enclosing field for inline ones). */
export function exportList(e: ExportField): SList {
  if (headKeyword(e.node) === 'export') return e.node;
  for (const child of e.node.children) {
    if (!isList(child) || headKeyword(child) !== 'export') continue;
    const name = child.children[1];
    if (name?.kind === 'string' && utf8ToString(decodeString(name.text).bytes) === e.name) return child;
  }
  return e.node;
}

/** The export's name string token within its list (falls back to the list). */
export function exportNameSpan(e: ExportField): { start: number; end: number } {
  const list = exportList(e);
  const name = list.children[1];
  return name?.kind === 'string' ? { start: name.start, end: name.end } : { start: list.start, end: list.end };
}
