/**
 * Go `fmt` renderings of JSON tokens, as containers/image puts them into "JSON object expected, got …"
 * (signature/internal/json.go `ParanoidUnmarshalJSONObject`): `%#v` since v5.31, `"%s"` before.
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
