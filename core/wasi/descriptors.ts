// The guest's file descriptor table: what each fd number holds and the rights it carries.
import type { DirAnchor } from './sandbox';
import type { HostHandle } from './wasi-io';
import { Errno, WasiError } from './errno';

interface Common {
  rightsBase: bigint;
  rightsInheriting: bigint;
  /** fdflags as the guest set them (APPEND is emulated: the host file is never opened O_APPEND). */
  flags: number;
}

export interface StdioDescriptor extends Common {
  kind: 'stdio';
  stream: 0 | 1 | 2;
}

export interface FileDescriptor extends Common {
  kind: 'file';
  handle: HostHandle;
  position: bigint;
  /** How the host file was opened; a missing one is EBADF, like POSIX (a dropped right is ENOTCAPABLE). */
  readable: boolean;
  writable: boolean;
}

export interface DirDescriptor extends Common {
  kind: 'dir';
  anchor: DirAnchor;
  /** The directory held open by the host (WasiFileSystem.openDirectory), when it can. */
  handle?: HostHandle;
  /** The guest name, for a preopened directory. */
  preopen?: string;
  /** fd_readdir's listing, taken when a read starts at cookie 0 so cookies stay stable. */
  listing?: { name: string; ino: bigint; type: number }[];
}

export type Descriptor = StdioDescriptor | FileDescriptor | DirDescriptor;

export class DescriptorTable {
  private readonly slots = new Map<number, Descriptor>();

  get(fd: number): Descriptor {
    const d = this.slots.get(fd);
    if (!d) throw new WasiError(Errno.BADF);
    return d;
  }

  /** The lowest free number, as POSIX open does. */
  add(d: Descriptor): number {
    let fd = 0;
    while (this.slots.has(fd)) fd++;
    this.slots.set(fd, d);
    return fd;
  }

  set(fd: number, d: Descriptor): void {
    this.slots.set(fd, d);
  }

  remove(fd: number): Descriptor {
    const d = this.get(fd);
    this.slots.delete(fd);
    return d;
  }

  entries(): IterableIterator<[number, Descriptor]> {
    return this.slots.entries();
  }
}
