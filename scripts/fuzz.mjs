#!/usr/bin/env node
// Longer fuzz runs than `npm test` does: `node scripts/fuzz.mjs [--target a,b] [--seed N] [--iterations N]
// [--minutes M] [--from I] [--stride K]`. Each target runs in a child process with a memory cap and a
// hang watchdog; crashing inputs go to .fuzz-crashes/ (git-ignored) with what they threw. Prints iterations
// per target and the distinct crashes. Exit status 1 when anything crashed.
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const ALL = ['decode', 'compile', 'run', 'disassemble', 'dwarf', 'wat', 'assemble', 'wast', 'lsp-wat', 'lsp-wast'];
const EXT = { decode: 'wasm', compile: 'wasm', run: 'wasm', disassemble: 'wasm', dwarf: 'wasm', 'component-inspect': 'wasm', 'component-run': 'wasm', wat: 'wat', assemble: 'wat', wast: 'wast', 'lsp-wat': 'wat', 'lsp-wast': 'wast' };

function parseArgs(argv) {
  const o = { targets: ALL, seed: 1, iterations: undefined, minutes: undefined, from: 0, stride: 1 };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--target': o.targets = v.split(','); i++; break;
      case '--seed': o.seed = Number(v); i++; break;
      case '--iterations': o.iterations = Number(v); i++; break;
      case '--minutes': o.minutes = Number(v); i++; break;
      case '--from': o.from = Number(v); i++; break;
      case '--stride': o.stride = Number(v); i++; break;
      case '-h': case '--help':
        console.log('usage: node scripts/fuzz.mjs [--target a,b] [--seed N] [--iterations N] [--minutes M] [--from I] [--stride K]');
        console.log(`targets: ${ALL.join(', ')}`);
        process.exit(0);
        break;
      default: throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  for (const t of o.targets) if (!ALL.includes(t)) throw new Error(`unknown target ${t} (${ALL.join(', ')})`);
  if (o.iterations === undefined && o.minutes === undefined) o.iterations = 1000;
  return o;
}

const HANG_MS = 30_000;
const MEMORY_MB = 1024;

/** Runs iterations [from, from+n) of one target in a child process until done or the deadline, restarting after a kill. */
async function fuzzOne(name, opts, deadline, crashes) {
  let from = opts.from;
  let left = opts.iterations ?? Infinity;
  let total = 0;
  let typed = 0;
  // Inputs during which the child went quiet; on a loaded machine that can be starvation, so each is
  // run again alone below and counts as a hang only if it is slow on its own too.
  const suspects = [];
  while (left > 0 && Date.now() < deadline) {
    const result = await new Promise((resolve) => {
      let at = from;
      let count = 0;
      let started = false;
      const job = { target: name, seed: opts.seed, from, iterations: left, seconds: (deadline - Date.now()) / 1000, perInputMs: 10_000, specStride: opts.stride };
      const worker = fork(join(import.meta.dirname, 'fuzz-worker.mjs'), [JSON.stringify(job)], {
        execArgv: ['--import', 'tsx', `--max-old-space-size=${MEMORY_MB}`],
        serialization: 'advanced',
        stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
      });
      let stderr = '';
      worker.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
      let timer;
      // Loading the corpus can take a while on a busy machine: the watchdog is lenient until the first input.
      const arm = (ms = HANG_MS) => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          // Past the time box a silent child is only finishing up (its last report can be late).
          if (Date.now() > deadline) {
            worker.kill('SIGKILL');
            return;
          }
          suspects.push(at);
          worker.kill('SIGKILL');
        }, ms);
      };
      arm(10 * HANG_MS);
      worker.on('message', (m) => {
        if (m.kind === 'at') {
          started = true;
          at = m.iteration;
          count = at - from;
          arm();
        } else if (m.kind === 'crash') crashes.push(m.crash);
        else if (m.kind === 'done') {
          finished = true;
          clearTimeout(timer);
          resolve({ iterations: m.iterations, typed: m.typedErrors, next: undefined });
        }
      });
      let finished = false;
      worker.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (finished) return;
        if (!started) {
          console.error(`scripts/fuzz.mjs: the ${name} worker failed to start\n${stderr}`);
          process.exit(2);
        }
        if (signal !== 'SIGKILL' && code !== 0) {
          const oom = /heap out of memory|Allocation failed/.test(stderr);
          crashes.push({ target: name, seed: opts.seed, iteration: at, kind: oom ? 'oom' : 'died', message: `exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' ')}`.slice(0, 300), where: '' });
        }
        // Killed or died mid-run: carry on after the input that did it.
        resolve({ iterations: count + 1, typed: 0, next: at + 1 });
      });
    });
    total += result.iterations;
    typed += result.typed;
    if (result.next === undefined) break;
    left -= result.next - from;
    from = result.next;
  }
  for (const at of suspects) {
    if (!(await finishesAlone(name, opts, at))) {
      crashes.push({ target: name, seed: opts.seed, iteration: at, kind: 'hang', message: `no progress for ${HANG_MS / 1000} s, also when run alone`, where: '' });
    }
  }
  return { total, typed };
}

/** Whether one iteration, run by itself in a fresh child, finishes within the hang limit. */
function finishesAlone(name, opts, iteration) {
  const job = { target: name, seed: opts.seed, from: iteration, iterations: 1, seconds: null, perInputMs: 10_000, specStride: opts.stride };
  const child = fork(join(import.meta.dirname, 'fuzz-worker.mjs'), [JSON.stringify(job)], {
    execArgv: ['--import', 'tsx', `--max-old-space-size=${MEMORY_MB}`], serialization: 'advanced', stdio: ['ignore', 'inherit', 'ignore', 'ipc'],
  });
  return new Promise((resolve) => {
    let timer;
    child.on('message', (m) => {
      // The clock starts when the input does (loading the corpus is not the input's time).
      if (m.kind === 'at') timer = setTimeout(() => child.kill('SIGKILL'), HANG_MS);
      if (m.kind === 'done') resolve(true);
    });
    child.on('exit', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

function save(crash) {
  const dir = join(root, '.fuzz-crashes');
  mkdirSync(dir, { recursive: true });
  const base = join(dir, `${crash.target}-s${crash.seed}-i${crash.iteration}`);
  if (crash.input !== undefined) writeFileSync(`${base}.${EXT[crash.target]}`, crash.input);
  writeFileSync(`${base}.txt`, `${crash.kind}: ${crash.message}\n${crash.where}\n`);
  return base;
}

// The harness is TypeScript: run again under tsx (the workers get the same flag) unless already there.
if (!process.execArgv.some((a) => a.includes('tsx'))) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const opts = parseArgs(process.argv.slice(2));
const crashes = [];
const rows = [];
for (const name of opts.targets) {
  // An even share of the time box for each target (corpus loading, seconds on a busy machine, comes on top).
  const deadline = opts.minutes === undefined ? Infinity : Date.now() + (opts.minutes * 60_000) / opts.targets.length;
  const before = crashes.length;
  const t0 = Date.now();
  const { total, typed } = await fuzzOne(name, opts, deadline, crashes);
  const found = crashes.slice(before);
  rows.push({ target: name, iterations: total, typedErrors: typed, crashes: found.length, seconds: Math.round((Date.now() - t0) / 1000) });
  console.log(`${name.padEnd(12)} ${String(total).padStart(8)} iterations  ${String(typed).padStart(8)} typed errors  ${found.length} crashes  ${rows.at(-1).seconds} s`);
}

const seen = new Map();
for (const c of crashes) {
  const key = `${c.target}|${c.kind}|${c.message.replace(/\d+/g, 'N').slice(0, 80)}|${c.where}`;
  if (!seen.has(key)) seen.set(key, { crash: c, count: 0 });
  seen.get(key).count++;
}
for (const { crash, count } of seen.values()) {
  console.log(`\n${crash.target} ${crash.kind} ×${count}: ${crash.message}\n  ${crash.where}\n  saved ${save(crash)}`);
}
console.log(`\n${rows.reduce((n, r) => n + r.iterations, 0)} iterations, ${crashes.length} crashing inputs, ${seen.size} distinct (seed ${opts.seed})`);
process.exit(crashes.length > 0 ? 1 : 0);
