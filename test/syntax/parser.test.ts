import { describe, expect, it } from "vitest";
import { parseTrust } from "../../src/syntax/parse.js";
import type * as A from "../../src/syntax/ast.js";
import { at, src } from "./parse-helpers.js";

function parse(text: string) {
  const s = src(text);
  const r = parseTrust(s);
  return { ...r, s, where: r.diagnostics.map((d) => at(s, d)) };
}

function strip(x: unknown): unknown {
  return JSON.parse(JSON.stringify(x, (k, v) => (k === "span" || k === "keywordSpan" || k === "defaultSpan" ? undefined : v)));
}

describe("parser: valid programs", () => {
  it("parses every statement kind into the AST", () => {
    const r = parse(`
target "5.39"
key g gpg keytype signedByGPGKeys files "/a" "/b"
key s sigstore datas "QQ==" "Qg=="
key f fulcio ca data "QQ==" issuer "https://i" email "e@x"
key p pki roots file "/r" intermediates data "QQ==" hostname "h.example" email "e@x"
key rekor rekor file "/rk"
identity mirror = remap "m.example/x" to "r.example/x"
level base = signed by g identity exact-reference "r.example/x:1"
level more = base plus signed by f with rekor identity mirror and signed base layer identity repository
default reject
docker { default accept "a.example" more { "team" base } }
transport "weird name" {}
approve "busybox@sha256:0000000000000000000000000000000000000000000000000000000000000000" base because "T-1"
expect deny "docker://x" by ""
signatures "s.yaml" { default lookaside "file:///l" staging "file:///s" "a.example" sigstore "u" sigstore-staging "v" no attachments }
`);
    expect(r.diagnostics).toEqual([]);
    const st = r.ast!.statements;
    expect(st.map((s) => s.type)).toEqual([
      "target", "key", "key", "key", "key", "key", "identity", "level", "level", "default", "transport", "transport", "approve", "expect", "signatures",
    ]);
    expect(strip((st[1] as A.KeyDecl).spec)).toEqual({
      kind: "gpg",
      keyType: { name: "signedByGPGKeys" },
      source: { form: "files", values: [{ value: "/a" }, { value: "/b" }] },
    });
    expect(strip((st[8] as A.LevelDecl).body.terms.map((t) => (t.kind === "levelRef" ? t.name.name : t.requirement.kind)))).toEqual([
      "base",
      "signedBy",
      "signedBaseLayer",
    ]);
    const docker = st[10] as A.TransportBlock;
    expect(strip(docker.name)).toEqual({ name: "docker" });
    expect(docker.entries.map((e) => e.scope?.value ?? "<default>")).toEqual(["<default>", "a.example"]);
    expect(docker.entries[1].children[0].scope!.value).toBe("team");
    expect(strip((st[11] as A.TransportBlock).name)).toEqual({ value: "weird name" });
    const sig = st[14] as A.SignaturesBlock;
    expect(sig.entries[1].settings.map((x) => x.kind)).toEqual(["sigstore", "sigstore-staging", "attachments"]);
    expect(strip(sig.entries[1].settings[2])).toEqual({ kind: "attachments", value: false });
  });

  it("accepts soft keywords as names", () => {
    const r = parse('key rekor rekor file "/r"\nkey fulcio fulcio ca file "/c" issuer "i" email "e"\nlevel email = signed by fulcio with rekor\ndefault email');
    expect(r.diagnostics).toEqual([]);
    expect((r.ast!.statements[2] as A.LevelDecl).name.name).toBe("email");
  });

  it("keeps spans of nodes exact", () => {
    const text = 'level strict = signed by acme identity repository\ndefault strict';
    const r = parse(text);
    const lvl = r.ast!.statements[0] as A.LevelDecl;
    const req = (lvl.body.terms[0] as { requirement: A.Requirement }).requirement;
    expect(text.slice(lvl.span.start, lvl.span.end)).toBe("level strict = signed by acme identity repository");
    expect(text.slice(req.span.start, req.span.end)).toBe("signed by acme identity repository");
    expect(text.slice(lvl.name.span.start, lvl.name.span.end)).toBe("strict");
  });
});

describe("parser: errors and recovery", () => {
  const table: Array<[string, string, string[], string?]> = [
    ["misspelt key kind", 'key k gpgg file "x"\ndefault reject', ["IT2011 1:7-1:11"], "Did you mean 'gpg'?"],
    ["missing level body", "level s =\ndefault reject", ["IT2011 2:1-2:8"]],
    ["scope without a level", 'docker { "a" }', ["IT2011 1:14-1:15"]],
    ["missing closing brace", 'docker { "a" accept', ["IT2010 1:20-1:20"]],
    ["missing name at end of file", "level a = signed by k with", ["IT2010 1:27-1:27"]],
    ["garbage at top level", 'default reject\n"stray"', ["IT2013 2:1-2:8"]],
    ["errors on several lines are all reported", "level = accept\nkey k\ndefault reject", ["IT2010 1:7-1:8", "IT2011 3:1-3:8"]],
    ["expect needs a verdict", 'expect maybe "docker://x"\ndefault reject', ["IT2011 1:8-1:13"]],
  ];
  it.each(table)("%s", (_n, text, expected, hint) => {
    const r = parse(text);
    expect(r.where).toEqual(expected);
    expect(r.ast).toBeDefined();
    if (hint) expect(r.diagnostics[0].hint).toBe(hint);
  });

  it("parses statements after an error", () => {
    const r = parse('key k gpgg file "x"\nlevel good = accept\ndefault good');
    expect(r.diagnostics.length).toBeGreaterThan(0);
    const types = r.ast!.statements.map((s) => s.type);
    expect(types).toContain("level");
    expect(types).toContain("default");
  });

  it("places tokens inserted by recovery at the end of the previous token", () => {
    const text = 'docker { "a.example" accept';
    const r = parse(text);
    const t = r.ast!.statements[0] as A.TransportBlock;
    expect(t.recovered).toBe(true);
    expect(t.span.end).toBe(text.length);
    expect(Number.isFinite(t.span.start)).toBe(true);
  });

  it("messages name what was expected and what was found", () => {
    const r = parse('docker { "a" }');
    expect(r.diagnostics[0].message).toBe("Expected a requirement (accept, reject, signed …) or a level name but found '}'.");
    expect(parse('docker { "a" accept').diagnostics[0].message).toBe("Expected '}' but found the end of the file.");
  });
});

describe("parser: hostile input", () => {
  it("refuses absurd nesting without recursing", () => {
    const text = 'docker { "a" accept ' + '{ "b" accept '.repeat(5000) + "}".repeat(5001);
    const r = parse(text);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT2014"]);
    expect(r.ast).toBeUndefined();
  });

  it("reports binary input once", () => {
    const r = parse("\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT2000"]);
  });

  it("caps the number of syntax errors", () => {
    const text = Array.from({ length: 400 }, (_, i) => `level l${i} = = =`).join("\n");
    const r = parse(text);
    expect(r.diagnostics.length).toBeLessThanOrEqual(52);
    expect(r.diagnostics.at(-1)!.code).toBe("IT2015");
  });

  it("refuses 10 MB at once, with a diagnostic", () => {
    const text = 'docker { "registry.example/team/app" accept }\n'.repeat(Math.ceil(10_000_000 / 46));
    const t0 = Date.now();
    const r = parse(text);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT2016"]);
  });

  it("parses 1 MB in bounded time", () => {
    const line = 'docker { "registry.example/team-0000/app" accept }\n';
    const n = Math.ceil(1_000_000 / line.length);
    const t0 = Date.now();
    const r = parse(line.repeat(n));
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.diagnostics).toEqual([]);
    expect(r.ast!.statements.length).toBe(n);
  });

  it("survives 1 MB of garbage: a bounded list of diagnostics, quickly", () => {
    const text = "}{=@ level ".repeat(100_000);
    const t0 = Date.now();
    const r = parse(text);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(r.diagnostics.length).toBeGreaterThan(10);
    expect(r.diagnostics.length).toBeLessThanOrEqual(102);
    expect(r.diagnostics.at(-1)!.code).toBe("IT2015");
  });
});
