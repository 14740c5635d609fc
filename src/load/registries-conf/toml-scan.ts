/**
 * A light scan of TOML text for positions: smol-toml gives values but no positions, so table headers and
 * `key =` lines are located here (good enough for diagnostics with line:column; values inside inline
 * tables fall back to their enclosing key).
 */
import type { SourceFile, Span } from "../../source/source-file.js";

/** One `key = value` line (dotted keys joined with `.`; `path` includes the enclosing table path). */
export interface ScannedKey {
  /** Full key path, e.g. `registry.mirror.location` (array-of-tables names without indices). */
  path: string;
  /** The key as written within its table (dotted keys joined). */
  key: string;
  keySpan: Span;
  /** From the first character of the value to the end of the line (or of a multi-line value). */
  valueSpan: Span;
  line: number;
}

/** One table: the implicit root, a `[table]` or an `[[array.of.tables]]` element. */
export interface ScannedTable {
  path: string;
  array: boolean;
  headerSpan: Span;
  keys: ScannedKey[];
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", e: "\u001b" };

function parseKey(text: string, i: number): { parts: string[]; end: number } | undefined {
  const parts: string[] = [];
  let j = i;
  for (;;) {
    while (text[j] === " " || text[j] === "\t") j++;
    const c = text[j];
    if (c === '"') {
      let s = "";
      j++;
      while (j < text.length && text[j] !== '"' && text[j] !== "\n") {
        if (text[j] === "\\" && j + 1 < text.length) {
          // TOML basic-string escapes, so a key written with \uXXXX is found under its decoded name.
          const n = text[j + 1];
          const hex = n === "u" ? 4 : n === "U" ? 8 : n === "x" ? 2 : 0;
          if (hex > 0 && /^[0-9A-Fa-f]+$/.test(text.slice(j + 2, j + 2 + hex)) && j + 2 + hex <= text.length) {
            const cp = parseInt(text.slice(j + 2, j + 2 + hex), 16);
            s += cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
            j += 2 + hex;
            continue;
          }
          s += ESCAPES[n] ?? n;
          j += 2;
          continue;
        }
        s += text[j++];
      }
      if (text[j] !== '"') return undefined;
      j++;
      parts.push(s);
    } else if (c === "'") {
      const end = text.indexOf("'", j + 1);
      if (end < 0) return undefined;
      parts.push(text.slice(j + 1, end));
      j = end + 1;
    } else {
      const m = /^[A-Za-z0-9_-]+/.exec(text.slice(j, j + 256));
      if (!m) return undefined;
      parts.push(m[0]);
      j += m[0].length;
    }
    while (text[j] === " " || text[j] === "\t") j++;
    if (text[j] === ".") {
      j++;
      continue;
    }
    return { parts, end: j };
  }
}

/** Skip a value starting at `i` (strings, arrays, inline tables may span lines); returns the end offset. */
function skipValue(text: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < text.length) {
    const c = text[j];
    if (text.startsWith('"""', j) || text.startsWith("'''", j)) {
      const q = text.slice(j, j + 3);
      const end = text.indexOf(q, j + 3);
      j = end < 0 ? text.length : end + 3;
      while (text[j] === q[0]) j++;
      continue;
    }
    if (c === '"') {
      j++;
      while (j < text.length && text[j] !== '"' && text[j] !== "\n") j += text[j] === "\\" ? 2 : 1;
      j++;
      continue;
    }
    if (c === "'") {
      const end = text.indexOf("'", j + 1);
      j = end < 0 ? text.length : end + 1;
      continue;
    }
    if (c === "#") {
      while (j < text.length && text[j] !== "\n") j++;
      continue;
    }
    if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") depth--;
    else if (c === "\n" && depth <= 0) return j;
    j++;
  }
  return j;
}

/** Scan a TOML document for tables and keys with their spans. */
export function scanToml(source: SourceFile): ScannedTable[] {
  const text = source.text;
  const root: ScannedTable = { path: "", array: false, headerSpan: source.span(0, 0), keys: [] };
  const tables: ScannedTable[] = [root];
  let current = root;
  let i = 0;
  while (i < text.length) {
    // Start of a line: skip blanks.
    while (text[i] === " " || text[i] === "\t" || text[i] === "\r") i++;
    const c = text[i];
    if (c === undefined) break;
    if (c === "\n") {
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    if (c === "[") {
      const array = text[i + 1] === "[";
      const k = parseKey(text, i + (array ? 2 : 1));
      let end = k ? k.end : i + 1;
      if (k) {
        if (array && text.startsWith("]]", end)) end += 2;
        else if (!array && text[end] === "]") end += 1;
      }
      const t: ScannedTable = { path: k ? k.parts.join(".") : "", array, headerSpan: source.span(i, end), keys: [] };
      tables.push(t);
      current = t;
      while (i < text.length && text[i] !== "\n") i++;
      continue;
    }
    const k = parseKey(text, i);
    if (k && text[k.end] === "=") {
      let v = k.end + 1;
      while (text[v] === " " || text[v] === "\t") v++;
      const vend = skipValue(text, v);
      const key = k.parts.join(".");
      current.keys.push({
        path: current.path ? `${current.path}.${key}` : key,
        key,
        keySpan: source.span(i, k.end),
        valueSpan: source.span(v, Math.max(v, vend)),
        line: source.position(i).line,
      });
      i = vend;
      continue;
    }
    // Not understood: skip the line.
    while (i < text.length && text[i] !== "\n") i++;
  }
  return tables;
}
