/**
 * What BurntSushi/toml (the TOML decoder of containers/image 5.23.1, `sysregistriesv2.loadConfigFile` →
 * `toml.DecodeFile`) refuses and smol-toml (TOML 1.1, JavaScript numbers) accepts, found by one scan of the text
 * (issue 17; each case checked against the Go harness in test/load/registries-conf/go-edges.test.ts):
 * - a byte-order mark (`expected '.' or '=', but got '\ufeff' instead`);
 * - escapes TOML 1.0 does not have, `\x41` and `\e` (`invalid escape in string '\x'`);
 * - floats out of float64's range, `1e999` (`1e999 is out of range for float64`);
 * - integers out of int64's range, `9223372036854775808`, `0xffffffffffffffffff` (`… is out of range for int64`);
 * - dates that do not exist, `2023-02-29` (`Invalid TOML Datetime: "2023-02-29".`);
 * - and, for the message only (smol-toml refuses them too), control characters: NUL, a lone CR, … (`TOML files
 *   cannot contain control characters: '0x00'`; NUL in the first 6 bytes: `files cannot contain NULL bytes; …`).
 * The scan skips comments and strings; numbers and dates are checked only where a value stands (not in keys).
 */
import { goQuote } from "../../util/go-quote.js";

/** Go's error for the first such construct: its line and BurntSushi's message (with `toml: line N …: ` prefix). */
export interface GoTomlRefusal {
  line: number;
  column: number;
  message: string;
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const BASIC_ESCAPES = new Set(["b", "t", "n", "f", "r", '"', "\\", "u", "U"]);
const BARE = /[A-Za-z0-9_-]/;

/** The first construct BurntSushi/toml refuses where smol-toml would not, or undefined. */
export function goTomlRefusal(text: string): GoTomlRefusal | undefined {
  if (text.charCodeAt(0) === 0xfeff) return { line: 1, column: 1, message: "toml: line 1: expected '.' or '=', but got '\\ufeff' instead" };
  // BurntSushi's parse() looks for NUL in the first 6 bytes (a UTF-16 file) before lexing.
  for (let i = 0, bytes = 0; i < text.length && bytes < 6; i++) {
    if (text.charCodeAt(i) === 0) return { line: 1, column: i + 1, message: "toml: line 1: files cannot contain NULL bytes; probably using UTF-16; TOML files must be UTF-8" };
    const c = text.codePointAt(i)!;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (c >= 0x10000) i++;
  }
  let line = 1;
  let lineStart = 0;
  let tablePrefix = "";
  let key = "";
  /** Inside a value: a stack of "array" | "inline"; inline tables expect keys after '{' and ','. */
  const stack: ("array" | "inline")[] = [];
  let inValue = false;
  let expectKey = false;
  const inlineKeys: string[] = [];
  const lastKey = () => [tablePrefix, key, ...inlineKeys].filter(Boolean).join(".");
  const at = (i: number, what: string): GoTomlRefusal => {
    const k = lastKey();
    return { line, column: i - lineStart + 1, message: `toml: line ${line}${k ? ` (last key ${goQuote(k)})` : ""}: ${what}` };
  };
  let pendingKey: string[] = [];
  /** BurntSushi's lexer refuses control characters anywhere (TAB allowed; CR only before LF). */
  const control = (j: number): GoTomlRefusal | undefined => {
    const code = text.charCodeAt(j);
    if (code === 0x09 || code === 0x0a || (code >= 0x20 && code !== 0x7f)) return undefined;
    if (code === 0x0d && text.charCodeAt(j + 1) === 0x0a) return undefined;
    return at(j, `TOML files cannot contain control characters: '0x${code.toString(16).padStart(2, "0")}'`);
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const cc = control(i);
    if (cc) return cc;
    if (c === "\n") {
      line++;
      lineStart = i + 1;
      if (stack.length === 0) inValue = false;
      i++;
      continue;
    }
    if (c === "#") {
      while (i < text.length && text[i] !== "\n") {
        const bad = control(i);
        if (bad) return bad;
        i++;
      }
      continue;
    }
    if (c === '"' || c === "'") {
      const multi = text.startsWith(c.repeat(3), i);
      const quote = multi ? c.repeat(3) : c;
      let j = i + quote.length;
      let value = "";
      while (j < text.length && !text.startsWith(quote, j)) {
        const bad = control(j);
        if (bad) return bad;
        if (text[j] === "\n") {
          if (!multi) break;
          line++;
          lineStart = j + 1;
        }
        if (c === '"' && text[j] === "\\") {
          const e = text[j + 1];
          const lineEnding = multi && /[ \t\r\n]/.test(e ?? "");
          if (e !== undefined && !BASIC_ESCAPES.has(e) && !lineEnding) return at(j, `invalid escape in string '\\${e}'`);
          if (!lineEnding) {
            value += text.slice(j, j + 2);
            j += 2;
            continue;
          }
        }
        value += text[j];
        j++;
      }
      if (!inValue || (stack[stack.length - 1] === "inline" && expectKey)) pendingKey.push(value);
      i = j + quote.length;
      continue;
    }
    if (!inValue || (stack[stack.length - 1] === "inline" && expectKey)) {
      // Keys, table headers.
      if (!inValue && c === "[" && stack.length === 0 && text.slice(lineStart, i).trim() === "") {
        const end = text.indexOf("]", i);
        const header = text.slice(i, end < 0 ? text.length : end).replace(/^\[+/, "");
        tablePrefix = header
          .split(".")
          .map((p) => p.trim().replace(/^["']|["']$/g, ""))
          .join(".");
        key = "";
        i = end < 0 ? text.length : end + 1;
        continue;
      }
      if (c === "=") {
        if (!inValue) {
          key = pendingKey.join(".");
          inValue = true;
        } else {
          inlineKeys.push(pendingKey.join("."));
          expectKey = false;
        }
        pendingKey = [];
        i++;
        continue;
      }
      if (c === "}" && stack[stack.length - 1] === "inline") {
        // `{}` or a trailing ',': no key of this table is open.
        stack.pop();
        expectKey = false;
        i++;
        continue;
      }
      if (BARE.test(c)) {
        let j = i;
        while (j < text.length && BARE.test(text[j])) j++;
        pendingKey.push(text.slice(i, j));
        i = j;
        continue;
      }
      i++;
      continue;
    }
    // A value.
    if (c === "[") {
      stack.push("array");
      i++;
      continue;
    }
    if (c === "{") {
      stack.push("inline");
      expectKey = true;
      i++;
      continue;
    }
    if (c === "]" || c === "}") {
      if (stack.pop() === "inline") inlineKeys.pop();
      expectKey = false;
      i++;
      continue;
    }
    if (c === ",") {
      if (stack[stack.length - 1] === "inline") {
        expectKey = true;
        inlineKeys.pop();
      }
      i++;
      continue;
    }
    if (/[0-9+\-]/.test(c)) {
      let j = i;
      while (j < text.length && /[0-9A-Za-z_+\-.:]/.test(text[j])) j++;
      // A date-time's time part after a space ("1979-05-27 07:32:00") is not needed for the checks below.
      const tok = text.slice(i, j);
      const bad = checkValueToken(tok);
      if (bad !== undefined) return at(i, bad);
      i = j;
      continue;
    }
    i++;
  }
  return undefined;
}

/** BurntSushi's error for a number or date token, or undefined. */
function checkValueToken(tok: string): string | undefined {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(tok);
  if (date) {
    const [y, m, d] = [Number(date[1]), Number(date[2]), Number(date[3])];
    const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    if (days === undefined || d < 1 || d > days) return `Invalid TOML Datetime: ${goQuote(tok)}.`;
    return undefined;
  }
  const t = tok.replace(/_/g, "");
  if (/^[+-]?(0x[0-9A-Fa-f]+|0o[0-7]+|0b[01]+|\d+)$/.test(t)) {
    const neg = t.startsWith("-");
    const body = t.replace(/^[+-]/, "");
    const v = BigInt(body) * (neg ? -1n : 1n);
    if (v > INT64_MAX || v < INT64_MIN) return `${tok} is out of range for int64`;
    return undefined;
  }
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t) && /[.eE]/.test(t)) {
    if (!Number.isFinite(Number(t))) return `${tok} is out of range for float64`;
  }
  return undefined;
}
