// Guest buffers of stream and future copies (definitions.py BufferGuestImpl): `n` elements at
// `ptr` in the guest's memory, checked once when the copy starts and read or written as the
// other end takes or gives values. list<u8> streams copy bytes directly.
import { Trap } from '../../errors';
import { alignment, elemSize } from '../abi';
import { load, store, type CallContext } from '../canon';
import type { ValType } from '../types';
import { MAX_BUFFER_LENGTH, type ReadableBuffer, type WritableBuffer } from './waitables';

function isBytes(t: ValType | undefined): boolean {
  return t !== undefined && t.kind === 'prim' && (t.prim === 'u8' || t.prim === 's8');
}

class GuestBuffer {
  progress = 0;
  protected ptr: number;
  protected readonly size: number;

  constructor(protected readonly cx: CallContext, protected readonly elem: ValType | undefined, ptr: number, protected readonly length: number) {
    if (length > MAX_BUFFER_LENGTH) throw new Trap(`stream buffer of ${length} elements is longer than the maximum (2^28-1)`);
    this.size = elem === undefined ? 0 : elemSize(elem);
    if (elem !== undefined && length > 0) {
      const m = cx.memory;
      if (!m) throw new Trap('canonical ABI: a stream or future copy of values needs the memory option');
      if (ptr % alignment(elem) !== 0) throw new Trap(`stream buffer pointer 0x${ptr.toString(16)} is not aligned to ${alignment(elem)}`);
      if (ptr + length * this.size > m.buffer.byteLength) throw new Trap('stream buffer is out of bounds of memory');
    }
    this.ptr = ptr;
  }

  remain(): number {
    return this.length - this.progress;
  }

  isZeroLength(): boolean {
    return this.length === 0;
  }
}

/** The guest's values that stream.write / future.write give. */
export class GuestSource extends GuestBuffer implements ReadableBuffer {
  read(n: number): unknown[] | Uint8Array {
    let out: unknown[] | Uint8Array;
    if (this.elem === undefined) out = new Array<unknown>(n).fill(undefined);
    else if (isBytes(this.elem)) out = this.cx.memory!.u8.slice(this.ptr, this.ptr + n);
    else {
      out = [];
      for (let i = 0; i < n; i++) out.push(load(this.cx, this.elem, this.ptr + i * this.size));
    }
    this.ptr += n * this.size;
    this.progress += n;
    return out;
  }
}

/** The guest memory that stream.read / future.read fill. */
export class GuestSink extends GuestBuffer implements WritableBuffer {
  write(vs: unknown[] | Uint8Array): void {
    if (this.elem !== undefined) {
      if (vs instanceof Uint8Array && isBytes(this.elem)) this.cx.memory!.u8.set(vs, this.ptr);
      else for (let i = 0; i < vs.length; i++) store(this.cx, this.elem, vs[i], this.ptr + i * this.size);
    }
    this.ptr += vs.length * this.size;
    this.progress += vs.length;
  }
}
