/**
 * Turning policy.json bytes into text the way Go's encoding/json sees them.
 *
 * Go reads bytes: inside JSON strings every byte that does not start a valid UTF-8 sequence becomes one
 * U+FFFD (`unquote` uses utf8.DecodeRune, which consumes exactly one byte of an invalid sequence); outside
 * strings any non-ASCII byte is a syntax error that names that byte (`invalid character 'ÿ' …`). To keep the
 * byte for the error message, an invalid byte outside a string, or inside an escape sequence (where Go's
 * scanner also fails on it), is mapped to the lone surrogate U+DC00+byte (Python's "surrogateescape"
 * convention), which json-parse.ts reports as that byte.
 * A byte order mark is kept (Go rejects it: `invalid character 'ï' looking for beginning of value`).
 */

const strictDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Length of the valid UTF-8 sequence at `i` (utf8.DecodeRune rules), or 0 if invalid. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i];
  const n = b.length;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < n && b[i + k] >= lo && b[i + k] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

/**
 * Decodes policy.json bytes to text with Go's U+FFFD replacement for invalid UTF-8 inside strings (see the
 * file comment for bytes outside strings). Valid UTF-8 takes a native fast path.
 */
export function decodePolicyBytes(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    // invalid UTF-8 somewhere: the slow, Go-faithful path below
  }
  const parts: string[] = [];
  let units: number[] = [];
  const flush = (): void => {
    if (units.length > 0) {
      parts.push(String.fromCharCode(...units));
      units = [];
    }
  };
  let inString = false;
  // 0: plain string text; 1: after a backslash; 2..5: inside the four hex digits of \u.
  let escape = 0;
  const n = bytes.length;
  let i = 0;
  while (i < n) {
    const c = bytes[i];
    if (c < 0x80) {
      if (inString) {
        if (escape === 1) escape = c === 0x75 ? 2 : 0;
        else if (escape > 1) escape = escape === 5 ? 0 : escape + 1;
        else if (c === 0x5c) escape = 1;
        else if (c === 0x22) inString = false;
      } else if (c === 0x22) inString = true;
      units.push(c);
      i++;
    } else {
      const inEscape = escape !== 0;
      escape = 0;
      const len = validSequenceLength(bytes, i);
      if (len === 0) {
        units.push(inString && !inEscape ? 0xfffd : 0xdc00 + c);
        i++;
      } else {
        let cp: number;
        if (len === 2) cp = ((c & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
        else if (len === 3) cp = ((c & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
        else
          cp =
            ((c & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) | ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
        if (cp >= 0x10000) {
          const v = cp - 0x10000;
          units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
        } else units.push(cp);
        i += len;
      }
    }
    if (units.length >= 8192) flush();
  }
  flush();
  return parts.join("");
}
