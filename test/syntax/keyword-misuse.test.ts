/**
 * Issue 16: keywords are reserved uniformly (RESERVED_KEYWORDS never name anything, IT2260; the other
 * keywords are contextual names), and one misused word yields one diagnostic: a misplaced word inside a
 * `{ … }` block is reported once and the block stays open, so its `default` is not mistaken for a second
 * top-level default (IT2108).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { parseTrust } from "../../src/syntax/parse.js";
import { KEYWORDS, RESERVED_KEYWORDS, SOFT_KEYWORDS } from "../../src/syntax/tokens.js";
import { src } from "./parse-helpers.js";

/** Every diagnostic of a compile (syntax and semantic), as `CODE line:col`. */
function findings(text: string): string[] {
  const source = src(text);
  const r = compileTrustSource(source, { checkKeyFiles: false });
  return r.diagnostics.filter((d) => d.severity === "error" || d.severity === "warning").map((d) => {
    const p = source.position(d.span!.start);
    return `${d.code} ${p.line}:${p.column}`;
  });
}

const MISUSES: [string, string, string][] = [
  ["reserved word as a level name", 'level signed = accept\ndefault reject\n', "IT2260 1:7"],
  ["reserved word as a level name (exact)", 'level exact = accept\ndefault reject\n', "IT2260 1:7"],
  ["reserved word as a key name", 'key signed gpg file "/k.gpg"\ndefault reject\n', "IT2260 1:5"],
  ["reserved word as an identity name", 'identity exact = exact\ndefault reject\n', "IT2260 1:10"],
  ["reserved word as a profile name", 'default reject\nprofile default {\n}\n', "IT2260 2:9"],
  ["statement keyword as a level name", 'level default = accept\ndefault reject\n', "IT2260 1:7"],
  ["misplaced word in a block before its default", 'default reject\ndocker {\n  "a.example" accept\n  signed\n  default reject\n}\n', "IT2010 4:3"],
  ["misplaced word after a scope's level", 'docker {\n  "a.example" accept signed\n  default reject\n}\ndefault reject\n', "IT2010 2:22"],
  ["misplaced requirement in a block", 'default reject\ndocker {\n  "a.example" accept\n  accept\n  default reject\n}\n', "IT2010 4:3"],
  ["misplaced contextual keyword in a nested block", 'default reject\ndocker {\n  "a.example" accept {\n    "a.example/x" reject\n    gpg\n  }\n  default reject\n}\n', "IT2010 5:5"],
  ["several misplaced words in a row", 'default reject\ndocker {\n  "a.example" accept\n  signed with and = 2027-01-01\n  default reject\n}\n', "IT2010 4:3"],
  ["statement inside a closed block", 'default reject\ndocker {\n  "a.example" accept\n  expect allow "docker://a.example/x"\n  default reject\n}\n', "IT2010 4:3"],
  ["misplaced word in a signatures block", 'default reject\nsignatures {\n  "a.example" lookaside "https://x"\n  signed\n  default lookaside "https://y"\n}\n', "IT2010 4:3"],
  ["a block lacking its '}' before a default (no false duplicate)", 'default reject\ndocker {\n  "a.example" accept\n  level z = accept\n  default reject\n', "IT2010 4:3"],
  ["a statement keyword misplaced in a block", 'default reject\ndocker {\n  "a.example" accept\n  level z = accept\n}\n', "IT2010 4:3"],
  ["misplaced word at top level before default", 'signed\ndefault reject\n', "IT2013 1:1"],
  ["misplaced word between statements", 'level x = accept\nlevel y = x signed\ndefault reject\n', "IT2013 2:13"],
];

describe("one misused word, one diagnostic", () => {
  for (const [name, text, want] of MISUSES) {
    it(name, () => {
      expect(findings(text)).toEqual([want]);
    });
  }

  it("a typo of a block keyword keeps its did-you-mean", () => {
    const d = parseTrust(src('default reject\nsignatures {\n  "a.example" lookasid "https://x"\n  default lookaside "https://y"\n}\n')).diagnostics;
    expect(d.map((x) => [x.code, x.hint])).toEqual([["IT2010", "Did you mean 'lookaside'?"]]);
  });

  it("IT2260 says what the word names and how to rename it", () => {
    const [d] = parseTrust(src("level signed = accept\n")).diagnostics;
    expect(d.message).toBe("'signed' is a reserved keyword and cannot name a level.");
    expect(d.hint).toContain("'signed-level'");
  });
});

describe("reserved and contextual keywords", () => {
  it("grammar/trust.ebnf lists exactly the reserved keywords", () => {
    const ebnf = readFileSync(fileURLToPath(new URL("../../grammar/trust.ebnf", import.meta.url)), "utf8");
    const listed = /Reserved keywords \([^)]*\):([\s\S]*?)\.\n/.exec(ebnf)![1].split(/\s+/).filter(Boolean);
    expect(new Set(listed)).toEqual(new Set(RESERVED_KEYWORDS));
  });

  it("every keyword is either reserved or contextual", () => {
    expect([...RESERVED_KEYWORDS, ...SOFT_KEYWORDS].sort()).toEqual([...KEYWORDS].sort());
  });

  it("every reserved keyword is refused as a level, key and identity name with IT2260 alone", () => {
    for (const w of RESERVED_KEYWORDS) {
      for (const text of [`level ${w} = accept\n`, `key ${w} gpg file "k.gpg"\n`, `identity ${w} = exact\n`]) {
        expect(parseTrust(src(text)).diagnostics.map((d) => d.code), text).toEqual(["IT2260"]);
      }
    }
  });

  it("every contextual keyword is a valid level name, usable where a level is named", () => {
    for (const w of SOFT_KEYWORDS) {
      const text = `level ${w} = accept\ndefault ${w}\ndocker {\n  "a.example" ${w}\n}\n`;
      expect(parseTrust(src(text)).diagnostics, text).toEqual([]);
    }
  });

  it("a block lacking its '}' still ends at the next statement", () => {
    const d = parseTrust(src('docker {\n  "a.example" accept\nlevel x = accept\ndefault x\n')).diagnostics;
    expect(d.map((x) => `${x.code} ${src("").position(0).line}`).length).toBe(1);
  });
});
