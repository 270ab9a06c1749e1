// The debug adapter's process entry (dist/debugAdapter.js, what VS Code spawns in "process" mode):
// runs the adapter's bundle (dist/debugAdapterMain.js, debugAdapter.ts) from V8's code cache, so a
// launch does not parse and compile the same 1.4 MB of JavaScript again. The cache sits beside the
// bundle, named by a hash of the bundle's text and the Node version (V8 itself checks only the
// text's length, its version and its flags); it is written once, when the first process ends, with
// everything that process compiled (the engine's loop included). Without a writable place, or with
// a cache V8 rejects, the bundle runs as it would have; nothing here changes what it does.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createRequire, wrap } from 'node:module';
import * as path from 'node:path';
import { Script } from 'node:vm';

const main = path.join(__dirname, 'debugAdapterMain.js');
const source = readFileSync(main, 'utf8');
const key = createHash('sha256').update(source).update(process.version).update(process.arch).digest('hex').slice(0, 16);
const cacheFile = path.join(__dirname, `.debugAdapterMain.${key}.v8cache`);

let cachedData: Buffer | undefined;
try {
  cachedData = readFileSync(cacheFile);
} catch {
  cachedData = undefined; // the first run here: no cache yet
}

const script = new Script(wrap(source), { filename: main, cachedData });
if (cachedData === undefined || script.cachedDataRejected === true) {
  let written = false;
  const writeCache = (): void => {
    if (written) return;
    written = true;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
      // Caches of earlier bundles (a rebuild, an update in place) are of no more use.
      for (const f of readdirSync(__dirname)) {
        if (/^\.debugAdapterMain\.[0-9a-f]{16}\.v8cache$/.test(f) && path.join(__dirname, f) !== cacheFile) unlinkSync(path.join(__dirname, f));
      }
    } catch {
      try {
        unlinkSync(tmp);
      } catch {
        // nothing was written
      }
    }
  };
  process.on('exit', writeCache);
  // A client that ends the adapter by SIGTERM (the test harness does) still leaves the cache; the
  // process then ends with the signal's status, as it would have without the listener.
  process.once('SIGTERM', () => {
    writeCache();
    process.exit(128 + 15);
  });
}

const mod = { exports: {}, filename: main, id: main, loaded: false };
const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
run.call(mod.exports, mod.exports, createRequire(main), mod, main, __dirname);
mod.loaded = true;
