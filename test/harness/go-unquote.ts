/**
 * Go string unquoting (the inverse of strconv.Quote / %q), for reading logrus
 * text-format lines such as `level=fatal msg="Error loading …"`.
 */

const simpleEscapes: Record<string, number> = {
  a: 0x07,
  b: 0x08,
  f: 0x0c,
  n: 0x0a,
  r: 0x0d,
  t: 0x09,
  v: 0x0b,
  "\\": 0x5c,
  '"': 0x22,
  "'": 0x27,
};

/**
 * Unquotes a Go double-quoted string literal (with its quotes), as
 * strconv.Unquote does; `\xNN` and octal escapes give raw bytes, decoded as
 * UTF-8 at the end. Throws on malformed input.
 */
export function goUnquote(quoted: string): string {
  if (quoted.length < 2 || quoted[0] !== '"' || quoted[quoted.length - 1] !== '"') {
    throw new Error(`not a Go quoted string: ${quoted}`);
  }
  const body = quoted.slice(1, -1);
  const bytes: number[] = [];
  const pushCodePoint = (cp: number) => {
    for (const b of Buffer.from(String.fromCodePoint(cp), "utf8")) bytes.push(b);
  };
  for (let i = 0; i < body.length; ) {
    const c = body[i];
    if (c === '"') throw new Error(`unescaped quote in Go string: ${quoted}`);
    if (c !== "\\") {
      const cp = body.codePointAt(i)!;
      pushCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const e = body[i + 1];
    if (e === undefined) throw new Error(`dangling backslash in Go string: ${quoted}`);
    if (e in simpleEscapes) {
      bytes.push(simpleEscapes[e]);
      i += 2;
    } else if (e === "x") {
      bytes.push(parseHex(body.slice(i + 2, i + 4), 2, quoted));
      i += 4;
    } else if (e === "u") {
      pushCodePoint(parseHex(body.slice(i + 2, i + 6), 4, quoted));
      i += 6;
    } else if (e === "U") {
      pushCodePoint(parseHex(body.slice(i + 2, i + 10), 8, quoted));
      i += 10;
    } else if (e >= "0" && e <= "7") {
      const oct = body.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(oct)) throw new Error(`bad octal escape in Go string: ${quoted}`);
      bytes.push(parseInt(oct, 8));
      i += 4;
    } else {
      throw new Error(`unknown escape \\${e} in Go string: ${quoted}`);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function parseHex(digits: string, n: number, quoted: string): number {
  if (digits.length !== n || !/^[0-9a-fA-F]+$/.test(digits)) {
    throw new Error(`bad hex escape in Go string: ${quoted}`);
  }
  return parseInt(digits, 16);
}

/**
 * Reads the fields of one logrus TextFormatter line
 * (`time="…" level=fatal msg="…"`): values are bare or Go-quoted.
 */
export function parseLogrusLine(line: string): Record<string, string> | undefined {
  const fields: Record<string, string> = {};
  const re = /\s*([A-Za-z_][\w.-]*)=("(?:[^"\\]|\\.)*"|[^\s"]*)/gy;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(line)) !== null) {
    if (m[0].length === 0) break;
    fields[m[1]] = m[2].startsWith('"') ? goUnquote(m[2]) : m[2];
    end = re.lastIndex;
  }
  if (end === 0 || line.slice(end).trim() !== "") return undefined;
  return fields;
}
