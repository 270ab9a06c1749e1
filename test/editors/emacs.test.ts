// The language server as an Emacs user meets it through eglot: `emacs --batch` loads emacs-init.el (the
// config server/README.md gives) and emacs-checks.el, which uses each feature and reports what Emacs shows.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, markedBlock, readmeBlock, runEditor } from './editor-process';

interface EmacsDiagnostic {
  line: number;
  /** The text flymake highlights. */
  text: string;
  message: string;
}

interface Observations {
  emacs: string;
  markdown_mode: boolean;
  error: string | null;
  current: string | null;
  steps: {
    diagnostics: EmacsDiagnostic[];
    wast_diagnostics: { mode: string; diagnostics: EmacsDiagnostic[] };
    settings_diagnostics: EmacsDiagnostic[];
    clean_diagnostics: EmacsDiagnostic[];
    hover_instruction: string;
    hover_local: string;
    completion: string[];
    definition: { line: number; text: string };
    imenu: Record<string, { name: string; line?: number }[]>;
    rename: string;
    formatting: { first: string; again: string };
    code_action: { offered: string[]; line: string };
    complaints: { messages: string[]; events: string[]; stderr: string[]; event_lines: number };
  };
}

/** eglot is built into Emacs 29; Debian 12's Emacs 28 needs elpa-eglot. */
const eglotLoads = spawnSync('emacs', ['--batch', '-q', '--eval', "(require 'eglot)"], { encoding: 'utf8' }).status === 0;
const skip = eglotLoads ? false : 'emacs with eglot is not installed (apt-get install emacs-nox elpa-eglot)';
let observed: Observations;

before(async () => {
  if (skip) return;
  // -q: no user init file; Debian's site-start still makes the packaged eglot loadable, as for any user.
  observed = await runEditor<Observations>({
    command: 'emacs',
    args: ['--batch', '-q', '-l', join(import.meta.dirname, 'emacs-init.el'), '-l', join(import.meta.dirname, 'emacs-checks.el')],
    outVariable: 'WASMSCOPE_EMACS_OUT',
    timeoutMs: 120_000,
  });
});

type Steps = Observations['steps'];

function step<K extends keyof Steps>(name: K): Steps[K] {
  const value = (observed.steps as Partial<Steps>)[name];
  assert.ok(value !== undefined, `emacs-checks.el stopped in step ${observed.current}: ${observed.error}`);
  return value;
}

test('emacs: every step of emacs-checks.el ran', { skip }, (t) => {
  t.diagnostic(`emacs ${observed.emacs}`);
  assert.equal(observed.error, null, `emacs-checks.el stopped in step ${observed.current}: ${observed.error}`);
});

test('emacs: flymake highlights wabt’s errors on the right text after é and emoji', { skip }, () => {
  assert.deepEqual(
    step('diagnostics').map((d) => [d.line, d.text]),
    [[4, 'i32.add'], [5, 'i32.const']],
  );
  assert.match(step('diagnostics')[1]?.message ?? '', /expected \[i64\] but got \[i32\]/);
});

test('emacs: a .wast script in wast-mode flags only the broken module; settings reach wabt', { skip }, () => {
  const { mode, diagnostics } = step('wast_diagnostics');
  assert.equal(mode, 'wast-mode');
  assert.deepEqual(diagnostics.map((d) => [d.line, d.text]), [[10, 'f32.const']]);
  // eglot-workspace-configuration turns tailCall on: return_call is valid.
  assert.deepEqual(step('settings_diagnostics'), []);
  assert.deepEqual(step('clean_diagnostics'), []);
});

test('emacs: eldoc hover shows the instruction signature and doc, and a local’s declaration', { skip }, () => {
  assert.match(step('hover_instruction'), /i32\.ge_u \[i32 i32\] -> \[i32\]/);
  assert.match(step('hover_instruction'), /Greater than or equal \(unsigned\)/);
  assert.match(step('hover_local'), /\(local \$i i32\)/);
});

test('emacs: without markdown-mode, eglot asks for plain text and eldoc shows no ``` fences or backticks', { skip }, (t) => {
  if (observed.markdown_mode) return t.skip('markdown-mode is installed: eglot asks for markdown hovers');
  assert.equal(step('hover_instruction'), 'i32.ge_u [i32 i32] -> [i32]\nGreater than or equal (unsigned). Opcode 0x4f.');
  assert.equal(step('hover_local'), '(local $i i32)\nLocal index 2.');
});

test('emacs: completion-at-point after `local.get $` offers the params and locals', { skip }, () => {
  assert.deepEqual(step('completion'), ['$count', '$total', '$i']);
});

test('emacs: xref goes from `call $square` (after the emoji) to the function’s name', { skip }, () => {
  assert.deepEqual(step('definition'), { line: 3, text: '$square' });
});

test('emacs: imenu lists both functions at their lines', { skip }, () => {
  assert.deepEqual(step('imenu').Function, [{ name: '$square', line: 3 }, { name: '$sum_squares', line: 6 }]);
});

test('emacs: eglot-rename of $i edits its declaration and every use', { skip }, () => {
  const expected = readFileSync(join(fixtures, 'program.wat'), 'utf8').replace(/\$i\b/g, '$index');
  assert.equal(step('rename'), expected);
});

test('emacs: eglot-format-buffer gives the two-space layout (tab-width 2) and is stable', { skip }, () => {
  const { first, again } = step('formatting');
  assert.equal(first, readFileSync(join(fixtures, 'messy.formatted.wat'), 'utf8'));
  assert.equal(again, first);
});

test('emacs: eglot-code-actions offers and applies the near match for a misspelt call', { skip }, () => {
  const { offered, line } = step('code_action');
  assert.deepEqual(offered, ['Change to $square']);
  assert.equal(line, '  (func (result i32) (;😀;) (call $square (i32.const 3))))');
});

test('emacs: nothing went wrong in the user’s view (*Messages*, error replies in eglot’s events, server stderr)', { skip }, () => {
  const { messages, events, stderr, event_lines } = step('complaints');
  assert.deepEqual({ messages, events, stderr }, { messages: [], events: [], stderr: [] });
  assert.ok(event_lines > 100, `eglot's events buffer has only ${event_lines} lines: is it logging?`);
});

test('emacs: server/README.md shows the very config this test runs (emacs-init.el)', () => {
  const shown = readmeBlock(/### Emacs \(eglot\)/, 'elisp');
  const tested = markedBlock('emacs-init.el', ';;');
  assert.ok(shown && tested, 'the README block or the markers in emacs-init.el are missing');
  assert.equal(
    tested.replace('`((wat-mode wast-mode) "node" ,wasmscope-server "--stdio")', `'((wat-mode wast-mode) "node" "/path/to/wasmscope/dist/server.js" "--stdio")`),
    shown,
  );
});
