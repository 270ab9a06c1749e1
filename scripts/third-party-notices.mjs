// Writes ThirdPartyNotices.txt: the license text of every npm package that esbuild bundled into
// dist/ (read from the bundles' source maps), so the .vsix ships the notices those licenses require.
// Run after `node esbuild.mjs`; `npm run package` does both.
import { readFileSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const packages = new Set();
for (const f of readdirSync(dist)) {
  if (!f.endsWith('.js.map')) continue;
  const map = JSON.parse(readFileSync(join(dist, f), 'utf8'));
  for (const source of map.sources) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
    if (m) packages.add(m[1]);
  }
}
if (packages.size === 0) throw new Error('third-party-notices: no bundled packages found — run `node esbuild.mjs` first');

const sections = [];
for (const name of [...packages].sort()) {
  const dir = join(root, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const licenseFile = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(f));
  const text = licenseFile && existsSync(join(dir, licenseFile))
    ? readFileSync(join(dir, licenseFile), 'utf8').trim()
    : `License: ${pkg.license ?? 'see package'} (no license file shipped in the package)`;
  sections.push(`${name} ${pkg.version} — ${pkg.license ?? 'unknown'}\n${'-'.repeat(72)}\n${text}`);
}
const header = 'Wasmscope bundles the following third-party packages into its extension, language server,\ndebug adapter and command-line tool. Their licenses follow.\n';
writeFileSync(join(root, 'ThirdPartyNotices.txt'), `${header}\n${sections.join('\n\n\n')}\n`);
console.log(`ThirdPartyNotices.txt: ${packages.size} packages`);
