// The .wasm view's page script (client/wasm-view/html.ts) over a minimal DOM: it asks only for the
// chunks it shows, grows with the count, re-asks a chunk answered short, and past a few million
// lines maps the scrollbar to lines proportionally (the spacer stays within what a browser lays out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webviewHtml } from '../../client/wasm-view/html';

interface El { style: Record<string, string>; scrollTop: number; clientHeight: number; hidden: boolean; textContent: string; innerHTML: string; listeners: Record<string, () => void>; addEventListener(t: string, f: () => void): void }

function page() {
  const script = /<script nonce="[^"]+">([\s\S]*?)<\/script>/.exec(webviewHtml('csp', 'x.wasm'))![1]!;
  const els = new Map<string, El>();
  const el = (id: string): El => {
    let e = els.get(id);
    if (!e) {
      e = { style: {}, scrollTop: 0, clientHeight: id === 'scroller' ? 400 : 0, hidden: false, textContent: '', innerHTML: '', listeners: {}, addEventListener(t, f) { this.listeners[t] = f; } };
      els.set(id, e);
    }
    return e;
  };
  const posted: { type: string; start?: number; end?: number }[] = [];
  let onMessage: (e: { data: unknown }) => void = () => undefined;
  const document = { getElementById: el, body: { style: { setProperty() {} } } };
  const window = { addEventListener: (t: string, f: (e: { data: unknown }) => void) => { if (t === 'message') onMessage = f; } };
  new Function('acquireVsCodeApi', 'document', 'window', 'getComputedStyle', 'requestAnimationFrame', script)(
    () => ({ postMessage: (m: { type: string }) => posted.push(m) }), document, window, () => ({ fontSize: '13px' }), (f: () => void) => f(),
  );
  return { el, posted, send: (data: unknown) => onMessage({ data }) };
}

const LH = 19; // max(16, round(13 * 1.45))

test('a small listing: the chunks on screen are asked for, a count that grows re-asks the short chunk', () => {
  const p = page();
  assert.deepEqual(p.posted, [{ type: 'ready' }]);
  p.send({ type: 'init', lineCount: 1500, done: false });
  assert.equal(p.el('spacer').style.height, `${1500 * LH}px`);
  assert.equal(p.el('info').textContent, '1500 lines (counting…)');
  assert.deepEqual(p.posted.slice(1), [{ type: 'lines', start: 0, end: 1000 }]);
  p.send({ type: 'lines', start: 0, lines: Array.from({ length: 1000 }, (_, i) => `00000${i}: nop`) });
  assert.match(p.el('lines').innerHTML, /<span class="off">000000:<\/span> nop/);
  // Scrolled to line 1400: chunk 1 is asked for; it comes back short, then the count grows past it.
  p.el('scroller').scrollTop = 1400 * LH;
  p.el('scroller').listeners.scroll!();
  assert.deepEqual(p.posted.at(-1), { type: 'lines', start: 1000, end: 2000 });
  p.send({ type: 'lines', start: 1000, lines: Array.from({ length: 500 }, () => 'x') });
  p.send({ type: 'count', lineCount: 2500, done: true });
  assert.equal(p.el('info').textContent, '2500 lines');
  assert.deepEqual(p.posted.at(-1), { type: 'lines', start: 1000, end: 2000 });
});

test('16 million lines: the spacer stays at 8 M px and a reveal lands on its line', () => {
  const p = page();
  p.send({ type: 'init', lineCount: 16_000_000, done: true });
  assert.equal(p.el('spacer').style.height, '8000000px');
  p.send({ type: 'reveal', line: 8_000_000 });
  const asked = p.posted.filter((m) => m.type === 'lines').map((m) => m.start!);
  // The chunk holding the revealed line (shown a third of the way down the viewport) is asked for.
  assert.ok(asked.includes(7_999_000) || asked.includes(8_000_000), asked.join(', '));
  const top = p.el('scroller').scrollTop;
  assert.ok(top > 3_999_000 && top < 4_001_000, String(top));
  // Scrolled to the very end: the last chunk.
  p.el('scroller').scrollTop = 8_000_000 - 400;
  p.el('scroller').listeners.scroll!();
  assert.deepEqual(p.posted.at(-1), { type: 'lines', start: 15_999_000, end: 16_000_000 });
});

test('an error replaces the listing', () => {
  const p = page();
  p.send({ type: 'init', lineCount: 0, done: true, error: 'Invalid WebAssembly module: unknown binary version (at byte 0x4)' });
  assert.equal(p.el('error').hidden, false);
  assert.equal(p.el('error').textContent, 'Invalid WebAssembly module: unknown binary version (at byte 0x4)');
  assert.equal(p.el('scroller').hidden, true);
  assert.equal(p.el('info').textContent, 'cannot show');
});
