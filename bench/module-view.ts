// The module view of a 50 MB module with DWARF, measured as the extension host runs it (the client
// code over test/client/fake-vscode.ts, the real dist/moduleWorker.js): time to the tree's first
// level, to the .wasm view's header, to a function's lines, and the longest block of the host's
// event loop meanwhile. Prints one JSON line; bundled and run (several times) by bench/module-view.mjs.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { bigModuleWithDebug } from '../test/client/big-module';
import { fakeContext, ModuleTreeProvider, treeChanged, Uri, WasmDocument, type ViewNode } from '../test/client/module-view-harness';

const root = process.argv[2] ?? process.cwd();
const TARGET = 50_000_000;

async function main(): Promise<void> {
  const dir = join(root, 'out', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `modview-${TARGET}-dwarf.wasm`);
  // Deterministic, so the file from an earlier run is the same module. Made by a process of its own
  // (`--generate`): its garbage must not be collected while this one measures.
  if (process.argv.includes('--generate')) {
    if (!existsSync(file)) {
      writeFileSync(`${file}.tmp`, bigModuleWithDebug(TARGET));
      renameSync(`${file}.tmp`, file);
    }
    return;
  }
  const size = statSync(file).size;
  const uri = Uri.file(file);

  // The longest time the host's event loop could not run a callback: a 1 ms ticker's lateness,
  // and perf_hooks' histogram as a cross-check.
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let longest = 0;
  let last = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last - 1);
    last = now;
  }, 1);
  histogram.enable();
  // The same ticker with nothing to do, as a control: on a loaded machine its lateness is the OS's.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const idleLongest = longest;
  longest = 0;

  const { ctx, dispose } = fakeContext(root);
  const t0 = performance.now();
  const provider = new ModuleTreeProvider(ctx);
  const changed = treeChanged(provider);
  provider.follow(uri as never);
  await changed;
  const roots = await provider.getChildren();
  const firstLevel = performance.now() - t0;
  const funcs = roots.find((r) => r.label === 'Functions');
  if (!funcs) throw new Error(`no Functions among ${roots.map((r) => r.label).join(', ')}`);
  const count = Number(provider.getTreeItem(funcs).description);
  const t1 = performance.now();
  let nodes: ViewNode[] = await provider.getChildren(funcs);
  while (nodes[0]?.children && nodes[0].icon === 'page') nodes = await nodes[Math.floor(nodes.length / 2)]!.children!();
  const expand = performance.now() - t1;

  const doc = new WasmDocument(ctx, uri as never);
  let countedAt = 0;
  const counted = new Promise<void>((resolve) => {
    doc.onCount = (_n, done) => {
      if (done) {
        countedAt = performance.now() - t0;
        resolve();
      }
    };
  });
  const t2 = performance.now();
  await doc.load();
  const headerLines = await doc.lines(0, 60);
  const viewHeader = performance.now() - t2;
  // A function near the start, as one clicked in the tree's first page, and one in the middle.
  const early = 1000;
  const middle = Math.floor(count / 2);
  const reveal = async (index: number): Promise<number> => {
    const t = performance.now();
    const line = await doc.lineOfAnchor(`func:${index}`);
    if (line === undefined) throw new Error(`no line for func:${index}`);
    const lines = await doc.lines(line, line + 60);
    if (!lines[0]?.includes(`(;${index};)`)) throw new Error(`line ${line} is not func ${index}: ${lines[0]}`);
    return performance.now() - t;
  };
  const earlyMs = await reveal(early);
  const middleMs = await reveal(middle);
  await counted;
  const lineCount = doc.state?.lineCount ?? 0;
  const afterCount = await reveal(count - 10);
  clearInterval(ticker);
  histogram.disable();
  doc.dispose();
  dispose();

  const result = {
    bytes: size, functions: count, lines: lineCount, headerLines: headerLines.length,
    treeFirstLevelMs: firstLevel, expandFunctionsPageMs: expand, viewHeaderMs: viewHeader,
    revealEarlyFunctionMs: earlyMs, revealMiddleFunctionMs: middleMs, revealCountedFunctionMs: afterCount, listingCountedMs: countedAt,
    longestBlockMs: longest, idleLongestBlockMs: idleLongest, eventLoopDelayMaxMs: histogram.max / 1e6,
  };
  console.log(JSON.stringify(result));
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
