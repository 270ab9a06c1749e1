// The pure half of the profile decorations (no `vscode`, tested headless): each function's share
// of a profiled run's instructions, from the .cpuprofile the adapter wrote, by file and line.

/** The parts of a .cpuprofile read here (core/interp's Profiler writes them). */
export interface ProfileFile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount: number; children: number[] }[];
}

export interface FunctionShare {
  name: string;
  /** The file and 0-based line of the function's first instruction. */
  url: string;
  line: number;
  /** Instructions executed in the function itself, and with its callees. */
  self: number;
  total: number;
  /** self / all instructions of the run, and total / all. */
  selfShare: number;
  totalShare: number;
}

/** Each function's counts (summed over every call path it appears on), largest self count first. */
export function functionShares(profile: ProfileFile): FunctionShare[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const inclusive = new Map<number, number>();
  const sum = (id: number): number => {
    const known = inclusive.get(id);
    if (known !== undefined) return known;
    const n = byId.get(id);
    const v = n ? n.hitCount + n.children.reduce((s, c) => s + sum(c), 0) : 0;
    inclusive.set(id, v);
    return v;
  };
  let all = 0;
  for (const n of profile.nodes) all += n.hitCount;
  const out = new Map<string, FunctionShare>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    if (f.functionName === '(root)' || f.functionName === '(program)') continue;
    const key = `${f.url}\n${f.lineNumber}\n${f.functionName}`;
    let s = out.get(key);
    if (!s) {
      s = { name: f.functionName, url: f.url, line: f.lineNumber, self: 0, total: 0, selfShare: 0, totalShare: 0 };
      out.set(key, s);
    }
    s.self += n.hitCount;
    // A recursive function's nested nodes are inside its outer node's total already.
    if (!hasAncestorNamed(profile, n.id, key)) s.total += sum(n.id);
  }
  for (const s of out.values()) {
    s.selfShare = all > 0 ? s.self / all : 0;
    s.totalShare = all > 0 ? s.total / all : 0;
  }
  return [...out.values()].sort((a, b) => b.self - a.self);
}

function hasAncestorNamed(profile: ProfileFile, id: number, key: string): boolean {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children) parent.set(c, n.id);
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (let p = parent.get(id); p !== undefined; p = parent.get(p)) {
    const f = byId.get(p)?.callFrame;
    if (f && `${f.url}\n${f.lineNumber}\n${f.functionName}` === key) return true;
  }
  return false;
}

/** `  ⏱ 42.0% of instructions (12,345), 80.1% with callees`: the text shown after the line. */
export function shareText(s: FunctionShare): string {
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const withCallees = s.total > s.self ? `, ${pct(s.totalShare)} with callees` : '';
  return `  ⏱ ${pct(s.selfShare)} of instructions (${s.self.toLocaleString('en-US')})${withCallees}`;
}
