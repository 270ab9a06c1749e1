// Memory references for the Memory view: a byte address in memory 0 (`0x00001000`), or in another
// memory of a multi-memory module (`memory 2 @ 0x00001000`); memory64 addresses have 16 hex digits.

/** The hex form of an address: 8 digits, 16 in a memory64 memory. */
export function addressText(address: number, is64: boolean): string {
  return `0x${address.toString(16).padStart(is64 ? 16 : 8, '0')}`;
}

export function memoryReference(memory: number, address: number, is64: boolean): string {
  const at = addressText(address, is64);
  return memory === 0 ? at : `memory ${memory} @ ${at}`;
}

/** The memory and address a reference names, or undefined when it is not one. */
export function parseMemoryReference(ref: string): { memory: number; address: number } | undefined {
  const m = /^\s*(?:memory\s+(\d+)\s*@\s*)?(0x[0-9a-f]+|\d+)\s*$/i.exec(ref);
  if (!m) return undefined;
  const address = m[2]!.toLowerCase().startsWith('0x') ? parseInt(m[2]!.slice(2), 16) : Number(m[2]);
  return { memory: m[1] === undefined ? 0 : Number(m[1]), address };
}
