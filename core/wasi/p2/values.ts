// Helpers for the WIT values the WASI 0.2 host returns (the shapes core/component/canon.ts lifts
// and lowers): results, options and the host resources' common drop hook.
export interface Tagged {
  tag: string;
  val?: unknown;
}

export const ok = (val?: unknown): Tagged => (val === undefined ? { tag: 'ok' } : { tag: 'ok', val });
export const err = (val?: unknown): Tagged => (val === undefined ? { tag: 'err' } : { tag: 'err', val });
export const some = (val: unknown): Tagged => ({ tag: 'some', val });
export const none: Tagged = { tag: 'none' };

/** A host resource: `drop` runs when the guest drops its last own handle. */
export interface HostResource {
  drop?(): void;
}

/** u64 arguments arrive as bigint; lengths used as JS numbers are clamped to a safe size. */
export function len(n: unknown, max = 1 << 30): number {
  const v = typeof n === 'bigint' ? n : BigInt(Number(n));
  return v > BigInt(max) ? max : Number(v);
}
