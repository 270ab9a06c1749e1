// core/wasi/net UDP over loopback (bind, send/receive with addresses, connected mode, errors),
// ip-name-lookup (literals, invalid names, the policy gate) and the --allow-net rule syntax.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NetError, NetPolicy, UdpSocket, resolveAddresses, type SocketAddress } from '../../../../core/wasi/net';

const open = NetPolicy.allowAll();
const v4 = (port: number, address = '127.0.0.1'): SocketAddress => ({ family: 'ipv4', address, port });

async function codeOf(f: () => unknown): Promise<string | undefined> {
  try {
    await f();
  } catch (e) {
    if (e instanceof NetError) return e.code;
    throw e;
  }
  return undefined;
}

test('UDP: bind, send to and receive from, with the sender address', async () => {
  const a = new UdpSocket('ipv4', open);
  const b = new UdpSocket('ipv4', open);
  await a.bind(v4(0));
  await b.bind(v4(0));
  assert.equal(a.state, 'bound');
  a.finishBind();
  const pa = a.localAddress().port;
  assert.ok(pa > 0);
  assert.equal(await codeOf(() => a.bind(v4(0))), 'invalid-state');
  const c = new UdpSocket('ipv4', open);
  assert.equal(await codeOf(() => c.bind(v4(pa))), 'address-in-use');
  assert.equal(c.state, 'unbound');
  assert.equal(await codeOf(() => c.finishBind()), 'address-in-use');
  await b.send(new TextEncoder().encode('ping'), v4(pa));
  const d = await a.receive();
  assert.equal(new TextDecoder().decode(d.data), 'ping');
  assert.deepEqual(d.remote, b.localAddress());
  assert.equal(a.tryReceive(), undefined);
  assert.equal(await codeOf(() => b.send(new Uint8Array(70000), v4(pa))), 'datagram-too-large');
  assert.equal(await codeOf(() => b.send(new Uint8Array(1))), 'invalid-argument', 'no destination, not connected');
  assert.equal(await codeOf(() => b.send(new Uint8Array(1), v4(0))), 'invalid-argument');
  a.close();
  b.close();
  c.close();
  assert.equal(await codeOf(() => a.tryReceive()), 'invalid-state');
});

test('UDP: a connected socket sends to its peer by default and refuses other destinations', async () => {
  const a = new UdpSocket('ipv4', open);
  await a.bind(v4(0));
  const b = new UdpSocket('ipv4', open);
  await b.connect(a.localAddress());
  assert.deepEqual(b.remoteAddress(), a.localAddress());
  await b.send(new Uint8Array([1, 2, 3]));
  assert.deepEqual([...(await a.receive()).data], [1, 2, 3]);
  assert.equal(await codeOf(() => b.send(new Uint8Array(1), v4(9))), 'invalid-argument');
  await b.connect(undefined);
  assert.equal(await codeOf(() => b.remoteAddress()), 'invalid-state');
  a.close();
  b.close();
});

test('UDP: the policy refuses binds and sends it does not grant', async () => {
  const s = new UdpSocket('ipv4', NetPolicy.deny());
  assert.equal(await codeOf(() => s.bind(v4(0))), 'access-denied');
  assert.equal(await codeOf(() => s.send(new Uint8Array(1), v4(53, '8.8.8.8'))), 'access-denied');
  s.close();
});

test('ip-name-lookup: literals, invalid names, allowed and denied names', async () => {
  assert.deepEqual(await resolveAddresses('127.0.0.1', NetPolicy.deny()), [{ family: 'ipv4', address: '127.0.0.1' }]);
  assert.deepEqual(await resolveAddresses('[::1]', NetPolicy.deny()), [{ family: 'ipv6', address: '::1' }]);
  assert.equal(await codeOf(() => resolveAddresses('bad name', open)), 'invalid-argument');
  assert.equal(await codeOf(() => resolveAddresses('', open)), 'invalid-argument');
  assert.equal(await codeOf(() => resolveAddresses('localhost', NetPolicy.deny())), 'access-denied');
  const local = await resolveAddresses('localhost', NetPolicy.parse(['localhost']));
  assert.ok(local.length > 0 && local.every((a) => a.address === '127.0.0.1' || a.address === '::1'));
  assert.equal(await codeOf(() => resolveAddresses('no-such-host.invalid', open)), 'name-unresolvable');
});

test('--allow-net rules: hosts, [IPv6], prefixes, ports and ranges; a looked-up name grants its addresses', async () => {
  const p = NetPolicy.parse(['127.0.0.1:8080,[::1]:*,10.0.0.0/8:22', '192.168.1.5', 'localhost:9000-9001']);
  const ok = (address: string, port: number): boolean => {
    try {
      p.check('connect', { family: address.includes(':') ? 'ipv6' : 'ipv4', address, port });
      return true;
    } catch (e) {
      assert.ok(e instanceof NetError && e.code === 'access-denied');
      assert.match(e.message, /--allow-net/);
      return false;
    }
  };
  assert.ok(ok('127.0.0.1', 8080));
  assert.ok(!ok('127.0.0.1', 8081));
  assert.ok(ok('::1', 1));
  assert.ok(ok('0:0:0:0:0:0:0:1', 443));
  assert.ok(ok('10.20.30.40', 22));
  assert.ok(!ok('11.0.0.1', 22));
  assert.ok(ok('192.168.1.5', 1234));
  assert.ok(ok('127.0.0.2', 9001), 'localhost covers the loopback range');
  assert.ok(!ok('127.0.0.2', 9002));
  assert.ok(ok('::ffff:127.0.0.1', 8080), 'IPv4-mapped addresses match as IPv4');
  assert.ok(p.allowsAuthority('localhost', 9000));
  assert.ok(!p.allowsAuthority('example.com', 80));
  assert.ok(!NetPolicy.deny().allowsAuthority('127.0.0.1', 80));
  assert.ok(NetPolicy.parse(['']).isOpen);
  assert.throws(() => NetPolicy.parse(['127.0.0.1:99999']), /bad port/);
  assert.throws(() => NetPolicy.parse(['a b']), /HOST\[:PORT\]/);
  assert.throws(() => NetPolicy.parse(['10.0.0.0/40']), /prefix/);

  const named = NetPolicy.parse(['localhost:7']);
  named.checkLookup('LOCALHOST.');
  assert.throws(() => named.checkLookup('example.com'), NetError);
  const byName = NetPolicy.parse(['myhost.test:80']);
  assert.throws(() => byName.check('connect', v4(80, '10.1.2.3')), NetError);
  byName.noteResolved('myhost.test', ['10.1.2.3']);
  byName.check('connect', v4(80, '10.1.2.3'));
  assert.throws(() => byName.check('connect', v4(81, '10.1.2.3')), NetError);
});
