/**
 * Go `fmt` renderings of JSON tokens, as containers/image puts them into "JSON object expected, got …"
 * (signature/internal/json.go `ParanoidUnmarshalJSONObject`): `%#v` since v5.31, `"%s"` before; and the
 * `invalid character 'x'` rendering of encoding/json's scanner (`quoteChar`).
 */
import { goQuote } from "../util/go-quote.js";
import type { JsonValue } from "./json-tree.js";

/**
 * Go's `%v` (and `%#v`) of a float64: strconv.FormatFloat(x, 'g', -1, 64), i.e. the shortest digits that
 * round-trip, in scientific form iff the decimal exponent is < -4 or >= 6 (the shortest-precision rule of
 * strconv ftoa.go), exponent with a sign and at least two digits. Checked with Go 1.19: `1e+06`, `123456`,
 * `1.234567e+06`, `0.0001`, `1e-05`, `1.23456789012e+11`; JSON `-0` gives `-0`.
 */
export function goFormatFloat(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, expText] = x.toExponential().split("e");
  const exp = Number(expText);
  const sign = mant.startsWith("-") ? "-" : "";
  const digits = mant.replace("-", "").replace(".", "");
  if (exp < -4 || exp >= 6) return sign + sciText(digits, exp);
  // Fixed notation.
  if (exp < 0) return sign + "0." + "0".repeat(-exp - 1) + digits;
  if (digits.length <= exp + 1) return sign + digits + "0".repeat(exp + 1 - digits.length);
  return sign + digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
}

function sciText(digits: string, exp: number): string {
  const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
  const e = Math.abs(exp);
  return m + "e" + (exp < 0 ? "-" : "+") + (e < 10 ? "0" + e : String(e));
}

/** True when Go's strconv.ParseFloat(raw, 64) fails with ErrRange (the value overflows float64). */
export function goFloatOverflows(raw: string): boolean {
  return !Number.isFinite(Number(raw));
}

/**
 * The first token of `node` formatted as Go's `%#v` (v5.31+): `{`/`[` are json.Delim runes printed as
 * numbers (123 / 91), `null` is `<nil>`, strings Go-quoted, numbers as float64 `%v`, booleans as words.
 */
export function formatTokenSharpV(node: JsonValue): string {
  switch (node.kind) {
    case "object":
      return "123";
    case "array":
      return "91";
    case "null":
      return "<nil>";
    case "true":
    case "false":
      return node.kind;
    case "string":
      return goQuote(node.value);
    case "number":
      return goFormatFloat(Number(node.raw));
  }
}

/**
 * The first token of `node` formatted as Go's `"%s"` (before v5.31): Delim has a String method (`"["`),
 * other non-strings give fmt's bad-verb artifacts (`"%!s(<nil>)"`, `"%!s(float64=1)"`, `"%!s(bool=true)"`),
 * strings are printed raw between quotes.
 */
export function formatTokenPercentS(node: JsonValue): string {
  switch (node.kind) {
    case "object":
      return '"{"';
    case "array":
      return '"["';
    case "null":
      return '"%!s(<nil>)"';
    case "true":
    case "false":
      return `"%!s(bool=${node.kind})"`;
    case "string":
      return `"${node.value}"`;
    case "number":
      return `"%!s(float64=${goFormatFloat(Number(node.raw))})"`;
  }
}

/** The first byte of the UTF-8 encoding of the character at `i` (what Go's byte-oriented scanner reports). */
export function firstUtf8Byte(text: string, i: number): number {
  const cp = text.codePointAt(i)!;
  if (cp < 0x80) return cp;
  if (cp >= 0xdc80 && cp <= 0xdcff && !(i > 0 && isHighSurrogate(text.charCodeAt(i - 1)))) {
    // A lone low surrogate U+DC80..U+DCFF stands for the invalid byte 0x80..0xFF (decodePolicyBytes).
    return cp - 0xdc00;
  }
  if (cp >= 0xd800 && cp <= 0xdfff) return 0xef; // other lone surrogates: as U+FFFD
  if (cp < 0x800) return 0xc0 | (cp >> 6);
  if (cp < 0x10000) return 0xe0 | (cp >> 12);
  return 0xf0 | (cp >> 18);
}

/** A UTF-16 high (leading) surrogate. */
export function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Go's `quoteChar`: the byte as a Go character literal body between single quotes. */
export function goQuoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return "'\"'";
  return "'" + quoteRuneBody(c) + "'";
}

/** strconv.Quote(string(rune(c))) without the surrounding quotes, for c < 256. */
function quoteRuneBody(c: number): string {
  switch (c) {
    case 0x07:
      return "\\a";
    case 0x08:
      return "\\b";
    case 0x0c:
      return "\\f";
    case 0x0a:
      return "\\n";
    case 0x0d:
      return "\\r";
    case 0x09:
      return "\\t";
    case 0x0b:
      return "\\v";
    case 0x5c:
      return "\\\\";
  }
  if (c < 0x20 || c === 0x7f) return "\\x" + c.toString(16).padStart(2, "0");
  // Latin-1: U+0080..U+009F are controls, U+00A0 (no-break space) and U+00AD (soft hyphen) are not printable in Go.
  if (c >= 0x80 && c <= 0xa0) return "\\u" + c.toString(16).padStart(4, "0");
  if (c === 0xad) return "\\u00ad";
  return String.fromCharCode(c);
}
