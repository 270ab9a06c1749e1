// What is in scope at an offset: the enclosing function and the block labels open around the cursor.
import type { FuncField, SymbolDef, TextModule } from '../core/text/index';

/** The function whose text contains `offset` (imports have no body, so they never match). */
export function funcAt(module: TextModule, offset: number): FuncField | undefined {
  for (const f of module.funcs) if (!f.import && f.node.start < offset && offset <= f.node.end) return f;
  return undefined;
}

/**
 * Labels of the blocks open at `offset`, innermost first. Instructions come in emission order
 * (folded operands first), but every block opens before and closes after its contents, so
 * replaying the block/end instructions that start before the cursor leaves exactly the open ones.
 */
export function labelsAt(f: FuncField, offset: number): SymbolDef[] {
  const stack: (SymbolDef | undefined)[] = [];
  for (const instr of f.body) {
    if (instr.start >= offset) continue;
    // A try_table's catch clauses branch outward: its own label is not in scope there.
    if (instr.op === 'try_table' && offset <= instr.end) continue;
    if (instr.op === 'block' || instr.op === 'loop' || instr.op === 'if' || instr.op === 'try_table' || instr.op === 'try') stack.push(instr.label);
    else if (instr.op === 'end') stack.pop();
  }
  return stack.filter((l): l is SymbolDef => l !== undefined).reverse();
}
