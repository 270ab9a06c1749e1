// The tests of a `.wast` script as an editor's test explorer lists them: one per command the runner
// counts (each module that must load, each action and assertion), labelled as the script writes it.
import { parseWast, type WastCommand } from '../text';

export interface WastTest {
  /** Stable within an unchanged script: the kind and the 1-based line. */
  id: string;
  kind: WastCommand['kind'];
  /** 1-based first and last line, and UTF-16 offsets of the command. */
  line: number;
  endLine: number;
  start: number;
  end: number;
  label: string;
}

const MAX_LABEL = 90;

/** Lists the counted commands of `text` in script order (`register` is not a test: it cannot fail
 * on its own). Never throws: a script with syntax errors lists what parsed. */
export function listWastTests(text: string): WastTest[] {
  const script = parseWast(text);
  const lines = script.tree.lines;
  const tests: WastTest[] = [];
  for (const cmd of script.commands) {
    if (cmd.kind === 'register') continue;
    const line = cmd.line + 1;
    tests.push({
      id: `${cmd.kind}@${line}`,
      kind: cmd.kind,
      line,
      endLine: lines.lineAt(Math.max(cmd.start, cmd.end - 1)) + 1,
      start: cmd.start,
      end: cmd.end,
      label: labelOf(cmd, text),
    });
  }
  return tests;
}

function labelOf(cmd: WastCommand, text: string): string {
  switch (cmd.kind) {
    case 'module':
      return cmd.module.name ? `module ${cmd.module.name}` : cmd.module.kind === 'text' ? 'module' : `module ${cmd.module.kind}`;
    case 'assert_invalid':
    case 'assert_malformed':
    case 'assert_unlinkable':
    case 'assert_uninstantiable':
    case 'assert_trap_module':
      // The module inside can be long; the expected message says what the assertion is about.
      return `${cmd.kind} ${JSON.stringify(cmd.message)}`;
    default:
      return shorten(text.slice(cmd.start, cmd.end));
  }
}

/** One line of the source: whitespace and comments collapsed, cut at MAX_LABEL characters. */
function shorten(source: string): string {
  const flat = source.replace(/;;[^\n]*/g, ' ').replace(/\(;[\s\S]*?;\)/g, ' ').replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ \)/g, ')').trim();
  const inner = flat.startsWith('(') && flat.endsWith(')') ? flat.slice(1, -1) : flat;
  return inner.length > MAX_LABEL ? `${inner.slice(0, MAX_LABEL - 1)}…` : inner;
}
