// Path resolution inside a directory capability. Every guest path is walked component by
// component here (lstat, readlink), so no raw guest path ever reaches the host filesystem:
// `..` cannot climb above the directory, absolute paths and symlinks that lead outside are
// refused (EPERM, as Wasmtime's cap-std does), and symlink chains end in ELOOP.
import { FileType } from './abi';
import { Errno, WasiError } from './errno';
import type { HostStat, WasiFileSystem } from './wasi-io';

/** Linux's MAXSYMLINKS. */
const MAX_SYMLINKS = 40;

/**
 * A directory the guest holds: a preopen's host path plus real (non-symlink) directory names
 * beneath it. Each directory descriptor is its own sandbox root, as in Wasmtime.
 */
export interface DirAnchor {
  readonly root: string;
  readonly parts: readonly string[];
}

export function joinHost(base: string, parts: readonly string[]): string {
  if (parts.length === 0) return base;
  return (base.endsWith('/') ? base : base + '/') + parts.join('/');
}

/**
 * The host path of a held directory, re-checked on every use: if the guest renamed a directory
 * and put a symlink in its place, the old path must not lead through that symlink.
 */
export function anchorHostPath(fs: WasiFileSystem, anchor: DirAnchor): string {
  let path = anchor.root;
  for (const part of anchor.parts) {
    path = joinHost(path, [part]);
    let st: HostStat;
    try {
      st = fs.lstat(path);
    } catch {
      throw new WasiError(Errno.NOENT, 'directory no longer exists');
    }
    if (st.type !== FileType.DIRECTORY) throw new WasiError(Errno.NOENT, 'directory was replaced');
  }
  return path;
}

export interface Resolved {
  /** Directories between the base and the final entry (all verified real directories). */
  readonly parts: string[];
  /** The final component; null when the path names the directory `parts` itself ("." or ".."). */
  readonly name: string | null;
  /** lstat of the final entry, or undefined when it does not exist. */
  readonly stat: HostStat | undefined;
  /** The path (or the last symlink followed) ended in "/": the entry must be a directory. */
  readonly trailingSlash: boolean;
  /** Host path of the final entry's directory. */
  readonly parentHost: string;
  /** Host path of the final entry. */
  readonly host: string;
}

/**
 * Would a symlink with contents `target`, made `depth` real directories below the directory it is
 * resolved in, point outside that directory? Such links are refused (EPERM) by every WASI host here
 * as Wasmtime's cap-std refuses them, so no program leaves a way out behind, even one resolution
 * would not follow.
 */
export function symlinkEscapes(target: string, depth: number): boolean {
  if (target.startsWith('/')) return true;
  for (const c of target.split('/')) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      if (--depth < 0) return true;
    } else depth++;
  }
  return false;
}

function lstatOrUndefined(fs: WasiFileSystem, path: string): HostStat | undefined {
  try {
    return fs.lstat(path);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return undefined;
    throw err;
  }
}

function components(path: string): string[] {
  return path.split('/').filter((c) => c !== '');
}

/**
 * Resolves `path` beneath the directory at host path `base`. Symlinks in directory position are
 * always followed (within the sandbox); the final component is followed only when `followFinal`.
 */
export function resolvePath(
  fs: WasiFileSystem, base: string, path: string, followFinal: boolean,
  baseStat: () => HostStat = () => fs.lstat(base),
): Resolved {
  if (path.includes('\0')) throw new WasiError(Errno.INVAL, 'path contains NUL');
  if (path === '') throw new WasiError(Errno.NOENT, 'empty path');
  if (path.startsWith('/')) throw new WasiError(Errno.PERM, 'absolute path leads outside the sandbox');

  const parts: string[] = [];
  const queue = components(path);
  let trailingSlash = path.endsWith('/');
  let links = 0;
  // The base may be a /proc/self/fd alias, which lstat would report as a link: ask the caller.
  const statDir = (): HostStat => (parts.length === 0 ? baseStat() : fs.lstat(joinHost(base, parts)));
  const done = (name: string | null, stat: HostStat | undefined): Resolved => {
    const parentHost = joinHost(base, parts);
    return { parts, name, stat, trailingSlash, parentHost, host: name === null ? parentHost : joinHost(parentHost, [name]) };
  };

  while (queue.length > 0) {
    const c = queue.shift()!;
    const last = queue.length === 0;
    if (c === '.') {
      if (last) return done(null, statDir());
      continue;
    }
    if (c === '..') {
      if (parts.length === 0) throw new WasiError(Errno.PERM, '".." leads outside the sandbox');
      parts.pop();
      if (last) return done(null, statDir());
      continue;
    }
    const here = joinHost(base, [...parts, c]);
    const st = lstatOrUndefined(fs, here);
    if (st === undefined) {
      if (last) return done(c, undefined);
      throw new WasiError(Errno.NOENT);
    }
    if (st.type === FileType.SYMBOLIC_LINK && (!last || followFinal)) {
      if (++links > MAX_SYMLINKS) throw new WasiError(Errno.LOOP, 'too many levels of symbolic links');
      const target = fs.readlink(here);
      if (target.startsWith('/')) throw new WasiError(Errno.PERM, 'symlink leads outside the sandbox');
      if (target === '') throw new WasiError(Errno.NOENT);
      // A link to "dir/" at the end of the path demands a directory, like a trailing slash.
      if (last && target.endsWith('/')) trailingSlash = true;
      queue.unshift(...components(target));
      if (queue.length === 0) return done(null, statDir());
      continue;
    }
    if (last) return done(c, st);
    if (st.type !== FileType.DIRECTORY) throw new WasiError(Errno.NOTDIR);
    parts.push(c);
  }
  // Only "/"-free paths of "."/".." reach here, e.g. "a/.." handled above; "///" is absolute.
  return done(null, statDir());
}
