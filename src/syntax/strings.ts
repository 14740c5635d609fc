/** String literals of the trust language: unescaping what the lexer read, and quoting for the printer. */

/** A problem found while unescaping, at an offset relative to the literal's first character. */
export interface EscapeProblem {
  offset: number;
  length: number;
  message: string;
}

/**
 * The value of a string literal as written (with its quotes; an unterminated literal lacks the closing one).
 * Escapes: \" \\ \n \r \t \a \b \f \v \0 \xHH \uHHHH \u{H…}.
 */
export function unescapeString(image: string): { value: string; problems: EscapeProblem[] } {
  let body = image.slice(1);
  if (body.endsWith('"') && image.length >= 2 && !isEscapedQuoteAtEnd(image)) body = body.slice(0, -1);
  // Nearly every literal has no escape: its value is the body itself (no per-character concatenation).
  if (!body.includes("\\")) return { value: body, problems: [] };
  const problems: EscapeProblem[] = [];
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== "\\") {
      out += c;
      continue;
    }
    const n = body[i + 1];
    const at = i + 1; // offset in image (the quote is at 0)
    switch (n) {
      case '"': out += '"'; i++; continue;
      case "\\": out += "\\"; i++; continue;
      case "n": out += "\n"; i++; continue;
      case "r": out += "\r"; i++; continue;
      case "t": out += "\t"; i++; continue;
      case "a": out += "\x07"; i++; continue;
      case "b": out += "\b"; i++; continue;
      case "f": out += "\f"; i++; continue;
      case "v": out += "\v"; i++; continue;
      case "0": out += "\0"; i++; continue;
      case "x": {
        const hex = body.slice(i + 2, i + 4);
        if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 3;
          continue;
        }
        problems.push({ offset: at, length: 2, message: "\\x must be followed by two hexadecimal digits" });
        i++;
        continue;
      }
      case "u": {
        const braced = /^\{([0-9A-Fa-f]{1,6})\}/.exec(body.slice(i + 2));
        if (braced && parseInt(braced[1], 16) <= 0x10ffff) {
          out += String.fromCodePoint(parseInt(braced[1], 16));
          i += 1 + braced[0].length;
          continue;
        }
        const hex = body.slice(i + 2, i + 6);
        if (/^[0-9A-Fa-f]{4}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 5;
          continue;
        }
        problems.push({ offset: at, length: 2, message: "\\u must be followed by four hexadecimal digits or {…}" });
        i++;
        continue;
      }
      case undefined:
        problems.push({ offset: at, length: 1, message: "a string cannot end with a lone backslash" });
        continue;
      default:
        problems.push({ offset: at, length: 2, message: `unknown escape '\\${n}' (write a backslash as \\\\)` });
        out += n;
        i++;
    }
  }
  return { value: out, problems };
}

function isEscapedQuoteAtEnd(image: string): boolean {
  // The final quote closes the string unless it is preceded by an odd number of backslashes.
  let k = image.length - 2;
  let n = 0;
  while (k >= 1 && image[k] === "\\") {
    n++;
    k--;
  }
  return n % 2 === 1;
}

/** A string value as a trust-language literal: quotes, backslashes and control characters escaped. */
export function quoteString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"': out += '\\"'; continue;
      case "\\": out += "\\\\"; continue;
      case "\n": out += "\\n"; continue;
      case "\r": out += "\\r"; continue;
      case "\t": out += "\\t"; continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0x2028 || cp === 0x2029 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff))
      out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += ch;
  }
  return out + '"';
}
