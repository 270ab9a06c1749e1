// Finds and caches the .wat/.wast files under the workspace folders, so workspace/symbol covers files not open in the editor.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Analysis } from './documents';

/** Bounds that keep a scan of a huge or odd workspace cheap. */
const MAX_FILES = 2000;
const MAX_BYTES = 2_000_000;
const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist', '.cache', 'target']);

export class WorkspaceFiles {
  private readonly cache = new Map<string, { mtimeMs: number; analysis: Analysis }>();
  private roots: string[] = [];

  setRoots(uris: string[]): void {
    this.roots = uris.flatMap((u) => {
      try {
        return u.startsWith('file:') ? [fileURLToPath(u)] : [];
      } catch {
        return [];
      }
    });
  }

  /** Analyses of the workspace's files on disk (parsed once per modification time). */
  analyses(): Analysis[] {
    const out: Analysis[] = [];
    for (const path of this.files()) {
      try {
        const stat = statSync(path);
        if (stat.size > MAX_BYTES) continue;
        const cached = this.cache.get(path);
        if (cached && cached.mtimeMs === stat.mtimeMs) {
          out.push(cached.analysis);
          continue;
        }
        const uri = pathToFileURL(path).href;
        const analysis = new Analysis(uri, 0, path.endsWith('.wast') ? 'wast' : 'wat', readFileSync(path, 'utf8'));
        this.cache.set(path, { mtimeMs: stat.mtimeMs, analysis });
        out.push(analysis);
      } catch {
        // Deleted or unreadable since the scan: skip it.
      }
    }
    return out;
  }

  private files(): string[] {
    const out: string[] = [];
    const pending = [...this.roots];
    for (let dir = pending.pop(); dir !== undefined && out.length < MAX_FILES; dir = pending.pop()) {
      let entries;
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name) && !e.name.startsWith('.')) pending.push(join(dir, e.name));
        } else if (e.isFile() && (e.name.endsWith('.wat') || e.name.endsWith('.wast'))) out.push(join(dir, e.name));
      }
    }
    return out;
  }
}
