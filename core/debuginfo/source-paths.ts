// Path handling for DWARF file names: joining directory tables, normalising, suffix matching
// of breakpoint paths, and `sourceMap`-style prefix substitution for moved source trees.

/** Whether a path is absolute on POSIX or Windows (drive letter or UNC). */
export function isAbsolutePath(p: string): boolean {
  // wasi-sdk remaps its build tree to `wasisdk://v33.0+m/...`: a URL counts as absolute
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p) || URL_PREFIX.test(p);
}

const URL_PREFIX = /^[A-Za-z][A-Za-z0-9+.-]+:\/\//;

/** Removes `.` segments and folds `x/..`, keeping the path's separator style. */
export function normalizePath(p: string): string {
  // most DWARF paths are already clean; skip the split for them (this runs per file and lookup)
  if (p === '' || !/(^|[\\/])\.\.?([\\/]|$)|.[\\/]{2}/.test(p)) return p;
  const scheme = URL_PREFIX.exec(p)?.[0];
  if (scheme) return scheme + normalizePath(p.slice(scheme.length));
  const windows = /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
  const parts = windows ? p.split(/[\\/]/) : p.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    // keep the empty segment that marks an absolute root, drop repeated separators elsewhere
    if (part === '' && i > 0 && i < parts.length - 1) continue;
    if (part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') {
      out.pop();
      continue;
    }
    out.push(part);
  }
  return out.join(windows ? '\\' : '/');
}

/** Joins a DWARF directory and file name; an absolute name wins, as DWARF specifies. */
export function joinPath(dir: string | undefined, name: string): string {
  if (!dir || isAbsolutePath(name)) return normalizePath(name);
  const sep = /^[A-Za-z]:[\\/]/.test(dir) && !dir.includes('/') ? '\\' : '/';
  return normalizePath(dir.endsWith('/') || dir.endsWith('\\') ? dir + name : dir + sep + name);
}

function comparable(p: string): string {
  const n = normalizePath(p);
  return n.includes('\\') ? n.replace(/\\/g, '/') : n;
}

/**
 * How well a requested path matches a DWARF path: 2 for the same path, 1 when one ends with the
 * other on a segment boundary (a relative DWARF name, or a request for `src/a.c`), 0 otherwise.
 */
export function matchPath(requested: string, dwarfPath: string): 0 | 1 | 2 {
  const a = comparable(requested);
  const b = comparable(dwarfPath);
  if (a === b) return 2;
  const [long, short] = a.length > b.length ? [a, b] : [b, a];
  const tail = short.startsWith('/') ? short : '/' + short;
  if (short.length > 0 && long.endsWith(tail)) return 1;
  return 0;
}

/**
 * Maps paths between the build machine (as recorded in DWARF) and the local machine with
 * `[from, to]` prefix pairs, like a debugger's `sourceMap` launch setting. The first matching
 * pair wins; prefixes match on whole path segments.
 */
export class PathMapper {
  private readonly pairs: [string, string][];

  constructor(pairs: Iterable<readonly [string, string]> = []) {
    this.pairs = [...pairs].map(([from, to]) => [trimSep(comparable(from)), trimSep(comparable(to))]);
  }

  /** DWARF path → local path. */
  toLocal(dwarfPath: string): string {
    return this.apply(dwarfPath, 0);
  }

  /** Local path → DWARF path (for breakpoints set in the editor). */
  toDwarf(localPath: string): string {
    return this.apply(localPath, 1);
  }

  private apply(path: string, fromIndex: 0 | 1): string {
    const p = comparable(path);
    for (const pair of this.pairs) {
      const from = pair[fromIndex];
      const to = pair[1 - fromIndex]!;
      if (p === from) return to;
      if (from === '' || p.startsWith(from + '/')) return to + p.slice(from.length);
    }
    return path;
  }
}

function trimSep(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}
