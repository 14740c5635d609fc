/**
 * Go's `path/filepath.Clean` for Unix (identical to `path.Clean`): the shortest lexically equivalent path.
 * Port of the algorithm in Go's path/filepath/path.go; used by the dir/oci/sif scope validators and by
 * explicitfilepath.ResolvePathToFullyExplicit.
 */
export function cleanPath(p: string): string {
  if (isClean(p)) return p;
  if (p === "") return ".";
  const rooted = p.charCodeAt(0) === 0x2f;
  const n = p.length;
  // out is built as an array of chars only when needed; for speed use string concatenation.
  let out = rooted ? "/" : "";
  let r = rooted ? 1 : 0;
  let dotdot = out.length; // index in out where .. must stop backtracking
  while (r < n) {
    const c = p.charCodeAt(r);
    if (c === 0x2f) {
      r++; // empty path element
    } else if (c === 0x2e && (r + 1 === n || p.charCodeAt(r + 1) === 0x2f)) {
      r++; // . element
    } else if (c === 0x2e && p.charCodeAt(r + 1) === 0x2e && (r + 2 === n || p.charCodeAt(r + 2) === 0x2f)) {
      // .. element: remove to last separator
      r += 2;
      if (out.length > dotdot) {
        let w = out.length - 1;
        while (w > dotdot && out.charCodeAt(w) !== 0x2f) w--;
        out = out.slice(0, w);
      } else if (!rooted) {
        // cannot backtrack, but not rooted, so append .. element
        if (out.length > 0) out += "/";
        out += "..";
        dotdot = out.length;
      }
    } else {
      // real path element; add slash if needed
      if ((rooted && out.length !== 1) || (!rooted && out.length !== 0)) out += "/";
      let e = r;
      while (e < n && p.charCodeAt(e) !== 0x2f) e++;
      out += p.slice(r, e);
      r = e;
    }
  }
  if (out === "") return ".";
  return out;
}

/**
 * Whether Clean returns `p` unchanged (Go's lazybuf then copies nothing): one character, or no empty, `.` or `..`
 * element (which also rules out a trailing slash). Paths on the bulk paths (`dir:` references, their parents) are
 * clean already; the answer for them is `p` itself, without building a copy.
 */
function isClean(p: string): boolean {
  const n = p.length;
  if (n <= 1) return n === 1;
  let start = p.charCodeAt(0) === 0x2f ? 1 : 0;
  for (let i = start; i <= n; i++) {
    if (i < n && p.charCodeAt(i) !== 0x2f) continue;
    const len = i - start;
    if (len === 0) return false;
    if (p.charCodeAt(start) === 0x2e && (len === 1 || (len === 2 && p.charCodeAt(start + 1) === 0x2e))) return false;
    start = i + 1;
  }
  return true;
}
