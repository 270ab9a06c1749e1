// The text of a caught error for messages shown to the user (errors carry it; anything else is stringified).
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
