/** "Did you mean …?" suggestions from an edit distance (after graphql-js didYouMean/suggestionList). */

/** Levenshtein distance with transpositions counted as one edit, case-insensitive bonus. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const al = a.toLowerCase();
  const bl = b.toLowerCase();
  if (al === bl) return 1;
  const n = al.length;
  const m = bl.length;
  if (n === 0) return m;
  if (m === 0) return n;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = al[i - 1] === bl[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && al[i - 1] === bl[j - 2] && al[i - 2] === bl[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m];
}

/** The options close enough to `input` to suggest, best first. */
export function suggestionList(input: string, options: readonly string[]): string[] {
  const threshold = Math.floor(input.length * 0.4) + 1;
  const scored: Array<[string, number]> = [];
  for (const o of options) {
    const d = editDistance(input, o);
    if (d <= threshold && d < Math.max(o.length, 1)) scored.push([o, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.map((s) => s[0]);
}

/** " Did you mean 'x'?" or "" when nothing is close. */
export function didYouMean(input: string, options: readonly string[]): string {
  const s = suggestionList(input, options);
  if (s.length === 0) return "";
  if (s.length === 1) return ` Did you mean '${s[0]}'?`;
  return ` Did you mean ${s.slice(0, 3).map((x) => `'${x}'`).join(", ")}?`;
}
