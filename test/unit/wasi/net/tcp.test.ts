// core/wasi/net TCP over loopback: the state machine, bind reporting address-in-use and the
// chosen port at once, listen/accept/connect, data both ways with end of stream, shutdown,
// options, error codes (connection-refused, invalid-argument, invalid-state) and the policy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetError, NetPolicy, TcpSocket, type SocketAddress } from '../../../../core/wasi/net';

const open = NetPolicy.allowAll();
const v4 = (port: number, address = '127.0.0.1'): SocketAddress => ({ family: 'ipv4', address, port });

function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof NetError) return e.code;
    throw e;
  }
  return undefined;
}

async function asyncCode(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    if (e instanceof NetError) return e.code;
    throw e;
  }
  return undefined;
}

test('bind picks a port at once; a second bind to a listening port is address-in-use', () => {
  const a = new TcpSocket('ipv4', open);
  assert.equal(a.state, 'unbound');
  assert.equal(code(() => a.localAddress()), 'invalid-state');
  a.bind(v4(0));
  assert.equal(a.state, 'bound');
  const port = a.localAddress().port;
  assert.ok(port > 0);
  assert.equal(code(() => a.bind(v4(0))), 'invalid-state');
  a.listen();
  const b = new TcpSocket('ipv4', open);
  assert.equal(code(() => b.bind(v4(port))), 'address-in-use');
  assert.equal(b.state, 'unbound');
  const c = new TcpSocket('ipv4', open);
  assert.equal(code(() => c.bind(v4(0, '192.0.2.1'))), 'address-not-bindable');
  assert.equal(code(() => c.bind({ family: 'ipv6', address: '::1', port: 0 })), 'invalid-argument');
  assert.equal(code(() => c.bind(v4(0, '224.0.0.1'))), 'invalid-argument');
  a.close();
  b.close();
  c.close();
});

test('listen, connect, accept; bytes both ways; shutdown(send) is end of stream for the peer', async () => {
  const server = new TcpSocket('ipv4', open);
  server.bind(v4(0));
  server.listen();
  assert.equal(server.state, 'listening');
  assert.equal(server.tryAccept(), undefined);
  const client = new TcpSocket('ipv4', open);
  const connecting = client.connect(server.localAddress());
  assert.equal(client.state, 'connecting');
  assert.equal(code(() => client.finishConnect()), 'would-block');
  const [conn] = await Promise.all([server.accept(), connecting]);
  client.finishConnect();
  assert.equal(client.state, 'connected');
  assert.deepEqual(client.remoteAddress(), server.localAddress());
  assert.equal(conn.remoteAddress().port, client.localAddress().port);
  assert.equal(conn.localAddress().port, server.localAddress().port);

  await client.write(new TextEncoder().encode('hello, '));
  await client.write(new TextEncoder().encode('world'));
  client.shutdown('send');
  assert.equal(code(() => client.writeCapacity()), 'invalid-state');
  let got = '';
  for (;;) {
    const r = await conn.read(4);
    if (r === 'end') break;
    assert.ok(r.length <= 4);
    got += new TextDecoder().decode(r);
  }
  assert.equal(got, 'hello, world');
  // Half-closed: the other direction still works.
  await conn.write(new TextEncoder().encode('back'));
  conn.shutdown('both');
  const back = await client.read(100);
  assert.notEqual(back, 'end');
  assert.equal(new TextDecoder().decode(back as Uint8Array), 'back');
  assert.equal(await client.read(100), 'end');
  assert.equal(code(() => server.tryRead(1)), 'invalid-state');
  client.close();
  conn.close();
  server.close();
  assert.equal(code(() => server.tryAccept()), 'invalid-state');
});

test('a large transfer goes through with backpressure on both sides', async () => {
  const server = new TcpSocket('ipv4', open);
  server.listen();
  const port = server.localAddress().port;
  const client = new TcpSocket('ipv4', open);
  const [conn] = await Promise.all([server.accept(), client.connect(v4(port))]);
  const data = new Uint8Array(4 << 20).map((_, i) => (i * 7) & 255);
  const sending = client.write(data).then(() => client.shutdown('send'));
  let total = 0;
  let ok = true;
  for (;;) {
    const r = await conn.read(65536);
    if (r === 'end') break;
    for (let i = 0; i < r.length; i++) if (r[i] !== (((total + i) * 7) & 255)) ok = false;
    total += r.length;
  }
  await sending;
  assert.equal(total, data.length);
  assert.ok(ok, 'bytes arrive in order and intact');
  client.close();
  conn.close();
  server.close();
});

test('connect from a bound socket uses its address; refused and invalid targets get their codes', async () => {
  const server = new TcpSocket('ipv4', open);
  server.bind(v4(0));
  server.listen();
  const client = new TcpSocket('ipv4', open);
  client.bind(v4(0));
  const localPort = client.localAddress().port;
  const [conn] = await Promise.all([server.accept(), client.connect(server.localAddress())]);
  assert.equal(conn.remoteAddress().port, localPort);
  assert.equal(code(() => client.connect(server.localAddress())), 'invalid-state');
  conn.close();
  client.close();

  const closed = new TcpSocket('ipv4', open);
  closed.bind(v4(0));
  const deadPort = closed.localAddress().port;
  closed.close();
  const c2 = new TcpSocket('ipv4', open);
  assert.equal(await asyncCode(c2.connect(v4(deadPort))), 'connection-refused');
  assert.equal(c2.state, 'closed');
  const c3 = new TcpSocket('ipv4', open);
  assert.equal(code(() => c3.connect(v4(0))), 'invalid-argument');
  assert.equal(code(() => c3.connect(v4(80, '0.0.0.0'))), 'invalid-argument');
  assert.equal(code(() => c3.connect({ family: 'ipv6', address: '::1', port: 80 })), 'invalid-argument');
  assert.equal(code(() => server.connect(v4(80))), 'invalid-state');
  c3.close();
  server.close();
});

test('IPv6 loopback works the same', async () => {
  const server = new TcpSocket('ipv6', open);
  try {
    server.bind({ family: 'ipv6', address: '::1', port: 0 });
  } catch (e) {
    if (e instanceof NetError && e.code === 'address-not-bindable') return; // no IPv6 on this machine
    throw e;
  }
  server.listen();
  const client = new TcpSocket('ipv6', open);
  const [conn] = await Promise.all([server.accept(), client.connect(server.localAddress())]);
  assert.equal(conn.remoteAddress().family, 'ipv6');
  assert.equal(conn.remoteAddress().address, '::1');
  client.close();
  conn.close();
  server.close();
});

test('options validate their values and accepted sockets inherit them', async () => {
  const server = new TcpSocket('ipv4', open);
  assert.equal(code(() => server.setHopLimit(0)), 'invalid-argument');
  assert.equal(code(() => server.setReceiveBufferSize(0n)), 'invalid-argument');
  assert.equal(code(() => server.setKeepAliveIdleTime(0n)), 'invalid-argument');
  assert.equal(code(() => server.setListenBacklog(0)), 'invalid-argument');
  server.setKeepAlive(true);
  server.setKeepAliveIdleTime(30_000_000_000n);
  server.setHopLimit(12);
  server.setNoDelay(true);
  server.listen();
  const client = new TcpSocket('ipv4', open);
  const [conn] = await Promise.all([server.accept(), client.connect(v4(server.localAddress().port))]);
  assert.equal(conn.getOptions().keepAliveEnabled, true);
  assert.equal(conn.getOptions().keepAliveIdleTime, 30_000_000_000n);
  assert.equal(conn.getOptions().hopLimit, 12);
  assert.equal(code(() => client.setListenBacklog(5)), 'invalid-state');
  client.close();
  conn.close();
  server.close();
});

test('the policy: nothing by default; a granted address and port only', async () => {
  const denied = new TcpSocket('ipv4', NetPolicy.deny());
  assert.equal(code(() => denied.bind(v4(0))), 'access-denied');
  assert.equal(code(() => denied.connect(v4(80))), 'access-denied');
  assert.equal(denied.state, 'unbound');

  const server = new TcpSocket('ipv4', open);
  server.listen();
  const port = server.localAddress().port;
  const some = NetPolicy.parse([`127.0.0.1:${port}`]);
  const ok = new TcpSocket('ipv4', some);
  const [conn] = await Promise.all([server.accept(), ok.connect(v4(port))]);
  const other = new TcpSocket('ipv4', some);
  assert.equal(code(() => other.connect(v4(port + 1 > 65535 ? port - 1 : port + 1))), 'access-denied');
  assert.equal(code(() => other.bind(v4(0))), 'access-denied', 'binding port 0 needs a rule for any port');
  ok.close();
  conn.close();
  server.close();
});
