import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { RULES, findRule, ruleNameOfCode } from "../../src/lint/registry.js";
import type { Rule } from "../../src/lint/rule.js";
import { runLint } from "../../src/lint/run.js";
import { insecureGlobalDefault } from "../../src/lint/rules/insecure-global-default.js";
import { unknownTransport } from "../../src/lint/rules/unknown-transport.js";
import type { Policy, Requirement } from "../../src/ir/types.js";
import { SourceFile } from "../../src/source/source-file.js";

const RULES_DIR = path.resolve(import.meta.dirname, "../../src/lint/rules");

describe("lint rule set (meta)", () => {
  it("registers every rule file, and each file's rule is named after the file", async () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts")).sort();
    expect(files.length).toBeGreaterThanOrEqual(3);
    const fromFiles: Rule[] = [];
    for (const f of files) {
      const mod = (await import(path.join(RULES_DIR, f))) as Record<string, unknown>;
      const rules = Object.values(mod).filter((v): v is Rule => typeof v === "object" && v !== null && "meta" in v && "create" in v);
      expect(rules, f).toHaveLength(1);
      expect(rules[0].meta.name).toBe(f.replace(/\.ts$/, ""));
      fromFiles.push(rules[0]);
    }
    expect(new Set(RULES)).toEqual(new Set(fromFiles));
    expect(RULES).toHaveLength(fromFiles.length);
  });
  it("has unique IT4xxx codes and unique kebab-case names, complete docs and messages", () => {
    const codes = RULES.map((r) => r.meta.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const r of RULES) {
      expect(r.meta.code).toMatch(/^IT4\d{3}$/);
      expect(r.meta.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(["security", "correctness", "portability", "style"]).toContain(r.meta.category);
      for (const k of ["what", "why", "example", "instead"] as const) expect(r.meta.docs[k].length, `${r.meta.name} docs.${k}`).toBeGreaterThan(10);
      expect(Object.keys(r.meta.messages).length).toBeGreaterThan(0);
      expect(findRule(r.meta.name)).toBe(r);
      expect(findRule(r.meta.code)).toBe(r);
      expect(ruleNameOfCode(r.meta.code)).toBe(r.meta.name);
    }
  });
});

function policyOf(def: Requirement[], transports: Policy["transports"] = []): Policy {
  return { default: def, transports };
}

describe("insecure-global-default", () => {
  const text = '{"default":[{"type":"insecureAcceptAnything"}]}';
  const src = new SourceFile("p.json", text);
  const reqSpan = src.span(text.indexOf("{", 1), text.indexOf("}") + 1);
  const table: Array<[string, Policy, boolean]> = [
    ["accept anything", policyOf([{ type: "insecureAcceptAnything", origin: reqSpan }]), true],
    ["twice", policyOf([{ type: "insecureAcceptAnything", origin: reqSpan }, { type: "insecureAcceptAnything" }]), true],
    ["reject", policyOf([{ type: "reject" }]), false],
    ["accept + signedBy (an AND: not insecure)", policyOf([{ type: "insecureAcceptAnything" }, { type: "signedBy", keyType: "GPGKeys", keyPath: "/k" }]), false],
    [
      "only a transport default accepts",
      policyOf([{ type: "reject" }], [{ name: "docker", scopes: [{ scope: "", requirements: [{ type: "insecureAcceptAnything" }] }] }]),
      false,
    ],
  ];
  for (const [name, policy, flagged] of table) {
    it(`${name} → ${flagged ? "reported" : "clean"}`, () => {
      const ds = runLint({ file: "p.json", policy }, { rules: [insecureGlobalDefault] });
      expect(ds.map((d) => d.code)).toEqual(flagged ? ["IT4001"] : []);
      if (flagged) {
        expect(ds[0].severity).toBe("warning");
        expect(ds[0].span).toEqual(reqSpan);
        expect(ds[0].hint).toMatch(/reject/);
      }
    });
  }
  it("falls back to the file when the IR has no origin", () => {
    const ds = runLint({ file: "x.trust", policy: policyOf([{ type: "insecureAcceptAnything" }]) }, { rules: [insecureGlobalDefault] });
    expect(ds[0].span).toBeUndefined();
    expect(ds[0].file).toBe("x.trust");
  });
});

describe("unknown-transport", () => {
  const table: Array<[string, string | null, string?]> = [
    ["docker", null],
    ["containers-storage", null],
    ["atomic", null],
    ["Docker", "IT4003", "Did you mean 'docker'?"],
    ["docker-daemons", "IT4003", "Did you mean 'docker-daemon'?"],
    ["oci-archiv", "IT4003", "Did you mean 'oci-archive'?"],
    ["podman", "IT4003", undefined],
    ["ostree", "IT4003", "stub"],
  ];
  for (const [name, code, text] of table) {
    it(`${name} → ${code ?? "clean"}`, () => {
      const span = { file: "p.json", start: 10, end: 10 + name.length };
      const policy = policyOf([{ type: "reject" }], [{ name, keyOrigin: span, scopes: [] }]);
      const ds = runLint({ file: "p.json", policy }, { rules: [unknownTransport] });
      expect(ds.map((d) => d.code)).toEqual(code ? [code] : []);
      if (code) {
        expect(ds[0].span).toEqual(span);
        if (text) expect(ds[0].message).toContain(text);
        else expect(ds[0].message).not.toContain("Did you mean");
        expect(ds[0].severity).toBe(name === "ostree" ? "info" : "warning");
      }
    });
  }
});

describe("runLint", () => {
  it("runs rules in registry order and walks registries.d without a policy", () => {
    const policy = policyOf([{ type: "insecureAcceptAnything" }], [{ name: "Docker", scopes: [{ scope: "busybox", requirements: [{ type: "reject" }] }] }]);
    expect(runLint({ file: "p", policy }).map((d) => d.code)).toEqual(["IT4001", "IT4003"]);
    expect(runLint({ file: "d", registriesD: { docker: [] } })).toEqual([]);
  });
  it("rejects an unknown messageId (a broken rule is a bug, not a finding)", () => {
    const bad: Rule = { ...insecureGlobalDefault, create: (ctx) => ({ policy: () => ctx.report({ messageId: "nope" }) }) };
    expect(() => runLint({ file: "p", policy: policyOf([{ type: "reject" }]) }, { rules: [bad] })).toThrow(/nope/);
  });
});
