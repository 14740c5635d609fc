/**
 * A line diff in the unified format of `diff -u` / `git diff` (for `fmt --check`): Myers' O(ND) shortest edit script
 * ("An O(ND) Difference Algorithm and Its Variations", 1986), hunks with three lines of context.
 */

/** One line of an edit script: kept, removed from the old text, or added by the new one. */
type Edit = { kind: " " | "-" | "+"; line: string };

/** Lines of `text`; a last line without "\n" is marked so the diff can say "\ No newline at end of file". */
function splitLines(text: string): { lines: string[]; lastHasNewline: boolean } {
  if (text === "") return { lines: [], lastHasNewline: true };
  const lastHasNewline = text.endsWith("\n");
  const lines = (lastHasNewline ? text.slice(0, -1) : text).split("\n");
  return { lines, lastHasNewline };
}

/** The shortest edit script turning `a` into `b` (Myers' greedy forward search, then a walk back over the trace). */
function editScript(a: readonly string[], b: readonly string[]): Edit[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  outer: for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!) ? v[offset + k + 1]! : v[offset + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      next[offset + k] = x;
      if (x >= n && y >= m) {
        trace.push(next);
        v = next;
        break outer;
      }
    }
    v = next;
  }
  // Walk back: trace[d] holds the furthest x per diagonal before step d was taken.
  const edits: Edit[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const prev = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : prev[offset + prevK]!;
    const prevY = d === 0 ? 0 : prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ kind: " ", line: a[--x]! });
      y--;
    }
    if (d === 0) break;
    if (down) edits.push({ kind: "+", line: b[--y]! });
    else edits.push({ kind: "-", line: a[--x]! });
  }
  return edits.reverse();
}

/** Options of {@link unifiedDiff}. */
export interface UnifiedDiffOptions {
  /** The name on the `---` line. */
  oldName: string;
  /** The name on the `+++` line. */
  newName: string;
  /** Lines of context around each change (default 3, as `diff -u`). */
  context?: number;
}

/** `oldText` → `newText` as a unified diff; "" when they are equal. */
export function unifiedDiff(oldText: string, newText: string, options: UnifiedDiffOptions): string {
  if (oldText === newText) return "";
  const context = options.context ?? 3;
  const a = splitLines(oldText);
  const b = splitLines(newText);
  // A missing final newline is a change of the last line, as diff(1) shows it.
  const aLines = a.lines.map((l, i) => (i === a.lines.length - 1 && !a.lastHasNewline ? `${l}\0` : l));
  const bLines = b.lines.map((l, i) => (i === b.lines.length - 1 && !b.lastHasNewline ? `${l}\0` : l));
  const edits = editScript(aLines, bLines);
  let out = `--- ${options.oldName}\n+++ ${options.newName}\n`;
  // Positions (in `edits`) of the changes, grouped into hunks whose contexts touch or overlap.
  const changed = edits.flatMap((e, i) => (e.kind === " " ? [] : [i]));
  let h = 0;
  while (h < changed.length) {
    let end = h;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * context + 1) end++;
    const from = Math.max(0, changed[h]! - context);
    const to = Math.min(edits.length, changed[end]! + context + 1);
    // Line numbers where the hunk starts: lines of each side before `from`.
    let oldStart = 1;
    let newStart = 1;
    for (let i = 0; i < from; i++) {
      if (edits[i]!.kind !== "+") oldStart++;
      if (edits[i]!.kind !== "-") newStart++;
    }
    const hunk = edits.slice(from, to);
    const oldCount = hunk.filter((e) => e.kind !== "+").length;
    const newCount = hunk.filter((e) => e.kind !== "-").length;
    out += `@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@\n`;
    for (const e of hunk) {
      const noNewline = e.line.endsWith("\0");
      out += `${e.kind}${noNewline ? e.line.slice(0, -1) : e.line}\n`;
      if (noNewline) out += "\\ No newline at end of file\n";
    }
    h = end + 1;
  }
  return out;
}

/** A hunk range as diff(1) writes it: "start,count", "start" for one line, "start-1,0" for none. */
function range(start: number, count: number): string {
  if (count === 1) return `${start}`;
  return `${count === 0 ? start - 1 : start},${count}`;
}
