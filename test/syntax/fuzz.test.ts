/** Random token soup and random bytes: compile and fmt never throw, every diagnostic has a span inside the file. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileTrustSource } from "../../src/check/compile-source.js";
import { formatTrustSource } from "../../src/print/format.js";
import { SourceFile } from "../../src/source/source-file.js";
import { KEYWORDS } from "../../src/syntax/tokens.js";

const WORDS = [...KEYWORDS, "{", "}", "=", "#c\n", "\n", '"a.example"', '"/k"', '"QQ=="', '"unterminated', "k", "lvl", "docker", "dir", "@", "\\"];

function check(text: string): void {
  const s = new SourceFile("fuzz.trust", text);
  const r = compileTrustSource(s, { checkKeyFiles: false });
  for (const d of r.diagnostics) {
    expect(d.span).toBeDefined();
    expect(d.span!.start).toBeGreaterThanOrEqual(0);
    expect(d.span!.end).toBeLessThanOrEqual(text.length);
    expect(d.span!.start).toBeLessThanOrEqual(d.span!.end);
    expect(d.code).toMatch(/^IT2\d{3}$/);
  }
  const f = formatTrustSource(s);
  if (f.text !== undefined) expect(formatTrustSource(new SourceFile("f", f.text)).text).toBe(f.text);
}

describe("fuzz", () => {
  it("token soup", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }), (words) => check(words.join(" "))),
      { numRuns: 1500 },
    );
  });

  it("random text", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => check(text)), { numRuns: 500 });
  });
});
