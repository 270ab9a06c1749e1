// textDocument/hover: an instruction's signature and documentation, a name's definition, a number in decimal and hex.
import { MarkupKind, type Hover, type Position } from 'vscode-languageserver/node';
import { instrInfo, parseF32, parseF64, parseIntLiteral, type Token } from '../../core/text/index';
import { describeDef } from '../describe';
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
    const lines = ['```wasm', describeDef(hit.module, def), '```'];
    if (def.import) lines.push(`Imported from \`"${def.import.module}" "${def.import.name}"\`.`);
    if (def.exports.length > 0) lines.push(`Exported as ${def.exports.map((e) => `\`"${e}"\``).join(', ')}.`);
    if (def.kind !== 'label') lines.push(`${def.kind === 'param' ? 'Parameter' : def.kind.charAt(0).toUpperCase() + def.kind.slice(1)} index ${def.index}.`);
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
    return markdown(['```wasm', sig, '```', doc.doc + (info ? ` Opcode \`${opcodeText(info)}\`.` : '')], analysis, token.start, token.end);
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
