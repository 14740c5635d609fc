/**
 * YAML scalars that every YAML reader containers/image has used decodes to exactly the given string:
 * ghodss/yaml over yaml.v2 (containers/image before 5.25) and yaml.v3 (5.25+), plus the `yaml` npm library.
 *
 * Everything is written double-quoted, so no plain-scalar rule (`:`, `#`, leading `*`, `yes`/`no`, numbers,
 * `~`) can change the meaning. Inside, `"` and `\` are escaped, and so is every character YAML does not allow
 * raw in a stream or treats as a line break (C0/C1 controls, DEL, NEL, U+2028/U+2029, BOM, U+FFFE/U+FFFF).
 */

const NAMED: Record<number, string> = {
  0x00: "\\0",
  0x07: "\\a",
  0x08: "\\b",
  0x09: "\\t",
  0x0a: "\\n",
  0x0b: "\\v",
  0x0c: "\\f",
  0x0d: "\\r",
  0x1b: "\\e",
  0x22: '\\"',
  0x5c: "\\\\",
  0x85: "\\N",
};

function needsEscape(c: number): boolean {
  return c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff || c === 0xfffe || c === 0xffff;
}

/** A double-quoted YAML scalar for `s` (callers reject strings with unpaired surrogates first). */
export function yamlQuote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const named = NAMED[c];
    if (named !== undefined) out += named;
    else if (needsEscape(c)) out += c <= 0xff ? "\\x" + c.toString(16).padStart(2, "0") : "\\u" + c.toString(16).padStart(4, "0");
    else out += s[i];
  }
  return out + '"';
}
