/** `imagetrust test`: expectations from YAML (with a policy.json) and from .trust sources. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPECTATION_CODES } from "../../src/expectations/codes.js";
import { parseExpectationsYaml } from "../../src/expectations/yaml-cases.js";
import { runExpectations, scopeMatches, testExpectationFiles as testFiles } from "../../src/expectations/run.js";
import { renderExpectationsText } from "../../src/expectations/render-text.js";
import { expectationsExitCode } from "../../src/cli/exit-codes.js";
import { nodeHost } from "../../src/host/node-host.js";

/** The expectation files of these tests, read from this machine. */
const testExpectationFiles = (files: string[]) => testFiles(files, { host: nodeHost() });
import { SourceFile } from "../../src/source/source-file.js";
import { policyIR, policyJson, R, type PolicySpec } from "../simulate/policy-builder.js";

const spec: PolicySpec = {
  default: [R.reject],
  transports: { docker: { "quay.io/acme": [R.accept], "quay.io/acme/locked": [R.signedBy], "": [R.reject] } },
};

describe("runExpectations", () => {
  it("passes, fails on verdict, fails on scope", () => {
    const run = runExpectations({
      policy: policyIR(spec),
      expectations: [
        { reference: "docker://quay.io/acme/app:1", verdict: "allow", scope: "quay.io/acme" },
        { reference: "docker://quay.io/acme/locked:1", verdict: "allow" },
        { reference: "docker://quay.io/acme/app:1", verdict: "allow", scope: "quay.io" },
        { reference: "docker://ghcr.io/x:1", verdict: "deny", scope: "" },
        { reference: "dir:/x", verdict: "deny", scope: "default" },
        { reference: "docker://BAD/x", verdict: "deny" },
      ],
    });
    expect(run.results.map((r) => r.passed)).toEqual([true, false, false, true, true, false]);
    expect(run.passed).toBe(3);
    expect(run.failed).toBe(3);
    expect(run.results[1].problems).toEqual(["expected allow, got deny"]);
    expect(run.results[2].problems).toEqual(['expected scope "quay.io" to decide, but scope "quay.io/acme" of docker decided']);
    expect(run.results[5].problems[0]).toContain("could not be used");
    expect(run.diagnostics.every((d) => d.code === EXPECTATION_CODES.failed)).toBe(true);
    expect(expectationsExitCode([run])).toBe(1);
    const text = renderExpectationsText([run]);
    expect(text).toContain("FAIL expect allow docker://quay.io/acme/locked:1");
    expect(text).toContain("A signature was required, but no signature exists");
    expect(text.trimEnd().split("\n").at(-1)).toBe("3 passed, 3 failed");
  });

  it("matches scopes", () => {
    expect(scopeMatches("", { transport: "docker", scope: "" })).toBe(true);
    expect(scopeMatches("default", null)).toBe(true);
    expect(scopeMatches("", null)).toBe(false);
  });
});

describe("expectation files", () => {
  let dir = "";
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "imagetrust-expect-"));
    fs.writeFileSync(path.join(dir, "policy.json"), policyJson(spec));
    fs.writeFileSync(
      path.join(dir, "cases.yaml"),
      [
        "policy: policy.json",
        "cases:",
        "  - ref: docker://quay.io/acme/app:1",
        "    expect: allow",
        "    scope: quay.io/acme",
        "  - ref: docker://quay.io/acme/locked:1",
        "    expect: allow",
        "",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "broken.yaml"), "policy: policy.json\ncases:\n  - ref: docker://x/y\n    expect: maybe\n  - expect: allow\n");
    fs.writeFileSync(path.join(dir, "bad-policy.json"), '{"default": []}');
    fs.writeFileSync(path.join(dir, "bad-policy.yaml"), "policy: bad-policy.json\ncases: []\n");
    fs.writeFileSync(
      path.join(dir, "acme.trust"),
      [
        "default reject",
        "docker {",
        '  "quay.io/acme" accept',
        "}",
        'expect allow "docker://quay.io/acme/app:1" by "quay.io/acme"',
        'expect allow "docker://ghcr.io/x:1"',
        "",
      ].join("\n"),
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("runs a YAML file against its policy.json", async () => {
    const [run] = await testExpectationFiles([path.join(dir, "cases.yaml")]);
    expect(run.diagnostics.filter((d) => d.code !== EXPECTATION_CODES.failed)).toEqual([]);
    expect([run.passed, run.failed]).toEqual([1, 1]);
    // The failure points at the case in the YAML file.
    const failure = run.results[1];
    const src = new SourceFile(run.file, fs.readFileSync(run.file, "utf8"));
    expect(src.position(failure.expectation.origin!.start).line).toBe(6);
    expect(renderExpectationsText([run], { sourceOf: () => src })).toContain(`${run.file}:6:5: expect allow docker://quay.io/acme/locked:1`);
  });

  it("reports malformed cases with positions, and an invalid policy", async () => {
    const [broken] = await testExpectationFiles([path.join(dir, "broken.yaml")]);
    expect(broken.diagnostics.map((d) => d.code)).toEqual([EXPECTATION_CODES.badCase, EXPECTATION_CODES.badCase]);
    expect(broken.diagnostics[0].message).toContain("`expect` must be allow or deny");
    const [bad] = await testExpectationFiles([path.join(dir, "bad-policy.yaml")]);
    expect(bad.diagnostics[0].code).toBe(EXPECTATION_CODES.policyUnloadable);
    expect(bad.diagnostics.length).toBeGreaterThan(1);
    expect(expectationsExitCode([bad])).toBe(1);
    const [missing] = await testExpectationFiles([path.join(dir, "nope.yaml")]);
    expect(missing.diagnostics[0].code).toBe(EXPECTATION_CODES.unreadable);
    expect(parseExpectationsYaml(new SourceFile("x.yaml", "- a\n")).diagnostics[0].code).toBe(EXPECTATION_CODES.badStructure);
  });

  it("uses registries.conf for short names", async () => {
    fs.writeFileSync(path.join(dir, "registries.conf"), 'unqualified-search-registries = ["quay.io"]\n[aliases]\n"app" = "ghcr.io/other/app"\n');
    fs.writeFileSync(
      path.join(dir, "short.yaml"),
      "policy: policy.json\nregistries-conf: registries.conf\ncases:\n  - ref: acme/tool\n    expect: allow\n    scope: quay.io/acme\n  - ref: app\n    expect: deny\n    scope: \"\"\n",
    );
    const [run] = await testExpectationFiles([path.join(dir, "short.yaml")]);
    expect(run.diagnostics).toEqual([]);
    expect([run.passed, run.failed]).toEqual([2, 0]);
    expect(run.results[0].actual.resolution?.candidates).toEqual(["quay.io/acme/tool:latest"]);
    expect(run.results[1].actual.resolution?.aliasUsed).toBe("app");
  });

  it("runs the inline expectations of a .trust file", async () => {
    const [run] = await testExpectationFiles([path.join(dir, "acme.trust")]);
    expect(run.diagnostics.filter((d) => d.severity === "error" && d.code !== EXPECTATION_CODES.failed)).toEqual([]);
    expect([run.passed, run.failed]).toEqual([1, 1]);
    expect(run.results[1].problems).toEqual(["expected allow, got deny"]);
  });
});
