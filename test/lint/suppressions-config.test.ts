/** Inline suppressions in .trust sources and the .imagetrust.yaml configuration. */
import { describe, expect, it } from "vitest";
import { applySuppressions, findSuppressions } from "../../src/lint/suppressions.js";
import { findLintConfig, isIgnored, parseLintConfig } from "../../src/lint/config.js";
import { compileGlob as globToRegExp } from "../../src/lint/glob.js";
import { RULES } from "../../src/lint/registry.js";
import { SourceFile } from "../../src/source/source-file.js";
import { memoryHost } from "../../src/host/memory-host.js";
import { lintTrust, show } from "./helpers.js";

const CODES = new Set(RULES.map((r) => r.meta.code));

function lintWithSuppressions(text: string) {
  const { ds, source } = lintTrust(text, RULES);
  const kept = applySuppressions(ds, source, CODES);
  return kept.map((d) => `${show(d, new Map([[source.path, source]]))}:${source.position(d.span!.start).line}`);
}

describe("suppressions", () => {
  const base = (scopeLine: string) => `default reject\ndocker {\n${scopeLine}\n}\n`;
  it("a finding without suppression", () => {
    expect(lintWithSuppressions(base('  "quay.io" accept'))).toEqual(['IT4008@"quay.io":3']);
  });
  it("on the line before, naming the code", () => {
    expect(lintWithSuppressions(base('  # imagetrust-ignore IT4008: our registry\n  "quay.io" accept'))).toEqual([]);
  });
  it("on the same line", () => {
    expect(lintWithSuppressions(base('  "quay.io" accept  # imagetrust-ignore IT4008'))).toEqual([]);
  });
  it("a trailing suppression does not cover the next line", () => {
    const text = `default reject\ndocker {\n  "a.io/x" accept  # imagetrust-ignore IT4008\n  "quay.io" accept\n}\n`;
    expect(lintWithSuppressions(text)).toEqual(['IT4008@"quay.io":4', "IT4025@# imagetrust-ignore IT4008:3"]);
  });
  it("another code does not suppress, and is reported as unused", () => {
    expect(lintWithSuppressions(base('  # imagetrust-ignore IT4001\n  "quay.io" accept'))).toEqual(['IT4008@"quay.io":4', "IT4025@# imagetrust-ignore IT4001:3"]);
  });
  it("without a code it suppresses nothing and is reported", () => {
    expect(lintWithSuppressions(base('  # imagetrust-ignore\n  "quay.io" accept'))).toEqual(['IT4008@"quay.io":4', "IT4025@# imagetrust-ignore:3"]);
  });
  it("an unknown code is reported", () => {
    const out = lintWithSuppressions(base('  # imagetrust-ignore IT4999, IT4008\n  "quay.io" accept'));
    expect(out).toEqual(["IT4025@# imagetrust-ignore IT4999, IT4008:3"]);
  });
  it("# inside a string is not a comment", () => {
    expect(findSuppressions(new SourceFile("x.trust", 'default reject\ndocker {\n  "# imagetrust-ignore IT4008" accept\n}\n'))).toEqual([]);
  });
});

describe(".imagetrust.yaml", () => {
  const parse = (t: string) => parseLintConfig(new SourceFile("/r/.imagetrust.yaml", t));
  it("reads severities by code or name, target, ignore", () => {
    const r = parse("target: '5.23'\nrules:\n  IT4008: off\n  weaker-carve-out: error\nignore:\n  - vendor/**\nmaxWarnings: 3\n");
    expect(r.diagnostics).toEqual([]);
    expect(r.config).toMatchObject({ target: "5.23", severities: { IT4008: "off", IT4009: "error" }, ignore: ["vendor/**"], maxWarnings: 3 });
    expect(isIgnored(r.config!, "/r/vendor/a/policy.json")).toBe(true);
    expect(isIgnored(r.config!, "/r/policy.json")).toBe(false);
  });
  it("rejects what the schema does not allow, with positions", () => {
    const r = parse("rules:\n  IT4008: loud\nextra: 1\n");
    expect(r.config).toBeUndefined();
    expect(r.diagnostics.map((d) => d.code)).toEqual(["IT9041", "IT9041"]);
    const texts = r.diagnostics.map((d) => "rules:\n  IT4008: loud\nextra: 1\n".slice(d.span!.start, d.span!.end));
    expect(texts).toContain("loud");
  });
  it("unknown rule names get a suggestion", () => {
    const r = parse("rules:\n  weaker-carveout: off\n");
    expect(r.diagnostics[0]).toMatchObject({ code: "IT9042", message: "Unknown lint rule 'weaker-carveout'. Did you mean 'weaker-carve-out'?" });
  });
  it("bad YAML", () => {
    expect(parse("rules: [\n").diagnostics[0].code).toBe("IT9040");
  });
  it("is found by walking up", () => {
    const host = memoryHost({ files: { "/a/.imagetrust.yaml": "rules: {}\n" } });
    expect(findLintConfig("/a/b/c", host)?.path).toBe("/a/.imagetrust.yaml");
    expect(findLintConfig("/x/y", host)).toBeUndefined();
  });
  it("globs", () => {
    expect(globToRegExp("**/test/*.json").test("a/b/test/p.json")).toBe(true);
    expect(globToRegExp("**/test/*.json").test("test/p.json")).toBe(true);
    expect(globToRegExp("*.json").test("a/p.json")).toBe(false);
    expect(globToRegExp("fixtures").test("fixtures/x/y.json")).toBe(true);
  });
});
