// The seed inputs the fuzzers mutate: the spec suite's modules (text sliced from each .wast, and the
// binaries our assembler makes of them), the repo's .wat/.wast/.wasm fixtures, the benchmark programs
// and the wasi-testsuite binaries. Sources that are absent (no ../shared checkout) are skipped.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assemble, parseWast } from '../../core/text/index';
import { isComponent } from '../../core/component/index';

const root = join(import.meta.dirname, '..', '..');
const shared = join(root, '..', 'shared');

export interface Corpus {
  /** Whole .wat files and single `(module ...)` texts. */
  wat: string[];
  /** .wast scripts: the repo's and windows of a few commands from the spec suite. */
  wast: string[];
  /** Valid and invalid binaries of every size we have. */
  wasm: Uint8Array[];
  /** Binaries with DWARF sections (clang -g output). */
  dwarf: Uint8Array[];
  /** Components (the wasi-testsuite's p2 programs, made by `jco new`). */
  component: Uint8Array[];
}

export interface CorpusOptions {
  /** Use every n-th spec script (1 = all); the bounded test run takes fewer to start quickly. */
  specStride?: number;
  /** Binaries larger than this are left out (compiling a 200 KB C program on every iteration is slow). */
  maxWasmBytes?: number;
}

function filesUnder(dir: string, ext: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(p, ext, out);
    else if (entry.name.endsWith(ext)) out.push(p);
  }
  return out;
}

function hasDwarf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).includes('.debug_info');
}

export function loadCorpus(options: CorpusOptions = {}): Corpus {
  const stride = options.specStride ?? 1;
  const maxWasm = options.maxWasmBytes ?? 256 * 1024;
  const corpus: Corpus = { wat: [], wast: [], wasm: [], dwarf: [], component: [] };
  const fixtures = join(root, 'test', 'fixtures');

  for (const f of filesUnder(fixtures, '.wat')) corpus.wat.push(readFileSync(f, 'utf8'));
  for (const f of filesUnder(fixtures, '.wast')) corpus.wast.push(readFileSync(f, 'utf8'));
  const binaries = [...filesUnder(fixtures, '.wasm'), ...filesUnder(join(shared, 'bench'), '.wasm'), ...filesUnder(join(shared, 'wasi-testsuite'), '.wasm')];
  for (const f of binaries) {
    const bytes = new Uint8Array(readFileSync(f));
    if (isComponent(bytes)) corpus.component.push(bytes);
    if (hasDwarf(bytes)) corpus.dwarf.push(bytes);
    if (statSync(f).size <= maxWasm) corpus.wasm.push(bytes);
  }

  const spec = join(shared, 'testsuite', 'wasm-2.0');
  const scripts = existsSync(spec) ? readdirSync(spec).filter((f) => f.endsWith('.wast')).sort() : [];
  for (let i = 0; i < scripts.length; i += stride) {
    const text = readFileSync(join(spec, scripts[i]!), 'utf8');
    const script = parseWast(text);
    const commands = script.commands;
    // Windows of a few commands keep .wast inputs small enough to mutate and re-parse thousands of times.
    for (let c = 0; c < commands.length; c += 8) {
      const last = commands[Math.min(commands.length, c + 8) - 1]!;
      corpus.wast.push(text.slice(commands[c]!.start, last.end));
    }
    for (const cmd of commands) {
      if (!('module' in cmd) || typeof cmd.module !== 'object' || cmd.module === undefined) continue;
      const m = cmd.module;
      const slice = text.slice(m.node.start, m.node.end);
      if (m.kind === 'text') {
        if (slice.length <= 20_000) corpus.wat.push(slice);
        if (m.module.errors.length === 0 && cmd.kind !== 'assert_malformed') {
          try {
            corpus.wasm.push(assemble(m.module, { names: true }).bytes);
          } catch {
            // Modules our assembler refuses are still in the text corpus.
          }
        }
      } else if (m.kind === 'binary') {
        corpus.wasm.push(m.bytes);
      }
    }
  }
  return corpus;
}
