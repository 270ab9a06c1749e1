// The language server as a Neovim user meets it: headless nvim with test/editors/nvim-init.lua (the config
// server/README.md gives) runs nvim-checks.lua, which uses each feature and reports what the editor shows.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures, markedBlock, readmeBlock, runEditor, skipUnless } from './editor-process';

interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  message: string;
  severity: number;
  source: string;
  /** The buffer text between col and end_col: what Neovim underlines. */
  text: string;
}

interface Observations {
  nvim: { major: number; minor: number; patch: number };
  error?: string;
  current?: string;
  steps: {
    client: { filetype: string; name: string; offset_encoding: string };
    diagnostics: NvimDiagnostic[];
    wast_diagnostics: { filetype: string; diagnostics: NvimDiagnostic[] };
    settings_diagnostics: NvimDiagnostic[];
    clean_diagnostics: NvimDiagnostic[];
    hover_instruction: string[];
    hover_local: string[];
    completion: { words: string[]; line: string };
    /** Cursor positions as nvim_win_get_cursor gives them: 1-based line, 0-based byte column. */
    definition: { from: [number, number]; to: [number, number]; word: string };
    document_symbols: { lnum: number; col: number; text: string }[];
    references: { lnum: number; word: string }[];
    typing: { clean: NvimDiagnostic[]; typed: NvimDiagnostic[]; undone: NvimDiagnostic[]; text: string };
    signature_help: string[];
    document_highlight: { lnum: number; text: string }[];
    workspace_symbols: { file: string; lnum: number; text: string }[];
    rename: string[];
    formatting: { tabs: string[]; spaces: string[]; again: string[] };
    code_action: { offered: string[]; line: string };
    /** Warnings and errors from Neovim's LSP log, and :messages. */
    complaints: { log: string[]; messages: string[] };
  };
}

const skip = skipUnless('nvim', 'apt-get install neovim');

let observed: Observations;

before(async () => {
  if (skip) return;
  // No user config, plugins, shada or swap files: only nvim-init.lua.
  observed = await runEditor<Observations>({
    command: 'nvim',
    args: ['--headless', '-n', '-i', 'NONE', '-u', join(import.meta.dirname, 'nvim-init.lua'), '-c', `luafile ${join(import.meta.dirname, 'nvim-checks.lua')}`],
    outVariable: 'WASMSCOPE_NVIM_OUT',
    timeoutMs: 120_000,
  });
});

type Steps = Observations['steps'];

/** One step's observations; when nvim-checks.lua stopped before it, says where and why (earlier steps still pass). */
function step<K extends keyof Steps>(name: K): Steps[K] {
  const value = observed.steps[name] as Steps[K] | undefined;
  assert.ok(value !== undefined, `nvim-checks.lua stopped in step ${observed.current}: ${observed.error}`);
  return value;
}

test('neovim: every step of nvim-checks.lua ran', { skip }, (t) => {
  t.diagnostic(`neovim ${observed.nvim.major}.${observed.nvim.minor}.${observed.nvim.patch}`);
  assert.equal(observed.error ?? null, null, `nvim-checks.lua stopped in step ${observed.current}: ${observed.error}`);
});

test('neovim: the server attaches to .wat buffers with UTF-16 positions', { skip }, () => {
  const client = step('client');
  assert.deepEqual(client, { filetype: 'wat', name: 'wasmscope', offset_encoding: 'utf-16' });
});

test('neovim: wabt diagnostics underline the right text after é and emoji', { skip }, () => {
  const [add, ret, ...rest] = step('diagnostics');
  assert.equal(rest.length, 0);
  // broken.wat line 4 (0-based 3): `    (i32.add (i32.const 1)))`, after a line with 😀😀.
  assert.deepEqual({ lnum: add?.lnum, text: add?.text, source: add?.source, severity: add?.severity }, { lnum: 3, text: 'i32.add', source: 'wabt', severity: 1 });
  assert.match(add?.message ?? '', /type mismatch in i32.add/);
  // Line 5: `(;😀 é;)` precedes the error on the same line; a byte/UTF-16 mix-up would shift it by 3.
  assert.deepEqual({ lnum: ret?.lnum, col: ret?.col, text: ret?.text }, { lnum: 4, col: 37, text: 'i32.const' });
  assert.match(ret?.message ?? '', /expected \[i64\] but got \[i32\]/);
});

test('neovim: in a .wast script only the broken module is flagged, not assert_invalid', { skip }, () => {
  const { filetype, diagnostics } = step('wast_diagnostics');
  assert.equal(filetype, 'wast');
  assert.deepEqual(diagnostics.map((d) => [d.lnum, d.text]), [[9, 'f32.const']]);
});

test('neovim: settings from the config reach wabt (tailCall on: return_call is valid)', { skip }, () => {
  assert.deepEqual(step('settings_diagnostics'), []);
  assert.deepEqual(step('clean_diagnostics'), []);
});

test('neovim: hover shows the instruction signature and doc, and a local’s declaration', { skip }, () => {
  const hover = step('hover_instruction').join('\n');
  assert.match(hover, /i32\.ge_u \[i32 i32\] -> \[i32\]/);
  assert.match(hover, /Greater than or equal \(unsigned\)/);
  // `$i` after `(;é 😀;)` on the same line: the cursor's byte column must map to the right UTF-16 one.
  assert.match(step('hover_local').join('\n'), /\(local \$i i32\)/);
});

test('neovim: <C-x><C-o> after `local.get $` lists the params and locals and inserts one', { skip }, () => {
  const { words, line } = step('completion');
  assert.deepEqual(words, ['$count', '$total', '$i']);
  assert.equal(line, '    local.get $count');
});

test('neovim: go to definition jumps from `call $square` to the function’s name', { skip }, () => {
  const { from, to, word } = step('definition');
  assert.equal(from[0], 15);
  assert.deepEqual(to, [3, 8]);
  assert.equal(word, '$square');
});

test('neovim: document symbols list both functions at their lines', { skip }, () => {
  const symbols = step('document_symbols');
  const functions = symbols.filter((s) => s.text.startsWith('[Function]'));
  assert.deepEqual(functions.map((s) => [s.lnum, s.text]), [[3, '[Function] $square'], [6, '[Function] $sum_squares']]);
  assert.ok(symbols.some((s) => s.text === '[Variable] $total' && s.lnum === 7), JSON.stringify(symbols));
});

test('neovim: references to $total land on each use (quickfix list)', { skip }, () => {
  assert.deepEqual(step('references'), [7, 15, 15, 20].map((lnum) => ({ lnum, word: '$total' })));
});

test('neovim: text typed after `(;é 😀;)` and undone keeps diagnostics in step (incremental sync)', { skip }, () => {
  const { clean, typed, undone, text } = step('typing');
  assert.deepEqual(clean, []);
  // Line 15: `        (local.set $total (i32.add (local.get $total) (;é 😀;) bogus (call ...`
  assert.deepEqual({ lnum: typed[0]?.lnum, text: typed[0]?.text }, { lnum: 14, text: 'bogus' }, JSON.stringify(typed));
  assert.match(typed[0]?.message ?? '', /unexpected token bogus/);
  assert.deepEqual(undone, []);
  assert.equal(text, readFileSync(join(fixtures, 'program.wat'), 'utf8').replace(/\n$/, ''));
});

test('neovim: signature help inside `(call $square ...)` shows the callee’s params and result', { skip }, () => {
  assert.deepEqual(step('signature_help'), ['$square((param $n i32)) (result i32)']);
});

test('neovim: document highlight marks $count’s declaration and use', { skip }, () => {
  assert.deepEqual(step('document_highlight'), [{ lnum: 6, text: '$count' }, { lnum: 12, text: '$count' }]);
});

test('neovim: workspace symbols find the function in the open file', { skip }, () => {
  const found = step('workspace_symbols');
  assert.ok(found.some((s) => s.file === 'program.wat' && s.lnum === 6 && s.text === '[Function] $sum_squares'), JSON.stringify(found));
});

test('neovim: rename of $i edits its declaration and every use, including after the emoji', { skip }, () => {
  const after = step('rename').join('\n');
  const expected = readFileSync(join(fixtures, 'program.wat'), 'utf8').replace(/\$i\b/g, '$index').replace(/\n$/, '');
  assert.equal(after, expected);
  assert.equal(after.match(/\$index\b/g)?.length, 5);
});

test('neovim: formatting follows the buffer’s indent options, is stable, and keeps the comment', { skip }, () => {
  const { tabs, spaces, again } = step('formatting');
  const expected = readFileSync(join(fixtures, 'messy.formatted.wat'), 'utf8').replace(/\n$/, '').split('\n');
  assert.deepEqual(spaces, expected);
  assert.deepEqual(again, spaces);
  // noexpandtab (Neovim's default) asks for tabs: the same layout, one tab per indent level.
  assert.deepEqual(tabs, expected.map((l) => l.replace(/^((?: {2})+)/, (m) => '\t'.repeat(m.length / 2))));
});

test('neovim: the quick fix for a misspelt call is offered and applied after the emoji', { skip }, () => {
  const { offered, line } = step('code_action');
  assert.ok(offered.includes('Change to $square'), JSON.stringify(offered));
  assert.equal(line, '  (func (result i32) (;😀;) (call $square (i32.const 3))))');
});

test('neovim: nothing went wrong in the user’s view (LSP log warnings/errors, error messages)', { skip }, () => {
  const { log, messages } = step('complaints');
  assert.deepEqual(log, []);
  assert.deepEqual(messages.filter((m) => /error|E\d+:|warn/i.test(m)), []);
});

test('neovim: server/README.md shows the very config this test runs (nvim-init.lua)', () => {
  const shown = readmeBlock(/Neovim 0\.7 \(`vim\.lsp\.start_client`/, 'lua');
  const tested = markedBlock('nvim-init.lua', '--');
  assert.ok(shown && tested, 'the README block or the markers in nvim-init.lua are missing');
  assert.equal(tested.replace("cmd = { 'node', server, '--stdio' }", "cmd = { 'node', '/path/to/wasmscope/dist/server.js', '--stdio' }"), shown);
});
