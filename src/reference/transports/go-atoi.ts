/** Go's `strconv.Atoi` (64-bit int), with its error texts. */
import { goQuote } from "../../util/go-quote.js";

const INT_RE = /^[+-]?[0-9]+$/;
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

/** Parses a decimal integer as strconv.Atoi does; errors read `strconv.Atoi: parsing "x": invalid syntax`. */
export function goAtoi(s: string): { ok: true; value: number } | { ok: false; error: string } {
  if (!INT_RE.test(s)) return { ok: false, error: `strconv.Atoi: parsing ${goQuote(s)}: invalid syntax` };
  const v = BigInt(s);
  if (v > MAX || v < MIN) return { ok: false, error: `strconv.Atoi: parsing ${goQuote(s)}: value out of range` };
  return { ok: true, value: Number(v) };
}

/** Go's `%d` of an Atoi result (exact even beyond 2^53, as the digits are re-derived from the text). */
export function goIntText(s: string): string {
  return BigInt(s).toString();
}
