// `wasmscope serve --addr=HOST:PORT COMPONENT`: serves HTTP, handing each request to the
// component's wasi:http handler export (wasi:http/handler@0.3 for a wasi:http/service, or
// wasi:http/incoming-handler@0.2 for a wasi:http/proxy). Prints `Serving HTTP on http://HOST:PORT/`
// as the first line of stderr (port 0: the one chosen), as Wasmtime and the wasi-testsuite runner
// expect; SIGINT and SIGTERM stop it with exit status 0.
import { readFileSync } from 'node:fs';
import { CliError, type Command } from '../command';
import { decodeComponent, isComponent, validateComponent, type ComponentInfo } from '../../core/component';
import { DecodeError, ValidationError } from '../../core/errors';
import { startHttpServer, type HttpHandler } from '../../core/wasi/net';
import { parseRunArgs, type RunOptions } from './run';
import { p3HttpBinding } from './serve-p3';

const USAGE = 'wasmscope serve [--addr HOST:PORT] [--dir HOST[::GUEST]]... [--env NAME[=VALUE]]... [--allow-net[=LIST]] [FEATURE FLAGS] COMPONENT.wasm';

/** The exports a component serves HTTP through. */
const HANDLER_EXPORT = /^wasi:http\/(handler|incoming-handler)(@.*)?$/;

/**
 * Turns a component exporting a wasi:http handler interface into a request handler. The WASI
 * hosts that implement wasi:http register here, each for the export names it binds.
 */
export interface HttpServiceBinding {
  /** Whether this binding serves through `exportName` (e.g. wasi:http/handler@0.3.0). */
  accepts(exportName: string): boolean;
  /** Instantiates the component; the handler is called once per request (concurrently). */
  create(bytes: Uint8Array, info: ComponentInfo, opts: RunOptions): Promise<{ handler: HttpHandler; dispose(): void; cancelAll?(): void }>;
}

export const httpServiceBindings: HttpServiceBinding[] = [p3HttpBinding];

export interface ServeAddress {
  host: string;
  port: number;
}

/** HOST:PORT or [IPv6]:PORT. */
export function parseAddr(text: string): ServeAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new CliError(`--addr ${text}: expected HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:0`);
  return { host: m[1] ?? m[2]!, port };
}

/**
 * Serves `handler` on `addr` until SIGINT or SIGTERM; resolves to the exit status (0 when
 * stopped by a signal). `log` receives the first line and the per-request failures; `onStop`
 * is told of the signal before the server closes (the requests in flight are asked to cancel).
 */
export async function serveHandler(
  handler: HttpHandler, addr: ServeAddress, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`), onStop?: () => void,
): Promise<number> {
  let server;
  try {
    server = await startHttpServer({ host: addr.host, port: addr.port, handler, onError: (m) => log(`wasmscope serve: ${m}`) });
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new CliError(`--addr ${addr.host}:${addr.port}: cannot listen (${code ?? (e as Error).message})`);
  }
  log(`Serving HTTP on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      onStop?.();
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

async function serve(argv: string[]): Promise<number> {
  let addr: ServeAddress = { host: '0.0.0.0', port: 8080 };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--addr' || a.startsWith('--addr=')) {
      const v = a === '--addr' ? argv[++i] : a.slice('--addr='.length);
      if (v === undefined) throw new CliError('--addr needs a value');
      addr = parseAddr(v);
      continue;
    }
    if (!a.startsWith('--')) {
      rest.push(...argv.slice(i));
      break;
    }
    rest.push(a);
  }
  const opts = parseRunArgs(rest);
  if (opts.args.length > 0) throw new CliError(`serve takes one component and no program arguments (got ${opts.args.join(' ')})`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(opts.file);
  } catch (e) {
    throw new CliError(`${opts.file}: cannot read (${(e as { code?: string }).code ?? (e as Error).message})`);
  }
  if (!isComponent(bytes)) throw new CliError(`${opts.file}: not a component: serve runs components that export wasi:http/handler (a core module cannot serve HTTP)`);
  let info: ComponentInfo;
  try {
    info = validateComponent(decodeComponent(bytes, { features: opts.features }), { features: opts.features });
  } catch (e) {
    if (e instanceof DecodeError || e instanceof ValidationError) throw new CliError(`${opts.file}: invalid component: ${e.message}`);
    throw e;
  }
  const names = info.exports.map((e) => e.name);
  const exported = names.find((n) => HANDLER_EXPORT.test(n));
  if (exported === undefined) {
    throw new CliError(`${opts.file}: does not export wasi:http/handler (a wasi:http/service) or wasi:http/incoming-handler (a wasi:http/proxy); it exports ${names.join(', ') || 'nothing'}`);
  }
  const binding = httpServiceBindings.find((b) => b.accepts(exported));
  if (!binding) throw new CliError(`${opts.file}: exports ${exported}, which this build of wasmscope has no host binding for (bound: ${describeBindings()})`);
  const { handler, dispose, cancelAll } = await binding.create(bytes, info, opts);
  try {
    return await serveHandler(handler, addr, undefined, cancelAll);
  } finally {
    dispose();
  }
}

function describeBindings(): string {
  const probes = ['wasi:http/handler@0.3.0', 'wasi:http/incoming-handler@0.2.0'];
  const bound = probes.filter((p) => httpServiceBindings.some((b) => b.accepts(p)));
  return bound.length > 0 ? bound.join(', ') : 'none';
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve HTTP with a wasi:http component (wasi:http/handler export)',
  usage: `${USAGE}

  --addr HOST:PORT     where to listen (default 0.0.0.0:8080; port 0 picks a free port)
  and the options of \`wasmscope run\` (--dir, --env, --allow-net, feature flags).

The first line on stderr is \`Serving HTTP on http://HOST:PORT/\`. SIGINT or SIGTERM stops the
server (exit status 0).`,
  run: serve,
};
