// Latency of the language server (node dist/server.js --stdio) on generated ~1.5 MB modules, one Wasm 2.0
// (checked by wabt) and one Wasm 3.0 (GC and exceptions, checked by our validator), as an editor sees it:
// edit → fresh diagnostics, the first hover / definition after an edit, p95 of hover / completion /
// definition, and memory over many edits; each figure is printed against its goal (issue 21).
// Usage: node esbuild.mjs && node bench/lsp-latency.mjs [--json] [--memory-edits N] [--only 2.0|3.0] [--server dist/server.js]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const wabtInit = require('wabt');

const root = join(import.meta.dirname, '..');
/** `--server PATH`: another build of the server (e.g. the previous release's), measured the same way. */
const SERVER = process.argv.includes('--server') ? process.argv[process.argv.indexOf('--server') + 1] : join(root, 'dist', 'server.js');
const json = process.argv.includes('--json');
const EDITS = 20;
const REQUESTS = 200;
/** Edits of the memory phase (`--memory-edits N`, 0 to skip). */
const MEMORY_EDITS = Number(process.argv[process.argv.indexOf('--memory-edits') + 1] ?? NaN) || (process.argv.includes('--memory-edits') ? 0 : 10_000);

/** A module of flat and folded code with calls, locals, globals and labels: ~1.5 MB, ~70,000 lines. */
function generate(targetBytes = 1_500_000) {
  const out = [
    '(module',
    '  (type $binop (func (param i32 i32) (result i32)))',
    '  (import "env" "log" (func $log (param i32)))',
    '  (memory $mem 1)',
    '  (global $counter (mut i32) (i32.const 0))',
    '  (table $tab 4 funcref)',
  ];
  let size = out.join('\n').length;
  let i = 0;
  while (size < targetBytes) {
    const body = [
      `  (func $f${i} (param $a i32) (param $b i32) (result i32)`,
      '    (local $t i32)',
      '    local.get $a',
      '    local.get $b',
      '    i32.add',
      '    local.set $t',
      '    block $out',
      '      loop $top',
      '        local.get $t',
      '        i32.eqz',
      '        br_if $out',
      '        local.get $t',
      '        i32.const 1',
      '        i32.sub',
      '        local.set $t',
      '        br $top',
      '      end',
      '    end',
      '    global.get $counter',
      '    call $log',
      i > 0 ? `    (call $f${i - 1} (local.get $t) (i32.const ${i}))` : '    (i32.const 0)',
      '    drop',
      '    (i32.store (i32.const 8) (local.get $t))',
      '    (call_indirect (type $binop)',
      '      (local.get $a) (local.get $b) (i32.const 0))',
      '    local.get $t',
      '    i32.add)',
    ];
    for (const line of body) size += line.length + 1;
    out.push(...body);
    i++;
  }
  out.push(')');
  return { text: out.join('\n') + '\n', funcs: i };
}

/** The same shape in Wasm 3.0: a GC struct per call, try_table/throw, arrays; checked by our own validator. */
function generate3(targetBytes = 1_500_000) {
  const out = [
    '(module',
    '  (rec',
    '    (type $node (sub (struct (field $value (mut i32)) (field $next (ref null $node))))))',
    '  (type $ints (array (mut i32)))',
    '  (type $binop (func (param i32 i32) (result i32)))',
    '  (import "env" "log" (func $log (param i32)))',
    '  (tag $oops (param i32))',
    '  (global $counter (mut i32) (i32.const 0))',
  ];
  let size = out.join('\n').length;
  let i = 0;
  while (size < targetBytes) {
    const body = [
      `  (func $f${i} (param $a i32) (param $b i32) (result i32)`,
      '    (local $t i32)',
      '    (local $n (ref null $node))',
      '    (local.set $n (struct.new $node (local.get $a) (ref.null $node)))',
      '    (block $caught (result i32)',
      '      (try_table (catch $oops $caught)',
      '        (local.set $t (struct.get $node $value (ref.as_non_null (local.get $n))))',
      '        (if (i32.eqz (local.get $t)) (then (throw $oops (local.get $b))))',
      '        (struct.set $node $value (ref.as_non_null (local.get $n)) (i32.add (local.get $t) (i32.const 1))))',
      '      (array.get $ints (array.new $ints (local.get $t) (i32.const 4)) (i32.const 0)))',
      '    local.set $t',
      '    global.get $counter',
      '    call $log',
      i > 0 ? `    (call $f${i - 1} (local.get $t) (i32.const ${i}))` : '    (i32.const 0)',
      '    drop',
      '    local.get $t',
      '    (struct.get $node $value (ref.as_non_null (local.get $n)))',
      '    i32.add)',
    ];
    for (const line of body) size += line.length + 1;
    out.push(...body);
    i++;
  }
  out.push(')');
  return { text: out.join('\n') + '\n', funcs: i };
}

function quantile(times, q) {
  const s = [...times].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

/** Goals (issue 21): edit → diagnostics, hover/definition p95 (also the first request after an edit). */
const GOALS = { diagnosticsMs: 100, requestP95Ms: 10 };
const FEATURES_3 = { gc: true, exceptions: true, functionReferences: true, referenceTypes: true, tailCall: true };

async function main() {
  const only = process.argv[process.argv.indexOf('--only') + 1];
  const runs = [
    { name: 'Wasm 2.0 module (wabt checks it)', ...generate(), features: {}, memoryEdits: MEMORY_EDITS },
    { name: 'Wasm 3.0 module: GC and exceptions (our validator checks it)', ...generate3(), features: FEATURES_3, memoryEdits: 0 },
  ].filter((r) => !process.argv.includes('--only') || r.name.startsWith(`Wasm ${only}`));
  const results = [];
  for (const run of runs) results.push(await measure(run));
  if (json) console.log(JSON.stringify(results, null, 2));
}

async function measure({ name, text, funcs, features, memoryEdits }) {
  const MEMORY_EDITS = memoryEdits;
  const lines = text.split('\n');
  const bytes = Buffer.byteLength(text);

  // Baseline: wabt alone (parseWat + validate) on the same text, in this process.
  const wabt = await wabtInit();
  const wabtTimes = [];
  for (let k = 0; k < (features === FEATURES_3 ? 0 : 5); k++) {
    const t0 = performance.now();
    const m = wabt.parseWat('bench.wat', new TextEncoder().encode(text), {});
    m.validate();
    m.destroy();
    wabtTimes.push(performance.now() - t0);
  }

  // --expose-gc: serverStatus then reports each thread's live heap (after a full collection), not its garbage.
  const child = spawn(process.execPath, ['--expose-gc', SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  connection.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiting.get(p.version);
    if (w) {
      waiting.delete(p.version);
      w(p);
    }
  });
  connection.onRequest('workspace/configuration', (p) => p.items.map(() => ({ features })));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid, rootUri: null,
    capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
  });
  await connection.sendNotification('initialized', {});
  const uri = 'file:///bench/large.wat';
  const diagnosticsFor = (version) => new Promise((resolve) => waiting.set(version, resolve));

  let t0 = performance.now();
  let first = diagnosticsFor(1);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'wat', version: 1, text } });
  await first;
  const openToDiagnostics = performance.now() - t0;
  // The first request parses the document (core/text); every later figure starts from a parsed version.
  t0 = performance.now();
  await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 10, character: 6 } });
  const firstParse = performance.now() - t0;

  // Edit → fresh diagnostics: change one constant (alternately to an error and back), as typing would.
  const editTimes = [];
  let version = 1;
  const target = lines.findIndex((l) => l.includes('(call $f') && l.includes('(i32.const'));
  const column = lines[target].indexOf('(i32.const') + 1;
  let errorsSeen = 0;
  for (let k = 0; k < EDITS; k++) {
    version++;
    const replacement = k % 2 === 0 ? 'i64.const' : 'i32.const';
    const fresh = diagnosticsFor(version);
    t0 = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: target, character: column }, end: { line: target, character: column + 9 } }, text: replacement }],
    });
    const p = await fresh;
    editTimes.push(performance.now() - t0);
    if (p.diagnostics.length > 0) errorsSeen++;
  }

  // The first request after an edit, before the new version is parsed: hover and definition elsewhere
  // in the module are answered from the previous parse; at the edit itself the new version is parsed.
  const hoverLine = lines.findIndex((l, n) => n > lines.length / 2 && l.includes('local.get $t'));
  const callLine = lines.findIndex((l, n) => n > lines.length / 3 && l.includes('(call $f'));
  const firstAfterEdit = { hover: [], definition: [] };
  for (let k = 0; k < EDITS; k++) {
    version++;
    const fresh = diagnosticsFor(version);
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: target, character: column }, end: { line: target, character: column + 9 } }, text: k % 2 === 0 ? 'i64.const' : 'i32.const' }],
    });
    t0 = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine + k, character: 20 } });
    firstAfterEdit.hover.push(performance.now() - t0);
    t0 = performance.now();
    await connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: callLine, character: lines[callLine].indexOf('$f') + 1 } });
    firstAfterEdit.definition.push(performance.now() - t0);
    await fresh;
  }
  // Typing: each edit inserts or deletes a character (everything after it moves), then a hover in
  // the edited function and one far from it, then the edit's diagnostics.
  const typing = { atEdit: [], away: [], diagnostics: [] };
  for (let k = 0; k < EDITS; k++) {
    version++;
    const insert = k % 2 === 0;
    const fresh = diagnosticsFor(version);
    const t1 = performance.now();
    await connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line: target, character: column + 10 }, end: { line: target, character: column + (insert ? 10 : 11) } }, text: insert ? '7' : '' }],
    });
    t0 = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: target, character: column + 2 } });
    typing.atEdit.push(performance.now() - t0);
    t0 = performance.now();
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine + k, character: 20 } });
    typing.away.push(performance.now() - t0);
    await fresh;
    typing.diagnostics.push(performance.now() - t1);
  }
  // One more edit (the text differs from every parsed version), then a hover in the edited function.
  version++;
  const lastDiagnostics = diagnosticsFor(version);
  await connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ range: { start: { line: target, character: column + 10 }, end: { line: target, character: column + 10 } }, text: '0' }],
  });
  t0 = performance.now();
  await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: target, character: column + 2 } });
  const firstRequestAtEdit = performance.now() - t0;
  await lastDiagnostics;
  const firstRequestAfterEdit = quantile(firstAfterEdit.hover, 0.95);

  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const positionsOf = (needle, offset) => {
    const out = [];
    while (out.length < REQUESTS) {
      const n = Math.floor(random() * lines.length);
      const c = lines[n].indexOf(needle);
      if (c >= 0) out.push({ line: n, character: c + offset });
    }
    return out;
  };
  const timeRequests = async (method, positions) => {
    const times = [];
    for (const position of positions) {
      const s = performance.now();
      await connection.sendRequest(method, { textDocument: { uri }, position });
      times.push(performance.now() - s);
    }
    return times;
  };
  const hover = await timeRequests('textDocument/hover', [...positionsOf('i32.', 2), ...positionsOf('$t', 1)].slice(0, REQUESTS));
  const completion = await timeRequests('textDocument/completion', positionsOf('local.get $', 11));
  const definition = await timeRequests('textDocument/definition', positionsOf('(call $f', 8));
  const status = await connection.sendRequest('wasmscope/serverStatus');

  // Memory over many edits: MEMORY_EDITS single-character edits, a parse forced every 1000 (a hover
  // at the edit), then the heaps once the last diagnostics are out.
  let memory;
  if (MEMORY_EDITS > 0) {
    const before = status;
    const m0 = performance.now();
    const checkpoints = [];
    // Registered up front: the last version's diagnostics may come out before the loop ends.
    const settled = diagnosticsFor(version + MEMORY_EDITS + (MEMORY_EDITS % 2));
    for (let k = 0; k < MEMORY_EDITS; k++) {
      if (k > 0 && k % 2500 === 0) {
        const s = await connection.sendRequest('wasmscope/serverStatus');
        checkpoints.push({ edits: k, heapUsed: s.heapUsed, analysisHeapUsed: s.analysisHeapUsed, workerHeapUsed: s.workerHeapUsed, rss: s.rss });
      }
      version++;
      await connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: { line: target, character: column + 4 }, end: { line: target, character: column + 5 } }, text: k % 2 === 0 ? '6' : '3' }],
      });
      if (k % 1000 === 999) await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: target, character: column + 2 } });
    }
    // Even count: the text is back to where it started.
    if (MEMORY_EDITS % 2 === 1) {
      version++;
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: { line: target, character: column + 4 }, end: { line: target, character: column + 5 } }, text: '3' }] });
    }
    await settled;
    await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: hoverLine, character: 20 } });
    await new Promise((r) => setTimeout(r, 1500));
    const after = await connection.sendRequest('wasmscope/serverStatus');
    memory = { edits: MEMORY_EDITS, seconds: (performance.now() - m0) / 1000, before, checkpoints, after };
  }

  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();

  const mb = (n) => (n / 1024 / 1024).toFixed(1);
  const ms = (n) => n.toFixed(1);
  const result = {
    name,
    document: { bytes, lines: lines.length, funcs },
    wabtAloneMs: quantile(wabtTimes, 0.5),
    openToDiagnosticsMs: openToDiagnostics,
    firstParseMs: firstParse,
    editToDiagnostics: { medianMs: quantile(editTimes, 0.5), p95Ms: quantile(editTimes, 0.95), edits: EDITS, withErrors: errorsSeen },
    firstRequestAfterEditMs: firstRequestAfterEdit,
    firstRequestAfterEdit: {
      hover: { medianMs: quantile(firstAfterEdit.hover, 0.5), p95Ms: quantile(firstAfterEdit.hover, 0.95) },
      definition: { medianMs: quantile(firstAfterEdit.definition, 0.5), p95Ms: quantile(firstAfterEdit.definition, 0.95) },
      atTheEditMs: firstRequestAtEdit,
    },
    typing: {
      hoverAtEdit: { medianMs: quantile(typing.atEdit, 0.5), p95Ms: quantile(typing.atEdit, 0.95) },
      hoverAway: { medianMs: quantile(typing.away, 0.5), p95Ms: quantile(typing.away, 0.95) },
      editToDiagnostics: { medianMs: quantile(typing.diagnostics, 0.5), p95Ms: quantile(typing.diagnostics, 0.95) },
    },
    memoryOverEdits: memory,
    hover: { medianMs: quantile(hover, 0.5), p95Ms: quantile(hover, 0.95) },
    completion: { medianMs: quantile(completion, 0.5), p95Ms: quantile(completion, 0.95) },
    definition: { medianMs: quantile(definition, 0.5), p95Ms: quantile(definition, 0.95) },
    memory: status,
  };
  if (json) return result;
  const goal = (value, limit) => `${ms(value)} ms ${value <= limit ? '✓' : '✗'} goal ≤ ${limit}`;
  const fa = result.firstRequestAfterEdit;
  const ty = result.typing;
  console.log(`${name}`);
  console.log(`  document: ${(bytes / 1e6).toFixed(2)} MB, ${lines.length} lines, ${funcs} functions`);
  if (features === FEATURES_3) console.log('  (wabt cannot check Wasm 3.0: our parser and validator give its diagnostics)');
  else console.log(`  wabt alone (parseWat + validate, this process): ${ms(result.wabtAloneMs)} ms`);
  console.log(`  open → first diagnostics (includes loading wabt): ${ms(openToDiagnostics)} ms`);
  console.log(`  first request after opening (parses the document): ${ms(firstParse)} ms`);
  console.log(`  edit → fresh diagnostics (a constant's type, same length): median ${goal(result.editToDiagnostics.medianMs, GOALS.diagnosticsMs)}, p95 ${ms(result.editToDiagnostics.p95Ms)} ms (${EDITS} edits, ${errorsSeen} with an error reported)`);
  console.log(`  first request after an edit, away from it: hover p95 ${goal(fa.hover.p95Ms, GOALS.requestP95Ms)} (median ${ms(fa.hover.medianMs)}), definition p95 ${goal(fa.definition.p95Ms, GOALS.requestP95Ms)} (median ${ms(fa.definition.medianMs)})`);
  console.log(`  typing (insert / delete a character, everything after it moves): hover at the edit p95 ${goal(ty.hoverAtEdit.p95Ms, GOALS.requestP95Ms)} (median ${ms(ty.hoverAtEdit.medianMs)}), then away from it p95 ${goal(ty.hoverAway.p95Ms, GOALS.requestP95Ms)}; edit → diagnostics median ${goal(ty.editToDiagnostics.medianMs, GOALS.diagnosticsMs)}, p95 ${ms(ty.editToDiagnostics.p95Ms)} ms`);
  console.log(`  first request after an edit, at the edit: ${goal(fa.atTheEditMs, GOALS.requestP95Ms)}`);
  for (const n of ['hover', 'completion', 'definition']) {
    console.log(`  ${n.padEnd(10)} p95 ${goal(result[n].p95Ms, GOALS.requestP95Ms)}, median ${ms(result[n].medianMs)} ms (${REQUESTS} requests)`);
  }
  console.log(`  parses: ${status.incrementalParses ?? 0} incremental, ${status.fullParses ?? 0} full; ${status.staleAnswers} answers from a previous parse`);
  console.log(
    `  memory: rss ${mb(status.rss)} MB (whole process); heaps: main ${mb(status.heapUsed)} MB` +
      (status.analysisHeapUsed ? `, analysis worker ${mb(status.analysisHeapUsed)} MB` : '') +
      (status.workerHeapUsed ? `, diagnostics worker ${mb(status.workerHeapUsed)} MB (+ wabt's wasm memory)` : ''),
  );
  if (memory) {
    const heaps = (s) => `main ${mb(s.heapUsed)} MB, analysis ${mb(s.analysisHeapUsed ?? 0)} MB, diagnostics ${mb(s.workerHeapUsed ?? 0)} MB, rss ${mb(s.rss)} MB`;
    console.log(`  memory over ${memory.edits} edits (${memory.seconds.toFixed(1)} s): before ${heaps(memory.before)}; after ${heaps(memory.after)}`);
    for (const c of memory.checkpoints) console.log(`    after ${c.edits} edits: ${heaps(c)}`);
  }
  return result;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
