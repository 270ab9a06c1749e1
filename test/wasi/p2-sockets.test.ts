// wasi:sockets@0.2 in the 0.2 host. A component written in component text
// (test/fixtures/component/sockets/tcp-client.wat, assembled with `jco parse`) connects through
// `wasmscope run` to a loopback server in this test, sends and copies the reply to stdout: granted
// by --allow-net it works, without it start-connect says access-denied, to a closed port
// finish-connect says connection-refused. The host's interfaces are also driven directly for
// what the component does not cover: listen/accept, UDP datagram streams, name lookup.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BufferSink, BufferSource, nodeClock, nodeRandom } from '../../core/wasi';
import { NetPolicy } from '../../core/wasi/net';
import { WasiP2, type Tagged } from '../../core/wasi/p2';
import type { HostInterface } from '../../core/component';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'dist', 'cli.js');
const jco = join(root, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
const source = join(root, 'test', 'fixtures', 'component', 'sockets', 'tcp-client.wat');

function run(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [cli, 'run', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill(), 60_000);
  return once(child, 'exit').then(([status]) => {
    clearTimeout(timer);
    return { status: status as number | null, stdout, stderr };
  });
}

const missing = !existsSync(cli) ? 'dist/cli.js is missing (npm run build)' : !existsSync(jco) ? '@bytecodealliance/jco is not installed' : undefined;

test('a component connects to a loopback server through wasmscope run, as --allow-net permits', { skip: missing }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmscope-p2-sockets-'));
  try {
    const wasm = join(dir, 'tcp-client.wasm');
    const built = spawnSync(process.execPath, [jco, 'parse', source, '-o', wasm], { encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
    const received: string[] = [];
    const server = net.createServer((c) => c.on('data', (d) => {
      received.push(d.toString());
      c.end(`reply:${d.toString()}`);
    }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as net.AddressInfo).port;
    try {
      const ok = await run([`--allow-net=127.0.0.1:${port}`, wasm, String(port)]);
      assert.equal(ok.stderr, '');
      assert.equal(ok.stdout, 'reply:hello');
      assert.equal(ok.status, 0);
      assert.deepEqual(received, ['hello']);

      const denied = await run([wasm, String(port)]);
      assert.equal(denied.stdout, 'error b\n', 'access-denied is error-code 1');
      assert.equal(denied.status, 1);
      const otherPort = await run([`--allow-net=127.0.0.1:${port + 1}`, wasm, String(port)]);
      assert.equal(otherPort.stdout, 'error b\n');
      assert.equal(received.length, 1, 'denied programs never reached the server');
    } finally {
      server.close();
    }
    const refused = await run(['--allow-net=127.0.0.1', wasm, String(port)]);
    assert.equal(refused.stdout, 'error o\n', 'connection-refused is error-code 14');
    assert.equal(refused.status, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The host's functions, called as the canonical ABI would (WIT values in and out). */
function host(policy = NetPolicy.allowAll()): { h: WasiP2; i: (name: string) => HostInterface } {
  const h = new WasiP2({ io: { stdout: new BufferSink(), stderr: new BufferSink(), stdin: new BufferSource(''), clock: nodeClock, random: nodeRandom }, net: policy });
  return { h, i: (name) => h.resolve(`${name}@0.2.3`)! };
}

const okVal = (t: unknown): unknown => {
  if ((t as Tagged).tag !== 'ok') assert.fail(`expected ok, got ${(t as Tagged).tag} ${String((t as Tagged).val)}`);
  return (t as Tagged).val;
};

/** Polls `pollable` the way the guest would, giving the event loop a turn while it is not ready. */
async function waitReady(i: (name: string) => HostInterface, pollable: unknown, h: WasiP2): Promise<void> {
  const poll = i('wasi:io/poll');
  while (!(poll['[method]pollable.ready']!(pollable) as boolean)) {
    poll['[method]pollable.block']!(pollable);
    if (h.waiting) await h.waitForIO();
  }
}

const loopback = (port: number): Tagged => ({ tag: 'ipv4', val: { port, address: [127, 0, 0, 1] } });

test('tcp through the 0.2 interfaces: bind, listen, accept, connect, streams, addresses, errors', async () => {
  const { h, i } = host();
  const tcp = i('wasi:sockets/tcp');
  const create = i('wasi:sockets/tcp-create-socket')['create-tcp-socket']!;
  const network = i('wasi:sockets/instance-network')['instance-network']!();
  const listener = okVal(create('ipv4'));
  assert.deepEqual(tcp['[method]tcp-socket.finish-bind']!(listener), { tag: 'err', val: 'not-in-progress' });
  assert.deepEqual(tcp['[method]tcp-socket.start-listen']!(listener), { tag: 'err', val: 'invalid-state' }, '0.2 listens only once bound');
  okVal(tcp['[method]tcp-socket.start-bind']!(listener, network, loopback(0)));
  assert.deepEqual(tcp['[method]tcp-socket.start-bind']!(listener, network, loopback(0)), { tag: 'err', val: 'concurrency-conflict' });
  okVal(tcp['[method]tcp-socket.finish-bind']!(listener));
  okVal(tcp['[method]tcp-socket.start-listen']!(listener));
  okVal(tcp['[method]tcp-socket.finish-listen']!(listener));
  assert.equal(tcp['[method]tcp-socket.is-listening']!(listener), true);
  const local = okVal(tcp['[method]tcp-socket.local-address']!(listener)) as Tagged;
  const port = (local.val as { port: number }).port;
  assert.ok(port > 0);
  assert.deepEqual(tcp['[method]tcp-socket.accept']!(listener), { tag: 'err', val: 'would-block' });

  const client = okVal(create('ipv4'));
  okVal(tcp['[method]tcp-socket.start-connect']!(client, network, loopback(port)));
  assert.deepEqual(tcp['[method]tcp-socket.finish-connect']!(client), { tag: 'err', val: 'would-block' });
  await waitReady(i, tcp['[method]tcp-socket.subscribe']!(client), h);
  const [cin, cout] = okVal(tcp['[method]tcp-socket.finish-connect']!(client)) as unknown[];
  await waitReady(i, tcp['[method]tcp-socket.subscribe']!(listener), h);
  const [conn, sin, sout] = okVal(tcp['[method]tcp-socket.accept']!(listener)) as unknown[];
  assert.deepEqual(okVal(tcp['[method]tcp-socket.remote-address']!(conn)), okVal(tcp['[method]tcp-socket.local-address']!(client)));

  const streams = i('wasi:io/streams');
  assert.ok((okVal(streams['[method]output-stream.check-write']!(cout)) as bigint) > 0n);
  okVal(streams['[method]output-stream.write']!(cout, new TextEncoder().encode('ping')));
  await waitReady(i, streams['[method]input-stream.subscribe']!(sin), h);
  assert.equal(new TextDecoder().decode(okVal(streams['[method]input-stream.read']!(sin, 100n)) as Uint8Array), 'ping');
  assert.equal((okVal(streams['[method]input-stream.read']!(sin, 100n)) as Uint8Array).length, 0, 'nothing more yet');
  // A blocking read with nothing there parks the call (the machine would stop 'blocked').
  assert.equal(typeof streams['[method]input-stream.blocking-read']!(sin, 100n), 'symbol');
  assert.ok(h.waiting);
  const r = streams['[method]output-stream.blocking-write-and-flush']!(sout, new TextEncoder().encode('pong'));
  if (typeof r === 'symbol') {
    await h.waitForIO();
    okVal(streams['[method]output-stream.blocking-write-and-flush']!(sout, new TextEncoder().encode('pong')));
  } else okVal(r);
  await waitReady(i, streams['[method]input-stream.subscribe']!(cin), h);
  assert.equal(new TextDecoder().decode(okVal(streams['[method]input-stream.read']!(cin, 100n)) as Uint8Array), 'pong');
  // shutdown(send): the peer's read ends with closed.
  okVal(tcp['[method]tcp-socket.shutdown']!(client, 'send'));
  await waitReady(i, streams['[method]input-stream.subscribe']!(sin), h);
  assert.deepEqual(streams['[method]input-stream.read']!(sin, 100n), { tag: 'err', val: { tag: 'closed' } });

  okVal(tcp['[method]tcp-socket.set-keep-alive-enabled']!(client, true));
  assert.equal(okVal(tcp['[method]tcp-socket.keep-alive-enabled']!(client)), true);
  assert.deepEqual(tcp['[method]tcp-socket.set-hop-limit']!(client, 0), { tag: 'err', val: 'invalid-argument' });
  assert.deepEqual(tcp['[method]tcp-socket.start-connect']!(client, network, loopback(port)), { tag: 'err', val: 'invalid-state' });
  assert.deepEqual(tcp['[method]tcp-socket.start-connect']!(okVal(create('ipv4')), network, { tag: 'ipv6', val: { port, 'flow-info': 0, address: [0, 0, 0, 0, 0, 0, 0, 1], 'scope-id': 0 } }),
    { tag: 'err', val: 'invalid-argument' });
  h.dispose();
});

test('udp through the 0.2 interfaces: bind, datagram streams both ways, connected mode, permits', async () => {
  const { h, i } = host();
  const udp = i('wasi:sockets/udp');
  const create = i('wasi:sockets/udp-create-socket')['create-udp-socket']!;
  const network = i('wasi:sockets/instance-network')['instance-network']!();
  const bindBoth = async (s: unknown): Promise<number> => {
    okVal(udp['[method]udp-socket.start-bind']!(s, network, loopback(0)));
    await waitReady(i, udp['[method]udp-socket.subscribe']!(s), h);
    okVal(udp['[method]udp-socket.finish-bind']!(s));
    return ((okVal(udp['[method]udp-socket.local-address']!(s)) as Tagged).val as { port: number }).port;
  };
  const a = okVal(create('ipv4'));
  const b = okVal(create('ipv4'));
  assert.deepEqual(udp['[method]udp-socket.stream']!(a, { tag: 'none' }), { tag: 'err', val: 'invalid-state' }, 'stream needs a bound socket');
  const pa = await bindBoth(a);
  const pb = await bindBoth(b);
  const [ain] = okVal(udp['[method]udp-socket.stream']!(a, { tag: 'none' })) as unknown[];
  const [, bout] = okVal(udp['[method]udp-socket.stream']!(b, { tag: 'some', val: loopback(pa) })) as unknown[];
  await waitReady(i, udp['[method]outgoing-datagram-stream.subscribe']!(bout), h);
  const permits = okVal(udp['[method]outgoing-datagram-stream.check-send']!(bout)) as bigint;
  assert.ok(permits >= 2n);
  const sent = okVal(udp['[method]outgoing-datagram-stream.send']!(bout, [
    { data: new Uint8Array([1]), 'remote-address': { tag: 'none' } },
    { data: new Uint8Array([2, 2]), 'remote-address': { tag: 'some', val: loopback(pa) } },
  ]));
  assert.equal(sent, 2n);
  const got: number[][] = [];
  while (got.length < 2) {
    await waitReady(i, udp['[method]incoming-datagram-stream.subscribe']!(ain), h);
    for (const d of okVal(udp['[method]incoming-datagram-stream.receive']!(ain, 10n)) as { data: Uint8Array; 'remote-address': Tagged }[]) {
      got.push([...d.data]);
      assert.equal((d['remote-address'].val as { port: number }).port, pb);
    }
  }
  assert.deepEqual(got, [[1], [2, 2]]);
  okVal(udp['[method]outgoing-datagram-stream.check-send']!(bout));
  assert.deepEqual(udp['[method]outgoing-datagram-stream.send']!(bout, [{ data: new Uint8Array(1), 'remote-address': { tag: 'some', val: loopback(9) } }]),
    { tag: 'err', val: 'invalid-argument' }, 'a connected stream sends only to its peer');
  assert.throws(() => udp['[method]outgoing-datagram-stream.send']!(bout, new Array(Number(permits) + 1).fill({ data: new Uint8Array(1), 'remote-address': { tag: 'none' } })),
    /check-send permitted/);
  h.dispose();
});

test('ip-name-lookup and the policy through the 0.2 interfaces', async () => {
  const { h, i } = host(NetPolicy.parse(['localhost:*']));
  const lookup = i('wasi:sockets/ip-name-lookup');
  const network = i('wasi:sockets/instance-network')['instance-network']!();
  const stream = okVal(lookup['resolve-addresses']!(network, 'localhost'));
  await waitReady(i, lookup['[method]resolve-address-stream.subscribe']!(stream), h);
  const first = okVal(lookup['[method]resolve-address-stream.resolve-next-address']!(stream)) as Tagged;
  assert.equal(first.tag, 'some');
  const ip = first.val as Tagged;
  assert.ok(ip.tag === 'ipv4' ? JSON.stringify(ip.val) === '[127,0,0,1]' : JSON.stringify(ip.val) === '[0,0,0,0,0,0,0,1]');
  for (;;) {
    const next = okVal(lookup['[method]resolve-address-stream.resolve-next-address']!(stream)) as Tagged;
    if (next.tag === 'none') break;
  }
  assert.deepEqual(lookup['resolve-addresses']!(network, 'example.com'), { tag: 'err', val: 'access-denied' });
  assert.deepEqual(lookup['resolve-addresses']!(network, 'not a name'), { tag: 'err', val: 'invalid-argument' });
  const udp = i('wasi:sockets/udp');
  const s = okVal(i('wasi:sockets/udp-create-socket')['create-udp-socket']!('ipv4'));
  assert.deepEqual(udp['[method]udp-socket.start-bind']!(s, network, { tag: 'ipv4', val: { port: 0, address: [0, 0, 0, 0] } }), { tag: 'err', val: 'access-denied' });
  h.dispose();
});

test('a guest that keeps checking without blocking still sees the network (the host yields every so often)', async () => {
  const server = net.createServer((c) => c.end('x'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as net.AddressInfo).port;
  const { h, i } = host();
  const tcp = i('wasi:sockets/tcp');
  const network = i('wasi:sockets/instance-network')['instance-network']!();
  const s = okVal(i('wasi:sockets/tcp-create-socket')['create-tcp-socket']!('ipv4'));
  okVal(tcp['[method]tcp-socket.start-connect']!(s, network, loopback(port)));
  // What a machine does with a busy-polling guest: call again at once, unless the call said
  // WOULD_BLOCK (then the run loop awaits waitForIO). Without the host's yields this never ends.
  let checks = 0;
  let yields = 0;
  let r: unknown;
  for (;;) {
    r = tcp['[method]tcp-socket.finish-connect']!(s);
    checks++;
    if (typeof r === 'symbol') {
      yields++;
      await h.waitForIO();
      continue;
    }
    if ((r as Tagged).tag === 'ok' || (r as Tagged).val !== 'would-block') break;
    assert.ok(checks < 1_000_000, 'the connection never came up');
  }
  assert.equal((r as Tagged).tag, 'ok');
  assert.ok(yields > 0);
  const [input] = (r as Tagged).val as unknown[];
  const streams = i('wasi:io/streams');
  let got: Tagged;
  for (;;) {
    const x = streams['[method]input-stream.read']!(input, 10n);
    if (typeof x === 'symbol') {
      await h.waitForIO();
      continue;
    }
    got = x as Tagged;
    if (got.tag !== 'ok' || (got.val as Uint8Array).length > 0) break;
  }
  assert.equal(new TextDecoder().decode(got.val as Uint8Array), 'x');
  h.dispose();
  server.close();
});
