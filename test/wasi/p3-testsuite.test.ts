// The WASI 0.3 test suite (../shared/wasi-testsuite/rust-wasip3: Rust programs built for
// wasm32-wasip3, async components exporting wasi:cli/run@0.3.0), every case through the bundled
// `wasmscope run` (dist/cli.js) as specification.md describes: args, env, the preopened root
// copied to a temp dir, the operations in order (read stdout, write stdin, connect/send/recv to
// the program's TCP server, wait for the exit code). wasi:http/service cases are served and
// judged by the official runner (official-runner.test.ts). p3-known-failures.txt lists the cases
// that cannot pass yet, each with why; a listed case that passes fails the check. Each
// category's pass count and time is printed with WASMSCOPE_P3_TIMES=1.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createConnection, type Socket } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { copyPreopens } from './testsuite-runner';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const suite = join(root, '..', 'shared', 'wasi-testsuite', 'rust-wasip3');

const knownFailures = new Map(
  readFileSync(join(import.meta.dirname, 'p3-known-failures.txt'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [name, reason] = l.split('\t');
    return [name!, reason ?? ''] as const;
  }),
);

interface Operation {
  type: string;
  args?: string[];
  env?: Record<string, string>;
  exit_code?: number;
  id?: string;
  payload?: string;
}

interface Spec {
  world: string;
  root: string | null;
  dirs: string[];
  proposals: string[];
  operations: Operation[];
}

function readSpec(wasm: string): Spec {
  const jsonPath = wasm.replace(/\.wasm$/, '.json');
  const raw = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  const ops = Array.isArray(raw.operations) ? (raw.operations as Operation[]) : [{ type: 'run' }, { type: 'wait', exit_code: typeof raw.exit_code === 'number' ? raw.exit_code : 0 }];
  return {
    world: typeof raw.world === 'string' ? raw.world : 'wasi:cli/command',
    root: typeof raw.root === 'string' ? raw.root : null, dirs: Array.isArray(raw.dirs) ? (raw.dirs as string[]) : [],
    proposals: Array.isArray(raw.proposals) ? (raw.proposals as string[]) : [], operations: ops,
  };
}

/** Runs one case; null when it passes, else what went wrong. */
async function runCase(wasm: string): Promise<string | null> {
  const spec = readSpec(wasm);
  const dir = join(wasm, '..');
  const tmp = mkdtempSync(join(tmpdir(), 'wasi-p3-'));
  try {
    const flags: string[] = [];
    for (const p of copyPreopens(spec, dir, tmp)) flags.push('--dir', `${p.host}::${p.guest}`);
    const run = spec.operations.find((o) => o.type === 'run') ?? { type: 'run' };
    for (const [k, v] of Object.entries(run.env ?? {})) flags.push('--env', `${k}=${v}`);
    // As the official runner's adapters: the network is closed unless the test's proposals need it.
    if (spec.proposals.includes('sockets') || spec.proposals.includes('http')) flags.push('--allow-net');
    for (const op of spec.operations) {
      if (!['run', 'read', 'write', 'wait', 'connect', 'send', 'recv'].includes(op.type)) return `operation ${op.type} is not supported by this runner`;
    }
    const sockets = new Map<string, { socket: Socket; data: Buffer }>();
    const child = spawn(process.execPath, [cli, 'run', ...flags, basename(wasm), ...(run.args ?? [])], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let waiters: (() => void)[] = [];
    const poke = (): void => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      poke();
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => {
      poke();
      resolve(code);
    }));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    try {
      let readAt = 0;
      for (const op of spec.operations) {
        if (op.type === 'read') {
          const want = op.payload ?? '';
          const ok = async (): Promise<boolean> => {
            for (;;) {
              if (stdout.length - readAt >= want.length) return true;
              if (child.exitCode !== null) return false;
              await new Promise<void>((r) => waiters.push(r));
            }
          };
          if (!(await ok())) return `stdout ${JSON.stringify(stdout.slice(readAt))}, expected ${JSON.stringify(want)}\nstderr: ${stderr}`;
          const got = stdout.slice(readAt, readAt + want.length);
          if (got !== want) return `stdout ${JSON.stringify(got)}, expected ${JSON.stringify(want)}\nstderr: ${stderr}`;
          readAt += want.length;
        } else if (op.type === 'write') {
          child.stdin.write(op.payload ?? '');
        } else if (op.type === 'connect') {
          // The program prints HOST:PORT of its server as a line of stdout (as the official runner expects).
          for (;;) {
            if (stdout.indexOf('\n', readAt) >= 0 || child.exitCode !== null) break;
            await new Promise<void>((r) => waiters.push(r));
          }
          const nl = stdout.indexOf('\n', readAt);
          if (nl < 0) return `connect: no HOST:PORT line on stdout\nstderr: ${stderr}`;
          const m = /^(.*):(\d+)$/.exec(stdout.slice(readAt, nl).trim());
          readAt = nl + 1;
          if (!m) return `connect: expected HOST:PORT on stdout, got ${JSON.stringify(stdout.slice(readAt, nl))}`;
          const socket = createConnection({ host: m[1]!, port: Number(m[2]) });
          const entry = { socket, data: Buffer.alloc(0) };
          socket.on('data', (d: Buffer) => {
            entry.data = Buffer.concat([entry.data, d]);
            poke();
          });
          socket.on('close', poke);
          const failed = await new Promise<string | null>((resolve) => {
            socket.once('connect', () => resolve(null));
            socket.once('error', (e) => resolve(`connect to ${m[1]}:${m[2]}: ${e.message}`));
          });
          if (failed) return failed;
          sockets.set(op.id ?? '', entry);
        } else if (op.type === 'send') {
          sockets.get(op.id ?? '')?.socket.write(op.payload ?? '');
        } else if (op.type === 'recv') {
          const e = sockets.get(op.id ?? '');
          if (!e) return `recv: no connection ${op.id}`;
          const want = Buffer.from(op.payload ?? '');
          while (e.data.length < want.length && !e.socket.destroyed && child.exitCode === null) await new Promise<void>((r) => waiters.push(r));
          if (!e.data.subarray(0, want.length).equals(want)) return `recv ${JSON.stringify(e.data.toString())}, expected ${JSON.stringify(want.toString())}`;
          e.data = e.data.subarray(want.length);
        } else if (op.type === 'wait') {
          child.stdin.end();
          const code = await exited;
          const want = op.exit_code ?? 0;
          if (code !== want) return `exit code ${code}, expected ${want}\nstderr: ${stderr}`;
        }
      }
      child.stdin.end();
      await exited;
      return null;
    } finally {
      clearTimeout(timer);
      for (const e of sockets.values()) e.socket.destroy();
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const times = new Map<string, { ms: number; pass: number; total: number }>();
after(() => {
  if (process.env.WASMSCOPE_P3_TIMES !== '1') return;
  for (const [cat, t] of times) process.stderr.write(`p3 ${cat}: ${t.pass}/${t.total} pass, ${t.ms.toFixed(0)} ms\n`);
});

if (!existsSync(suite)) {
  test('wasi-testsuite rust-wasip3', { skip: '../shared/wasi-testsuite/rust-wasip3 is absent' }, () => {});
} else if (!existsSync(cli)) {
  test('wasi-testsuite rust-wasip3', { skip: 'dist/cli.js is missing (npm run build)' }, () => {});
} else {
  const cases = readdirSync(suite).filter((f) => f.endsWith('.wasm')).sort();
  test('p3-known-failures.txt names only cases that exist', () => {
    for (const name of knownFailures.keys()) assert.ok(cases.includes(name), `${name} is not in rust-wasip3`);
  });
  for (const name of cases) {
    if (readSpec(join(suite, name)).world === 'wasi:http/service') {
      // Served by `wasmscope serve` and judged by HTTP requests: the official runner's job.
      test(`wasi-testsuite rust-wasip3 ${name}`, { skip: 'a wasi:http/service: run through the official runner (official-runner.test.ts, row p3)' }, () => {});
      continue;
    }
    const known = knownFailures.get(name);
    const category = name.replace(/[-.].*$/, '').replace(/^run$/, 'cli').replace(/^monotonic$/, 'clocks');
    test(`wasi-testsuite rust-wasip3 ${name} through wasmscope run${known === undefined ? '' : ' (known failure)'}`, async () => {
      const t0 = performance.now();
      const failure = await runCase(join(suite, name));
      const t = times.get(category) ?? { ms: 0, pass: 0, total: 0 };
      t.ms += performance.now() - t0;
      t.total++;
      if (failure === null) t.pass++;
      times.set(category, t);
      if (known === undefined) assert.equal(failure, null);
      else assert.notEqual(failure, null, `${name} passes now: delete its line from p3-known-failures.txt (${known})`);
    });
  }
}
