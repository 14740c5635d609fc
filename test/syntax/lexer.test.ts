import { describe, expect, it } from "vitest";
import { lexTrust } from "../../src/syntax/lexer.js";
import { quoteString, unescapeString } from "../../src/syntax/strings.js";
import fc from "fast-check";
import { at, src } from "./parse-helpers.js";

function names(text: string): string[] {
  return lexTrust(src(text)).tokens.map((t) => t.tokenType.name);
}

describe("lexer", () => {
  it("prefers keywords but keeps longer names whole", () => {
    expect(names("key keyring keytype files file exact-reference exact reject rejected")).toEqual([
      "Kw_key",
      "Identifier",
      "Kw_keytype",
      "Kw_files",
      "Kw_file",
      "Kw_exactReference",
      "Kw_exact",
      "Kw_reject",
      "Identifier",
    ]);
  });

  it("puts comments in their own group", () => {
    const r = lexTrust(src('default reject # no\n# yes\n"x"'));
    expect(r.tokens.map((t) => t.image)).toEqual(["default", "reject", '"x"']);
    expect(r.comments.map((t) => t.image)).toEqual(["# no", "# yes"]);
  });

  const errors: Array<[string, string, string[]]> = [
    ["unterminated string", 'key k gpg file "abc\ndefault reject', ["IT2001 1:16-1:20"]],
    ["string with a raw control character", 'default "a\x01b"', ["IT2001 1:9-1:11", "IT2002 1:11-1:12", "IT2001 1:13-1:14"]],
    ["stray characters merged", "default reject ;;; accept", ["IT2002 1:16-1:19"]],
    ["stray character on line 3", "default reject\n\n  @", ["IT2002 3:3-3:4"]],
    ["binary input (NUL)", "default\0reject", ["IT2000 1:8-1:9"]],
  ];
  it.each(errors)("%s", (_name, text, expected) => {
    const s = src(text);
    const r = lexTrust(s);
    expect(r.diagnostics.map((d) => at(s, d))).toEqual(expected);
    expect(r.diagnostics.every((d) => d.severity === "error")).toBe(true);
  });

  it("binary input yields no tokens", () => {
    const r = lexTrust(src("\x7fELF\0\0\x01"));
    expect(r.binary).toBe(true);
    expect(r.tokens).toEqual([]);
  });
});

describe("string literals", () => {
  const cases: Array<[string, string]> = [
    ['"plain"', "plain"],
    ['"q\\"uote"', 'q"uote'],
    ['"back\\\\slash"', "back\\slash"],
    ['"\\n\\r\\t\\a\\b\\f\\v\\0"', "\n\r\t\x07\b\f\v\0"],
    ['"\\x41\\u00e9\\u{1F600}"', "Aé😀"],
  ];
  it.each(cases)("%s", (image, value) => {
    expect(unescapeString(image)).toEqual({ value, problems: [] });
  });

  it("reports unknown escapes with their offset", () => {
    expect(unescapeString('"a\\qb"').problems).toEqual([{ offset: 2, length: 2, message: "unknown escape '\\q' (write a backslash as \\\\)" }]);
    expect(unescapeString('"\\x4"').problems[0].offset).toBe(1);
  });

  it("quoteString and unescapeString round-trip any string", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        const q = quoteString(s);
        expect(/[\x00-\x08\x0a-\x1f\x7f]/.test(q)).toBe(false);
        const r = unescapeString(q);
        expect(r.problems).toEqual([]);
        expect(r.value).toBe(s);
        const lexed = lexTrust(src(q));
        expect(lexed.diagnostics).toEqual([]);
        expect(lexed.tokens.map((t) => t.tokenType.name)).toEqual(["StringLiteral"]);
      }),
      { numRuns: 200 },
    );
  });
});
