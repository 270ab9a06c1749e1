// textDocument/hover: an instruction's signature and documentation, a name's definition, a number in decimal and hex.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { instrInfo, parseF32, parseF64, parseIntLiteral, type Token } from '../../core/text/index';
import type { SymbolDef, TextModule } from '../../core/text/index';
import { compositeText, describeDef, recGroupOf, typeName, typeText } from '../describe';
import { instrAt, resolvedSignature } from '../instr-signature';
import type { Analysis } from '../documents';
import { instructionDoc, opcodeText } from '../instruction-docs';
import { KEYWORD_DOCS } from '../keyword-docs';
import { actionTargetAt } from '../script-actions';
import { symbolAt } from '../symbol-at';
import { tokenAt, tokenIndexBefore } from '../token-at';

/** textDocument/hover */
export function hover(analysis: Analysis, position: Position): Hover | null {
  const offset = analysis.offsetAt(position);
  const hit = symbolAt(analysis, offset);
  if (hit?.def) {
    const def = hit.def;
    const lines = def.kind === 'type' ? typeLines(hit.module, def) : ['```wasm', describeDef(hit.module, def), '```'];
    if (def.kind === 'field') lines.push(fieldLine(hit.module, def));
    if (def.import) lines.push(`Imported from \`"${def.import.module}" "${def.import.name}"\`.`);
    if (def.exports.length > 0) lines.push(`Exported as ${def.exports.map((e) => `\`"${e}"\``).join(', ')}.`);
    if (def.kind !== 'label' && def.kind !== 'field') lines.push(`${def.kind === 'param' ? 'Parameter' : def.kind.charAt(0).toUpperCase() + def.kind.slice(1)} index ${def.index}.`);
    return markdown(lines, analysis, hit.start, hit.end);
  }
  const action = hit ? undefined : actionTargetAt(analysis, offset);
  const exported = action?.export.ref.def;
  if (action && exported) {
    return markdown(['```wasm', describeDef(action.module, exported), '```', `Exported as \`"${action.export.name}"\`${action.module.name ? ` by module ${action.module.name}` : ''}.`], analysis, action.start, action.end);
  }
  if (hit?.ref) return markdown([`Unknown ${hit.ref.space} \`${hit.ref.text}\`.`], analysis, hit.start, hit.end);
  const token = tokenAt(analysis.tree, offset);
  if (!token) return null;
  if (token.kind === 'keyword') {
    const doc = instructionDoc(token.text);
    if (!doc) {
      const memarg = /^(offset|align)=(.+)$/.exec(token.text);
      if (memarg) {
        const value = parseIntLiteral(memarg[2] ?? '');
        const line =
          memarg[1] === 'offset'
            ? `Static offset${value === undefined ? '' : ` ${value} (0x${value.toString(16)})`}, added to the address operand; the sum is what is accessed.`
            : `Alignment hint${value === undefined ? '' : ` of ${value} bytes`}: a promise about the address, never a requirement (misaligned access still works).`;
        return markdown([line], analysis, token.start, token.end);
      }
      const keyword = KEYWORD_DOCS[token.text];
      return keyword ? markdown([keyword], analysis, token.start, token.end) : null;
    }
    const info = instrInfo(token.text);
    const sig = doc.signature.startsWith(token.text) ? doc.signature : `${token.text} ${doc.signature}`;
    const module = analysis.moduleAt(offset);
    const instr = module ? instrAt(module, token.start) : undefined;
    const resolved = module && instr ? resolvedSignature(module, instr) : undefined;
    const head = resolved && instr ? [`${analysis.text.slice(instr.start, instr.end).replace(/\s+/g, ' ')} : ${resolved}`, '```', '```wasm', `;; ${sig}`] : [sig];
    return markdown(['```wasm', ...head, '```', doc.doc + (info ? ` Opcode \`${opcodeText(info)}\`.` : '')], analysis, token.start, token.end);
  }
  if (token.kind === 'number') return numberHover(analysis, token);
  return null;
}

/** The literal in decimal and hex, read as the type of the `*.const` before it (integers default to i64 range). */
function numberHover(analysis: Analysis, token: Token): Hover | null {
  const i = tokenIndexBefore(analysis.tree, token.start + 1);
  const op = i > 0 ? analysis.tree.tokens[i - 1]?.text : undefined;
  const text = token.text;
  if (op === 'f32.const' || op === 'f64.const' || /[.eEpP]|inf|nan/.test(text)) {
    const bits = op === 'f32.const' ? parseF32(text) : parseF64(text);
    if (bits === undefined) return null;
    const value = op === 'f32.const' ? new Float32Array(new Uint32Array([Number(bits)]).buffer)[0] : new Float64Array(new BigUint64Array([BigInt(bits)]).buffer)[0];
    const width = op === 'f32.const' ? 8 : 16;
    return markdown([`${op === 'f32.const' ? 'f32' : 'f64'} \`${String(value)}\` — bits \`0x${bits.toString(16).padStart(width, '0')}\``], analysis, token.start, token.end);
  }
  const value = parseIntLiteral(text);
  if (value === undefined) return null;
  const bits = op === 'i32.const' || (op !== 'i64.const' && value >= -(2n ** 31n) && value < 2n ** 32n) ? 32 : 64;
  const unsigned = BigInt.asUintN(bits, value);
  const signed = BigInt.asIntN(bits, value);
  const parts = [`\`${value}\``, `hex \`0x${unsigned.toString(16)}\``];
  if (signed !== value) parts.push(`as i${bits} \`${signed}\``);
  else if (unsigned !== value) parts.push(`unsigned \`${unsigned}\``);
  return markdown([parts.join(' · ')], analysis, token.start, token.end);
}

function markdown(lines: string[], analysis: Analysis, start: number, end: number): Hover {
  return { contents: { kind: MarkupKind.Markdown, value: lines.join('\n') }, range: analysis.range(start, end) };
}

/** A type's full definition (one field per line), its rec group, supertypes and known subtypes. */
function typeLines(module: TextModule, def: SymbolDef): string[] {
  const t = module.types[def.index];
  if (!t) return ['```wasm', describeDef(module, def), '```'];
  const named = def.name !== undefined ? ` ${def.name}` : '';
  const long = (t.gc?.fields.length ?? 0) > 2;
  const lines = ['```wasm', `(type${named} ${compositeText(module, t, long)})`, '```'];
  const group = recGroupOf(module, t);
  if (group) lines.push(`In a rec group of ${group.length}: ${group.map((x) => `\`${typeName(module, x.index)}\``).join(', ')}.`);
  const gc = t.gc;
  if (gc) {
    const supers = gc.supers.map((s) => `\`${/^\d+$/.test(s) ? typeName(module, Number(s)) : s}\``);
    lines.push(`${gc.final ? 'Final' : 'Open (not final)'}${supers.length > 0 ? `; subtype of ${supers.join(', ')}` : ''}.`);
    const me = def.name ?? String(def.index);
    const subs = module.types.filter((x) => x.gc?.supers.some((s) => s === me || s === String(def.index)));
    if (subs.length > 0) lines.push(`Subtypes: ${subs.map((x) => `\`${typeName(module, x.index)}\``).join(', ')}.`);
  }
  return lines;
}

/** `Field 1 of struct $point: f64, immutable.` */
function fieldLine(module: TextModule, def: SymbolDef): string {
  const owner = def.ownerType === undefined ? '?' : typeName(module, def.ownerType);
  const f = def.ownerType === undefined ? undefined : module.types[def.ownerType]?.gc?.fields[def.index];
  return `Field ${def.index} of struct \`${owner}\`${f ? `: \`${typeText(module, f.type)}\`, ${f.mutable ? 'mutable' : 'immutable'}` : ''}.`;
}
