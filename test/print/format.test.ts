import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatTrustSource } from "../../src/print/format.js";
import { SourceFile } from "../../src/source/source-file.js";
import { parseTrust } from "../../src/syntax/parse.js";

function fmt(text: string): string | undefined {
  return formatTrustSource(new SourceFile("f.trust", text)).text;
}

describe("fmt", () => {
  it("lays out a messy file canonically and keeps every comment", () => {
    const messy = `# head comment
target   "5.24"# trailing
key   rekor rekor file "/r"   key f fulcio ca file "/c"
   issuer "i"   # why this issuer
 email "e"
level   keyless=signed by f with rekor identity repository
level open = accept


default reject
docker {  "ghcr.io/acme" keyless {"sandbox" open
# the carve-out above is OPS-42
} "quay.io" open
}
dir {}
signatures { "ghcr.io" attachments default lookaside "file:///x" }
expect deny "docker://a" by ""
expect allow "docker://b"
# tail comment
`;
    expect(fmt(messy)).toBe(`# head comment
target "5.24"  # trailing
key rekor rekor file "/r"
key f     fulcio
  ca file "/c"
  issuer "i"  # why this issuer
  email "e"
level keyless = signed by f with rekor identity repository
level open    = accept

default reject
docker {
  "ghcr.io/acme"  keyless {
    "sandbox"  open
    # the carve-out above is OPS-42
  }
  "quay.io"       open
}
dir {}
signatures {
  "ghcr.io"  attachments
  default    lookaside "file:///x"
}
expect deny  "docker://a" by ""
expect allow "docker://b"
# tail comment
`);
  });

  it("keeps the tokens: formatting changes only whitespace", () => {
    const text = 'key k gpg file "/k"  # c\nlevel a = signed by k and accept plus reject\ndefault a\ndocker{"x" a{"y" accept}}\n';
    const out = fmt(text)!;
    const images = (t: string) => parseTrust(new SourceFile("x", t)).tokens.map((x) => x.image);
    expect(images(out)).toEqual(images(text));
    expect(out).toContain("# c");
  });

  it("is idempotent", () => {
    const text = 'default reject # d\n\n\n\ndocker { # open\n "a" accept # x\n\n "b" reject }\n';
    const once = fmt(text)!;
    expect(fmt(once)).toBe(once);
    expect(once).toBe('default reject  # d\n\ndocker {  # open\n  "a"  accept  # x\n\n  "b"  reject\n}\n');
  });

  it("refuses files with syntax errors", () => {
    const r = formatTrustSource(new SourceFile("f.trust", "level = accept\n"));
    expect(r.text).toBeUndefined();
    expect(r.diagnostics[0].code).toBe("IT2010");
  });

  it("is idempotent on generated programs with comments anywhere", () => {
    const piece = fc.constantFrom(
      "key k gpg file \"/k\"",
      "level a = signed by k identity repository",
      "level b = a plus accept",
      "default b",
      "docker { \"x\" a { \"y\" accept \"z\" b } default reject }",
      "dir {}",
      "signatures { \"x\" attachments }",
      "expect allow \"docker://x/y:1\"",
      "key f fulcio ca file \"/c\" issuer \"i\" email \"e\"",
      "# a comment",
    );
    const sep = fc.constantFrom(" ", "\n", "\n\n", "  # note\n", "\n# own line\n");
    fc.assert(
      fc.property(fc.array(fc.tuple(piece, sep), { maxLength: 12 }), (parts) => {
        const text = parts.map(([p, s]) => p + s).join("") + "\n";
        const once = fmt(text);
        if (once === undefined) return;
        expect(fmt(once)).toBe(once);
      }),
      { numRuns: 200 },
    );
  });
});
