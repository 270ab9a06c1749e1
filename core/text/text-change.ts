// What an edit changed, found by comparing two versions of a text (editors send ranges, workers see whole texts).

/** Where two versions differ: `[start, oldEnd)` of the old text became `[start, newEnd)` of the new. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The one region outside which both texts are equal (common prefix and suffix). Compared a chunk
 * at a time (native string equality), then character by character inside the differing chunk. */
export function changedRegion(oldText: string, newText: string): TextChange {
  const CHUNK = 4096;
  const n = Math.min(oldText.length, newText.length);
  let start = 0;
  while (start + CHUNK <= n && oldText.slice(start, start + CHUNK) === newText.slice(start, start + CHUNK)) start += CHUNK;
  while (start < n && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let o = oldText.length;
  let m = newText.length;
  while (o - CHUNK >= start && m - CHUNK >= start && oldText.slice(o - CHUNK, o) === newText.slice(m - CHUNK, m)) {
    o -= CHUNK;
    m -= CHUNK;
  }
  while (o > start && m > start && oldText.charCodeAt(o - 1) === newText.charCodeAt(m - 1)) {
    o--;
    m--;
  }
  return { start, oldEnd: o, newEnd: m };
}
