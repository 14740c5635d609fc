import { describe, expect, it } from "vitest";
import * as api from "../../src/index.js";
import { nodeHost } from "../../src/node.js";

describe("public API (src/index.ts)", () => {
  it("exports the entry points other programs use", () => {
    for (const name of [
      "loadPolicyJson",
      "loadRegistriesDDir",
      "compileTrustSource",
      "validateInputs",
      "lintInputs",
      "lintRuntimeConfiguration",
      "runLint",
      "renderDiagnosticsText",
      "renderJsonReport",
      "emitPolicyJson",
      "compileToFiles",
      "simulate",
      "diffPolicies",
      "printTrustModel",
      "formatTrustSource",
      "parseImageReference",
      "verifyImage",
      "run",
    ]) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe("function");
    }
    expect(api.RULES.length).toBeGreaterThanOrEqual(3);
  });
  it("validates and lints in-process without printing", async () => {
    const [good] = await api.validateInputs(["examples/hand-written/good-policy.json"], { host: nodeHost() });
    expect(good.valid, JSON.stringify(good.diagnostics)).toBe(true);
    expect(good.model?.policy?.default.map((r) => r.type)).toEqual(["reject"]);
    const [lint] = await api.lintInputs(["examples/hand-written/lint-findings.json"], { host: nodeHost() });
    expect(lint.diagnostics.map((d) => d.code)).toEqual(["IT4001", "IT4002", "IT4002", "IT4002", "IT4003"]);
  });
});

describe("imagetrust/node (src/node.ts)", () => {
  it("exports the Node host, and package.json maps ./node to it beside the main entry point", async () => {
    const node = await import("../../src/node.js");
    expect(typeof node.nodeHost).toBe("function");
    const { readFileSync } = await import("node:fs");
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, { default: string }> };
    expect(pkg.exports["."].default).toBe("./dist/index.js");
    expect(pkg.exports["./node"].default).toBe("./dist/node.js");
  });
});
