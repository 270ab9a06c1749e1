// wasi:filesystem/types and preopens for the 0.2 host. Paths are resolved with the preview1
// host's sandbox (core/wasi/sandbox.ts), so the same guarantees hold: `..`, absolute paths and
// symlinks never leave a preopen, and a held directory's path is re-checked on each use.
import { FileType } from '../abi';
import { Errno, WasiError } from '../errno';
import { anchorHostPath, resolvePath, symlinkEscapes, type DirAnchor, type Resolved } from '../sandbox';
import type { HostHandle, HostStat, WasiFileSystem } from '../wasi-io';
import { errorCodeOf, isHostFailure } from './error-codes';
import { InputStream, IoError, OutputStream } from './streams';
import { err, len, none, ok, some, type Tagged } from './values';

export interface PathFlags {
  'symlink-follow'?: boolean;
}

export interface DescriptorFlags {
  read?: boolean;
  write?: boolean;
  'mutate-directory'?: boolean;
}

const TYPES: Record<number, string> = {
  [FileType.UNKNOWN]: 'unknown', [FileType.BLOCK_DEVICE]: 'block-device', [FileType.CHARACTER_DEVICE]: 'character-device',
  [FileType.DIRECTORY]: 'directory', [FileType.REGULAR_FILE]: 'regular-file', [FileType.SOCKET_DGRAM]: 'socket',
  [FileType.SOCKET_STREAM]: 'socket', [FileType.SYMBOLIC_LINK]: 'symbolic-link',
};

function datetime(ns: bigint): { seconds: bigint; nanoseconds: number } {
  return { seconds: ns / 1_000_000_000n, nanoseconds: Number(ns % 1_000_000_000n) };
}

function statRecord(s: HostStat): Record<string, unknown> {
  return {
    type: TYPES[s.type] ?? 'unknown', 'link-count': s.nlink, size: s.size,
    'data-access-timestamp': some(datetime(s.atim)), 'data-modification-timestamp': some(datetime(s.mtim)),
    'status-change-timestamp': some(datetime(s.ctim)),
  };
}

/** Runs a filesystem operation: its value as ok, a host failure as err(error-code). */
function attempt(f: () => unknown): Tagged {
  try {
    return ok(f());
  } catch (e) {
    if (isHostFailure(e)) return err(errorCodeOf(e));
    throw e;
  }
}

export class Descriptor {
  private open = true;

  constructor(
    private readonly fs: WasiFileSystem,
    readonly target: { kind: 'dir'; anchor: DirAnchor; handle: HostHandle | undefined } | { kind: 'file'; handle: HostHandle },
    readonly flags: DescriptorFlags,
    /** False for a view of a preopen: the host keeps the preopen's directory open until dispose. */
    private readonly ownsHandle = true,
  ) {}

  /** Another descriptor of the same directory or file whose drop leaves this one's host handle open. */
  view(): Descriptor {
    return new Descriptor(this.fs, this.target, this.flags, false);
  }

  drop(): void {
    if (!this.open) return;
    this.open = false;
    if (this.ownsHandle && this.target.handle !== undefined) {
      try {
        this.fs.close(this.target.handle);
      } catch {
        // Already gone on the host.
      }
    }
  }

  private dirHost(): string {
    const t = this.target;
    if (t.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
    if (t.handle !== undefined && this.fs.directoryPath) return this.fs.directoryPath(t.handle);
    return anchorHostPath(this.fs, t.anchor);
  }

  private statSelf(): HostStat {
    const t = this.target;
    if (t.handle !== undefined) return this.fs.fstat(t.handle);
    return this.fs.lstat(this.dirHost());
  }

  private resolve(path: unknown, follow: boolean): Resolved {
    if (typeof path !== 'string') throw new WasiError(Errno.INVAL);
    return resolvePath(this.fs, this.dirHost(), path, follow || path.endsWith('/'), () => this.statSelf());
  }

  private file(): HostHandle {
    if (this.target.kind !== 'file') throw new WasiError(Errno.ISDIR);
    if (!this.open) throw new WasiError(Errno.BADF);
    return this.target.handle;
  }

  private existing(r: Resolved): HostStat {
    if (!r.stat) throw new WasiError(Errno.NOENT);
    if (r.trailingSlash && r.stat.type !== FileType.DIRECTORY) throw new WasiError(Errno.NOTDIR);
    return r.stat;
  }

  private isOpen = (): boolean => this.open;

  readViaStream(offset: bigint): Tagged {
    return attempt(() => {
      if (!this.flags.read) throw new WasiError(Errno.BADF);
      return new InputStream({ kind: 'file', fs: this.fs, handle: this.file(), position: offset, isOpen: this.isOpen });
    });
  }

  writeViaStream(offset: bigint, append = false): Tagged {
    return attempt(() => {
      if (!this.flags.write) throw new WasiError(Errno.BADF);
      return new OutputStream({ kind: 'file', fs: this.fs, handle: this.file(), position: offset, append, isOpen: this.isOpen });
    });
  }

  getFlags(): Tagged {
    return ok(this.flags);
  }

  getType(): Tagged {
    return attempt(() => (this.target.kind === 'dir' ? 'directory' : TYPES[this.statSelf().type] ?? 'unknown'));
  }

  stat(): Tagged {
    return attempt(() => statRecord(this.statSelf()));
  }

  statAt(pathFlags: PathFlags, path: unknown): Tagged {
    return attempt(() => statRecord(this.existing(this.resolve(path, !!pathFlags['symlink-follow']))));
  }

  metadataHash(): Tagged {
    return attempt(() => {
      const s = this.statSelf();
      return { lower: s.ino, upper: s.dev };
    });
  }

  metadataHashAt(pathFlags: PathFlags, path: unknown): Tagged {
    return attempt(() => {
      const s = this.existing(this.resolve(path, !!pathFlags['symlink-follow']));
      return { lower: s.ino, upper: s.dev };
    });
  }

  isSameObject(other: Descriptor): boolean {
    try {
      const a = this.statSelf();
      const b = other.statSelf();
      return a.dev === b.dev && a.ino === b.ino;
    } catch {
      return false;
    }
  }

  setSize(size: bigint): Tagged {
    return attempt(() => {
      if (!this.flags.write) throw new WasiError(Errno.BADF);
      this.fs.truncate(this.file(), size);
    });
  }

  sync(dataOnly: boolean): Tagged {
    return attempt(() => {
      if (this.target.kind === 'file') this.fs.sync(this.target.handle, dataOnly);
    });
  }

  advise(): Tagged {
    return attempt(() => {
      this.file();
    });
  }

  private times(t: Tagged): bigint | null {
    if (t.tag === 'no-change') return null;
    if (t.tag === 'now') return BigInt(Date.now()) * 1_000_000n;
    const d = t.val as { seconds: bigint; nanoseconds: number };
    return d.seconds * 1_000_000_000n + BigInt(d.nanoseconds);
  }

  setTimes(atim: Tagged, mtim: Tagged): Tagged {
    return attempt(() => {
      const a = this.times(atim);
      const m = this.times(mtim);
      if (a === null && m === null) return;
      if (this.target.handle !== undefined && this.target.kind === 'file') this.fs.setHandleTimes(this.target.handle, a, m);
      else this.fs.setTimes(this.dirHost(), a, m);
    });
  }

  setTimesAt(pathFlags: PathFlags, path: unknown, atim: Tagged, mtim: Tagged): Tagged {
    return attempt(() => {
      const r = this.resolve(path, !!pathFlags['symlink-follow']);
      this.existing(r);
      const a = this.times(atim);
      const m = this.times(mtim);
      if (a !== null || m !== null) this.fs.setTimes(r.host, a, m);
    });
  }

  read(length: unknown, offset: bigint): Tagged {
    return attempt(() => {
      if (!this.flags.read) throw new WasiError(Errno.BADF);
      const buf = new Uint8Array(len(length, 1 << 24));
      const n = buf.length === 0 ? 0 : this.fs.read(this.file(), buf, offset);
      return [buf.slice(0, n), n === 0 && buf.length > 0];
    });
  }

  write(buffer: Uint8Array, offset: bigint): Tagged {
    return attempt(() => {
      if (!this.flags.write) throw new WasiError(Errno.BADF);
      let off = 0;
      while (off < buffer.length) {
        const n = this.fs.write(this.file(), buffer.subarray(off), offset + BigInt(off));
        if (n <= 0) break;
        off += n;
      }
      return BigInt(off);
    });
  }

  readDirectory(): Tagged {
    return attempt(() => {
      const host = this.dirHost();
      const entries = this.fs.readdir(host).sort().map((name) => {
        let type = 'unknown';
        try {
          type = TYPES[this.fs.lstat(`${host.endsWith('/') ? host : `${host}/`}${name}`).type] ?? 'unknown';
        } catch {
          // Vanished between readdir and lstat: listed as unknown.
        }
        return { name, type };
      });
      return new DirectoryEntryStream(entries);
    });
  }

  createDirectoryAt(path: unknown): Tagged {
    return attempt(() => {
      const r = this.resolve(path, false);
      if (r.name === null || r.stat) throw new WasiError(Errno.EXIST);
      this.fs.mkdir(r.host);
    });
  }

  openAt(pathFlags: PathFlags, path: unknown, openFlags: Record<string, boolean>, flags: DescriptorFlags): Tagged {
    return attempt(() => {
      const create = !!openFlags.create;
      const wantDir = !!openFlags.directory;
      const exclusive = create && !!openFlags.exclusive;
      const truncate = !!openFlags.truncate;
      if (this.target.kind !== 'dir') throw new WasiError(Errno.NOTDIR);
      if ((flags.write || flags['mutate-directory']) && !this.flags['mutate-directory']) throw new WasiError(Errno.PERM);
      if (wantDir && (create || exclusive || truncate)) throw new WasiError(Errno.INVAL);
      const follow = !!pathFlags['symlink-follow'] && !exclusive;
      const r = this.resolve(path, follow);
      if (r.stat === undefined) {
        if (!create) throw new WasiError(Errno.NOENT);
        if (r.trailingSlash) throw new WasiError(Errno.ISDIR);
      } else {
        if (exclusive) throw new WasiError(Errno.EXIST);
        if (r.stat.type === FileType.SYMBOLIC_LINK) throw new WasiError(wantDir ? Errno.NOTDIR : Errno.LOOP);
        if (r.stat.type === FileType.DIRECTORY) {
          if (create || truncate || flags.write) throw new WasiError(Errno.ISDIR);
          const anchor: DirAnchor = { root: this.target.anchor.root, parts: [...this.target.anchor.parts, ...r.parts, ...(r.name === null ? [] : [r.name])] };
          let handle: HostHandle | undefined;
          try {
            handle = this.fs.openDirectory?.(r.host, r.name === null);
          } catch {
            handle = undefined;
          }
          return new Descriptor(this.fs, { kind: 'dir', anchor, handle }, { read: true, 'mutate-directory': this.flags['mutate-directory'] && flags['mutate-directory'] });
        }
        if (wantDir || r.trailingSlash) throw new WasiError(Errno.NOTDIR);
      }
      const write = !!flags.write;
      const read = !!flags.read;
      const handle = this.fs.open(r.host, { read: read || !write, write, create, exclusive: r.stat === undefined, truncate });
      return new Descriptor(this.fs, { kind: 'file', handle }, { read, write });
    });
  }

  readlinkAt(path: unknown): Tagged {
    return attempt(() => {
      const r = this.resolve(path, false);
      const st = this.existing(r);
      if (st.type !== FileType.SYMBOLIC_LINK) throw new WasiError(Errno.INVAL);
      return this.fs.readlink(r.host);
    });
  }

  removeDirectoryAt(path: unknown): Tagged {
    return attempt(() => {
      const r = this.resolve(path, false);
      if (r.name === null) throw new WasiError(Errno.INVAL);
      if (!r.stat) throw new WasiError(Errno.NOENT);
      if (r.stat.type !== FileType.DIRECTORY) throw new WasiError(Errno.NOTDIR);
      this.fs.rmdir(r.host);
    });
  }

  renameAt(oldPath: unknown, target: Descriptor, newPath: unknown): Tagged {
    return attempt(() => {
      const from = this.resolve(oldPath, false);
      const to = target.resolve(newPath, false);
      if (from.name === null || to.name === null) throw new WasiError(Errno.BUSY);
      if (!from.stat) throw new WasiError(Errno.NOENT);
      const fromIsDir = from.stat.type === FileType.DIRECTORY;
      if ((from.trailingSlash || to.trailingSlash) && !fromIsDir) throw new WasiError(Errno.NOTDIR);
      if (to.stat) {
        const toIsDir = to.stat.type === FileType.DIRECTORY;
        if (fromIsDir && !toIsDir) throw new WasiError(Errno.NOTDIR);
        if (!fromIsDir && toIsDir) throw new WasiError(Errno.ISDIR);
      }
      this.fs.rename(from.host, to.host);
    });
  }

  private checkNewEntry(r: Resolved): void {
    if (r.name === null) throw new WasiError(Errno.EXIST);
    if (r.stat) throw new WasiError(r.trailingSlash && r.stat.type !== FileType.DIRECTORY ? Errno.NOTDIR : Errno.EXIST);
    if (r.trailingSlash) throw new WasiError(Errno.NOENT);
  }

  symlinkAt(oldPath: unknown, newPath: unknown): Tagged {
    return attempt(() => {
      if (typeof oldPath !== 'string' || oldPath.includes('\0')) throw new WasiError(Errno.INVAL);
      const r = this.resolve(newPath, false);
      // As cap-std: a link whose contents are absolute or climb above the directory would point
      // outside the sandbox.
      if (symlinkEscapes(oldPath, r.parts.length)) throw new WasiError(Errno.PERM, 'symlink would point outside the sandbox');
      this.checkNewEntry(r);
      this.fs.symlink(oldPath, r.host);
    });
  }

  linkAt(oldFlags: PathFlags, oldPath: unknown, target: Descriptor, newPath: unknown): Tagged {
    return attempt(() => {
      if (oldFlags['symlink-follow']) throw new WasiError(Errno.INVAL);
      const from = this.resolve(oldPath, false);
      const to = target.resolve(newPath, false);
      const st = this.existing(from);
      if (st.type === FileType.DIRECTORY || from.name === null) throw new WasiError(Errno.PERM);
      this.checkNewEntry(to);
      this.fs.link(from.host, to.host);
    });
  }

  unlinkFileAt(path: unknown): Tagged {
    return attempt(() => {
      const r = this.resolve(path, false);
      if (r.name === null) throw new WasiError(Errno.ISDIR);
      if (!r.stat) throw new WasiError(Errno.NOENT);
      if (r.stat.type === FileType.DIRECTORY) throw new WasiError(Errno.ISDIR);
      if (r.trailingSlash) throw new WasiError(Errno.NOTDIR);
      this.fs.unlink(r.host);
    });
  }
}

export class DirectoryEntryStream {
  private next = 0;
  constructor(private readonly entries: { name: string; type: string }[]) {}
  read(): Tagged {
    const e = this.entries[this.next++];
    return ok(e ? some(e) : none);
  }
}

/** filesystem-error-code: the code behind a stream's last-operation-failed error. */
export function filesystemErrorCode(e: IoError): Tagged {
  return e.code !== undefined ? some(e.code) : none;
}
