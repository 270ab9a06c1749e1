// Checks a whole `.wat` module or `.wast` script: each script module on its own, at its own lines.
import { concatBytes } from '../binary/bytes';
import { headKeyword, isList, parseTree, type ParseTree, type SList, type SNode } from '../text/cst';
import { moduleFromList, parseWat } from '../text/document';
import { decodeString } from '../text/lexer';
import type { TextModule } from '../text/model';
import { checkWithEngine, type EngineCheck } from './check-engine';
import { checkWasm } from './check-binary';
import { checkWat, type Placement } from './check-wat';
import type { Features } from './features';
import { mayUseNewSyntax, usesNewSyntax } from './new-syntax';
import { missingExports } from './script-exports';
import type { CheckDiagnostic } from './types';
import type { Wabt } from './wabt-loader';

export type DocumentLanguage = 'wat' | 'wast';

export interface CheckOptions {
  language: DocumentLanguage;
  features: Features;
  /** Stop after this many diagnostics: a garbage document must not flood the editor. */
  maxDiagnostics?: number;
}

/** Script commands whose module is meant to fail: checking it would only report the expected failure. */
const EXPECTED_TO_FAIL = new Set(['assert_invalid', 'assert_malformed']);

/** Every diagnostic for the document, wabt's where wabt understands the text, our parser's where it does not. */
export function checkDocument(wabt: Wabt, text: string, options: CheckOptions): CheckDiagnostic[] {
  const max = options.maxDiagnostics ?? 1000;
  const found = options.language === 'wast' ? checkScript(wabt, text, options.features) : checkModuleText(wabt, text, options.features);
  return found.length > max ? found.slice(0, max) : found;
}

/** A module text's diagnostics, and whether those inside function bodies are complete body by body. */
export interface ModuleCheck {
  diagnostics: CheckDiagnostic[];
  /**
   * True when every function body's errors are among the diagnostics (wabt validated the module, or
   * our validator found it valid): then one body's diagnostics do not depend on another body's text.
   * False after a parse error (wabt does not validate then), or when our validator stopped at its first error.
   */
  perBody: boolean;
}

/** How to decide between wabt and our validator, when the caller knows better than the text at hand (see incremental-check.ts). */
export interface SyntaxRoute {
  /** {@link mayUseNewSyntax} of the whole document. */
  mayUseNew: boolean;
  /** {@link usesNewSyntax} of the whole document's tokens (asked only after wabt failed). */
  usesNew: () => boolean;
}

/** wabt 1.0.39 predates GC's relaxed constant expressions (`global.get` of any earlier immutable global). */
const WABT_LAGS = /initializer expression can only reference an imported global/;

function wabtModuleCheck(wabt: Wabt, text: string, features: Features, at?: Placement): ModuleCheck {
  const outcome: { stage?: 'parse' | 'validate' | 'crash' } = {};
  const diagnostics = checkWat(wabt, text, features, at, outcome);
  return { diagnostics, perBody: diagnostics.length === 0 || outcome.stage === 'validate' };
}

function engineModuleCheck(engine: EngineCheck): ModuleCheck | undefined {
  return engine.kind === 'checked' ? { diagnostics: engine.diagnostics, perBody: engine.diagnostics.length === 0 } : undefined;
}

/** wabt's verdict, or our validator's where wabt rejects what Wasm 3.0 allows. */
function checkOlderSyntax(found: ModuleCheck, model: () => TextModule, features: Features): ModuleCheck {
  if (features.gc !== true || !found.diagnostics.some((d) => WABT_LAGS.test(d.message))) return found;
  return engineModuleCheck(checkWithEngine(model(), features)) ?? found;
}

function checkModuleText(wabt: Wabt, text: string, features: Features): CheckDiagnostic[] {
  return checkModuleTextDetailed(wabt, text, features).diagnostics;
}

/** {@link checkDocument} of one `.wat` module text; `route` overrides what the text alone would decide.
 * Component text is not a module: its callers route it to core/component/text.ts's componentTextDiagnostics. */
export function checkModuleTextDetailed(wabt: Wabt, text: string, features: Features, route?: SyntaxRoute): ModuleCheck {
  // One parse (tree and model) when both are needed.
  let doc: { tree: ParseTree; module: TextModule } | undefined;
  const parsed = (): { tree: ParseTree; module: TextModule } => (doc ??= parseWat(text, features));
  const model = (): TextModule => parsed().module;
  if (!(route ? route.mayUseNew : mayUseNewSyntax(text))) return checkOlderSyntax(wabtModuleCheck(wabt, text, features), model, features);
  let tree: ParseTree | undefined;
  return checkNewSyntax(() => (tree ??= route ? parsed().tree : parseTree(text)), () => wabtModuleCheck(wabt, text, features), 0, text.length, model, features, route);
}

/**
 * wabt rejects Wasm 3.0 syntax (GC, typed references, ...) wholesale, and with its partial GC
 * support on it accepts invalid modules (a forward type reference, a duplicate field). There the
 * engine's own parser and validator check the module instead, errors at the failing instruction;
 * where our parser cannot read it, wabt's verdict stands if it accepts the module, and otherwise
 * only our bracket-level syntax errors replace wabt's false ones.
 */
function checkNewSyntax(
  treeOf: () => ParseTree, wabtCheck: () => ModuleCheck, start: number, end: number, model: () => TextModule, features: Features, route?: SyntaxRoute,
): ModuleCheck {
  const uses = route ? route.usesNew() : usesNewSyntax(treeOf().tokens.filter((t) => t.start >= start && t.end <= end), treeOf().text);
  if (!uses) return wabtCheck();
  const tree = treeOf();
  const first = tree.range(start, Math.min(end, start + 1));
  const note = (message: string): CheckDiagnostic => ({ range: { start: first.start, end: first.end }, message, severity: 'information', source: 'wasmscope' });
  const engine = checkWithEngine(model(), features);
  if (engine.kind === 'checked') {
    return {
      diagnostics: [...engine.diagnostics, note('wabt 1.0.39 cannot check this module\'s Wasm 3.0 syntax; Wasmscope\'s own parser and validator checked it.')],
      perBody: engine.diagnostics.length === 0,
    };
  }
  const found = wabtCheck();
  if (found.diagnostics.length === 0) return found;
  const own = syntaxErrors(tree).filter((e) => e.start >= start && e.end <= end).map((e) => toDiagnostic(tree, e.message, e.start, e.end, 'error'));
  const why = engine.errors[0];
  const where = why ? tree.range(why.start, why.end).start : undefined;
  own.push(note(
    'This module uses Wasm 3.0 syntax (GC, typed function references, ...) that wabt 1.0.39 cannot check' +
      (why && where ? ` and Wasmscope's parser does not read yet (line ${where.line + 1}: ${why.message})` : '') + '; only syntax errors are shown.',
  ));
  return { diagnostics: own, perBody: false };
}

function checkScript(wabt: Wabt, text: string, features: Features): CheckDiagnostic[] {
  const tree = parseTree(text);
  const out: CheckDiagnostic[] = syntaxErrors(tree).map((e) => toDiagnostic(tree, e.message, e.start, e.end, 'error'));
  for (const node of tree.nodes) {
    if (!isList(node)) {
      out.push(toDiagnostic(tree, `unexpected token ${node.text}, expected a command`, node.start, node.end, 'error'));
      continue;
    }
    const head = headKeyword(node);
    if (head === undefined || EXPECTED_TO_FAIL.has(head)) continue;
    for (const module of modulesOf(node, head)) out.push(...checkScriptModule(wabt, tree, module, features));
  }
  // A spec run would fail on these actions; wabt checks modules only, so we report them ourselves.
  for (const m of missingExports(tree)) out.push(toDiagnostic(tree, `the module has no export "${m.name}"`, m.start, m.end, 'error'));
  return out;
}

/** The modules a command holds: itself for `(module ...)`, its first argument for `(assert_trap (module ...) ...)` etc. */
function modulesOf(node: SList, head: string): SList[] {
  if (head === 'module') return [node];
  const arg: SNode | undefined = node.children[1];
  return isList(arg) && headKeyword(arg) === 'module' ? [arg] : [];
}

function checkScriptModule(wabt: Wabt, tree: ParseTree, module: SList, features: Features): CheckDiagnostic[] {
  const form = moduleForm(module);
  if (form === 'instance') return [];
  if (form === 'quote') {
    // Positions inside the quoted text do not map back through escapes; report at the module's keyword.
    const quoted = module.children
      .flatMap((c) => (c.kind === 'string' ? [new TextDecoder().decode(decodeString(c.text).bytes)] : []))
      .join(' ');
    let found = checkWat(wabt, quoted, features);
    if (found.length > 0 && mayUseNewSyntax(quoted)) {
      // Wasm 3.0 text wabt cannot read: our validator's verdict, where our parser reads it.
      const engine = checkWithEngine(parseWat(quoted).module, features);
      if (engine.kind === 'checked') found = engine.diagnostics;
    }
    return found.map((d) =>
      toDiagnostic(tree, `in the quoted module, line ${d.range.start.line + 1}, column ${d.range.start.character + 1}: ${d.message}`, module.start, module.open.end, d.severity === 'warning' ? 'warning' : 'error'),
    );
  }
  if (form === 'binary') {
    const bytes = binaryModuleBytes(module);
    return checkWasm(wabt, bytes, features).map((d) =>
      toDiagnostic(tree, `${d.message} (at byte 0x${(d.offset ?? 0).toString(16)} of the binary module)`, module.start, module.open.end, d.severity === 'warning' ? 'warning' : 'error'),
    );
  }
  let text = tree.text.slice(module.start, module.end);
  const definition = module.children.find((c) => c.kind === 'keyword' && c.text === 'definition');
  if (definition && module.children.indexOf(definition) <= 2) {
    // `(module definition ...)` (Wasm 3.0 scripts) is an ordinary module to validate; blanking the word keeps every column.
    const at = definition.start - module.start;
    text = text.slice(0, at) + ' '.repeat(definition.end - definition.start) + text.slice(at + definition.end - definition.start);
  }
  const at = tree.lines.positionAt(module.start);
  const wabtCheck = (): ModuleCheck => wabtModuleCheck(wabt, text, features, { line: at.line, character: at.character });
  const model = (): TextModule => moduleFromList(tree.lines, module, features);
  return (!mayUseNewSyntax(text) ? checkOlderSyntax(wabtCheck(), model, features) : checkNewSyntax(() => tree, wabtCheck, module.start, module.end, model, features)).diagnostics;
}

/**
 * The tree's lexical and bracket errors outside annotations: Wasm 3.0 lets `(@name ...)` hold any
 * tokens, including `,` `;` `[` `]` `{` `}`, which the lexer reports as unexpected characters.
 */
function syntaxErrors(tree: ParseTree): ParseTree['errors'] {
  const annotations = tree.annotations;
  if (annotations.length === 0) return tree.errors;
  return tree.errors.filter((e) => !annotations.some((a) => a.start <= e.start && e.end <= a.end));
}

/** `(module $id? binary "...")`, `(module $id? quote "...")`, `(module instance ...)` or ordinary text. */
function moduleForm(module: SList): 'text' | 'binary' | 'quote' | 'instance' {
  let i = 1;
  if (module.children[i]?.kind === 'id') i++;
  const word = module.children[i];
  if (word === undefined || word.kind !== 'keyword') return 'text';
  if (word.text === 'binary' || word.text === 'quote' || word.text === 'instance') return word.text;
  return 'text';
}

function binaryModuleBytes(module: SList): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const child of module.children) if (child.kind === 'string') parts.push(decodeString(child.text).bytes);
  return concatBytes(parts);
}

function toDiagnostic(tree: ParseTree, message: string, start: number, end: number, severity: CheckDiagnostic['severity']): CheckDiagnostic {
  const r = tree.range(start, Math.max(end, start));
  return {
    range: { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } },
    message,
    severity,
    source: 'wasmscope',
  };
}
