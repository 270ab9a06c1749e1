// The .wasm view's page: a virtual list that renders only the visible lines of the listing and
// asks the extension for the ones it is missing, so huge modules scroll smoothly. The line count
// grows while the module worker counts the functions; past a few million lines the scrollbar
// maps to lines proportionally (a browser cannot lay out an element that tall).
import { randomBytes } from 'node:crypto';

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

export function webviewHtml(cspSource: string, title: string): string {
  const nonce = randomBytes(16).toString('base64');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
  html, body { margin: 0; padding: 0; height: 100%; overflow: hidden; }
  body { font-family: var(--vscode-editor-font-family); font-size: var(--vscode-editor-font-size); color: var(--vscode-editor-foreground); background: var(--vscode-editor-background); }
  #bar { height: 28px; display: flex; align-items: center; gap: 12px; padding: 0 12px; border-bottom: 1px solid var(--vscode-panel-border); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  #bar button { background: var(--vscode-button-secondaryBackground); color: var(--vscode-button-secondaryForeground); border: none; padding: 2px 8px; cursor: pointer; }
  #bar .info { opacity: 0.7; }
  #scroller { position: absolute; top: 29px; bottom: 0; left: 0; right: 0; overflow: auto; }
  #spacer { position: relative; }
  #lines { position: absolute; left: 0; right: 0; white-space: pre; }
  .line { height: var(--lh); line-height: var(--lh); padding-left: 12px; }
  .off { color: var(--vscode-editorLineNumber-foreground); }
  .cmt { color: var(--vscode-descriptionForeground); }
  .hl { background: var(--vscode-editor-rangeHighlightBackground, rgba(255,255,0,0.15)); outline: 1px solid var(--vscode-editor-findMatchBorder, transparent); }
  #error { padding: 16px; color: var(--vscode-errorForeground); font-family: var(--vscode-font-family); white-space: pre-wrap; }
</style>
</head>
<body>
<div id="bar"><strong>${escapeHtml(title)}</strong><span class="info" id="info">loading…</span><span style="flex:1"></span><button id="convert" title="Write the text format next to this file">Convert to .wat</button></div>
<div id="scroller"><div id="spacer"><div id="lines"></div></div></div>
<div id="error" hidden></div>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const LH = Math.max(16, Math.round(parseFloat(getComputedStyle(document.body).fontSize) * 1.45));
  document.body.style.setProperty('--lh', LH + 'px');
  const CHUNK = 1000;
  const scroller = document.getElementById('scroller');
  const spacer = document.getElementById('spacer');
  const linesEl = document.getElementById('lines');
  const info = document.getElementById('info');
  const errorEl = document.getElementById('error');
  let count = 0;
  let chunks = new Map();
  const pending = new Set();
  let highlight = -1;

  function esc(s) { return s.replace(/[&<>]/g, (c) => c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'); }
  function renderLine(text, i) {
    const m = /^([0-9a-f]+:| +)(.*)$/.exec(text);
    const off = m ? m[1] : '';
    let rest = m ? m[2] : text;
    const c = rest.indexOf(';;');
    const body = c >= 0 ? esc(rest.slice(0, c)) + '<span class="cmt">' + esc(rest.slice(c)) + '</span>' : esc(rest);
    return '<div class="line' + (i === highlight ? ' hl' : '') + '"><span class="off">' + esc(off) + '</span>' + body + '</div>';
  }
  // Taller than this and the spacer stops growing: scrolling maps to lines proportionally.
  const MAX_PX = 8000000;
  function setCount(n) {
    count = n;
    spacer.style.height = Math.min(count * LH, MAX_PX) + 'px';
  }
  /** The (fractional) line at the top of the viewport. */
  function topLine() {
    if (count * LH <= MAX_PX) return scroller.scrollTop / LH;
    const maxTop = Math.max(1, MAX_PX - scroller.clientHeight);
    return (scroller.scrollTop / maxTop) * Math.max(0, count - scroller.clientHeight / LH);
  }
  function scrollToLine(line) {
    const top = Math.max(0, line - scroller.clientHeight / LH / 3);
    if (count * LH <= MAX_PX) scroller.scrollTop = top * LH;
    else scroller.scrollTop = (top / Math.max(1, count - scroller.clientHeight / LH)) * Math.max(1, MAX_PX - scroller.clientHeight);
  }
  function render() {
    const top = topLine();
    const first = Math.max(0, Math.floor(top) - 20);
    const last = Math.min(count, Math.ceil(top + scroller.clientHeight / LH) + 20);
    let html = '';
    for (let i = first; i < last; i++) {
      const chunk = chunks.get(Math.floor(i / CHUNK));
      if (!chunk) { request(Math.floor(i / CHUNK)); html += '<div class="line"></div>'; continue; }
      html += renderLine(chunk[i % CHUNK] ?? '', i);
    }
    linesEl.style.top = (scroller.scrollTop - (top - first) * LH) + 'px';
    linesEl.innerHTML = html;
  }
  function showCount(done) {
    info.textContent = count + ' lines' + (done ? '' : ' (counting…)');
  }
  function request(c) {
    if (pending.has(c)) return;
    pending.add(c);
    vscode.postMessage({ type: 'lines', start: c * CHUNK, end: (c + 1) * CHUNK });
  }
  scroller.addEventListener('scroll', () => requestAnimationFrame(render));
  window.addEventListener('resize', () => requestAnimationFrame(render));
  document.getElementById('convert').addEventListener('click', () => vscode.postMessage({ type: 'convert' }));
  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (msg.type === 'init') {
      chunks = new Map(); pending.clear();
      errorEl.hidden = !msg.error;
      errorEl.textContent = msg.error || '';
      scroller.hidden = !!msg.error;
      document.getElementById('convert').hidden = !!msg.error;
      setCount(msg.error ? 0 : msg.lineCount);
      if (msg.error) info.textContent = 'cannot show'; else showCount(msg.done);
      render();
    } else if (msg.type === 'count') {
      // The last chunk may have been cut at the old count: ask for it again.
      const partial = Math.floor(count / CHUNK);
      if (count % CHUNK !== 0) chunks.delete(partial);
      setCount(msg.lineCount);
      showCount(msg.done);
      render();
    } else if (msg.type === 'lines') {
      const c = Math.floor(msg.start / CHUNK);
      // A chunk answered before the count grew past it is short: render asks for it again.
      if (msg.lines.length >= Math.min(CHUNK, count - msg.start)) chunks.set(c, msg.lines);
      pending.delete(c);
      render();
    } else if (msg.type === 'reveal') {
      highlight = msg.line;
      scrollToLine(msg.line);
      render();
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
</script>
</body>
</html>`;
}
