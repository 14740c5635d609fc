/** The playground's analysis (playground/src/core.ts) in Node: the same answers as the CLI, and the share URL round trip. */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { analyse, isPolicyJson } from "../../playground/src/core.js";
import { decodeState, encodeState } from "../../playground/src/share.js";
import { TRUST_KEYWORDS } from "../../playground/src/keywords.js";
import { KEYWORDS } from "../../src/syntax/tokens.js";
import { REPO, runCli } from "../cli/helpers.js";

const read = (p: string) => readFileSync(path.join(REPO, p), "utf8");

describe("playground core", () => {
  it("highlights exactly the lexer's keywords", () => {
    expect([...TRUST_KEYWORDS].sort()).toEqual([...KEYWORDS].sort());
  });

  it("tells a policy.json from a .trust program by content", () => {
    expect(isPolicyJson('  {"default": []}')).toBe(true);
    expect(isPolicyJson("default reject\n")).toBe(false);
  });

  it("a .trust mistake is a diagnostic at its line and column, with the did-you-mean", async () => {
    const a = await analyse({ policy: 'target "5.23"\n\ndefault rejct\n', registriesD: "", refs: "docker://busybox", target: "" });
    expect(a.mode).toBe("trust");
    expect(a.diagnostics).toMatchObject([{ editor: "policy", line: 3, column: 9, code: "IT2101", severity: "error", hint: "Did you mean 'reject'?" }]);
    expect(a.outputs).toEqual([]);
    expect(a.simulation).toEqual([]);
  });

  it("compiles an example exactly as `imagetrust compile` does, and simulates as `imagetrust simulate` does", async () => {
    const refs = ["docker://registry.acme.example/vendor/tool:1", "docker://busybox", "docker://registry.acme.example/base/ubi-hardened:9"];
    const a = await analyse({ policy: read("examples/enterprise.trust"), registriesD: "", refs: refs.join("\n"), target: "" });
    expect(a.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const out = mkdtempSync(path.join(tmpdir(), "imagetrust-pg-"));
    try {
      const compiled = await runCli(["compile", "examples/enterprise.trust", "--keys", "examples/keys", "--out", out]);
      expect(compiled.code).toBe(0);
      expect(a.outputs.find((o) => o.path === "policy.json")!.text).toBe(readFileSync(path.join(out, "policy.json"), "utf8"));
      expect(a.outputs.find((o) => o.path === "registries.d/acme.yaml")!.text).toBe(
        // The header names the source: the page's is policy.trust.
        readFileSync(path.join(out, "registries.d/acme.yaml"), "utf8").replace("from enterprise.trust", "from policy.trust"),
      );
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    const cli = await runCli(["simulate", "--policy", "examples/enterprise.trust", "--format", "json", ...refs]);
    const expected = (JSON.parse(cli.stdout) as { verdict: string; scope: { transport: string; scope: string } | null }[]).map((r) => r.verdict.toUpperCase());
    expect(a.simulation.map((r) => r.verdict)).toEqual(expected);
    expect(a.simulation.map((r) => r.decidedBy)).toEqual(["docker: registry.acme.example/vendor", "(global default)", "docker: registry.acme.example/base/ubi-hardened"]);
    expect(a.svg).toContain("<svg");
  });

  it("a policy.json is linted with the registries.d of the second editor, and diagnostics land in the right editor", async () => {
    const a = await analyse({
      policy: read("examples/hand-written/good-policy.json"),
      registriesD: "docker:\n  quay.io/acme:\n    lookaside: https://sigs.example\n    use-sigstore-attachments: yes\n    lookasid: x\n",
      refs: "docker://quay.io/acme/app:1",
      target: "",
    });
    expect(a.mode).toBe("policy-json");
    const regd = a.diagnostics.filter((d) => d.editor === "registriesD");
    expect(regd.length).toBeGreaterThan(0);
    expect(regd[0].line).toBe(5);
  });

  it("the state survives the share URL (deflate-raw + base64url)", async () => {
    const s = { policy: read("examples/laptop.trust"), registriesD: "docker: {}\n", refs: "docker://a/b:1\n# ünïcødé\n", target: "5.23" };
    const hash = await encodeState(s);
    expect(hash).toMatch(/^#s=[A-Za-z0-9_-]+$/);
    expect(hash.length).toBeLessThan(s.policy.length);
    expect(await decodeState(hash)).toEqual(s);
    expect(await decodeState("#s=not-deflate")).toBeUndefined();
    expect(await decodeState("")).toBeUndefined();
  });
});
