/**
 * The `ignore:` globs of .imagetrust.yaml, matched in linear time (issue 17). A glob used to become a JavaScript
 * regular expression, and V8's backtracking engine takes exponential time on patterns like `a*a*a*…a*b` (12 `a*`
 * took 136 s for three files). picomatch and minimatch compile to the same kind of backtracking expressions, so they
 * would not help; this is a Thompson-style simulation instead: the set of pattern positions that can be reached is
 * advanced one path character at a time, so a match costs at most (path length + 1) × (pattern length + 1) steps
 * whatever the pattern.
 *
 * Syntax (unchanged): `*` any run of characters except `/`; `?` one character except `/`; `**` any run including
 * `/`; `**` followed by `/` any number of leading directories (including none); everything else literal. A trailing
 * `/` is dropped. A glob matches a path and everything under it (`vendor` ignores `vendor/a/policy.json`).
 */

type Token =
  | { kind: "char"; char: string }
  | { kind: "one" } // ?
  | { kind: "star" } // * (no /)
  | { kind: "any" } // ** (anything)
  | { kind: "skip"; to: number }; // an optional group `(?:…)?`: jump past it without consuming

/** A compiled glob. */
export interface GlobMatcher {
  /** Whether `path` (relative, `/`-separated) or a directory above it matches. `stats.steps` counts work done. */
  test(path: string, stats?: { steps: number }): boolean;
}

function tokenize(glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "*" && glob[i + 1] === "*") {
      if (glob[i + 2] === "/") {
        // `**/`: (?:.*/)? — optional: skip it, or any characters then a `/`.
        const skip: Token = { kind: "skip", to: -1 };
        tokens.push(skip, { kind: "any" }, { kind: "char", char: "/" });
        skip.to = tokens.length;
        i += 2;
      } else {
        tokens.push({ kind: "any" });
        i += 1;
      }
    } else if (c === "*") tokens.push({ kind: "star" });
    else if (c === "?") tokens.push({ kind: "one" });
    else tokens.push({ kind: "char", char: c });
  }
  const last = tokens[tokens.length - 1];
  if (last && last.kind === "char" && last.char === "/" && !tokens.some((t) => t.kind === "skip" && t.to === tokens.length)) tokens.pop();
  return tokens;
}

/** Compile `glob` once; test many paths. */
export function compileGlob(glob: string): GlobMatcher {
  const tokens = tokenize(glob);
  const m = tokens.length;
  // Every epsilon edge goes forward (a star stays on its own position by consuming), so one pass in index order
  // closes a set.
  const close = (set: Uint8Array): void => {
    for (let k = 0; k < m; k++) {
      if (!set[k]) continue;
      const t = tokens[k];
      if (t.kind === "star" || t.kind === "any") set[k + 1] = 1;
      else if (t.kind === "skip") {
        set[k + 1] = 1;
        set[t.to] = 1;
      }
    }
  };
  return {
    test(path, stats) {
      let current = new Uint8Array(m + 1);
      current[0] = 1;
      close(current);
      for (let i = 0; ; i++) {
        // The glob may end here: at the end of the path, or before a `/` (everything under a matched directory).
        if (current[m] && (i === path.length || path[i] === "/")) return true;
        if (i === path.length) return false;
        const c = path[i];
        const next = new Uint8Array(m + 1);
        let any = false;
        for (let k = 0; k < m; k++) {
          if (!current[k]) continue;
          if (stats) stats.steps++;
          const t = tokens[k];
          let to = -1;
          if (t.kind === "char") to = c === t.char ? k + 1 : -1;
          else if (t.kind === "one") to = c !== "/" ? k + 1 : -1;
          else if (t.kind === "star") to = c !== "/" ? k : -1;
          else if (t.kind === "any") to = k;
          if (to >= 0) {
            next[to] = 1;
            any = true;
          }
        }
        if (!any) return false;
        close(next);
        current = next;
      }
    },
  };
}
